"""Where the order table gets its rows: :class:`OrderRows`.

The table never holds the orders of a store: it holds a query and asks its
row source for the number of orders the query selects, a block of them, the
position of one order, and the ECDP push states of a block. One store's rows
come from its cache (:class:`StoreOrderRows`, opened by the session on the
cache's read-only connection); the same small interface serves the rows of
several stores at once (:class:`~app.services.inbox.rows.InboxRows`), whose
keys are then :class:`~app.services.inbox.refs.OrderRef` texts and whose
rows each name their store (:meth:`OrderRows.store_of`).

Every method reads SQLite: call them off the GUI thread, except where the
table has measured them to be cheap (a block of 200 rows by an index, the
remembered count of a query).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.cache import CachedOrderRow, OrderCache
from app.domain.queries import OrderQuery
from app.services.ecdp.status import PushState, ecdp_status

# (the row type is the table's too)
__all__ = ["CachedOrderRow", "OrderRows", "StoreOrderRows", "StoreTag"]


@dataclass(frozen=True)
class StoreTag:
    """The store an order comes from, as the table shows it across stores."""

    name: str  # the account's name (what an OrderRef carries)
    title: str  # the store's own name once known, else the account's
    number: int  # its place among the stores shown (0, 1, 2…: its colour)
    currency: str | None = None  # ISO code of the store's money
    status_names: Mapping[str, str] = field(default_factory=dict)


class OrderRows(Protocol):
    """What the order table reads."""

    @property
    def filling(self) -> bool:
        """Whether a first full sync is still filling the cache."""
        ...

    def count(self, query: OrderQuery) -> int: ...

    def rows(self, query: OrderQuery, offset: int = 0, limit: int = 200) -> list[CachedOrderRow]:
        """Rows ``offset`` to ``offset + limit`` of ``query``, in its order."""
        ...

    def counts_slowly(self, query: OrderQuery) -> bool:
        """Whether counting ``query`` scans every order (a one- or two-letter
        search): the table then shows :meth:`first_rows` and counts later."""
        ...

    def first_rows(self, query: OrderQuery, limit: int) -> list[CachedOrderRow]: ...

    def position(self, query: OrderQuery, key: str) -> int | None: ...

    def push_states(self, rows: Sequence[CachedOrderRow], target: str) -> dict[str, PushState]:
        """The push state of each row's order to the ECDP destination ``target``."""
        ...

    def order_numbers(self, keys: Sequence[str]) -> dict[str, str]:
        """The number a shop owner knows each order by (keys not found left out)."""
        ...

    def order_json(self, key: str) -> dict[str, Any] | None:
        """The order as the store last sent it (``None``: not in the cache)."""
        ...

    def store_of(self, key: str) -> StoreTag | None:
        """The store of order ``key`` when the rows come from several (else ``None``)."""
        ...


class StoreOrderRows:
    """One store's rows, read from its cache (``reader`` gives the cache's
    current read connection: a damaged cache set aside is replaced by a new one)."""

    def __init__(self, reader: Callable[[], OrderCache]) -> None:
        self._current = reader

    @property
    def _reader(self) -> OrderCache:
        return self._current()

    @property
    def cache(self) -> OrderCache:
        """The cache's current read connection (for the rows across stores)."""
        return self._current()

    @property
    def filling(self) -> bool:
        return self._reader.filling

    def count(self, query: OrderQuery) -> int:
        return self._reader.count(query)

    def rows(self, query: OrderQuery, offset: int = 0, limit: int = 200) -> list[CachedOrderRow]:
        return self._reader.rows(query, offset, limit)

    def counts_slowly(self, query: OrderQuery) -> bool:
        return self._reader.counts_slowly(query)

    def first_rows(self, query: OrderQuery, limit: int) -> list[CachedOrderRow]:
        return self._reader.first_rows(query, limit)

    def position(self, query: OrderQuery, key: str) -> int | None:
        return self._reader.position(query, key)

    def push_states(self, rows: Sequence[CachedOrderRow], target: str) -> dict[str, PushState]:
        if not rows:
            return {}
        return ecdp_status(self._reader, [row.key for row in rows], target)

    def order_numbers(self, keys: Sequence[str]) -> dict[str, str]:
        return self._reader.order_numbers(list(keys))

    def order_json(self, key: str) -> dict[str, Any] | None:
        return self._reader.order_json(key)

    def store_of(self, key: str) -> StoreTag | None:
        return None

"""The table's rows across every open store: :class:`InboxRows`.

It serves the same :class:`~app.services.orders.rows.OrderRows` as one
store's rows, over several: counts are the sum of the stores' counts, a page
is the stores' orders merged in the query's order by SQLite
(:class:`~app.cache.merged.MergedCaches`), and the position of an order is
counted across them. Every row's key is an
:class:`~app.services.inbox.refs.OrderRef` as text, so whatever the window
does with an order reaches that order's own store, and every row names its
store (:meth:`InboxRows.store_of`) for the Store column, its currency and
its own status names.

Two fields of :class:`~app.domain.queries.OrderQuery` are answered here:
``stores`` keeps the orders of those stores only, and ``by_store`` lists the
stores one after another (by their names), each in the query's order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.cache import CachedOrderRow, OrderCache
from app.cache.merged import MergedCaches, MergedRow
from app.domain.queries import OrderQuery
from app.services.ecdp.status import PushState, ecdp_status
from app.services.inbox.refs import OrderRef
from app.services.orders.rows import StoreTag


@dataclass(frozen=True)
class InboxMember:
    """One store of the view: its account's name, its cache's current read
    connection, and how the table shows it (read each time: its name and
    currency arrive with the first contact)."""

    name: str
    cache: Callable[[], OrderCache]
    tag: Callable[[], StoreTag]


class InboxRows:
    """The orders of several stores as one list (see the module docstring)."""

    def __init__(self, members: Sequence[InboxMember]) -> None:
        self.members = list(members)
        self._numbers = {member.name: number for number, member in enumerate(self.members)}
        self._merged = MergedCaches([member.cache for member in self.members])

    def close(self) -> None:
        """Close the connection that reads the stores together (theirs stay open)."""
        self._merged.close()

    # -- which stores, and as what ------------------------------------------------

    def tags(self) -> list[StoreTag]:
        return [member.tag() for member in self.members]

    def store_of(self, key: str) -> StoreTag | None:
        ref = OrderRef.parse(key)
        number = self._numbers.get(ref.store) if ref else None
        return None if number is None else self.members[number].tag()

    def ref(self, number: int, key: str) -> str:
        """The key the table uses for order ``key`` of the ``number``-th store."""
        return str(OrderRef(self.members[number].name, key))

    def _chosen(self, query: OrderQuery) -> list[int]:
        """The stores ``query`` lists, in the order it lists them."""
        numbers = list(range(len(self.members)))
        if query.stores is not None:
            wanted = set(query.stores)
            numbers = [n for n in numbers if self.members[n].name in wanted]
        if query.by_store is not None:
            tags = {n: self.members[n].tag() for n in numbers}
            numbers.sort(key=lambda n: (tags[n].title.casefold(), n))
            if query.by_store == "descending":
                numbers.reverse()
        return numbers

    @staticmethod
    def _plain(query: OrderQuery) -> OrderQuery:
        """``query`` as each store's cache answers it (the stores' fields are ours)."""
        if query.stores is None and query.by_store is None:
            return query
        return query.model_copy(update={"stores": None, "by_store": None})

    def _rows(self, found: list[MergedRow]) -> list[CachedOrderRow]:
        return [replace(item.row, key=self.ref(item.store, item.row.key)) for item in found]

    def _split(self, keys: Sequence[str]) -> dict[int, list[tuple[str, str]]]:
        """``keys`` by store: ``number -> [(ref text, order key)]`` (unknown ones left out)."""
        found: dict[int, list[tuple[str, str]]] = {}
        for text in keys:
            ref = OrderRef.parse(text)
            number = self._numbers.get(ref.store) if ref else None
            if ref is not None and number is not None:
                found.setdefault(number, []).append((text, ref.key))
        return found

    # -- OrderRows ------------------------------------------------------------------

    @property
    def filling(self) -> bool:
        return any(member.cache().filling for member in self.members)

    def count(self, query: OrderQuery) -> int:
        return sum(self._merged.counts(self._plain(query), self._chosen(query)))

    def counts(self, query: OrderQuery) -> list[tuple[StoreTag, int]]:
        """How many orders ``query`` selects in each store it lists."""
        chosen = self._chosen(query)
        counts = self._merged.counts(self._plain(query), chosen)
        return [(self.members[n].tag(), count) for n, count in zip(chosen, counts, strict=True)]

    def rows(self, query: OrderQuery, offset: int = 0, limit: int = 200) -> list[CachedOrderRow]:
        found = self._merged.rows(
            self._plain(query),
            offset,
            limit,
            self._chosen(query),
            concatenate=query.by_store is not None,
        )
        return self._rows(found)

    def counts_slowly(self, query: OrderQuery) -> bool:
        plain = self._plain(query)
        return any(self.members[n].cache().counts_slowly(plain) for n in self._chosen(query))

    def first_rows(self, query: OrderQuery, limit: int) -> list[CachedOrderRow]:
        found = self._merged.first_rows(
            self._plain(query), limit, self._chosen(query), concatenate=query.by_store is not None
        )
        return self._rows(found)

    def position(self, query: OrderQuery, key: str) -> int | None:
        ref = OrderRef.parse(key)
        number = self._numbers.get(ref.store) if ref else None
        if ref is None or number is None:
            return None
        return self._merged.position(
            self._plain(query),
            number,
            ref.key,
            self._chosen(query),
            concatenate=query.by_store is not None,
        )

    def push_states(self, rows: Sequence[CachedOrderRow], target: str) -> dict[str, PushState]:
        states: dict[str, PushState] = {}
        for number, pairs in self._split([row.key for row in rows]).items():
            found = ecdp_status(self.members[number].cache(), [key for _, key in pairs], target)
            states.update({text: found[key] for text, key in pairs if key in found})
        return states

    def order_numbers(self, keys: Sequence[str]) -> dict[str, str]:
        numbers: dict[str, str] = {}
        for number, pairs in self._split(keys).items():
            found = self.members[number].cache().order_numbers([key for _, key in pairs])
            numbers.update({text: found[key] for text, key in pairs if key in found})
        return numbers

    def order_json(self, key: str) -> dict[str, Any] | None:
        ref = OrderRef.parse(key)
        number = self._numbers.get(ref.store) if ref else None
        if ref is None or number is None:
            return None
        return self.members[number].cache().order_json(ref.key)

    def rows_of(self, keys: list[str]) -> list[CachedOrderRow]:
        """The rows of the orders ``keys`` names (those cached; any order)."""
        found: list[CachedOrderRow] = []
        for number, pairs in self._split(keys).items():
            refs = {key: text for text, key in pairs}
            rows = self.members[number].cache().rows_of(list(refs))
            found += [replace(row, key=refs[row.key]) for row in rows]
        return found

"""What the order table shows: :class:`ShownOrders`, one store or every store.

The window shows either one open store (a
:class:`~app.services.session.StoreSession`) or every open store at once
(*All stores*, an :class:`~app.services.inbox.Inbox`). Both answer the same
calls with the same meaning — the table's rows and how to show them, the
store of an order (:meth:`ShownOrders.resolve`), bulk changes, deletions,
exports and ECDP pushes of many orders (the inbox splits them by store) — so
the window and its dialogs ask whichever is shown alike. This module states
those calls once; both classes have them without naming the protocol, and
mypy checks that they do (``_shown`` at the end of this module).

One difference stays in the types: an edit staged by a bulk change is named
by its edit id in one store's outbox (``int``), and across stores by the
store's name and that id (:data:`~app.services.inbox.EditRef`). The protocol
takes that name as its parameter: ``ShownOrders[int]`` is one store,
``ShownOrders[EditRef]`` every store, and code that only hands the names
from :meth:`~ShownOrders.stage_bulk` back to :meth:`~ShownOrders.send_entries`
works on ``ShownOrders[Any]``.

Left out, on purpose (they differ in meaning, not only in their types):

* ``sync_round``: one store's round returns its
  :class:`~app.services.session.RoundResult`, the inbox's one result (or
  error) per store, and the window runs each store's round through that
  store's own sync controller anyway;
* ``close``: the session closes its client, cache and outbox (awaited), the
  inbox only its reading connection (the stores stay the caller's);
* ``ref`` (how the table names an order of a store): only the inbox has
  one (one store's table names its orders by their keys), and the window
  asks the inbox for it whenever several stores are open, shown or not;
* the customer view (``customer_of``) and what concerns one store only
  (settings, a new order, the outbox dialog): the window asks the order's
  own store, found with :meth:`~ShownOrders.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.domain.changes import Changes
from app.domain.queries import OrderQuery
from app.services.accounts.store_display import StoreDisplay
from app.services.orders.bulk import BulkAction
from app.services.orders.rows import OrderRows
from app.services.orders.saved_views import SavedViewStore
from app.services.outbox import OrderResult

if TYPE_CHECKING:  # (ECDP's modules load when an order is first pushed)
    from app.services.ecdp.destinations import EcdpDestination
    from app.services.ecdp.push import EcdpPushReport, PushProgress
    from app.services.session import OutboxSummary, StoreSession

__all__ = ["ShownOrders"]


class ShownOrders[EditId](Protocol):
    """One open store, or every open store at once (see the module docstring).
    ``EditId`` names an edit staged by :meth:`stage_bulk`."""

    # -- the stores shown and how to show them -------------------------------------

    @property
    def title(self) -> str:
        """The window's title for it: the store's name, or "All stores"."""
        ...

    @property
    def display(self) -> StoreDisplay:
        """How to show its orders: status names, currency (across stores: what they share)."""
        ...

    @property
    def sessions(self) -> Sequence[StoreSession]:
        """The stores shown, each its own session."""
        ...

    @property
    def rows(self) -> OrderRows:
        """What the order table reads."""
        ...

    def saved_views(self) -> SavedViewStore:
        """Its saved views of the order table (not loaded yet)."""
        ...

    def last_sync(self) -> datetime | None:
        """When it last synced (across stores: the store synced longest ago)."""
        ...

    def outbox_summary(self) -> OutboxSummary:
        """The edits not yet settled with the store(s)."""
        ...

    def subscribe(self, listener: Callable[[Changes], Any], /) -> Callable[[], None]:
        """Hear what changed (from any thread); returns how to stop."""
        ...

    # -- an order's own store ------------------------------------------------------

    def resolve(self, key: str, /) -> tuple[StoreSession, str]:
        """The store of the order the table names ``key``, and its key there
        (:class:`KeyError`: no open store has it)."""
        ...

    def split(self, keys: Sequence[str], /) -> list[tuple[StoreSession, list[str]]]:
        """The table's ``keys`` by store, each with its keys there."""
        ...

    async def order_json(self, key: str, /) -> dict[str, Any] | None:
        """The cached order the table names ``key``."""
        ...

    # -- many orders -------------------------------------------------------------------

    async def stage_bulk(self, keys: list[str], action: BulkAction, /) -> dict[str, EditId]:
        """Stage ``action`` on each order; returns ``key -> edit``."""
        ...

    async def send_entries(
        self, edits: list[EditId], /, progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send these edits, in order; one result each."""
        ...

    async def retry_entries(
        self, edits: list[EditId], /, progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send again edits that failed, were refused or were recovered."""
        ...

    async def delete_orders(
        self, keys: Sequence[str], /, progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Delete these orders; one result each, in the order given."""
        ...

    async def export_orders(
        self,
        target: Path,
        *,
        columns: Sequence[str],
        query: OrderQuery | None = None,
        keys: Sequence[str] | None = None,
        file_format: str = "csv",
        progress: Callable[[int, int], Any] | None = None,
        should_stop: Callable[[], bool] = ...,
    ) -> int:
        """Export the orders ``query`` shows (or ``keys``) to ``target``; how many."""
        ...

    async def push_to_ecdp(
        self,
        destination: EcdpDestination,
        *,
        query: OrderQuery | None = None,
        keys: list[str] | None = None,
        only_changed: bool = False,
        force: bool = False,
        progress: Callable[[PushProgress], Any] | None = None,
    ) -> EcdpPushReport:
        """Push the orders ``query`` (or ``keys``) selects to ``destination``
        (the inbox also takes, instead, a function naming each store's)."""
        ...


if TYPE_CHECKING:
    from app.services.inbox import EditRef, Inbox

    def _shown(one: StoreSession, every: Inbox) -> list[ShownOrders[Any]]:
        """Never called: mypy checks here that both classes are what the window may show."""
        one_store: ShownOrders[int] = one
        every_store: ShownOrders[EditRef] = every
        return [one_store, every_store]

"""Every open store at once: :class:`Inbox`, the door of *All stores*.

A shop owner with three stores works in one window: one table over every
store's orders (:class:`~app.services.inbox.rows.InboxRows`), and whatever
they do goes to each order's own store. The inbox holds the stores'
:class:`~app.services.session.StoreSession` objects (each with its own
cache, client, request budget, sync and outbox) and routes by
:class:`~app.services.inbox.refs.OrderRef`:

* one order (the editor, the details, an invoice, the customer view):
  :meth:`Inbox.resolve` gives its store's session and its key there;
* many orders: :meth:`stage_bulk`, :meth:`send_entries`,
  :meth:`delete_orders`, :meth:`export_orders` and :meth:`push_to_ecdp`
  split them by store and ask each store's session — the same calls, with
  the same meaning, as on one session, so the window's bulk changes,
  deletions, exports and pushes work on either. An edit of a store is named
  by an :data:`EditRef` (the store's name and its edit id: each store's
  outbox counts its own edits);
* sync: :meth:`sync_round` runs every store's round at once, each within
  its own client's request budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.domain.changes import Changes
from app.domain.queries import OrderQuery
from app.services.accounts.store_display import StoreDisplay
from app.services.inbox.refs import OrderRef
from app.services.inbox.rows import InboxMember, InboxRows
from app.services.orders.bulk import BulkAction
from app.services.orders.rows import StoreOrderRows, StoreTag
from app.services.orders.saved_views import VIEWS_FILE_NAME, SavedViewStore
from app.services.outbox import OrderResult
from app.services.session import OutboxSummary, RoundResult, StoreSession

if TYPE_CHECKING:  # (ECDP's client and mapping load when an order is first pushed)
    from app.services.ecdp.destinations import EcdpDestination
    from app.services.ecdp.push import EcdpPushReport, PushProgress

log = logging.getLogger(__name__)

ALL_STORES = "All stores"
EditRef = tuple[str, int]
"""An edit of one store's outbox: the store's account name and the edit's id."""


class Inbox:
    """Several open stores as one (see the module docstring). The sessions
    stay the caller's: :meth:`close` closes only what the inbox opened."""

    def __init__(self, sessions: Sequence[StoreSession]) -> None:
        self.sessions = list(sessions)
        self._by_name = {session.account.name: session for session in self.sessions}
        for session in self.sessions:  # several stores in about the memory of one
            session.share_page_cache(len(self.sessions))
        self.rows = InboxRows(
            [
                InboxMember(
                    session.account.name,
                    partial(_cache_of, session),
                    partial(self.tag, number),
                )
                for number, session in enumerate(self.sessions)
            ]
        )

    # -- the stores ----------------------------------------------------------------

    @property
    def title(self) -> str:
        return ALL_STORES

    @property
    def names(self) -> list[str]:
        return [session.account.name for session in self.sessions]

    def tag(self, number: int) -> StoreTag:
        """How the table shows the ``number``-th store's orders."""
        session = self.sessions[number]
        display = session.display
        return StoreTag(
            session.account.name,
            session.title,
            number,
            display.currency_code or None,
            dict(display.status_names),
        )

    @property
    def display(self) -> StoreDisplay:
        """What the stores share, for views over all of them: each status by
        its stores' names (joined when they differ), no one currency; a
        status any store has switched off is not offered as a new value (a
        change across stores may reach that store's orders)."""
        names: dict[str, list[str]] = {}
        notifies: dict[str, bool] = {}
        disabled: list[str] = []
        for session in self.sessions:
            for code, name in session.display.status_names.items():
                if name not in names.setdefault(code, []):
                    names[code].append(name)
            for code, notify in session.display.status_notifies.items():
                notifies[code] = notifies.get(code, False) or notify
            disabled += [code for code in session.display.status_disabled if code not in disabled]
        return StoreDisplay(
            store_name=ALL_STORES,
            status_names={code: " / ".join(found) for code, found in names.items()},
            status_notifies=notifies,
            status_disabled=tuple(disabled),
        )

    def views_folder(self) -> Path:
        """Where the views saved across stores are kept (the demo stores' apart)."""
        from app.platform.paths import data_dir
        from app.services.accounts.demo_store import is_demo_account

        demo = all(is_demo_account(name) for name in self.names)
        return data_dir() / ("all-demo-stores" if demo else "all-stores")

    def saved_views(self) -> SavedViewStore:
        """The saved views of the table across stores (not loaded yet: call ``load``)."""
        return SavedViewStore(self.views_folder() / VIEWS_FILE_NAME)

    def session_named(self, name: str) -> StoreSession:
        """The open store whose account is ``name`` (:class:`KeyError` if none)."""
        return self._by_name[name]

    def ref(self, session: StoreSession, key: str) -> str:
        """The table's key for order ``key`` of ``session``."""
        return str(OrderRef(session.account.name, key))

    def resolve(self, text: str) -> tuple[StoreSession, str]:
        """The store and the key of the order ``text`` (an
        :class:`~app.services.inbox.refs.OrderRef`) names; :class:`KeyError`
        when it names no open store."""
        ref = OrderRef.parse(text)
        if ref is None or ref.store not in self._by_name:
            raise KeyError(text)
        return self._by_name[ref.store], ref.key

    def split(self, texts: Sequence[str]) -> list[tuple[StoreSession, list[str]]]:
        """``texts`` by store (in the stores' order; keys in the given order;
        those of no open store left out)."""
        found: dict[str, list[str]] = {}
        for text in texts:
            ref = OrderRef.parse(text)
            if ref is not None and ref.store in self._by_name:
                found.setdefault(ref.store, []).append(ref.key)
        return [(session, found[name]) for name, session in self._by_name.items() if name in found]

    def subscribe(self, listener: Callable[[Changes], Any]) -> Callable[[], None]:
        """Hear what changed in any store (see :meth:`StoreSession.subscribe`)."""
        stops = [session.subscribe(listener) for session in self.sessions]

        def unsubscribe() -> None:
            for stop in stops:
                stop()

        return unsubscribe

    def last_sync(self) -> datetime | None:
        """When the store synced longest ago last synced (``None``: one never has)."""
        stamps = [session.last_sync() for session in self.sessions]
        if not stamps or any(stamp is None for stamp in stamps):
            return None
        return min(stamp for stamp in stamps if stamp is not None)

    def outbox_summary(self) -> OutboxSummary:
        return OutboxSummary(
            [entry for session in self.sessions for entry in session.outbox_summary().entries]
        )

    def close(self) -> None:
        """Close the connection that reads the stores together (the stores
        stay open, each with its whole page cache again)."""
        self.rows.close()
        for session in self.sessions:
            session.share_page_cache(1)

    # -- reading ---------------------------------------------------------------------

    async def order_json(self, text: str) -> dict[str, Any] | None:
        session, key = self.resolve(text)
        return await session.order_json(key)

    # -- many orders -------------------------------------------------------------------

    async def stage_bulk(self, texts: list[str], action: BulkAction) -> dict[str, EditRef]:
        """Stage ``action`` on each order, in its own store (see
        :meth:`StoreSession.stage_bulk`); a tracking pattern's ``{n}`` counts
        the whole selection. Returns ``ref -> edit``."""
        place = {text: number for number, text in enumerate(texts, start=1)}
        staged: dict[str, EditRef] = {}
        for session, keys in self.split(texts):
            refs = [self.ref(session, key) for key in keys]
            ids = await session.stage_bulk(keys, action, places=[place[ref] for ref in refs])
            name = session.account.name
            staged.update({self.ref(session, key): (name, edit) for key, edit in ids.items()})
        return {text: staged[text] for text in texts if text in staged}

    async def send_entries(
        self, edits: list[EditRef], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send these edits, each by its store, in order; one result each."""
        return await self._each_edit(edits, "send", progress)

    async def retry_entries(
        self, edits: list[EditRef], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Send again edits that failed, were refused or were recovered."""
        return await self._each_edit(edits, "retry", progress)

    async def _each_edit(
        self, edits: list[EditRef], how: str, progress: Callable[[int, int], Any] | None
    ) -> list[OrderResult]:
        results: list[OrderResult] = []
        for number, (name, edit_id) in enumerate(edits):
            session = self._by_name[name]
            call = session.send_entries if how == "send" else session.retry_entries
            results += [self._result(session, result) for result in await call([edit_id])]
            if progress is not None:
                progress(number + 1, len(edits))
        return results

    async def delete_orders(
        self, texts: Sequence[str], progress: Callable[[int, int], Any] | None = None
    ) -> list[OrderResult]:
        """Delete these orders, each in its own store; one result each, in
        the order given."""
        results: list[OrderResult] = []
        total, done = len(texts), 0
        for session, keys in self.split(texts):

            def step(count: int, _total: int, before: int = done) -> None:
                if progress is not None:
                    progress(before + count, total)

            found = await session.delete_orders(keys, step)
            results += [self._result(session, result) for result in found]
            done += len(keys)
        place = {text: number for number, text in enumerate(texts)}
        return sorted(results, key=lambda result: place.get(result.key, len(place)))

    def _result(self, session: StoreSession, result: OrderResult) -> OrderResult:
        return replace(result, key=self.ref(session, result.key))

    async def export_orders(
        self,
        target: Path,
        *,
        columns: Sequence[str],
        query: OrderQuery | None = None,
        keys: Sequence[str] | None = None,
        file_format: str = "csv",
        progress: Callable[[int, int], Any] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> int:
        """Export the orders ``query`` shows across the stores (or ``keys``),
        with a Store and a Currency column (see :mod:`app.services.orders.export`)."""
        from app.services.orders.export import export_orders

        chosen = list(columns)
        if "store" not in chosen:
            chosen.insert(0, "store")
        if "currency" not in chosen:
            after = chosen.index("total") + 1 if "total" in chosen else len(chosen)
            chosen.insert(after, "currency")
        return await asyncio.to_thread(
            export_orders,
            self.rows,
            target,
            columns=chosen,
            query=query,
            keys=keys,
            file_format=file_format,  # type: ignore[arg-type]
            progress=progress,
            should_stop=should_stop,
            store_of=self.rows.store_of,
        )

    async def push_to_ecdp(
        self,
        destination: EcdpDestination | Callable[[StoreSession], EcdpDestination | None],
        *,
        query: OrderQuery | None = None,
        keys: list[str] | None = None,
        only_changed: bool = False,
        force: bool = False,
        progress: Callable[[PushProgress], Any] | None = None,
    ) -> EcdpPushReport:
        """Push each store's orders ``query`` (or ``keys``) selects to its ECDP
        destination (``destination``, or the one it names for each store: the
        demo stores each have their own), with that store's mapping: its
        website id and currency (``force`` sends again what ECDP has
        confirmed). One report, its keys refs."""
        from app.services.ecdp.push import EcdpPushReport, PushProgress

        plain = (query or OrderQuery()).model_copy(update={"stores": None, "by_store": None})
        parts: list[tuple[StoreSession, list[str] | None]]
        if keys is not None:
            parts = [(session, list(found)) for session, found in self.split(keys)]
        else:
            stores = None if query is None else query.stores
            parts = [(s, None) for s in self.sessions if stores is None or s.account.name in stores]
        report = EcdpPushReport()
        totals = await asyncio.to_thread(self._push_totals, parts, query)
        grand_total = sum(totals)
        for session, part_keys in parts:
            target = destination(session) if callable(destination) else destination
            if target is None:
                continue
            earlier = PushProgress(
                len(report.sent) + len(report.skipped) + len(report.failed) + len(report.unmatched),
                grand_total,
                len(report.sent),
                len(report.skipped),
                len(report.failed),
                len(report.unmatched),
            )

            def step(found: PushProgress, earlier: PushProgress = earlier) -> None:
                if progress is not None:
                    progress(
                        PushProgress(
                            earlier.done + found.done,
                            max(grand_total, earlier.done + found.total),
                            earlier.sent + found.sent,
                            earlier.skipped + found.skipped,
                            earlier.failed + found.failed,
                            earlier.unmatched + found.unmatched,
                        )
                    )

            found = await session.push_to_ecdp(
                target,
                query=None if part_keys is not None else plain,
                keys=part_keys,
                only_changed=only_changed,
                force=force,
                progress=step,
            )
            self._add_report(report, session, found)
            if found.interrupted is not None:
                break
        return report

    def _push_totals(
        self, parts: list[tuple[StoreSession, list[str] | None]], query: OrderQuery | None
    ) -> list[int]:
        plain = (query or OrderQuery()).model_copy(update={"stores": None, "by_store": None})
        return [
            len(keys) if keys is not None else session.rows.count(plain) for session, keys in parts
        ]

    def _add_report(
        self, report: EcdpPushReport, session: StoreSession, found: EcdpPushReport
    ) -> None:
        refs: Callable[[str], str] = lambda key: self.ref(session, key)  # noqa: E731
        report.total += found.total
        report.sent += [refs(key) for key in found.sent]
        report.skipped += [refs(key) for key in found.skipped]
        report.failed.update({refs(key): why for key, why in found.failed.items()})
        report.unmatched.update({refs(key): why for key, why in found.unmatched.items()})
        report.interrupted = report.interrupted or found.interrupted

    # -- sync -----------------------------------------------------------------------------

    async def sync_round(self, *, full: bool = False) -> Mapping[str, RoundResult | Exception]:
        """Every store's sync round at once (each within its own request
        budget); a store that failed has its error instead of a result."""
        rounds = await asyncio.gather(
            *(session.sync_round(full=full) for session in self.sessions), return_exceptions=True
        )
        results: dict[str, RoundResult | Exception] = {}
        for session, outcome in zip(self.sessions, rounds, strict=True):
            if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                raise outcome
            results[session.account.name] = outcome
        return results


def _cache_of(session: StoreSession) -> OrderCache:
    """The store's cache as the table reads it (its read connection)."""
    rows = session.rows
    if not isinstance(rows, StoreOrderRows):
        raise TypeError(f"{session.account.name}: its rows are not one store's cache")
    return rows.cache

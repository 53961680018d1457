"""One account's outbox as a service: every write the user asks for is
staged here first, then sent, settled, and shown.

:class:`Outbox` ties the outbox file (:mod:`.database`, :mod:`.edits`,
:mod:`.activity`) to the order cache: after every change of an edit it sets
the order's mark in the cache (the table shows it), and it keeps the cache
holding the store's versions only — a confirmed edit stores the order as the
store now has it, a conflict stores the store's version, a waiting deletion
moves the order to the deleted list and a refused one puts it back.

Nothing here blocks an event loop: the file work runs in worker threads.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.domain.changes import Changes
from app.domain.outbox import DELETE, OPEN, UPDATE, OutboxState
from app.domain.references import shown_number
from app.domain.words import changes_words

from . import activity
from . import edits as edit_rows
from .activity import Activity
from .database import DamageReport, OutboxDatabase, OutboxError, get_meta, set_meta
from .edits import Edit
from .resolving import ConflictField, conflict_fields, kept_changes
from .sender import OrderResult, OutboxSender, Progress, summary_of
from .watch import find_overwrites

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

OUTBOX_FILE_NAME = "outbox.sqlite"
RETRIABLE = frozenset(
    {
        OutboxState.WAITING,
        OutboxState.SENDING,
        OutboxState.FAILED,
        OutboxState.REFUSED,
        OutboxState.RECOVERED,
    }
)
RESOLVABLE = frozenset({OutboxState.CONFLICT, OutboxState.OVERWRITTEN, OutboxState.RECOVERED})
_LEGACY_STATES = {
    "PENDING": OutboxState.WAITING,
    "SENDING": OutboxState.WAITING,
    "FAILED": OutboxState.REFUSED,
    "CONFLICT": OutboxState.CONFLICT,
}


class OutboxProblem(ValueError):
    """What the user asked cannot be done to this edit (the message says why)."""


class Outbox:
    """The outbox of one account (see the module docstring)."""

    def __init__(
        self,
        database: OutboxDatabase,
        cache: OrderCache,
        client: EcwidClient | None,
        *,
        desk: str,
        watch_minutes: Callable[[], float] = lambda: 10.0,
        status_names: Callable[[], Mapping[str, str]] = dict,
        notify: Callable[[Changes], Any] = lambda changes: None,
    ) -> None:
        self.database = database
        self.cache = cache
        self.desk = desk
        self._notify = notify  # what changed, after each change of an edit (any thread)
        self._status_names = status_names
        self._watch_minutes = watch_minutes
        self.sender: OutboxSender | None = None
        if client is not None:
            self.connect(client)

    def connect(self, client: EcwidClient) -> None:
        """Send through ``client`` from now on (an outbox opened without one
        keeps the edits until then)."""
        if self.sender is not None:
            raise RuntimeError("this outbox already has a store to send to")
        watch_minutes = self._watch_minutes
        self.sender = OutboxSender(
            self.database,
            client,
            on_settled=self._on_settled,
            watch_seconds=lambda: 60.0 * watch_minutes(),
            status_names=self._status_names,
        )

    @classmethod
    def open(
        cls, folder: Path, cache: OrderCache, client: EcwidClient | None, **options: Any
    ) -> tuple[Outbox, DamageReport | None]:
        """Open the outbox in the account's ``folder`` (a damaged one is moved
        aside: see the report), carry over edits an older Backroom kept in the
        cache, and set the cache's marks from it."""
        database, report = OutboxDatabase.open(folder / OUTBOX_FILE_NAME)
        outbox = cls(database, cache, client, **options)
        try:
            outbox._carry_legacy_edits()
            outbox.project()
        except BaseException:
            database.close()
            raise
        return outbox, report

    def close(self) -> None:
        self.database.close()

    def attach_cache(self, cache: OrderCache) -> None:
        """Use ``cache`` from now on (a rebuilt one) and set its marks."""
        self.cache = cache
        self.project()

    # -- the cache's view of the outbox -------------------------------------------------

    def project(self) -> None:
        """Set every mark in the cache from the outbox, and make sure each
        order whose deletion waits is set aside (after a crash between the
        two files, or in a rebuilt cache)."""
        marks = self.database.read("reading the outbox", lambda conn: edit_rows.marks(conn))
        self.cache.replace_marks(marks)
        deleting = [key for key, (_, waits) in marks.items() if waits]
        if deleting:
            self.cache.set_aside(deleting)

    def _mark(self, keys: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(keys))
        if wanted:
            marks = self.database.read(
                "reading the outbox", lambda conn: edit_rows.marks(conn, wanted)
            )
            self.cache.set_marks(marks)
            self._notify(Changes.of_orders(wanted, outbox=True))

    def _on_settled(self, edit: Edit, state: OutboxState, store: dict[str, Any] | None) -> None:
        """Keep the cache in step with what became of an edit (a worker thread)."""
        if store is not None and not edit.is_delete:
            self.cache.upsert_orders([store])  # the store's version: confirmed, or theirs
        if edit.is_delete and state is OutboxState.REFUSED:
            self.cache.put_back([edit.key])
        self._mark([edit.key])

    def _carry_legacy_edits(self) -> None:
        rows = self.cache.legacy_outbox()
        if not rows:
            return
        marker = f"legacy-carried:{self.cache.path}"

        def work(conn: Any) -> None:
            if get_meta(conn, marker) is not None:
                return
            numbers = self.cache.order_numbers([row["key"] for row in rows])
            for row in rows:
                changes = json.loads(row.get("changes") or "{}")
                base = json.loads(row["base_json"]) if row.get("base_json") else None
                state = _LEGACY_STATES.get(row.get("state") or "", OutboxState.WAITING)
                edit_id = edit_rows.add(
                    conn,
                    key=row["key"],
                    number=numbers.get(row["key"], row["key"]),
                    action=DELETE if row.get("action") == DELETE else UPDATE,
                    changes=changes,
                    base=base,
                    base_update_ts=row.get("base_update_ts"),
                    desk=self.desk,
                    state=state,
                    reason=row.get("reason"),
                )
                if row.get("server_json"):
                    edit_rows.set_state(
                        conn,
                        edit_id,
                        state,
                        reason=row.get("reason"),
                        store_json=json.loads(row["server_json"]),
                    )
            set_meta(conn, marker, "1")

        self.database.write("carrying edits over", work)
        self.cache.drop_legacy_outbox()
        log.info("carried %d edits over from the order cache to the outbox file", len(rows))

    # -- staging -----------------------------------------------------------------------

    async def stage_update(
        self,
        key: str,
        changes: Mapping[str, Any],
        base_order: Mapping[str, Any],
        *,
        supersedes: Sequence[int] = (),
    ) -> int:
        """Stage an edit of order ``key`` made from ``base_order`` (the
        version the user was looking at): WAITING, recorded in the activity
        log. Edits in ``supersedes`` (still waiting edits of the same order
        the new one was made on top of) are folded into it and removed."""
        [edit_id] = await self.stage_updates([(key, changes, base_order)], supersedes=supersedes)
        return edit_id

    async def stage_updates(
        self,
        staged: Sequence[tuple[str, Mapping[str, Any], Mapping[str, Any]]],
        *,
        supersedes: Sequence[int] = (),
    ) -> list[int]:
        """:meth:`stage_update` for several orders, in one transaction."""
        return await asyncio.to_thread(self._stage_updates, list(staged), list(supersedes))

    def _stage_updates(
        self,
        staged: list[tuple[str, Mapping[str, Any], Mapping[str, Any]]],
        supersedes: list[int],
    ) -> list[int]:
        if not staged:
            return []
        numbers = self.cache.order_numbers([key for key, _, _ in staged])
        names = self._status_names()

        def work(conn: Any) -> list[int]:
            folded: dict[str, Any] = {}
            for old_id in supersedes:
                old = edit_rows.one(conn, old_id)
                foldable = (OutboxState.WAITING, OutboxState.FAILED)
                if old is not None and old.state in foldable and not old.is_delete:
                    for name, value in (old.base or {}).items():
                        folded.setdefault(name, value)  # the oldest edit's start is the real one
                    edit_rows.remove(conn, [old_id])
                    activity.set_outcome(conn, old_id, "replaced by a later edit of this desk")
            ids = []
            for key, changes, base_order in staged:
                base = {name: base_order.get(name) for name in changes}
                for name, value in folded.items():
                    if name in base:
                        base[name] = value  # the older edit's starting point is the real one
                number = numbers.get(key) or shown_number(base_order) or key
                edit_id = edit_rows.add(
                    conn,
                    key=key,
                    number=number,
                    action=UPDATE,
                    changes=changes,
                    base=base,
                    base_update_ts=base_order.get("updateTimestamp"),
                    desk=self.desk,
                )
                activity.record(
                    conn,
                    key=key,
                    number=number,
                    desk=self.desk,
                    kind=activity.EDIT,
                    summary=changes_words(changes, base, names),
                    outcome="waiting to be sent",
                    detail={
                        "fields": [
                            {"name": n, "old": base.get(n), "new": v} for n, v in changes.items()
                        ]
                    },
                    edit_id=edit_id,
                )
                ids.append(edit_id)
            return ids

        ids = self.database.write("saving an edit", work)
        self._mark(key for key, _, _ in staged)
        return ids

    async def stage_deletes(self, keys: Sequence[str]) -> list[int]:
        """Stage the deletion of these orders: each leaves the normal lists at once."""
        return await asyncio.to_thread(self._stage_deletes, list(keys))

    def _stage_deletes(self, keys: list[str]) -> list[int]:
        numbers = self.cache.order_numbers(keys)

        def work(conn: Any) -> list[int]:
            ids = []
            for key in keys:
                number = numbers.get(key, key)
                edit_id = edit_rows.add(
                    conn,
                    key=key,
                    number=number,
                    action=DELETE,
                    changes={},
                    base=None,
                    base_update_ts=None,
                    desk=self.desk,
                )
                activity.record(
                    conn,
                    key=key,
                    number=number,
                    desk=self.desk,
                    kind=activity.DELETE,
                    summary="Delete the order",
                    outcome="waiting to be sent",
                    edit_id=edit_id,
                )
                ids.append(edit_id)
            return ids

        ids = self.database.write("saving a deletion", work)
        self._mark(keys)
        self.cache.set_aside(keys)
        return ids

    # -- sending ----------------------------------------------------------------------------

    async def send(
        self, edit_ids: list[int] | None = None, progress: Progress | None = None
    ) -> list[OrderResult]:
        """Send these edits (default: every waiting or failed one); one result each."""
        if self.sender is None:
            raise OutboxError("This outbox has no store to send to.")
        return await self.sender.send(edit_ids, progress)

    async def retry(
        self, edit_ids: Sequence[int], progress: Progress | None = None
    ) -> list[OrderResult]:
        """Send these edits again (waiting, failed, refused or recovered ones;
        a conflict or an overwrite must be resolved instead)."""
        await asyncio.to_thread(self._requeue, list(edit_ids))
        return await self.send(list(edit_ids), progress)

    def _requeue(self, edit_ids: list[int]) -> None:
        def work(conn: Any) -> list[Edit]:
            requeued = []
            for edit_id in edit_ids:
                edit = edit_rows.one(conn, edit_id)
                if edit is None:
                    raise OutboxProblem(f"There is no edit {edit_id} in the outbox.")
                if edit.state in RESOLVABLE - RETRIABLE:
                    raise OutboxProblem(
                        f"Edit {edit_id} (order {edit.number}) is a "
                        f"{edit.state.value.lower()}: resolve it (keep yours or take the "
                        "store's) instead of sending it again."
                    )
                if edit.state is OutboxState.CONFIRMED:
                    continue
                edit_rows.set_state(conn, edit_id, OutboxState.WAITING, reason=None)
                activity.set_outcome(conn, edit_id, "waiting to be sent (again)")
                requeued.append(edit)
            return requeued

        requeued = self.database.write("sending edits again", work)
        deletions = [edit.key for edit in requeued if edit.is_delete]
        if deletions:
            self.cache.set_aside(deletions)
        self._mark(edit.key for edit in requeued)

    async def discard(self, edit_ids: Sequence[int]) -> list[Edit]:
        """Forget these edits unsent: the store's version stays (a discarded
        deletion puts its order back). Returns the edits discarded."""
        return await asyncio.to_thread(self._discard, list(edit_ids))

    def _discard(self, edit_ids: list[int]) -> list[Edit]:
        def work(conn: Any) -> list[Edit]:
            gone = []
            for edit_id in edit_ids:
                edit = edit_rows.one(conn, edit_id)
                if edit is None:
                    raise OutboxProblem(f"There is no edit {edit_id} in the outbox.")
                if edit.state is OutboxState.SENDING:
                    raise OutboxProblem(
                        f"Edit {edit_id} (order {edit.number}) is being sent right now; "
                        "try again in a moment."
                    )
                edit_rows.remove(conn, [edit_id])
                outcome = (
                    "the store's value was kept (this desk's value was not put back)"
                    if edit.state is OutboxState.OVERWRITTEN
                    else "discarded on this desk; not sent"
                )
                activity.set_outcome(conn, edit_id, outcome)
                gone.append(edit)
            return gone

        gone = self.database.write("discarding edits", work)
        deletions = [edit.key for edit in gone if edit.is_delete]
        if deletions:
            self.cache.put_back(deletions)
        self._mark(edit.key for edit in gone)
        return gone

    async def conflict_fields(self, edit_id: int) -> list[ConflictField]:
        """The fields of an edit waiting to be resolved, with both values."""
        return await asyncio.to_thread(self._conflict_fields, edit_id)

    def _conflict_fields(self, edit_id: int) -> list[ConflictField]:
        edit = self._edit(edit_id)
        return conflict_fields(edit, self._store_version(edit))

    def _store_version(self, edit: Edit) -> dict[str, Any]:
        if edit.store_json is not None:
            return edit.store_json
        order = self.cache.order_json(edit.key)
        if order is None:
            raise OutboxProblem(
                f"Order {edit.number} is not on this computer: sync, then resolve the edit."
            )
        return order

    async def resolve(self, edit_id: int, choices: Mapping[str, str]) -> int | None:
        """Settle an edit in conflict, overwritten or recovered: per field keep
        this desk's value (``"mine"``) or the store's (``"server"``). With
        nothing of mine left the edit is discarded (returns ``None``);
        otherwise it is measured again from the store's version and waits to
        be sent (returns its id)."""
        return await asyncio.to_thread(self._resolve, edit_id, dict(choices))

    def _resolve(self, edit_id: int, choices: dict[str, str]) -> int | None:
        edit = self._edit(edit_id)
        if edit.state not in RESOLVABLE:
            raise OutboxProblem(
                f"Edit {edit_id} (order {edit.number}) has nothing to resolve "
                f"({edit.state.value.lower()})."
            )
        kept = kept_changes(edit, choices)
        if not kept:
            self._discard([edit_id])
            return None
        store = self._store_version(edit)
        base = {name: store.get(name) for name in kept}

        def work(conn: Any) -> None:
            edit_rows.rebase(conn, edit_id, kept, base, store.get("updateTimestamp"))
            activity.set_outcome(conn, edit_id, "resolved: this desk's values are sent again")

        self.database.write("resolving an edit", work)
        self._mark([edit.key])
        return edit_id

    # -- overwrites ----------------------------------------------------------------------

    async def check_overwrites(self) -> list[Edit]:
        """After a sync: the watched edits someone overwrote (now OVERWRITTEN)."""
        found = await asyncio.to_thread(
            find_overwrites,
            self.database,
            self.cache.order_json,
            self._status_names(),
            desk=self.desk,
        )
        if found:
            await asyncio.to_thread(self._mark, [edit.key for edit in found])
        return found

    # -- reading ------------------------------------------------------------------------

    def entries(
        self, states: Iterable[OutboxState] | None = None, key: str | None = None
    ) -> list[Edit]:
        """Open edits (or those in ``states``), oldest first; of ``key`` if given."""
        wanted = list(OPEN if states is None else states)
        return self.database.read(
            "reading the outbox", lambda conn: edit_rows.listed(conn, wanted, key)
        )

    def edit(self, edit_id: int) -> Edit | None:
        return self.database.read("reading the outbox", lambda conn: edit_rows.one(conn, edit_id))

    def _edit(self, edit_id: int) -> Edit:
        edit = self.edit(edit_id)
        if edit is None:
            raise OutboxProblem(f"There is no edit {edit_id} in the outbox.")
        return edit

    def activity(self, key: str) -> list[Activity]:
        """What this desk wrote to order ``key``, newest first."""
        return self.database.read(
            "reading the activity log", lambda conn: activity.for_order(conn, key)
        )

    def record(
        self,
        key: str,
        kind: str,
        summary: str,
        outcome: str,
        detail: Mapping[str, Any] | None = None,
        number: str | None = None,
    ) -> None:
        """Log a write made outside the outbox (a file upload, an ECDP push, a new order)."""
        if number is None:
            number = self.cache.order_numbers([key]).get(key, key)

        def work(conn: Any) -> None:
            activity.record(
                conn,
                key=key,
                number=number,
                desk=self.desk,
                kind=kind,
                summary=summary,
                outcome=outcome,
                detail=detail,
            )

        self.database.write("writing the activity log", work)

    def record_many(self, keys: Sequence[str], kind: str, summary: str, outcome: str) -> None:
        """Log one write to each of ``keys`` (e.g. a batch of orders sent to ECDP)."""
        numbers = self.cache.order_numbers(list(keys))

        def work(conn: Any) -> None:
            for key in keys:
                activity.record(
                    conn,
                    key=key,
                    number=numbers.get(key, key),
                    desk=self.desk,
                    kind=kind,
                    summary=summary,
                    outcome=outcome,
                )

        self.database.write("writing the activity log", work)

    def ecdp_logger(self, target_name: str) -> Callable[[list[str]], None]:
        """What an ECDP push calls with the orders ECDP confirmed: each logged."""

        def log_sent(keys: list[str]) -> None:
            try:
                self.record_many(
                    keys, activity.ECDP_PUSH, f"Sent to ECDP ({target_name})", "confirmed by ECDP"
                )
            except OutboxError as error:  # the log is a record; the push stands
                log.warning("the activity log was not written: %s", error)

        return log_sent

    def describe(self, edit: Edit) -> str:
        """An edit in words ("Fulfillment status: Processing → Shipped")."""
        return summary_of(edit, self._status_names())

    def damage_notice(self) -> str | None:
        """What became of a damaged outbox file: said at least once, and for
        as long as edits recovered from it wait for the user."""
        notice = self.database.meta("damage_notice")
        if not notice:
            return None
        if self.entries([OutboxState.RECOVERED]):
            return notice
        if self.database.meta("damage_notice_shown") is None:
            self.database.set_meta("damage_notice_shown", "1")
            return notice
        self.database.set_meta("damage_notice", None)
        return None

"""Saving one order editor's change through the outbox, and what came of it.

The change is staged (the cached order shows it at once), then sent. The
store confirms it ("saved"), or cannot be reached ("queued": it waits in the
outbox for the next sync), or finds the order changed since the edit began
(a conflict: the user chooses per field, and what is left of the change is
sent again), or refuses it (a 400: the refused entry is dropped from the
outbox, so the cached order goes back to the store's version and nothing
retries a change the store will refuse again; the editor keeps the edit and
its draft, and shows the store's message by the field).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from app.services.order_changes import FieldProblem, problem_from_server
from app.store import OutboxState

if TYPE_CHECKING:
    from app.services.order_actions import Choice, ConflictField
    from app.services.store_session import StoreSession

log = logging.getLogger(__name__)

SaveState = Literal["saved", "queued", "server", "undecided", "refused"]
AskConflict = Callable[[list["ConflictField"]], Awaitable[Mapping[str, "Choice"] | None]]
MAX_ROUNDS = 5  # conflicts settled and sent again before giving up (a busy order)

SAVED = "Saved."
QUEUED = "Saved offline — will be sent on the next sync."
QUEUED_FAILING = "Saved, but the store failed to take it now — it will be sent on the next sync."
SERVER_KEPT = "Kept the store's version; your changes were set aside."
UNDECIDED = (
    "Not saved: the order changed in the store since you began. Save again to choose what to keep."
)
BUSY = (
    "The order keeps changing in the store: your change waits in the outbox "
    "and is checked again on the next sync."
)


@dataclass(frozen=True)
class SaveResult:
    state: SaveState
    message: str
    problem: FieldProblem | None = None  # the field a refusal is about, when known

    @property
    def done(self) -> bool:
        """The change left the editor (sent, queued, or replaced by the store's version)."""
        return self.state in ("saved", "queued", "server")


class OrderSaver:
    """Stages and sends the changes of one order; remembers a conflict left undecided."""

    def __init__(self, session: StoreSession, key: str) -> None:
        self.session = session
        self.key = key
        self.undecided_entry: int | None = None

    async def save(
        self, changes: dict[str, Any], base_update_timestamp: int | None, ask: AskConflict
    ) -> SaveResult:
        """Stage ``changes`` made from ``base_update_timestamp`` and send them;
        ``ask`` gets the fields of a conflict and returns the user's choices
        (None: undecided, the entry waits in the outbox as a conflict)."""
        await self.drop_undecided()
        entry_id = await self.session.stage_edit(self.key, changes, base_update_timestamp)
        return await self._send(entry_id, ask)

    async def drop_undecided(self) -> None:
        """Forget a conflict the user left undecided (the editor still holds the edit):
        the store's version goes to the cache, the entry leaves the outbox."""
        entry_id, self.undecided_entry = self.undecided_entry, None
        if entry_id is None:
            return
        try:
            fields = await self.session.conflict_fields(entry_id)
            await self.session.resolve_conflict(entry_id, {f.name: "server" for f in fields})
        except Exception as error:  # settled meanwhile (the outbox dialog): nothing to drop
            log.info("undecided conflict %s not dropped: %s", entry_id, error)

    async def _send(self, entry_id: int, ask: AskConflict) -> SaveResult:
        for _ in range(MAX_ROUNDS):
            results = await self.session.send_entries([entry_id])
            result = results[0] if results else None
            if result is None or result.ok or result.state == OutboxState.CONFIRMED:
                return SaveResult("saved", SAVED)
            if result.state in (OutboxState.PENDING, OutboxState.SENDING):
                return SaveResult("queued", queued_message(result.reason))
            if result.state == OutboxState.CONFLICT:
                fields = await self.session.conflict_fields(entry_id)
                choices = await ask(fields)
                if choices is None:
                    self.undecided_entry = entry_id
                    return SaveResult("undecided", UNDECIDED)
                next_id = await self.session.resolve_conflict(entry_id, dict(choices))
                if next_id is None:
                    return SaveResult("server", SERVER_KEPT)
                entry_id = next_id
                continue
            reason = result.reason or "The store refused the change."
            await asyncio.to_thread(self.session.cache.drop_outbox, entry_id)
            return SaveResult("refused", reason, problem_from_server(reason))
        return SaveResult("queued", BUSY)  # re-based and pending: the next sync sends it


def queued_message(reason: str | None) -> str:
    """Why a change waits: the store is unreachable (offline), or it failed (5xx)."""
    if reason and "failed" in reason.lower() and "unreachable" not in reason.lower():
        return QUEUED_FAILING
    return QUEUED

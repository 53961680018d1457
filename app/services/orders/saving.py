"""Saving one edit of one order, and what came of it — the same for the
window's editor and for ``backroom order update``.

The edit is staged in the outbox, then sent (see
:mod:`app.services.outbox.sender` for the checks around the write). The
store confirms it ("saved"); or cannot be reached or fails ("queued": it
waits in the outbox, retried by every sync); or someone changed a field of
the edit in the store since it began, or at the same moment (a conflict:
``ask`` gets the fields with both values and returns the user's choice per
field, and what is left of the edit is sent again; without an answer the
edit waits in the outbox as a conflict); or refuses it (a 400: the refused
edit is discarded — the user still has it in front of them — and the store's
message is returned with the field it names).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.domain.outbox import OutboxState
from app.services.orders.changes import FieldProblem, problem_from_server
from app.services.outbox import ConflictField, OrderResult, Outbox

SaveState = Literal["saved", "queued", "server", "conflict", "refused", "gone"]
AskConflict = Callable[[list[ConflictField]], Awaitable[Mapping[str, str] | None]]
MAX_ROUNDS = 5  # conflicts settled and sent again before giving up (a busy order)

SAVED = "Saved."
QUEUED = "Queued on this computer: it is sent by the next sync (the store cannot be reached now)."
QUEUED_FAILING = "Queued: the store failed to take it now; it is sent again by the next sync."
UNREADABLE = (
    "Queued: the store's answer could not be read and the order does not show the change "
    "yet, so it is sent again by the next sync."
)
SERVER_KEPT = "Kept the store's version; your changes were set aside."
CONFLICT = (
    "Not saved: the order changed in the store since you began. It waits in the outbox "
    "as a conflict until you choose what to keep."
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
    edit_id: int | None = None
    result: OrderResult | None = None

    @property
    def done(self) -> bool:
        """The change left the editor (sent, queued, or replaced by the store's version)."""
        return self.state in ("saved", "queued", "server")


async def save_edit(
    outbox: Outbox,
    key: str,
    changes: dict[str, Any],
    base_order: Mapping[str, Any],
    ask: AskConflict | None,
    *,
    supersedes: Sequence[int] = (),
) -> SaveResult:
    """Stage ``changes`` of order ``key`` made from ``base_order`` and send
    them; see the module docstring."""
    edit_id = await outbox.stage_update(key, changes, base_order, supersedes=supersedes)
    return await send_edit(outbox, edit_id, ask)


async def send_edit(outbox: Outbox, edit_id: int, ask: AskConflict | None) -> SaveResult:
    """Send one staged edit, settling conflicts with ``ask`` (``None``: leave them)."""
    for _ in range(MAX_ROUNDS):
        results = await outbox.send([edit_id])
        result = results[0] if results else None
        if result is None or result.ok:
            return SaveResult("saved", SAVED, edit_id=edit_id, result=result)
        if result.state in (OutboxState.WAITING, OutboxState.SENDING, OutboxState.FAILED):
            return SaveResult("queued", queued_message(result), edit_id=edit_id, result=result)
        if result.state is OutboxState.CONFLICT:
            fields = await outbox.conflict_fields(edit_id)
            choices = await ask(fields) if ask is not None else None
            if choices is None:
                return SaveResult(
                    "conflict", result.reason or CONFLICT, edit_id=edit_id, result=result
                )
            next_id = await outbox.resolve(edit_id, dict(choices))
            if next_id is None:
                return SaveResult("server", SERVER_KEPT, edit_id=edit_id, result=result)
            edit_id = next_id
            continue
        reason = result.reason or "The store refused the change."
        await outbox.discard([edit_id])  # the user still has the edit in front of them
        state: SaveState = "gone" if result.http_status == 404 else "refused"
        return SaveResult(state, reason, problem_from_server(reason), edit_id, result)
    return SaveResult("queued", BUSY, edit_id=edit_id)


def queued_message(result: OrderResult) -> str:
    """Why a change waits: the store is unreachable, it failed, or its answer was unreadable."""
    if result.state is OutboxState.WAITING and result.http_status == 200:
        return UNREADABLE
    if result.http_status is not None and result.http_status >= 500:
        return QUEUED_FAILING
    return QUEUED

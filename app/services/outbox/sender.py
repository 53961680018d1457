"""Sending the outbox: each edit checked, written, read back and settled.

For an update:

1. The edit is claimed (SENDING), so two processes never send it at once.
2. The order is read from the store. If it already holds every value of the
   edit (sent before a crash, or a colleague did the same), the edit is
   confirmed without writing again — so an edit is applied exactly once
   however often a send is interrupted.
3. The content check (:mod:`.checks`): a field someone changed in the store
   since the edit began makes the edit a CONFLICT, nothing is written.
4. ``PUT``. A refusal (400, 404, 409…) makes it REFUSED with the store's
   reason. A cause that goes away by itself (no network, 429, 5xx, 402
   suspended, 401/403 token) makes it FAILED, retried by every sync; when the
   store cannot take requests at all the rest of the round stays waiting.
5. The order is read back. It must hold every value sent: then the edit is
   CONFIRMED, its order stored in the cache, and it is watched for a while
   (:mod:`.watch`). If it does not, someone wrote the same fields at the same
   moment: a CONFLICT naming both values — never "updated". An answer to the
   ``PUT`` that cannot be read is settled the same way, by the read-back.

A deletion is sent as ``DELETE``; an order already gone (404) counts as deleted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.domain.outbox import OutboxState
from app.domain.words import changes_words, field_label, value_words
from app.ecwid import (
    EcwidBadRequestError,
    EcwidError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidPaymentRequiredError,
    EcwidProtocolError,
    EcwidRateLimitedError,
    EcwidServerError,
    EcwidUnauthorizedError,
)

from . import activity
from . import edits as edit_rows
from .checks import already_held, changed_in_store, not_held
from .database import OutboxDatabase
from .edits import Edit

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

SENDABLE = (OutboxState.WAITING, OutboxState.FAILED, OutboxState.SENDING)
STORE_DOWN = (EcwidNetworkError, EcwidRateLimitedError)
"""The store cannot take requests now: stop the round, keep the rest waiting."""
STORE_CLOSED = (EcwidUnauthorizedError, EcwidPaymentRequiredError)
"""The store refuses every request (token, suspension): stop the round too."""
STORE_FAILED = (EcwidServerError,)
FAILING_IN_A_ROW = 3

GONE = "The order no longer exists in the store."
UNREADABLE_WRITE = (
    "The store's answer could not be read, and the order does not show the change yet: "
    "it will be sent again at the next sync."
)
NOT_READ_BACK = (
    "Sent, but the order could not be read back to confirm it: checked again at the next sync."
)

Progress = Callable[[int, int], Any]


@dataclass(frozen=True)
class OrderResult:
    """What sending one edit came to. ``ok`` when the store confirmed it;
    otherwise ``state`` says where it stands and ``reason`` why (a 400's
    message as the store wrote it). ``http_status`` of a refusal, if any."""

    key: str
    number: str
    ok: bool
    state: OutboxState
    reason: str | None
    http_status: int | None = None
    edit_id: int | None = None


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutboxSender:
    """Sends one account's edits to its store (one send at a time in this process)."""

    def __init__(
        self,
        outbox: OutboxDatabase,
        client: EcwidClient,
        *,
        on_settled: Callable[[Edit, OutboxState, dict[str, Any] | None], Any],
        watch_seconds: Callable[[], float],
        status_names: Callable[[], Mapping[str, str]] = dict,
    ) -> None:
        self.outbox = outbox
        self.client = client
        self._on_settled = on_settled  # (edit, new state, the store's order) -> updates the cache
        self._watch_seconds = watch_seconds
        self._status_names = status_names
        self._lock = asyncio.Lock()

    async def send(
        self, edit_ids: list[int] | None = None, progress: Progress | None = None
    ) -> list[OrderResult]:
        """Send these edits (default: every waiting or failed one), oldest
        first; one result each (an edit another send settled meanwhile
        reports where it stands)."""
        async with self._lock:
            if edit_ids is None:
                found = await asyncio.to_thread(
                    self.outbox.read,
                    "reading the outbox",
                    lambda conn: edit_rows.listed(conn, SENDABLE),
                )
                edit_ids = [edit.id for edit in found]
            return await self._send_all(list(edit_ids), progress)

    async def _send_all(self, edit_ids: list[int], progress: Progress | None) -> list[OrderResult]:
        results: list[OrderResult] = []
        stopped: str | None = None
        failing = 0
        for done, edit_id in enumerate(edit_ids, start=1):
            if stopped is not None:
                edit = await self._read(edit_id)
                if edit is not None:
                    reason = f"Not sent yet: {stopped}" if edit.state in SENDABLE else edit.reason
                    results.append(_result(edit, edit.state, reason))
            else:
                try:
                    result = await self._send_one(edit_id)
                except _Stop as stop:
                    stopped = stop.reason
                    edit = await self._read(edit_id)
                    result = _result(edit, OutboxState.FAILED, stop.reason) if edit else None
                if result is not None:
                    results.append(result)
                    server_failed = result.state is OutboxState.FAILED and result.http_status
                    failing = failing + 1 if server_failed else 0
                    if failing >= FAILING_IN_A_ROW:
                        stopped = "the store keeps failing."
            if progress is not None:
                progress(done, len(edit_ids))
        return results

    async def _read(self, edit_id: int) -> Edit | None:
        return await asyncio.to_thread(
            self.outbox.read, "reading the outbox", lambda conn: edit_rows.one(conn, edit_id)
        )

    async def _send_one(self, edit_id: int) -> OrderResult | None:
        edit = await asyncio.to_thread(
            self.outbox.write,
            "sending an edit",
            lambda conn: edit_rows.claim(conn, edit_id, SENDABLE),
        )
        if edit is None:  # settled, or being sent by another process
            current = await self._read(edit_id)
            return None if current is None else _result(current, current.state, current.reason)
        try:
            if edit.is_delete:
                return await self._delete(edit)
            return await self._update(edit)
        except STORE_DOWN as exc:
            reason = _plain(exc)
            await self._settle(edit, OutboxState.FAILED, reason, attempt=True)
            raise _Stop(reason) from None
        except STORE_CLOSED as exc:
            reason = _plain(exc)
            await self._settle(edit, OutboxState.FAILED, reason, attempt=True)
            raise _Stop(reason) from None
        except STORE_FAILED as exc:
            reason = f"The store failed ({exc.status}); sent again at the next sync."
            await self._settle(edit, OutboxState.FAILED, reason, attempt=True)
            return _result(edit, OutboxState.FAILED, reason, exc.status)
        except EcwidNotFoundError:
            await self._settle(edit, OutboxState.REFUSED, GONE, attempt=True)
            return _result(edit, OutboxState.REFUSED, GONE, 404)
        except EcwidError as exc:  # refused: 400, 409, 413…
            reason = refusal_reason(exc)
            await self._settle(edit, OutboxState.REFUSED, reason, attempt=True)
            return _result(edit, OutboxState.REFUSED, reason, exc.status)
        except BaseException:
            # cancelled or a bug: the edit goes back to waiting, nothing is lost
            await asyncio.shield(
                asyncio.to_thread(
                    self.outbox.write,
                    "putting an edit back",
                    lambda conn: edit_rows.set_state(
                        conn,
                        edit.id,
                        edit.state if edit.state in SENDABLE else OutboxState.WAITING,
                        reason=edit.reason,
                    ),
                )
            )
            raise

    # -- update ----------------------------------------------------------------------

    async def _update(self, edit: Edit) -> OrderResult:
        current = await self.client.get_order_raw(edit.key)
        if already_held(edit.changes, current):
            return await self._confirm(edit, current)
        conflicts = changed_in_store(edit.changes, edit.base, edit.base_update_ts, current)
        if conflicts:
            reason = self._conflict_reason(edit, conflicts, current, same_moment=False)
            await self._settle(edit, OutboxState.CONFLICT, reason, current, attempt=True)
            return _result(edit, OutboxState.CONFLICT, reason)
        try:
            await self.client.update_order(edit.key, edit.changes)
        except EcwidProtocolError as exc:  # the answer cannot be read: did it land?
            log.warning("order %s: unreadable answer to an update: %s", edit.key, exc)
            return await self._read_back(edit, unreadable=True)
        return await self._read_back(edit, unreadable=False)

    async def _read_back(self, edit: Edit, *, unreadable: bool) -> OrderResult:
        try:
            fresh = await self.client.get_order_raw(edit.key)
        except EcwidError as exc:
            log.info("order %s: read-back after an update failed: %s", edit.key, exc)
            reason = UNREADABLE_WRITE if unreadable else NOT_READ_BACK
            await self._settle(edit, OutboxState.FAILED, reason, attempt=True)
            return _result(edit, OutboxState.FAILED, reason, exc.status)
        missing = not_held(edit.changes, fresh)
        if not missing:
            return await self._confirm(edit, fresh)
        if unreadable and set(missing) == set(edit.changes):
            still = changed_in_store(edit.changes, edit.base, edit.base_update_ts, fresh)
            if not still:  # it did not land, and nobody else wrote: send it again later
                await self._settle(edit, OutboxState.WAITING, UNREADABLE_WRITE, attempt=True)
                return _result(edit, OutboxState.WAITING, UNREADABLE_WRITE, 200)
        reason = self._conflict_reason(edit, missing, fresh, same_moment=True)
        await self._settle(edit, OutboxState.CONFLICT, reason, fresh, attempt=True)
        return _result(edit, OutboxState.CONFLICT, reason)

    async def _confirm(self, edit: Edit, fresh: dict[str, Any] | None) -> OrderResult:
        watch_until = time.time() + max(0.0, self._watch_seconds())

        def work(conn: Any) -> None:
            edit_rows.confirm(conn, edit.id, watch_until)
            if not edit.is_delete:
                edit_rows.move_base(conn, edit.key, edit.id, edit.changes)
            activity.set_outcome(conn, edit.id, "confirmed by the store")

        await asyncio.to_thread(self.outbox.write, "confirming an edit", work)
        await self._after(edit, OutboxState.CONFIRMED, fresh)
        return _result(edit, OutboxState.CONFIRMED, None)

    def _conflict_reason(
        self, edit: Edit, fields: list[str], store: Mapping[str, Any], *, same_moment: bool
    ) -> str:
        names = self._status_names()
        parts = [
            f"{field_label(name)}: the store has {value_words(name, store.get(name), names)}, "
            f"this edit {value_words(name, edit.changes.get(name), names)}"
            for name in fields
        ]
        if same_moment:
            return (
                "Changed at the same moment by someone else — "
                + "; ".join(parts)
                + ". Nothing of theirs was overwritten silently: choose what to keep."
            )
        return "Changed in the store after this edit began — " + "; ".join(parts) + "."

    # -- delete ----------------------------------------------------------------------

    async def _delete(self, edit: Edit) -> OrderResult:
        try:
            await self.client.delete_order(edit.key)
        except EcwidNotFoundError:
            pass  # already gone: what was asked for
        except EcwidProtocolError:  # the answer cannot be read: is the order gone?
            try:
                await self.client.get_order_raw(edit.key)
            except EcwidNotFoundError:
                return await self._confirm(edit, None)
            await self._settle(edit, OutboxState.WAITING, UNREADABLE_WRITE, attempt=True)
            return _result(edit, OutboxState.WAITING, UNREADABLE_WRITE, 200)
        return await self._confirm(edit, None)

    # -- settling ------------------------------------------------------------------------

    async def _settle(
        self,
        edit: Edit,
        state: OutboxState,
        reason: str | None,
        store: Mapping[str, Any] | None = None,
        *,
        attempt: bool = False,
    ) -> None:
        outcome = _outcome(state, reason)

        def work(conn: Any) -> None:
            edit_rows.set_state(
                conn, edit.id, state, reason=reason, store_json=store, attempt=attempt
            )
            activity.set_outcome(conn, edit.id, outcome)

        await asyncio.shield(asyncio.to_thread(self.outbox.write, "settling an edit", work))
        await self._after(edit, state, dict(store) if store is not None else None)

    async def _after(self, edit: Edit, state: OutboxState, store: dict[str, Any] | None) -> None:
        try:
            await asyncio.to_thread(self._on_settled, edit, state, store)
        except Exception as exc:  # the cache is a copy: the next sync puts it right
            log.warning("order %s: the local copy was not updated: %s", edit.key, exc)


def summary_of(edit: Edit, status_names: Mapping[str, str] | None = None) -> str:
    """An edit in words: "Tracking number: (empty) → 1Z999" or "Delete the order"."""
    if edit.is_delete:
        return "Delete the order"
    return changes_words(edit.changes, edit.base, status_names)


def refusal_reason(exc: EcwidError) -> str:
    """The reason to keep for a refusal: a 400's message exactly as the store wrote it."""
    if isinstance(exc, EcwidBadRequestError):
        return exc.message.removeprefix(f"Ecwid answered {exc.status}: ")
    if isinstance(exc, EcwidNotFoundError):
        return GONE
    return _plain(exc)


def _plain(exc: EcwidError) -> str:
    if isinstance(exc, EcwidNetworkError):
        return "the store cannot be reached (no network?)."
    if isinstance(exc, EcwidRateLimitedError):
        return "the store asks to slow down (too many requests)."
    if isinstance(exc, EcwidPaymentRequiredError):
        return "the store is suspended, or its plan does not include the API."
    if isinstance(exc, EcwidUnauthorizedError):
        return "the store no longer accepts this token (connect the store again)."
    return str(exc)


def _outcome(state: OutboxState, reason: str | None) -> str:
    words = {
        OutboxState.CONFIRMED: "confirmed by the store",
        OutboxState.WAITING: "waiting to be sent",
        OutboxState.FAILED: "not sent yet",
        OutboxState.REFUSED: "refused by the store",
        OutboxState.CONFLICT: "conflict",
        OutboxState.OVERWRITTEN: "overwritten by someone else",
    }.get(state, state.value.lower())
    return f"{words}: {reason}" if reason else words


def _result(
    edit: Edit, state: OutboxState, reason: str | None, http_status: int | None = None
) -> OrderResult:
    return OrderResult(
        key=edit.key,
        number=edit.number,
        ok=state is OutboxState.CONFIRMED,
        state=state,
        reason=reason,
        http_status=http_status,
        edit_id=edit.id,
    )

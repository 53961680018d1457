"""The outbox: every change the user makes is staged locally first (the
cached order shows it at once, and it survives a restart), then sent.

Sending an update checks the server's ``updateTimestamp`` against the one
the change was based on: if the order changed on the server meanwhile, the
entry becomes a *conflict* carrying the server's version, never a silent
overwrite. A change the store already has (sent before a crash, or made
there too) is confirmed without sending it again. A deletion is sent as
``DELETE``; an order already gone (404) counts as deleted.

Each entry gets its own result (:class:`~app.services.order_actions.OrderResult`):

- the store refuses it (400, 403, 404…): FAILED, with the server's reason
  (a 400's message as written); the others are still sent. A refused
  deletion puts the order back among the orders.
- the store fails on it (5xx after the client's retries, an unreadable
  answer): it stays queued (PENDING) with the reason, the others are still
  sent; three such failures in a row mean the store is down: the rest stay
  queued.
- the store cannot be reached (or keeps answering 429): it and the rest stay
  PENDING, reported as queued, for the next attempt.

One send at a time per sender (a lock), so a bulk send and the background
send never send the same entry twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.ecwid import (
    EcwidBadRequestError,
    EcwidClient,
    EcwidError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidProtocolError,
    EcwidRateLimitedError,
    EcwidServerError,
)
from app.services.order_actions import OrderResult
from app.store import OrderCache, OutboxEntry, OutboxState
from app.store.codec import merge_changes
from app.store.outbox import DELETE

log = logging.getLogger(__name__)

RETRY_LATER = (EcwidServerError, EcwidProtocolError)
"""The store failed on this request: worth sending again later."""
UNREACHABLE = (EcwidNetworkError, EcwidRateLimitedError)
"""The store cannot take requests now: stop, keep the rest queued."""
FAILING_IN_A_ROW = 3
"""Server failures on consecutive entries after which the store counts as down."""

QUEUED_UNREACHABLE = "queued: store unreachable"
CONFLICT_REASON = "The order was changed on the server after this edit began."
GONE_REASON = "The order no longer exists in the store."

Progress = Callable[[int, int], Any]


@dataclass(frozen=True)
class SendOutcome:
    entry_id: int
    key: str
    state: OutboxState
    reason: str | None = None


def stage_edit(cache: OrderCache, key: str, changes: dict[str, Any]) -> int:
    """Stage a change to a cached order (API field names); returns the entry id.
    The change is based on the version of the order the user was looking at."""
    order = cache.order_json(key)
    if order is None:
        raise KeyError(f"order {key} is not in the local cache")
    return cache.stage_change(key, changes, order.get("updateTimestamp"))


def refusal_reason(exc: EcwidError) -> str:
    """The reason to keep for a refusal: a 400's message exactly as the server wrote it."""
    if isinstance(exc, EcwidBadRequestError):
        prefix = f"Ecwid answered {exc.status}: "
        return exc.message.removeprefix(prefix)
    if isinstance(exc, EcwidNotFoundError):
        return GONE_REASON
    return str(exc)


class _StoreDown(Exception):
    """The store cannot take requests now: stop sending."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutboxSender:
    """Sends an account's staged changes to its store."""

    REMEMBERED = 1000  # results kept for entries another send already finished

    def __init__(self, cache: OrderCache, client: EcwidClient) -> None:
        self.cache = cache
        self.client = client
        self._lock = asyncio.Lock()
        self._finished: dict[int, OrderResult] = {}

    async def send_pending(self) -> list[SendOutcome]:
        """Send every pending entry, oldest first (also one left SENDING by a
        crash: sent again, the conflict check keeps that safe). Stops early,
        leaving the rest pending, when the store cannot be reached."""
        waiting = [OutboxState.PENDING, OutboxState.SENDING]
        entries = await asyncio.to_thread(self.cache.outbox, waiting)
        async with self._lock:
            sent = await self._send_all([entry.id for entry in entries], None)
        return [
            SendOutcome(entry_id, result.key, result.state, result.reason)
            for entry_id, result in sent
        ]

    async def send_entries(
        self, entry_ids: list[int], progress: Progress | None = None
    ) -> list[OrderResult]:
        """Send these entries in the order given; one result each (entries
        already finished by another send report how that went; unknown ids
        are left out). ``progress(done, total)`` after each entry."""
        async with self._lock:
            sent = await self._send_all(list(entry_ids), progress)
        return [result for _, result in sent]

    async def _send_all(
        self, entry_ids: list[int], progress: Progress | None
    ) -> list[tuple[int, OrderResult]]:
        found = await asyncio.to_thread(self._entries, entry_ids)
        keys = [entry.key for entry in found.values()]
        numbers = await asyncio.to_thread(self.cache.order_numbers, keys)
        results: list[tuple[int, OrderResult]] = []
        rebased: dict[str, tuple[int | None, int | None]] = {}
        down: str | None = None
        failing = 0
        total = len(entry_ids)
        for done, entry_id in enumerate(entry_ids, start=1):
            entry = found.get(entry_id)
            if entry is None:
                if entry_id in self._finished:
                    results.append((entry_id, self._finished[entry_id]))
            else:
                number = numbers.get(entry.key, entry.key)
                if down is not None:
                    waiting = entry.state in (OutboxState.PENDING, OutboxState.SENDING)
                    state = OutboxState.PENDING if waiting else entry.state
                    result = _result(entry, number, state, down if waiting else entry.reason)
                else:
                    result, down = await self._send_one(entry, number, rebased)
                    failing = failing + 1 if _server_failed(result) else 0
                    if down is None and failing >= FAILING_IN_A_ROW:
                        down = "queued: the store keeps failing"
                results.append((entry_id, result))
                if result.state is OutboxState.CONFIRMED:
                    self._remember(entry_id, result)
            if progress is not None:
                progress(done, total)
        return results

    def _entries(self, entry_ids: list[int]) -> dict[int, OutboxEntry]:
        found = {}
        for entry_id in entry_ids:
            entry = self.cache.outbox_entry(entry_id)
            if entry is not None:
                found[entry_id] = entry
        return found

    def _remember(self, entry_id: int, result: OrderResult) -> None:
        if len(self._finished) >= self.REMEMBERED:
            self._finished.clear()
        self._finished[entry_id] = result

    async def _send_one(
        self,
        entry: OutboxEntry,
        number: str,
        rebased: dict[str, tuple[int | None, int | None]],
    ) -> tuple[OrderResult, str | None]:
        """Send one entry; returns its result, and a reason to stop when the
        store cannot be reached."""
        if entry.state == OutboxState.CONFLICT:
            return _result(entry, number, OutboxState.CONFLICT, entry.reason), None
        await self._mark(entry.id, OutboxState.SENDING, entry.reason)
        try:
            if entry.action == DELETE:
                result = await self._delete(entry, number)
            else:
                result = await self._update(entry, number, rebased)
        except UNREACHABLE as exc:
            await self._mark(entry.id, OutboxState.PENDING, f"Will try again: {exc}")
            return _result(entry, number, OutboxState.PENDING, QUEUED_UNREACHABLE), (
                QUEUED_UNREACHABLE
            )
        except RETRY_LATER as exc:
            reason = f"queued: the store failed ({exc})"
            await self._mark(entry.id, OutboxState.PENDING, reason)
            return _result(entry, number, OutboxState.PENDING, reason, exc.status), None
        except EcwidError as exc:
            reason = refusal_reason(exc)
            await self._mark(entry.id, OutboxState.FAILED, reason)
            return _result(entry, number, OutboxState.FAILED, reason, exc.status), None
        return result, None

    async def _update(
        self,
        entry: OutboxEntry,
        number: str,
        rebased: dict[str, tuple[int | None, int | None]],
    ) -> OrderResult:
        server = await self.client.get_order_raw(entry.key)
        expected = entry.base_update_timestamp
        if entry.key in rebased and rebased[entry.key][0] == expected:
            expected = rebased[entry.key][1]  # our own earlier change moved it
        if merge_changes(server, entry.changes) == server:
            # the store has it already (sent before a crash, or a colleague did the same)
            await asyncio.to_thread(self.cache.confirm_outbox, entry, server)
            return _result(entry, number, OutboxState.CONFIRMED, None)
        if expected is not None and server.get("updateTimestamp") != expected:
            await self._mark(entry.id, OutboxState.CONFLICT, CONFLICT_REASON, server)
            return _result(entry, number, OutboxState.CONFLICT, CONFLICT_REASON)
        await self.client.update_order(entry.key, entry.changes)
        try:
            fresh: dict[str, Any] | None = await self.client.get_order_raw(entry.key)
        except EcwidError as exc:  # the change is made; the next sync brings the new version
            log.info("order %s was updated but could not be read back: %s", entry.key, exc)
            fresh = None
        new_stamp = fresh.get("updateTimestamp") if fresh else None
        rebased[entry.key] = (entry.base_update_timestamp, new_stamp)
        await asyncio.to_thread(self.cache.confirm_outbox, entry, fresh)
        return _result(entry, number, OutboxState.CONFIRMED, None)

    async def _delete(self, entry: OutboxEntry, number: str) -> OrderResult:
        try:
            await self.client.delete_order(entry.key)
        except EcwidNotFoundError:
            pass  # already gone: what was asked for
        await asyncio.to_thread(self.cache.confirm_outbox, entry, None)
        return _result(entry, number, OutboxState.CONFIRMED, None)

    async def _mark(
        self,
        entry_id: int,
        state: OutboxState,
        reason: str | None = None,
        server_json: dict[str, Any] | None = None,
    ) -> None:
        await asyncio.to_thread(
            self.cache.mark_outbox, entry_id, state, reason=reason, server_json=server_json
        )


def _result(
    entry: OutboxEntry,
    number: str,
    state: OutboxState,
    reason: str | None,
    http_status: int | None = None,
) -> OrderResult:
    return OrderResult(
        key=entry.key,
        number=number,
        ok=state is OutboxState.CONFIRMED,
        state=state,
        reason=reason,
        http_status=http_status,
    )


def _server_failed(result: OrderResult) -> bool:
    return result.state is OutboxState.PENDING and result.http_status is not None

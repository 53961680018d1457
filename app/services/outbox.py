"""The outbox: every change the user makes is staged locally first (the
cached order shows it at once, and it survives a restart), then sent.

Sending checks the server's ``updateTimestamp`` against the one the change
was based on: if the order changed on the server meanwhile, the entry becomes
a *conflict* carrying the server's version, never a silent overwrite.
Network trouble leaves entries pending for the next attempt; a refusal by
the server marks the entry failed with the server's reason.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from app.ecwid import (
    EcwidClient,
    EcwidError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidRateLimitedError,
    EcwidServerError,
)
from app.store import OrderCache, OutboxEntry, OutboxState

log = logging.getLogger(__name__)

RETRY_LATER = (EcwidNetworkError, EcwidServerError, EcwidRateLimitedError)


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


class OutboxSender:
    """Sends an account's staged changes to its store, oldest first."""

    def __init__(self, cache: OrderCache, client: EcwidClient) -> None:
        self.cache = cache
        self.client = client

    async def send_pending(self) -> list[SendOutcome]:
        """Send every pending entry. Stops early, leaving the rest pending,
        when the store cannot be reached."""
        entries = await asyncio.to_thread(self.cache.outbox, [OutboxState.PENDING])
        outcomes: list[SendOutcome] = []
        rebased: dict[str, tuple[int | None, int | None]] = {}
        for entry in entries:
            outcome = await self._send(entry, rebased)
            outcomes.append(outcome)
            if outcome.state == OutboxState.PENDING:
                break  # offline or throttled: keep the order of changes, try later
        return outcomes

    async def _send(
        self, entry: OutboxEntry, rebased: dict[str, tuple[int | None, int | None]]
    ) -> SendOutcome:
        await self._mark(entry.id, OutboxState.SENDING)
        try:
            server = await self.client.get_order_raw(entry.key)
            expected = entry.base_update_timestamp
            if entry.key in rebased and rebased[entry.key][0] == expected:
                expected = rebased[entry.key][1]  # our own earlier change moved it
            if expected is not None and server.get("updateTimestamp") != expected:
                reason = "The order was changed on the server after this edit began."
                await self._mark(entry.id, OutboxState.CONFLICT, reason, server)
                return SendOutcome(entry.id, entry.key, OutboxState.CONFLICT, reason)
            await self.client.update_order(entry.key, entry.changes)
            fresh = await self.client.get_order_raw(entry.key)
        except RETRY_LATER as exc:
            await self._mark(entry.id, OutboxState.PENDING, f"Will try again: {exc}")
            return SendOutcome(entry.id, entry.key, OutboxState.PENDING, str(exc))
        except EcwidNotFoundError:
            reason = "The order no longer exists in the store."
            await self._mark(entry.id, OutboxState.FAILED, reason)
            return SendOutcome(entry.id, entry.key, OutboxState.FAILED, reason)
        except EcwidError as exc:
            await self._mark(entry.id, OutboxState.FAILED, str(exc))
            return SendOutcome(entry.id, entry.key, OutboxState.FAILED, str(exc))
        rebased[entry.key] = (entry.base_update_timestamp, fresh.get("updateTimestamp"))
        await asyncio.to_thread(self._confirm, entry, fresh)
        return SendOutcome(entry.id, entry.key, OutboxState.CONFIRMED)

    def _confirm(self, entry: OutboxEntry, fresh: dict[str, Any]) -> None:
        self.cache.mark_outbox(entry.id, OutboxState.CONFIRMED)
        # the server's version; the cache re-applies later edits still unconfirmed
        self.cache.upsert_orders([fresh])

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

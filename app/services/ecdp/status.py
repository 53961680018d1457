"""What became of each order's pushes to ECDP, for the table's ECDP column:
never sent, sent (when), changed since it was sent, failed (why), or cannot
be matched to a customer (why: the order names no email, phone or customer
id; it is not tried again until it changes). Kept
apart from :mod:`app.services.ecdp.push` so the table reads it without
loading the ECDP client and models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from app.cache import OrderCache
from app.cache.ecdp_pushes import EcdpPushRecord

__all__ = ["PushOutcome", "PushState", "ecdp_status", "push_state"]


class PushOutcome(StrEnum):
    NOT_SENT = "not_sent"
    SENT = "sent"  # ECDP confirmed the order as it is cached now
    CHANGED = "changed"  # confirmed once; the order has changed since
    FAILED = "failed"  # the last attempt failed (``error`` says why)
    UNMATCHED = "unmatched"  # ECDP cannot match the order as it is to a customer (``error``)


@dataclass(frozen=True, slots=True)
class PushState:
    """What became of an order's pushes: for the table's ECDP column."""

    outcome: PushOutcome
    sent_at: datetime | None = None  # last confirmed by ECDP (aware, UTC)
    attempted_at: datetime | None = None
    error: str | None = None


def _moment(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC)


def push_state(push: EcdpPushRecord | None) -> PushState:
    """The state ``push`` records. An order found unmatchable that has changed
    since is in the state it had before that attempt (not sent, sent or
    changed since sent): the next push tries it again."""
    if push is None:
        return PushState(PushOutcome.NOT_SENT)
    sent_at, attempted_at = _moment(push.sent_at), _moment(push.attempted_at)
    if push.unmatched_as_cached:
        return PushState(PushOutcome.UNMATCHED, sent_at, attempted_at, push.error)
    if push.error is not None and push.unmatched_digest is None:
        return PushState(PushOutcome.FAILED, sent_at, attempted_at, push.error)
    if push.sent_at is None:  # found unmatchable, and changed since
        return PushState(PushOutcome.NOT_SENT, attempted_at=attempted_at)
    outcome = PushOutcome.CHANGED if push.changed_since_sent else PushOutcome.SENT
    return PushState(outcome, sent_at, attempted_at)


def ecdp_status(
    cache: OrderCache, keys: Sequence[str], target: str | None = None
) -> dict[str, PushState]:
    """The push state of each of ``keys`` (to ``target``, or to any ECDP account)."""
    pushes = cache.ecdp_pushes(keys, target)
    return {key: push_state(pushes.get(key)) for key in keys}

"""The states of an edit in the outbox, how bad each is, and their names in words.

An edit is *waiting* until it is sent, *sending* while it is, then either
*confirmed* (the store holds the values sent), *failed* (a cause that goes
away by itself — no network, a server error, a suspended store, a refused
token — so every sync retries it), *refused* (the store said no to these
values), in *conflict* (someone changed a field of the edit in the store
after the edit began, or at the same moment), or *overwritten* (confirmed,
then changed again by someone else within the watch window). An edit read
back from a damaged outbox file is *recovered*: it waits for the user to
retry or discard it.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxState(StrEnum):
    WAITING = "WAITING"
    SENDING = "SENDING"
    FAILED = "FAILED"
    REFUSED = "REFUSED"
    CONFLICT = "CONFLICT"
    OVERWRITTEN = "OVERWRITTEN"
    RECOVERED = "RECOVERED"
    CONFIRMED = "CONFIRMED"


UPDATE = "update"
DELETE = "delete"

UNSENT = frozenset({OutboxState.WAITING, OutboxState.SENDING, OutboxState.FAILED})
"""Edits on their way: sent by the next sync without anyone's say."""

NEEDS_ATTENTION = frozenset(
    {
        OutboxState.REFUSED,
        OutboxState.CONFLICT,
        OutboxState.OVERWRITTEN,
        OutboxState.RECOVERED,
    }
)
"""Edits that wait for the user: retry, discard or resolve."""

OPEN = UNSENT | NEEDS_ATTENTION
"""Every state an edit is listed in (all but confirmed)."""

_SEVERITY = {
    OutboxState.CONFIRMED: 0,
    OutboxState.WAITING: 1,
    OutboxState.SENDING: 2,
    OutboxState.FAILED: 3,
    OutboxState.RECOVERED: 4,
    OutboxState.REFUSED: 5,
    OutboxState.OVERWRITTEN: 6,
    OutboxState.CONFLICT: 7,
}
_BY_SEVERITY = {severity: state for state, severity in _SEVERITY.items()}

STATE_WORDS = {
    OutboxState.WAITING: "Waiting to be sent",
    OutboxState.SENDING: "Sending",
    OutboxState.FAILED: "Not sent yet",
    OutboxState.REFUSED: "Refused by the store",
    OutboxState.CONFLICT: "Conflict",
    OutboxState.OVERWRITTEN: "Overwritten",
    OutboxState.RECOVERED: "Recovered",
    OutboxState.CONFIRMED: "Confirmed",
}
"""Each state as a shop owner reads it (a table cell, a command's output)."""


def severity_of(state: OutboxState | str) -> int:
    """How bad ``state`` is for an order's marker (higher is worse; 0 = nothing open)."""
    return _SEVERITY[OutboxState(state)]


def state_of(severity: int | None) -> OutboxState | None:
    """The state of a severity (``None``/0 -> ``None``: nothing open)."""
    if not severity:
        return None
    return _BY_SEVERITY[severity]

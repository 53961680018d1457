"""Errors of the ECDP client, one class per meaning, so callers can word them
for a person.

ECDP answers errors as RFC 7807 problem details plus ``substatus`` and
``errors``::

    {"type": "...", "title": "...", "status": 400, "substatus": "...",
     "detail": "...", "instance": "/orders", "errors": {...}}

``errors`` comes as an object of field -> messages, or (as the reference
page's sample shows it) as a list of strings; either way it becomes
:attr:`EcdpError.errors`, a ``dict[str, list[str]]`` (list entries without a
field name go under ``""``). No error ever carries the API key: messages are
built from the server's problem details and our own words, never from
request headers. The classes derive from the shared bases of
:mod:`app.domain.errors`.
"""

from __future__ import annotations

import json
from typing import Any

from app.domain.errors import (
    InvalidRequest,
    NotFound,
    RateLimited,
    Refused,
    ServiceFailed,
    StoreServiceError,
    TokenRefused,
    Unreachable,
    UnreadableAnswer,
)


class EcdpError(StoreServiceError):
    """Base class: ``.status`` (HTTP status, or None when nothing was sent),
    ``.title``, ``.detail``, ``.substatus`` and ``.errors`` (field -> messages)
    from the problem details; ``str(e)`` is the whole message in plain words."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        substatus: str | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.title = title
        self.detail = detail
        self.substatus = substatus
        self.errors: dict[str, list[str]] = errors or {}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, substatus={self.substatus!r}, "
            f"{self.message!r})"
        )


class EcdpValidationError(EcdpError, InvalidRequest):
    """Refused before sending: the data breaks a rule of the ECDP reference
    (``.errors`` maps each field, e.g. ``data[2].customer.email``, to what is wrong)."""


class EcdpBadRequestError(EcdpError, Refused):
    """400: ECDP refused the request (a field, an Add of an existing order,
    a Replace of a missing one…); ``.errors`` and ``.substatus`` say what."""


class EcdpUnauthorizedError(EcdpError, TokenRefused):
    """401/403: the API key is missing, wrong, or may not do this."""


class EcdpNotFoundError(EcdpError, NotFound):
    """404: no order with this id."""


class EcdpConflictError(EcdpError, Refused):
    """409: the order is being changed by another request."""


class EcdpRateLimitedError(EcdpError, RateLimited):
    """429 after the retries allowed: ``.retry_after`` seconds to wait, if known."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class EcdpServerError(EcdpError, ServiceFailed):
    """5xx: ECDP failed; worth trying again later."""


class EcdpNetworkError(EcdpError, Unreachable):
    """No answer: connection refused or dropped, timeout, DNS failure."""


class EcdpProtocolError(EcdpError, UnreadableAnswer):
    """ECDP answered something we cannot read: not JSON, truncated, or JSON
    of an unexpected shape."""


_BY_STATUS: dict[int, type[EcdpError]] = {
    400: EcdpBadRequestError,
    401: EcdpUnauthorizedError,
    403: EcdpUnauthorizedError,
    404: EcdpNotFoundError,
    409: EcdpConflictError,
    429: EcdpRateLimitedError,
}


def field_errors(raw: Any) -> dict[str, list[str]]:
    """Problem details' ``errors`` as field -> messages, whatever its shape."""
    found: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for name, messages in raw.items():
            items = messages if isinstance(messages, list) else [messages]
            found[str(name)] = [str(item) for item in items if item is not None]
    elif isinstance(raw, list):
        texts = [str(item) for item in raw if item is not None]
        if texts:
            found[""] = texts
    elif isinstance(raw, str) and raw:
        found[""] = [raw]
    return found


def describe_field_errors(errors: dict[str, list[str]], limit: int = 5) -> str:
    """``field: message; field: message…`` for the first ``limit`` messages."""
    lines = [
        f"{name}: {text.rstrip('.')}" if name else text.rstrip(".")
        for name, texts in errors.items()
        for text in texts
    ]
    shown = "; ".join(lines[:limit])
    if len(lines) > limit:
        shown += f"; and {len(lines) - limit} more"
    return shown


def error_for_response(status: int, content_type: str, body: bytes, reason: str) -> EcdpError:
    """Build the error for a non-2xx answer from its status and body.

    The body is problem details when there is one; an HTML error page or
    garbage is summarised, not quoted whole.
    """
    payload: Any = None
    if "json" in content_type.lower():
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
    problem = payload if isinstance(payload, dict) else {}
    title = _text(problem.get("title"))
    detail = _text(problem.get("detail"))
    substatus = _text(problem.get("substatus"))
    errors = field_errors(problem.get("errors"))
    summary = title or reason or f"HTTP {status}"
    if not problem and ("html" in content_type.lower() or body.lstrip()[:1] == b"<"):
        summary += " (the server sent an HTML error page)"
    message = f"ECDP answered {status}: {summary}"
    if detail and detail != title:
        message += f" ({detail.rstrip('.')})"
    if errors:
        message = f"{message.rstrip('.')}. {describe_field_errors(errors)}"
    cls = _BY_STATUS.get(status) or (EcdpServerError if status >= 500 else EcdpError)
    return cls(
        message, status=status, title=title, detail=detail, substatus=substatus, errors=errors
    )


def unreadable_response(what: str, exc: Exception) -> EcdpProtocolError:
    """The error for a 2xx answer we cannot read (``exc`` says why)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "the body"
        detail = f"{where}: {first.get('msg', 'invalid')}"
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return EcdpProtocolError(f"ECDP sent {what} that Backroom cannot read ({detail})")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None

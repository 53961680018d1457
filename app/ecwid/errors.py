"""Errors of the Ecwid client, one class per meaning, so the GUI can word them
for a person. None of them ever carries the API token: messages are built from
the server's ``errorMessage`` and our own words, never from request URLs or
headers. They derive from the shared bases of :mod:`app.domain.errors`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from app.domain.errors import (
    NotFound,
    RateLimited,
    Refused,
    ScopeMissing,
    ServiceFailed,
    StoreServiceError,
    TokenRefused,
    Unreachable,
    UnreadableAnswer,
)

INSUFFICIENT_APP_SCOPE = "INSUFFICIENT_APP_SCOPE"
# Ecwid's access scopes: read_orders, update_orders, create_orders,
# read_store_profile, read_store_profile_extended, read_catalog, add_to_cp…
_SCOPE_NAME = re.compile(
    r"\b((?:read|update|create|delete|add|customize|public)_[a-z0-9]+(?:_[a-z0-9]+)*)\b"
)


class EcwidError(StoreServiceError):
    """Base class: ``.status`` (HTTP status or None), ``.code`` (the server's
    ``errorCode`` or ours), ``str(e)`` the message."""

    default_code = "ECWID_ERROR"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code or self.default_code

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, {self.message!r})"
        )


class EcwidBadRequestError(EcwidError, Refused):
    """400: the server rejected a parameter or a field (its message says which)."""

    default_code = "BAD_REQUEST"


class EcwidUnauthorizedError(EcwidError, TokenRefused):
    """401/403: the token is wrong, revoked, or lacks a scope."""

    default_code = "INVALID_API_TOKEN"


class EcwidScopeError(EcwidUnauthorizedError, ScopeMissing):
    """403 ``INSUFFICIENT_APP_SCOPE``: the token is valid, but its app lacks the
    access scope this request needs. ``.scope`` names it when Ecwid did."""

    default_code = INSUFFICIENT_APP_SCOPE

    def __init__(self, message: str, *, scope: str | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.scope = scope


def missing_scope(error_message: str) -> str | None:
    """The access scope an ``INSUFFICIENT_APP_SCOPE`` message names, if any."""
    found = _SCOPE_NAME.search(error_message.lower())
    return found.group(1) if found else None


class EcwidPaymentRequiredError(EcwidError):
    """402: the store is suspended or its plan lacks the feature."""

    default_code = "STORE_IS_SUSPENDED"


class EcwidNotFoundError(EcwidError, NotFound):
    """404: the order (or item, option, file) does not exist."""

    default_code = "ORDER_NOT_FOUND"


class EcwidMethodNotAllowedError(EcwidError, Refused):
    default_code = "METHOD_NOT_ALLOWED"


class EcwidConflictError(EcwidError, Refused):
    """409: e.g. uploading a file to an option that is not of type FILES."""

    default_code = "CONFLICT"


class EcwidFileTooLargeError(EcwidError, Refused):
    """413, or refused before sending: the file is over Ecwid's 100 MB limit."""

    default_code = "FILE_TOO_LARGE"


class EcwidUnsupportedMediaError(EcwidError, Refused):
    default_code = "UNSUPPORTED_MEDIA_TYPE"


class EcwidUnfinishedOrderError(EcwidError, Refused):
    """422: an invoice was asked for an unfinished (INCOMPLETE) order."""

    default_code = "UNFINISHED_ORDER"


class EcwidRateLimitedError(EcwidError, RateLimited):
    """429 after the retries allowed: ``.retry_after`` seconds to wait, if known."""

    default_code = "RATE_LIMITED"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class EcwidServerError(EcwidError, ServiceFailed):
    """5xx: the server failed; worth trying again later."""

    default_code = "SERVER_ERROR"


class EcwidNetworkError(EcwidError, Unreachable):
    """No answer: connection refused or dropped, timeout, DNS failure."""

    default_code = "NETWORK_ERROR"


class EcwidProtocolError(EcwidError, UnreadableAnswer):
    """The server answered something we cannot read: not JSON, truncated, or
    JSON of an unexpected shape."""

    default_code = "BAD_RESPONSE"


_BY_STATUS: dict[int, type[EcwidError]] = {
    400: EcwidBadRequestError,
    401: EcwidUnauthorizedError,
    402: EcwidPaymentRequiredError,
    403: EcwidUnauthorizedError,
    404: EcwidNotFoundError,
    405: EcwidMethodNotAllowedError,
    409: EcwidConflictError,
    413: EcwidFileTooLargeError,
    415: EcwidUnsupportedMediaError,
    422: EcwidUnfinishedOrderError,
    429: EcwidRateLimitedError,
}


def error_for_response(status: int, content_type: str, body: bytes, reason: str) -> EcwidError:
    """Build the error for a non-2xx answer from its status and body.

    The body is the server's JSON ``{"errorMessage", "errorCode"}`` when there
    is one; an HTML error page or garbage is summarised, not quoted whole.
    """
    message = ""
    code = None
    content_type = content_type.lower()
    if "json" in content_type:
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            message = str(payload.get("errorMessage") or "")
            code = payload.get("errorCode") or None
    if not message:
        message = reason or f"HTTP {status}"
        if "html" in content_type or body.lstrip()[:1] == b"<":
            message += " (the server sent an HTML error page)"
    if status == 403 and code == INSUFFICIENT_APP_SCOPE:
        scope = missing_scope(message)
        lacks = f"the scope {scope}" if scope else "an access scope this needs"
        return EcwidScopeError(
            f"Ecwid answered 403: the token's app lacks {lacks} ({message})",
            status=status,
            code=code,
            scope=scope,
        )
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = EcwidServerError if status >= 500 else EcwidError
    return cls(f"Ecwid answered {status}: {message}", status=status, code=code)


def unreadable_response(what: str, exc: Exception) -> EcwidProtocolError:
    """The error for a 2xx answer we cannot read: invalid or truncated JSON,
    or JSON of an unexpected shape (``exc`` is pydantic's ValidationError)."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "the body"
        detail = f"{where}: {first.get('msg', 'invalid')}"
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return EcwidProtocolError(f"Ecwid sent {what} that Backroom cannot read ({detail})")

"""HTTP transport for the ECDP API: what is ECDP's own on top of the shared
:class:`~app.http_transport.HttpTransport` (request budget, retries that
honour ``Retry-After``, failures turned into errors).

- The key travels only in the ``x-api-key`` header: never in a URL, a log
  line or an exception text.
- The retry policy is the same as Ecwid's (:class:`~app.http_transport.RetryPolicy`).
  Which requests are idempotent is the client's to say: an ``Add`` is not.
- ECDP documents no rate limit, so there is no budget by default;
  ``requests_per_minute=`` adds a client-side token bucket (``aiolimiter``).
- Every failure is an :class:`~app.ecdp.errors.EcdpError`, read from ECDP's
  problem details.
"""

from __future__ import annotations

import logging

from app.ecdp.errors import (
    EcdpNetworkError,
    EcdpRateLimitedError,
    EcdpServerError,
    error_for_response,
)
from app.http_transport import HttpTransport, RetryPolicy, ServiceErrors

log = logging.getLogger(__name__)

ECDP_ERRORS = ServiceErrors(
    service="ECDP",
    network=EcdpNetworkError,
    server=EcdpServerError,
    rate_limited=EcdpRateLimitedError,
    for_response=error_for_response,
)


def check_api_key(api_key: str) -> str:
    """The key, stripped; ValueError (without the key) when it cannot be one."""
    key = (api_key or "").strip()
    if not key:
        raise ValueError("the ECDP API key is empty")
    if not key.isascii() or not key.isprintable() or any(ch.isspace() for ch in key):
        raise ValueError("the ECDP API key contains spaces or characters a key cannot have")
    return key


class EcdpTransport(HttpTransport):
    """Sends requests to one ECDP business unit and returns successful responses."""

    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        requests_per_minute: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        max_connections: int = 4,
    ) -> None:
        key = check_api_key(api_key)
        super().__init__(
            base_url.rstrip("/"),
            secret=key,
            headers={"x-api-key": key},
            errors=ECDP_ERRORS,
            log=log,
            log_prefix="ECDP ",
            requests_per_minute=requests_per_minute,
            retry=retry,
            timeout=timeout,
            max_connections=max_connections,
        )

    def __repr__(self) -> str:  # never show the key
        return f"EcdpTransport(base_url={self.base_url!r})"

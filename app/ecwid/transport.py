"""HTTP transport for the Ecwid API: what is Ecwid's own on top of the shared
:class:`~app.http_transport.HttpTransport` (request budget, retries that
honour ``Retry-After``, failures turned into errors).

- The token travels only in ``Authorization: Bearer``; never in a URL, a log
  line or an exception text.
- The store id is part of every path (``<base>/<store id>/orders``).
- The request budget defaults to Ecwid's 600 requests/minute (a token
  bucket: bursts are allowed within the minute's budget).
- Every failure is an :class:`~app.ecwid.errors.EcwidError`, read from
  Ecwid's ``{"errorMessage", "errorCode"}`` answers.
"""

from __future__ import annotations

import logging

from app.ecwid.errors import (
    EcwidNetworkError,
    EcwidRateLimitedError,
    EcwidServerError,
    error_for_response,
)
from app.http_transport import HttpTransport, RetryPolicy, ServiceErrors, parse_retry_after

__all__ = [
    "ECWID_REQUESTS_PER_MINUTE",
    "EcwidTransport",
    "RetryPolicy",
    "parse_retry_after",
]

log = logging.getLogger(__name__)

ECWID_REQUESTS_PER_MINUTE = 600

ECWID_ERRORS = ServiceErrors(
    service="Ecwid",
    network=EcwidNetworkError,
    server=EcwidServerError,
    rate_limited=EcwidRateLimitedError,
    for_response=error_for_response,
)


class EcwidTransport(HttpTransport):
    """Sends requests to one store's API and returns successful responses."""

    def __init__(
        self,
        store_id: int | str,
        token: str,
        base_url: str,
        *,
        requests_per_minute: int | None = ECWID_REQUESTS_PER_MINUTE,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        max_connections: int = 10,
    ):
        if not token or any(ch.isspace() for ch in token):
            raise ValueError("the API token is empty or contains spaces")
        self.store_id = str(store_id).strip()
        if not self.store_id.isdigit():
            raise ValueError(f"the store id must be a number, not {store_id!r}")
        super().__init__(
            f"{base_url.rstrip('/')}/{self.store_id}",
            secret=token,
            headers={"Authorization": f"Bearer {token}"},
            errors=ECWID_ERRORS,
            log=log,
            requests_per_minute=requests_per_minute,
            retry=retry,
            timeout=timeout,
            max_connections=max_connections,
        )

    def __repr__(self) -> str:  # never show the token
        return f"EcwidTransport(store_id={self.store_id!r}, base_url={str(self._http.base_url)!r})"

"""HTTP transport for the ECDP API: the API key, an optional request budget,
retries, and turning every failure into an :class:`~app.ecdp.errors.EcdpError`.

- The key travels only in the ``x-api-key`` header: never in a URL, a log
  line or an exception text (it is also registered with
  :func:`app.logs.register_secret`, so a log record that somehow carried it
  would be masked).
- The retry policy is the Ecwid client's (:class:`~app.ecwid.RetryPolicy`,
  :func:`app.ecwid.transport.retrying`): a 429 waits for its ``Retry-After``
  (seconds or an HTTP date, bounded), and idempotent requests are retried
  after 5xx answers or connection failures with exponential backoff and
  jitter, a bounded number of times. Non-idempotent ones (``mode=Add``) are
  retried only after a 429, which the server answers before doing anything.
- ECDP documents no rate limit, so there is no budget by default;
  ``requests_per_minute=`` adds a client-side token bucket (``aiolimiter``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from aiolimiter import AsyncLimiter

from app.ecdp.errors import (
    EcdpNetworkError,
    EcdpRateLimitedError,
    EcdpServerError,
    error_for_response,
)
from app.ecwid.transport import RetryPolicy, parse_retry_after, retrying
from app.logs import register_secret

log = logging.getLogger(__name__)


def check_api_key(api_key: str) -> str:
    """The key, stripped; ValueError (without the key) when it cannot be one."""
    key = (api_key or "").strip()
    if not key:
        raise ValueError("the ECDP API key is empty")
    if not key.isascii() or not key.isprintable() or any(ch.isspace() for ch in key):
        raise ValueError("the ECDP API key contains spaces or characters a key cannot have")
    return key


class EcdpTransport:
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
        register_secret(key)  # masked in any log record, should one ever carry it
        self.requests_sent = 0  # every attempt, retries included
        self.retry = retry or RetryPolicy()
        self._limiter = AsyncLimiter(requests_per_minute, 60) if requests_per_minute else None
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"x-api-key": key, "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
        )

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    def __repr__(self) -> str:  # never show the key
        return f"EcdpTransport(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self, method: str, path: str, *, json: Any = None, idempotent: bool = True
    ) -> httpx.Response:
        """Send one request, retrying as the policy allows; return a 2xx response."""

        def should_retry(exc: BaseException) -> bool:
            if isinstance(exc, EcdpRateLimitedError):
                return exc.retry_after is None or exc.retry_after <= self.retry.max_retry_after
            return idempotent and isinstance(exc, EcdpServerError | EcdpNetworkError)

        def retry_after(exc: BaseException) -> float | None:
            return exc.retry_after if isinstance(exc, EcdpRateLimitedError) else None

        async for attempt in retrying(self.retry, should_retry, retry_after):
            with attempt:
                return await self._send_once(method, path, json)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(self, method: str, path: str, body: Any) -> httpx.Response:
        if self._limiter is not None:
            await self._limiter.acquire()
        started = time.perf_counter()
        self.requests_sent += 1
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.TimeoutException as exc:
            raise EcdpNetworkError(f"ECDP did not answer in time ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise EcdpNetworkError(f"Could not talk to ECDP: {type(exc).__name__}: {exc}") from None
        log.debug(
            "ECDP %s %s -> %s in %.0f ms",
            method,
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        if response.is_success:
            return response
        error = error_for_response(
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
            response.reason_phrase,
        )
        if isinstance(error, EcdpRateLimitedError):
            error.retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise error

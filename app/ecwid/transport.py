"""HTTP transport for the Ecwid API: authentication, request budget, retries,
and turning every failure into an :class:`~app.ecwid.errors.EcwidError`.

- The token travels only in ``Authorization: Bearer``; never in a URL, a log
  line or an exception text.
- A client-side token bucket (``aiolimiter``) keeps the client under Ecwid's
  600 requests/minute: bursts are allowed within the minute's budget.
- ``tenacity`` retries a 429 after its ``Retry-After`` (seconds or an HTTP
  date), and idempotent requests after 5xx answers or connection failures,
  with exponential backoff and jitter, a bounded number of times.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from app.ecwid.errors import (
    EcwidNetworkError,
    EcwidRateLimitedError,
    EcwidServerError,
    error_for_response,
)
from app.logs import register_secret

log = logging.getLogger(__name__)

ECWID_REQUESTS_PER_MINUTE = 600


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, backoff bounds in seconds, and the
    longest ``Retry-After`` we are willing to sleep through."""

    attempts: int = 5
    backoff_min: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retrying(
    policy: RetryPolicy,
    should_retry: Callable[[BaseException], bool],
    retry_after: Callable[[BaseException], float | None],
) -> AsyncRetrying:
    """A tenacity retrier for ``policy`` (also used by the ECDP client):
    ``should_retry`` picks the failures worth another attempt; the wait is
    what ``retry_after`` names for a failure (a 429's ``Retry-After``), else
    exponential backoff with jitter."""
    backoff = wait_random_exponential(multiplier=policy.backoff_min, max=policy.backoff_max)

    def wait(state: Any) -> float:
        exc = state.outcome.exception() if state.outcome else None
        delay = retry_after(exc) if exc is not None else None
        return delay if delay is not None else backoff(state)

    return AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        retry=retry_if_exception(should_retry),
        wait=wait,
        reraise=True,
    )


class EcwidTransport:
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
        register_secret(token)  # masked in any log record, should one ever carry it
        self.requests_sent = 0  # every attempt, retries included
        self.retry = retry or RetryPolicy()
        self._limiter = AsyncLimiter(requests_per_minute, 60) if requests_per_minute else None
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/{self.store_id}",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never show the token
        return f"EcwidTransport(store_id={self.store_id!r}, base_url={str(self._http.base_url)!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        body: Callable[[], Any] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """Send one request, retrying as the policy allows; return a 2xx response.

        ``body`` is a factory returning fresh content for each attempt (a
        stream cannot be replayed). Non-idempotent requests are retried only
        after a 429, which the server answers before doing anything.
        """

        def should_retry(exc: BaseException) -> bool:
            if isinstance(exc, EcwidRateLimitedError):
                return exc.retry_after is None or exc.retry_after <= self.retry.max_retry_after
            return idempotent and isinstance(exc, EcwidServerError | EcwidNetworkError)

        def retry_after(exc: BaseException) -> float | None:
            return exc.retry_after if isinstance(exc, EcwidRateLimitedError) else None

        async for attempt in retrying(self.retry, should_retry, retry_after):
            with attempt:
                return await self._send_once(
                    method,
                    path,
                    params=params,
                    json=json,
                    content=body() if body else None,
                    headers=headers,
                )
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_once(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._limiter is not None:
            await self._limiter.acquire()
        started = time.perf_counter()
        self.requests_sent += 1
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise EcwidNetworkError(
                f"Ecwid did not answer in time ({type(exc).__name__})"
            ) from None
        except httpx.TransportError as exc:
            raise EcwidNetworkError(
                f"Could not talk to Ecwid: {type(exc).__name__}: {exc}"
            ) from None
        log.debug(
            "%s %s -> %s in %.0f ms",
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
        if isinstance(error, EcwidRateLimitedError):
            error.retry_after = parse_retry_after(response.headers.get("retry-after"))
        raise error

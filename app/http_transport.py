"""The HTTP transport both API clients (Ecwid, ECDP) send their requests
through: an ``httpx.AsyncClient``, a request budget, retries, and turning
every failure into the service's own error.

- The credential travels only in a header the service names (Ecwid's
  ``Authorization: Bearer``, ECDP's ``x-api-key``): never in a URL, a log line
  or an exception text. It is registered with :func:`app.platform.logs.register_secret`,
  so a log record that somehow carried it would be masked.
- An optional client-side token bucket (``aiolimiter``) keeps the client
  under the service's rate limit: bursts are allowed within the minute's
  budget.
- ``tenacity`` retries a 429 after its ``Retry-After`` (seconds or an HTTP
  date, bounded by :attr:`RetryPolicy.max_retry_after`), and idempotent
  requests after 5xx answers or connection failures, with exponential
  backoff and jitter, a bounded number of times. Non-idempotent requests are
  retried only after a 429, which the server answers before doing anything.

What differs between the services — the credential's header, the base
address, how an error answer is read, which requests are idempotent — is
given by each client's transport (:mod:`app.ecwid.transport`,
:mod:`app.ecdp.transport`) as a :class:`ServiceErrors` and constructor
arguments.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

import httpx
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from app.platform.logs import register_secret


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, backoff bounds in seconds, and the
    longest ``Retry-After`` we are willing to sleep through."""

    attempts: int = 5
    backoff_min: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 60.0


def load_network_modules() -> None:
    """Import now what a client's first request would import on the event
    loop (httpx's connection pool and anyio's sockets and asyncio backend:
    ~60 ms, longer on a busy machine): for a worker thread to call before the
    first request."""
    import anyio
    import httpcore

    httpcore.AsyncConnectionPool  # noqa: B018 - (imported when first named)
    anyio.connect_tcp  # noqa: B018 - (imported when first named)
    with contextlib.suppress(ImportError):  # (a private module: a warm-up only)
        importlib.import_module("anyio._backends._asyncio")


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
    """A tenacity retrier for ``policy`` (also used by the sync engine for
    unreadable pages): ``should_retry`` picks the failures worth another
    attempt; the wait is what ``retry_after`` names for a failure (a 429's
    ``Retry-After``), else exponential backoff with jitter."""
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


async def call_retrying[T](
    retrier: AsyncRetrying, attempt: Callable[..., Awaitable[T]], *args: Any
) -> T:
    """``await retrier(attempt, *args)``, and the retrier's state let go as it
    returns.

    tenacity keeps a call's next actions (bound methods of the retrier) in
    the retrier's own state: a reference cycle, which only the cycle
    collector frees. In the window that collector runs on the GUI thread
    (:mod:`ui.common.gc_guard`), and during a first sync each request left
    it ~120 objects (iterated with ``async for``, the whole response too: the
    iterator keeps its last attempt): young collections of 15–30 ms, gaps in
    the event loop. Emptying the state breaks the cycle, so everything the
    call made is freed by its last reference, in whichever thread drops it."""
    try:
        return await retrier(attempt, *args)
    finally:
        retrier.iter_state.reset()


@dataclass(frozen=True)
class ServiceErrors:
    """How one service's failures become its own exceptions.

    ``service`` names it in messages ("Could not talk to Ecwid"); ``network``,
    ``server`` and ``rate_limited`` are its classes for no answer, a 5xx and
    a 429 (which has a ``retry_after`` attribute: seconds, or None);
    ``for_response`` builds the error for any other non-2xx answer
    from its status, content type, body and reason phrase."""

    service: str
    network: type[Exception]
    server: type[Exception]
    rate_limited: type[Exception]
    for_response: Callable[[int, str, bytes, str], Exception]


CERTIFICATE_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")  # where OpenSSL (and httpx) look first


def _no_certificates(service: str, error: BaseException) -> str:
    """Why no secure connection to ``service`` can be made: the certificates
    that prove who it is could not be read (``error``)."""
    named = [f"{name}={os.environ[name]}" for name in CERTIFICATE_VARIABLES if os.environ.get(name)]
    where = f" (set in the environment: {', '.join(named)})" if named else ""
    reason = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    return (
        f"Could not connect to {service} securely: the certificates that prove who it is "
        f"could not be read{where}. {reason}."
    )


class HttpTransport:
    """Sends requests to one service account and returns successful responses."""

    def __init__(
        self,
        base_url: str,
        *,
        secret: str,
        headers: Mapping[str, str],
        errors: ServiceErrors,
        log: logging.Logger,
        log_prefix: str = "",
        requests_per_minute: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        max_connections: int = 10,
    ) -> None:
        register_secret(secret)  # masked in any log record, should one ever carry it
        self.requests_sent = 0  # every attempt, retries included
        self.bytes_received = 0  # the bodies of every answer, as read (decompressed)
        self.retry = retry or RetryPolicy()
        self._errors = errors
        self._log = log
        self._log_prefix = log_prefix
        self._limiter = AsyncLimiter(requests_per_minute, 60) if requests_per_minute else None
        try:  # (reads the system's certificates, or SSL_CERT_FILE / SSL_CERT_DIR when set)
            self._http = httpx.AsyncClient(
                base_url=base_url,
                headers={**headers, "Accept": "application/json"},
                timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                limits=httpx.Limits(
                    max_connections=max_connections, max_keepalive_connections=max_connections
                ),
                follow_redirects=False,
            )
        except (ssl.SSLError, OSError) as exc:
            raise errors.network(_no_certificates(errors.service, exc)) from None

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    @property
    def closed(self) -> bool:
        return self._http.is_closed

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
        errors = self._errors

        def should_retry(exc: BaseException) -> bool:
            if isinstance(exc, errors.rate_limited):
                wait = _retry_after(exc)
                return wait is None or wait <= self.retry.max_retry_after
            return idempotent and isinstance(exc, (errors.server, errors.network))

        def retry_after(exc: BaseException) -> float | None:
            return _retry_after(exc) if isinstance(exc, errors.rate_limited) else None

        async def attempt() -> httpx.Response:
            return await self._send_once(
                method,
                path,
                params=params,
                json=json,
                content=body() if body else None,
                headers=headers,
            )

        return await call_retrying(retrying(self.retry, should_retry, retry_after), attempt)

    async def _send_once(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._limiter is not None:
            await self._limiter.acquire()
        started = time.perf_counter()
        self.requests_sent += 1
        errors = self._errors
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise errors.network(
                f"{errors.service} did not answer in time ({type(exc).__name__})"
            ) from None
        except httpx.TransportError as exc:
            raise errors.network(
                f"Could not talk to {errors.service}: {type(exc).__name__}: {exc}"
            ) from None
        self.bytes_received += len(response.content)
        _let_go_of_stream(response)
        self._log.debug(
            "%s%s %s -> %s in %.0f ms",
            self._log_prefix,
            method,
            path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        if response.is_success:
            return response
        error = errors.for_response(
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
            response.reason_phrase,
        )
        if isinstance(error, errors.rate_limited):
            wait = parse_retry_after(response.headers.get("retry-after"))
            error.retry_after = wait  # type: ignore[attr-defined]
        raise error


def _let_go_of_stream(response: httpx.Response) -> None:
    """Replace a read response's (closed) stream by its content. httpx's
    stream refers back to its response: a cycle that leaves the response, its
    request and their headers (~40 objects and the page's bytes a request)
    to the cycle collector, on the GUI thread in the window; without it they
    are freed with the response's last reference."""
    response.stream = httpx.ByteStream(response.content)


def _retry_after(exc: BaseException) -> float | None:
    """The ``Retry-After`` a rate-limited error carries (None: not said)."""
    wait: float | None = getattr(exc, "retry_after", None)
    return wait


class ApiClient:
    """What both API clients share around their transport: the request
    count, ``async with``, and closing."""

    _transport: HttpTransport

    @property
    def requests_sent(self) -> int:
        """HTTP requests sent so far by this client, retries included."""
        return self._transport.requests_sent

    @property
    def bytes_received(self) -> int:
        """Bytes of the answers' bodies received so far (decompressed), for measuring."""
        return self._transport.bytes_received

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called (no request can be sent)."""
        return self._transport.closed

    async def aclose(self) -> None:
        await self._transport.aclose()

"""Start the demo store for a test: a real HTTP server on an ephemeral
loopback port, seeded deterministically (fixed ``now``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from app.ecwid import EcwidClient, RetryPolicy
from app.sandbox import SandboxServer

FIXED_NOW = datetime(2026, 11, 1, tzinfo=UTC)
FAST_RETRY = RetryPolicy(attempts=4, backoff_min=0.01, backoff_max=0.05, max_retry_after=5)


@contextmanager
def running_sandbox(
    db_path: Path | None = None, orders: int = 250, **kwargs
) -> Iterator[SandboxServer]:
    server = SandboxServer(db_path=db_path, orders=orders, now=FIXED_NOW, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def client_for(server: SandboxServer, token: str | None = None, **kwargs) -> EcwidClient:
    """A client for ``server`` (with its token, or ``token``) with fast retries
    (tests don't wait seconds for backoff)."""
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("requests_per_minute", None)
    return EcwidClient(server.store_id, token or server.token, base_url=server.url, **kwargs)

"""Shared bits of the demo store tests: the fixed seed anchor and an HTTP client."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from app.sandbox import SandboxServer

NOW = datetime(2025, 6, 1, tzinfo=UTC)
ORDERS = 300


def make_client(server: SandboxServer, **kwargs) -> httpx.Client:
    """An ``httpx.Client`` for ``server``'s store, authorised with its Bearer token."""
    return httpx.Client(
        base_url=f"{server.url}/{server.store_id}",
        headers={"Authorization": f"Bearer {server.token}"},
        timeout=10,
        **kwargs,
    )

"""Fixtures for the demo store tests: small seeded servers and HTTP clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.sandbox import SandboxServer
from tests.app.sandbox.support import NOW, ORDERS, make_client


@pytest.fixture(scope="module")
def shared_server() -> Iterator[SandboxServer]:
    """A server for read-only tests (never change its data)."""
    with SandboxServer(orders=ORDERS, now=NOW) as server:
        yield server


@pytest.fixture(scope="module")
def reader(shared_server: SandboxServer) -> Iterator[httpx.Client]:
    with make_client(shared_server) as client:
        yield client


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    """A fresh server per test, free to change."""
    with SandboxServer(orders=ORDERS, now=NOW) as server:
        yield server


@pytest.fixture
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    with make_client(server) as client:
        yield client

"""Fixtures of the order cache tests: real SQLite files under tmp_path, filled
with realistic orders from the demo store's seed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.cache import OrderCache
from tests.app.cache.support import all_orders


@pytest.fixture(scope="session")
def orders() -> list[dict[str, Any]]:
    """The test orders (do not change them: copy first)."""
    return all_orders()


@pytest.fixture
def cache(tmp_path) -> Iterator[OrderCache]:
    """An empty cache of its own for each test."""
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        yield cache


@pytest.fixture(scope="module", params=["indexed", "filling"])
def filled(request, tmp_path_factory, orders) -> Iterator[OrderCache]:
    """One cache per test module holding every test order, inserted in list
    order (so the internal ids follow the list) by a full sync (generation
    1): "indexed" once the sync has ended, "filling" while it still runs (no
    secondary or full-text indexes yet, see app.cache.filling). Read-only."""
    path = tmp_path_factory.mktemp("filled") / "orders.sqlite3"
    with OrderCache.open(path) as cache:
        for start in range(0, len(orders), 100):
            cache.upsert_orders(orders[start : start + 100], generation=1)
        assert cache.filling
        if request.param == "indexed":
            assert cache.delete_unseen(1) == []
            assert not cache.filling
        yield cache

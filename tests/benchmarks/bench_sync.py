"""Sync a 100,000-order demo store into an empty cache (full sync), then sync
again with nothing changed (incremental): time, requests, orders/s.

    .venv/bin/python -m tests.benchmarks.bench_sync [--orders N] [--runs R]

The demo store runs in its own process on loopback with no added latency; the
client's request budget is lifted (the design lets the demo store and the
benchmarks raise it).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecwid import EcwidClient
from app.platform.runtime import tune_garbage_collector
from app.services.sync.engine import SyncEngine
from tests.benchmarks.common import STORE_ID, TOKEN, median, sandbox_process


async def full_then_incremental(url: str, cache_path: Path) -> dict[str, float]:
    with OrderCache.open(cache_path) as cache:
        async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
            engine = SyncEngine(cache, client)
            started = time.perf_counter()
            full = await engine.sync()
            full_seconds = time.perf_counter() - started
            count = cache.count(OrderQuery(include_incomplete=True))
            assert len(full.new) == count, (len(full.new), count)
            before = client.requests_sent
            started = time.perf_counter()
            incremental = await engine.sync()
            incremental_seconds = time.perf_counter() - started
            assert not incremental.changed
            requests = client.requests_sent - before
    return {
        "orders": count,
        "full": full_seconds,
        "incremental": incremental_seconds,
        "incremental_requests": requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tune_garbage_collector()  # what `backroom` does at start-up

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with sandbox_process(Path(tmp) / "store.sqlite3", args.orders) as url:
            ready = time.perf_counter() - started
            print(f"demo store of {args.orders:,} orders ready in {ready:.1f} s")
            for run in range(args.runs):
                runs.append(
                    asyncio.run(full_then_incremental(url, Path(tmp) / f"cache{run}.sqlite3"))
                )
                print(
                    f"run {run + 1}: full {runs[-1]['full']:.1f} s, "
                    f"incremental {runs[-1]['incremental'] * 1000:.0f} ms"
                )

    orders = runs[0]["orders"]
    full = median([r["full"] for r in runs])
    incremental = median([r["incremental"] for r in runs])
    print(f"\norders synced        : {orders:,}")
    print(f"full sync            : median {full:.1f} s   ({orders / full:,.0f} orders/s)")
    print(
        f"incremental, no change: median {incremental * 1000:.0f} ms   "
        f"{runs[0]['incremental_requests']} requests"
    )


if __name__ == "__main__":
    main()

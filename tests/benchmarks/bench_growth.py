"""Bounded growth: the per-order costs of a store at several sizes, in one run.

    .venv/bin/python -m tests.benchmarks.bench_growth [--orders 10000,100000,1000000]

For each size: the demo store is seeded in its own process (the time it
takes is printed: a million orders must seed in minutes); the real client
and sync engine run a first full sync into an empty cache over loopback,
with the request budget lifted as in ``bench_sync``, then the cache's upkeep
(:meth:`OrderCache.compact_step` until done) and an incremental sync with
nothing changed; the cache's bytes per order come from SQLite's ``dbstat``
(whole pages, by table and index); and a fresh process opens the cache,
reads the table's first page and its count, and reports its resident
memory. Each figure is printed per order, with its ratio to the smallest
size's: flat growth means ratios near 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecwid import EcwidClient
from app.platform.runtime import tune_garbage_collector
from app.services.sync.engine import SyncEngine
from tests.benchmarks.bench_cache import bytes_per_order, rss_mb
from tests.benchmarks.common import ROOT, STORE_ID, TOKEN, sandbox_process

SHOWN = 12  # tables and indexes listed by name; the rest are summed


async def sync_once(url: str, path: Path) -> dict[str, Any]:
    with OrderCache.open(path) as cache:
        async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
            engine = SyncEngine(cache, client)
            started = time.perf_counter()
            full = await engine.sync()
            full_s = time.perf_counter() - started
            requests = client.requests_sent
            started = time.perf_counter()
            steps = 0
            while await asyncio.to_thread(cache.compact_step):
                steps += 1
            upkeep_s = time.perf_counter() - started
            before = client.requests_sent
            started = time.perf_counter()
            again = await engine.sync()
            incremental_s = time.perf_counter() - started
            assert not again.changed
            orders = cache.count(OrderQuery(include_incomplete=True))
            assert len(full.new) == orders, (len(full.new), orders)
        return {
            "orders": orders,
            "full_s": full_s,
            "full_requests": requests,
            "upkeep_s": upkeep_s,
            "upkeep_steps": steps,
            "incremental_s": incremental_s,
            "incremental_requests": client.requests_sent - before,
        }


def first_page_rss(path: Path) -> dict[str, float]:
    """In a fresh process: open the cache, read the first page and its count."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_growth", "--open", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def _open_and_read(path: Path) -> dict[str, float]:
    before = rss_mb()[0]
    started = time.perf_counter()
    with OrderCache.open(path) as cache:
        rows = cache.rows(OrderQuery(), limit=200)
        count = cache.count(OrderQuery())
        seconds = time.perf_counter() - started
        assert len(rows) == 200 and count
        rss, peak = rss_mb()
    return {"rss_mb": rss, "peak_mb": peak, "imports_mb": before, "first_page_s": seconds}


def measure(size: int, tmp: Path) -> dict[str, Any]:
    store = tmp / f"store-{size}.sqlite3"
    cache = tmp / f"cache-{size}.sqlite3"
    print(f"{size:,} orders: seeding the demo store ...", flush=True)
    started = time.perf_counter()
    with sandbox_process(store, size, startup_timeout=3600) as url:
        seeded_s = time.perf_counter() - started
        print(f"  seeded in {seeded_s:.0f} s; syncing ...", flush=True)
        out = asyncio.run(sync_once(url, cache))
    store.unlink()
    out["seed_s"] = seeded_s
    out["bytes"] = bytes_per_order(cache)
    out["memory"] = first_page_rss(cache)
    cache.unlink()
    print(
        f"  full sync {out['full_s']:.0f} s, upkeep {out['upkeep_s']:.1f} s, "
        f"{out['bytes']['file']:.0f} B an order, RSS {out['memory']['rss_mb']:.0f} MB",
        flush=True,
    )
    return out


def report(runs: list[dict[str, Any]]) -> None:
    sizes = [run["orders"] for run in runs]

    def line(name: str, values: list[float], unit: str, digits: int = 1) -> None:
        cells = "".join(f"{value:>14,.{digits}f}" for value in values)
        ratios = " ".join(f"{v / values[0]:5.2f}x" if values[0] else "   - " for v in values)
        print(f"  {name:<44}{cells}  {unit:<6} {ratios}")

    head = "".join(f"{n:>14,}" for n in sizes)
    print(f"\n== per order, at each size{' ' * 20}{head}  unit   ratio to {sizes[0]:,}")
    line(
        "full sync (loopback, budget lifted)",
        [run["full_s"] / run["orders"] * 1e6 for run in runs],
        "µs",
        0,
    )
    line("  then the cache's upkeep", [r["upkeep_s"] / r["orders"] * 1e6 for r in runs], "µs", 0)
    line(
        "seeding the demo store",
        [run["seed_s"] / run["orders"] * 1e6 for run in runs],
        "µs",
        0,
    )
    line("cache on disk", [run["bytes"]["file"] for run in runs], "B", 0)
    line("RSS, cache open, first page read", [r["memory"]["rss_mb"] for r in runs], "MB", 0)
    line(
        "  the same, less the interpreter and imports",
        [r["memory"]["rss_mb"] - r["memory"]["imports_mb"] for r in runs],
        "MB",
        0,
    )
    line(
        "  per order",
        [(r["memory"]["rss_mb"] - r["memory"]["imports_mb"]) * 1e6 / r["orders"] for r in runs],
        "B",
        0,
    )

    print("\n== totals")
    for run in runs:
        print(
            f"  {run['orders']:>9,}: seeded in {run['seed_s']:.0f} s; full sync "
            f"{run['full_s']:.1f} s ({run['full_requests']:,} requests, "
            f"{run['orders'] / run['full_s']:,.0f} orders/s); "
            f"upkeep {run['upkeep_s']:.1f} s ({run['upkeep_steps']} steps); incremental with "
            f"nothing changed {run['incremental_s'] * 1000:.0f} ms, "
            f"{run['incremental_requests']} requests; first page "
            f"{run['memory']['first_page_s'] * 1000:.0f} ms from opening"
        )

    print(f"\n== cache bytes per order by table and index (dbstat){' ' * 2}{head}")
    largest = runs[-1]["bytes"]
    names = [name for name in sorted(largest, key=lambda k: -largest[k]) if name != "file"]
    for name in names[:SHOWN]:
        cells = "".join(f"{run['bytes'].get(name, 0):>14,.0f}" for run in runs)
        print(f"  {name:<44}{cells}")
    listed = {*names[:SHOWN], "file"}
    rest = "".join(
        f"{sum(v for k, v in run['bytes'].items() if k not in listed):>14,.0f}" for run in runs
    )
    print(f"  {'(everything else)':<44}{rest}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="10000,100000,1000000")
    parser.add_argument("--open", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    tune_garbage_collector()  # what `backroom` does at start-up
    if args.open is not None:
        print(json.dumps(_open_and_read(args.open)))
        return
    sizes = sorted(int(size.replace("_", "")) for size in args.orders.split(","))
    started = time.perf_counter()
    print(f"bench_growth {time.strftime('%Y-%m-%d %H:%M')}, sizes {sizes}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [measure(size, Path(tmp)) for size in sizes]
    report(runs)
    print(f"\n(benchmark wall time {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

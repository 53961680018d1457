"""Fetch every order of a 10,000-order demo store with 150 ms of added latency
per request: ``iter_orders`` (pages in flight) against a plain sequential loop
over the same pages, in the same run; and the parse cost per order.

    .venv/bin/python -m tests.benchmarks.bench_fetch [--orders N] [--latency-ms MS] [--runs R]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from app.ecwid import EcwidClient, SearchResult
from app.platform.runtime import tune_garbage_collector
from tests.benchmarks.common import STORE_ID, TOKEN, median, sandbox_process


async def fetch_concurrently(url: str) -> int:
    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        return sum([1 async for _ in client.iter_orders()])


async def fetch_sequentially(url: str) -> int:
    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        count, offset = 0, 0
        while True:
            page = await client.search_orders(offset=offset, limit=100)
            count += len(page.items)
            offset += 100
            if offset >= page.total:
                return count


def parse_cost_per_order(url: str, pages: int = 10) -> float:
    """Seconds to validate one order from raw JSON (median over pages)."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=f"{url}/{STORE_ID}", headers=headers, timeout=60) as http:
        bodies = [
            http.get("/orders", params={"offset": i * 100, "limit": 100}).content
            for i in range(pages)
        ]
    costs = []
    for body in bodies:
        started = time.perf_counter()
        page = SearchResult.model_validate_json(body)
        costs.append((time.perf_counter() - started) / len(page.items))
    return median(costs)


def timed(coro_factory) -> tuple[float, int]:
    started = time.perf_counter()
    count = asyncio.run(coro_factory())
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--default-gc",
        action="store_true",
        help="keep CPython's default GC thresholds instead of the app's start-up tuning",
    )
    args = parser.parse_args()
    if not args.default_gc:
        tune_garbage_collector()  # what `backroom` does at start-up

    with tempfile.TemporaryDirectory() as tmp:
        with sandbox_process(Path(tmp) / "bench.sqlite3", args.orders, args.latency_ms) as url:
            seq, con = [], []
            for _ in range(args.runs):
                seconds, n_seq = timed(lambda: fetch_sequentially(url))
                seq.append(seconds)
                seconds, n_con = timed(lambda: fetch_concurrently(url))
                con.append(seconds)
                assert n_seq == n_con, (n_seq, n_con)
            parse = parse_cost_per_order(url)

    n = n_con
    gc_mode = "CPython default" if args.default_gc else "app start-up tuning"
    print(
        f"orders fetched: {n:,}   added latency: {args.latency_ms:.0f} ms/request"
        f"   runs: {args.runs}   GC: {gc_mode}"
    )
    print(f"sequential loop : median {median(seq):6.2f} s   {n / median(seq):8,.0f} orders/s")
    print(f"iter_orders     : median {median(con):6.2f} s   {n / median(con):8,.0f} orders/s")
    print(f"speed-up        : {median(seq) / median(con):.1f}x")
    print(
        f"parse cost      : {parse * 1e6:.0f} µs/order "
        f"({parse * n:.2f} s of the concurrent run's {median(con):.2f} s)"
    )


if __name__ == "__main__":
    main()

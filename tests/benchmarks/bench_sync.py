"""Syncing stores of 100,000 and 1,000,000 orders, side by side in one run:
the full sync into an empty cache, the incremental sync with nothing
changed, and a change set synced both ways (the changed orders' stamps first,
as the app does; every listed order whole, as before).

    .venv/bin/python -m tests.benchmarks.bench_sync [--orders 100000,1000000] [--runs 3,1]
        [--changed 500] [--rounds 3] [--quiet-runs 5]

For each size the demo store runs in its own process on loopback, without
added latency, and the client's request budget is lifted (the design lets
the demo store and the benchmarks raise it):

1. **Full sync** into an empty cache, ``runs`` times: time, orders/s,
   requests, bytes, and the ratio to the floor Ecwid's real budget sets
   (every request at 600 a minute, i.e. 10 a second: 10,000 pages take
   1,000 s).
2. **Incremental sync, nothing changed**, ``quiet-runs`` times: time and
   requests.
3. **A change set** of ``changed`` orders (edited through the API, as
   another desk would), synced into two copies of one cache: stamps first
   (:mod:`app.services.sync.changes`) and every listed order whole (the
   incremental sync before stamps: ``SyncEngine(stamps_first=False)``, kept
   for this comparison only). Two shapes, ``rounds`` times each:

   a. *only the changed orders are listed* (the overlap for clock skew set
      to nothing: on loopback both clocks are this machine's);
   b. *the listing also holds the previous sync's changes*, as the app's
      5-minute overlap makes it in steady use: each round edits new orders,
      waits a minute (so that the previous sync's stamps are trusted, see
      ``SETTLE_MARGIN``) and syncs with an overlap reaching back exactly to
      the previous round's edits.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.ecwid import EcwidClient
from app.platform.runtime import tune_garbage_collector
from app.services.sync.changes import SETTLE_MARGIN
from app.services.sync.engine import ALL_PAYMENT_STATUSES, SyncEngine
from tests.benchmarks.common import STORE_ID, TOKEN, median, sandbox_process

ECWID_REQUESTS_PER_SECOND = 600 / 60


@dataclass
class Measured:
    seconds: float
    requests: int
    bytes: int
    fetched: int = 0  # orders stored new or changed


async def timed_sync(url: str, cache: OrderCache, **engine_options) -> Measured:
    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        engine = SyncEngine(cache, client, **engine_options)
        started = time.perf_counter()
        result = await engine.sync()
        seconds = time.perf_counter() - started
        return Measured(
            seconds, client.requests_sent, client.bytes_received, len(result.new + result.updated)
        )


async def edit_orders(
    url: str, count: int, rng: random.Random, taken: set[str]
) -> tuple[float, list[str]]:
    """Edit ``count`` orders never edited before (with ids: today's orders)
    through the API; return when the edits began (this machine's clock) and
    the orders' ids."""
    began = time.time()
    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        total = (await client.search_orders(limit=1)).total
        keys: list[str] = []
        while len(keys) < count:
            page = await client.search_orders_raw(offset=rng.randrange(max(1, total - 100)))
            fresh = [o["id"] for o in page.items if o.get("id") and o["id"] not in taken]
            keys += fresh[: count - len(keys)]
            taken.update(fresh)
        gate = asyncio.Semaphore(8)

        async def edit(key: str) -> None:
            async with gate:
                await client.update_order(key, {"privateAdminNotes": f"edited at {began:.0f}"})

        await asyncio.gather(*(edit(key) for key in keys))
    return began, keys


async def read_whole(url: str, keys: list[str]) -> None:
    """Read ``keys`` whole, untimed: both ways then find the demo store's and
    the caches' pages of these orders in memory, whoever syncs first."""
    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        for start in range(0, len(keys), 100):
            await client.search_orders_raw(
                ALL_PAYMENT_STATUSES.model_copy(update={"ids": keys[start : start + 100]})
            )


def copy_cache(source: Path, target: Path) -> None:
    """A second cache in the same state (``source`` closed: no WAL left)."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


def measure_size(orders: int, runs: int, args: argparse.Namespace, tmp: Path) -> dict:
    figures: dict = {"orders": orders}
    started = time.perf_counter()
    with sandbox_process(tmp / f"store{orders}.sqlite3", orders) as url:
        figures["seeded"] = time.perf_counter() - started
        print(f"\n{orders:,} orders: demo store ready in {figures['seeded']:.1f} s", flush=True)
        fulls = []
        stamps_cache, whole_cache = tmp / f"a{orders}.sqlite3", tmp / f"b{orders}.sqlite3"
        for run in range(runs):
            path = tmp / f"full{orders}-{run}.sqlite3"
            with OrderCache.open(path) as cache:
                fulls.append(asyncio.run(timed_sync(url, cache)))
                figures["synced"] = cache.count(OrderQuery(include_incomplete=True))
            print(f"  full sync {run + 1}: {fulls[-1].seconds:.1f} s", flush=True)
            if run == 0:
                path.rename(stamps_cache)
            else:
                path.unlink()
        figures["full"] = fulls
        copy_cache(stamps_cache, whole_cache)
        with OrderCache.open(stamps_cache) as a:
            quiet = [asyncio.run(timed_sync(url, a)) for _ in range(args.quiet_runs)]
        figures["quiet"] = quiet
        print(f"  nothing changed: {median([q.seconds for q in quiet]) * 1000:.0f} ms", flush=True)
        figures["a"], figures["b"] = change_sets(url, stamps_cache, whole_cache, args)
    return figures


def change_sets(url: str, stamps_path: Path, whole_path: Path, args: argparse.Namespace):
    rng = random.Random(7)
    taken: set[str] = set()
    shapes: dict[str, list[tuple[Measured, Measured]]] = {"a": [], "b": []}
    with OrderCache.open(stamps_path) as a, OrderCache.open(whole_path) as b:
        ways = {"stamps": (a, {}), "whole": (b, {"stamps_first": False})}

        def both(
            round_: int, keys: list[str], overlaps: dict[str, float]
        ) -> tuple[Measured, Measured]:
            asyncio.run(read_whole(url, keys))
            for cache, _options in ways.values():
                cache.update_timestamps(keys)
            measured = {}
            # who goes first alternates from round to round
            for name in ("stamps", "whole") if round_ % 2 else ("whole", "stamps"):
                cache, options = ways[name]
                overlap = timedelta(seconds=overlaps[name])
                last[name] = time.time()
                measured[name] = asyncio.run(timed_sync(url, cache, overlap=overlap, **options))
            return measured["stamps"], measured["whole"]

        last = {"stamps": 0.0, "whole": 0.0}  # when each cache's last sync began
        # a: only the changed orders are listed
        for round_ in range(args.rounds):
            _began, keys = asyncio.run(edit_orders(url, args.changed, rng, taken))
            time.sleep(1.1)  # the next syncs begin a second after the last edit
            pair = both(round_, keys, {"stamps": 0.0, "whole": 0.0})
            shapes["a"].append(pair)
            print(f"  {args.changed} changed: {_pair(pair)}", flush=True)
        # b: the listing also holds the previous round's changes (after a warm-up round)
        previous: tuple[float, list[str]] | None = None  # the previous round's edits
        for round_ in range(args.rounds + 1):
            time.sleep(5)  # the edits before this round's stay out of its reach
            began, keys = asyncio.run(edit_orders(url, args.changed, rng, taken))
            time.sleep(SETTLE_MARGIN + 3)  # the previous sync's stamps are trusted by now
            # since = each cache's previous sync's start - overlap = just before `previous`
            overlaps = {
                name: 0.0 if previous is None else last[name] - previous[0] + 2 for name in last
            }
            pair = both(round_, keys + (previous[1] if previous else []), overlaps)
            previous = (began, keys)
            if round_:
                shapes["b"].append(pair)
                print(f"  {args.changed} changed + previous: {_pair(pair)}", flush=True)
    return shapes["a"], shapes["b"]


def _pair(pair: tuple[Measured, Measured]) -> str:
    stamps, whole = pair
    return (
        f"stamps {stamps.seconds * 1000:.0f} ms {stamps.requests} req {stamps.bytes / 1e6:.2f} MB"
        f" ({stamps.fetched} stored) | whole {whole.seconds * 1000:.0f} ms {whole.requests} req"
        f" {whole.bytes / 1e6:.2f} MB ({whole.fetched} stored)"
    )


def report(sizes: list[dict], args: argparse.Namespace) -> None:
    heads = [f"{s['orders']:,} orders" for s in sizes]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, values: list[str]) -> None:
        rows.append((label, values))

    row("orders synced", [f"{s['synced']:,}" for s in sizes])
    row("full runs", [", ".join(f"{m.seconds:.1f}" for m in s["full"]) + " s" for s in sizes])
    full = [median([m.seconds for m in s["full"]]) for s in sizes]
    row(
        "full sync, median",
        [f"{f:.1f} s ({s['synced'] / f:,.0f}/s)" for f, s in zip(full, sizes, strict=True)],
    )
    per_order = [f / s["synced"] * 1e6 for f, s in zip(full, sizes, strict=True)]
    row("full sync per order", [f"{p:.0f} µs" for p in per_order])
    requests = [s["full"][0].requests for s in sizes]
    floor = [r / ECWID_REQUESTS_PER_SECOND for r in requests]
    row("full sync requests", [f"{r:,}" for r in requests])
    row("floor at 600/min", [f"{f:,.0f} s" for f in floor])
    row("full / floor", [f"{f / fl:.3f}" for f, fl in zip(full, floor, strict=True)])
    row("full sync received", [f"{s['full'][0].bytes / 1e6:,.0f} MB" for s in sizes])
    quiet = [median([q.seconds for q in s["quiet"]]) for s in sizes]
    row(
        "nothing changed, median",
        [
            f"{q * 1000:.0f} ms, {s['quiet'][-1].requests} requests"
            for q, s in zip(quiet, sizes, strict=True)
        ],
    )
    for shape, label in (("a", "changed"), ("b", "changed + previous sync's")):
        for index, way in ((0, "stamps first"), (1, "whole (before)")):
            values = []
            for s in sizes:
                pairs = s[shape]
                values.append(
                    f"{median([p[index].seconds for p in pairs]) * 1000:.0f} ms, "
                    f"{median([p[index].requests for p in pairs]):.0f} req, "
                    f"{median([p[index].bytes for p in pairs]) / 1e6:.2f} MB"
                )
            row(f"{args.changed} {label}: {way}", values)
        ratios = []
        for s in sizes:
            pairs = s[shape]
            b_ratio = median([p[0].bytes / p[1].bytes for p in pairs])
            t_ratio = median([p[0].seconds / p[1].seconds for p in pairs])
            ratios.append(f"bytes ×{b_ratio:.2f}, time ×{t_ratio:.2f}")
        row(f"{args.changed} {label}: stamps/whole", ratios)
    width = max(len(label) for label, _ in rows)
    cols = [max(len(h), *(len(v[i]) for _, v in rows)) for i, h in enumerate(heads)]
    print(
        "\n"
        + " " * width
        + " | "
        + " | ".join(h.ljust(c) for h, c in zip(heads, cols, strict=True))
    )
    for label, values in rows:
        print(
            label.ljust(width)
            + " | "
            + " | ".join(v.ljust(c) for v, c in zip(values, cols, strict=True))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="100000", help="store sizes, e.g. 100000,1000000")
    parser.add_argument("--runs", default="3", help="full syncs per size, e.g. 3,1")
    parser.add_argument("--changed", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quiet-runs", type=int, default=5)
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the stores and caches")
    args = parser.parse_args()
    tune_garbage_collector()  # what `backroom` does at start-up
    orders = [int(n) for n in args.orders.split(",")]
    runs = [int(n) for n in args.runs.split(",")]
    runs += [runs[-1]] * (len(orders) - len(runs))
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        sizes = []
        for size, count in zip(orders, runs, strict=True):
            folder = Path(tmp) / str(size)
            folder.mkdir()
            sizes.append(measure_size(size, count, args, folder))
            shutil.rmtree(folder)  # a million orders' caches and store: gigabytes
    report(sizes, args)


if __name__ == "__main__":
    main()

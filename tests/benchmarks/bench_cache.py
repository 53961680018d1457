"""The local order cache with 100,000 orders: writing (a first full sync in
pages of 100, then incremental pages), the upgrade of a cache written by the
previous schema, reading (the table's first page, each kind of filter with
its count, every sort key), memory, and naive alternatives measured in the
same run.

    .venv/bin/python -m tests.benchmarks.bench_cache [--orders N] [--runs R]

Orders come from the demo store's seed (parsed from JSON beforehand: parsing
is the client's cost, not the cache's). Query timings are count + first 200
rows with the cache's remembered counts cleared before every run, as when
the user changes a filter; the query phase runs in a fresh process so its
memory is what an app with the cache open uses.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.cache import OrderCache, codec, schema
from app.cache.columns import OrderColumns, index_entry
from app.domain.queries import OrderQuery, SortKey
from app.platform.runtime import tune_garbage_collector
from app.sandbox.seed import OrderSeeder
from tests.helpers.sandbox import FIXED_NOW

STORE_ID = 4870020
BATCH = 100
TARGETS_MS = {"first page": 20.0, "filter": 50.0, "sort": 100.0}
RSS_TARGET_MB = 150.0


# -- helpers ------------------------------------------------------------------


def parsed_orders(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    for order in OrderSeeder(count, seed, FIXED_NOW, STORE_ID):
        yield json.loads(order.body)


def batches(orders: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for order in orders:
        batch.append(order)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed_runs(work: Callable[[], Any], runs: int) -> list[float]:
    work()  # warm-up (page cache, statement cache)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, MB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount, _unit = line.split()
                values[name] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


# -- writing ------------------------------------------------------------------


def build(path: Path, count: int) -> dict[str, Any]:
    """Fill an empty cache as a first full sync does; then incremental writes."""
    out: dict[str, Any] = {}
    with OrderCache.open(path) as cache:
        upsert_seconds = 0.0
        batch_ms: list[float] = []
        for batch in batches(parsed_orders(count)):
            started = time.perf_counter()
            cache.upsert_orders(batch, generation=1)
            elapsed = time.perf_counter() - started
            upsert_seconds += elapsed
            batch_ms.append(elapsed * 1000)
        started = time.perf_counter()
        cache.delete_unseen(1)  # the end of the full sync: indexes built here
        finish = time.perf_counter() - started
        out["fill"] = {
            "orders": count,
            "upsert_s": upsert_seconds,
            "finish_s": finish,
            "batch_median_ms": statistics.median(batch_ms),
            "batch_p95_ms": p95(batch_ms),
        }

        # incremental pages into the indexed 100k cache: new, changed, unchanged
        sample = list(parsed_orders(10_000, seed=2))
        fresh = []
        for index, order in enumerate(sample):
            order = copy.deepcopy(order)
            order["id"] = f"BENCH-{index:06d}"
            order["orderNumber"] = order["vendorOrderNumber"] = 5_000_000 + index
            fresh.append(order)
        out["incremental_new"] = _timed_upserts(cache, fresh)
        changed = []
        for order in fresh:
            order = copy.deepcopy(order)
            order["fulfillmentStatus"] = "SHIPPED"
            order["trackingNumber"] = f"1Z{order['orderNumber']}"
            order["updateTimestamp"] = (order.get("updateTimestamp") or 0) + 3600
            changed.append(order)
        out["incremental_changed"] = _timed_upserts(cache, changed)
        out["incremental_unchanged"] = _timed_upserts(cache, changed)
        cache.delete_orders(order["id"] for order in fresh)
    out["file_mb"] = path.stat().st_size / 1e6
    out["upgrade_s"] = time_upgrade(path)
    return out


V3_INDEXES = tuple(sql.split()[2] for sql in schema.V3_INDEXES)


def time_upgrade(path: Path) -> float:
    """Seconds to open a copy of the cache as the previous schema (2) wrote it:
    the migration fills the version-3 columns from every stored body."""
    older = path.with_name("schema-2.sqlite3")
    shutil.copyfile(path, older)
    first_new = OrderColumns._fields.index("internal_id")
    with sqlite3.connect(older) as conn:
        for index in V3_INDEXES:
            conn.execute(f"DROP INDEX {index}")
        for column in OrderColumns._fields[first_new:]:
            conn.execute(f"ALTER TABLE orders DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 2")
    started = time.perf_counter()
    OrderCache.open(older).close()
    seconds = time.perf_counter() - started
    older.unlink()
    return seconds


def _timed_upserts(cache: OrderCache, orders: list[dict[str, Any]]) -> dict[str, float]:
    started = time.perf_counter()
    touched = 0
    for start in range(0, len(orders), BATCH):
        result = cache.upsert_orders(orders[start : start + BATCH])
        touched += len(result.new) + len(result.updated)
    seconds = time.perf_counter() - started
    return {"orders": len(orders), "seconds": seconds, "touched": touched}


def cost_breakdown(count: int = 3000) -> dict[str, float]:
    """µs per order for each step of an upsert outside SQLite."""
    orders = list(parsed_orders(count, seed=3))
    raws = [codec.encode(order) for order in orders]

    def per_order(work: Callable[[], Any]) -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) / count * 1e6

    level_1 = [zlib.compress(raw, 1) for raw in raws]
    return {
        "json encode": per_order(lambda: [codec.encode(order) for order in orders]),
        "digest": per_order(lambda: [codec.digest(raw) for raw in raws]),
        f"zlib level {codec.COMPRESSION_LEVEL}": per_order(
            lambda: [codec.compress(r) for r in raws]
        ),
        "zlib level 1 (not used)": per_order(lambda: [zlib.compress(r, 1) for r in raws]),
        "columns + search text": per_order(lambda: [index_entry(order) for order in orders]),
        "raw bytes": sum(map(len, raws)) / count,
        f"stored bytes (level {codec.COMPRESSION_LEVEL})": sum(len(codec.compress(r)) for r in raws)
        / count,
        "stored bytes (level 1)": sum(map(len, level_1)) / count,
    }


# -- reading (in a fresh process) ---------------------------------------------


def query_suite() -> dict[str, OrderQuery]:
    now = FIXED_NOW
    return {
        "default view, by date": OrderQuery(),
        "status: PAID": OrderQuery(payment_status=["PAID"]),
        "status: CANCELLED,REFUNDED": OrderQuery(payment_status=["CANCELLED", "REFUNDED"]),
        "fulfillment: SHIPPED": OrderQuery(fulfillment_status=["SHIPPED"]),
        "date: last 30 days": OrderQuery(created_from=now - timedelta(days=30)),
        "date: one year": OrderQuery(
            created_from=now - timedelta(days=730), created_to=now - timedelta(days=365)
        ),
        "total: 50-100": OrderQuery(total_from=50, total_to=100),
        "total: >= 100": OrderQuery(total_from=100),
        "paid + shipped + 90 days + >= 20": OrderQuery(
            payment_status=["PAID"],
            fulfillment_status=["SHIPPED", "DELIVERED"],
            created_from=now - timedelta(days=90),
            total_from=20,
        ),
        "email (exact)": OrderQuery(email="{email}"),
        "payment method": OrderQuery(payment_method="PayPal"),
        "keywords: 2 words": OrderQuery(keywords="linen towel"),
        "customer: surname": OrderQuery(customer="okafor"),
    }


def text_suite(cache: OrderCache) -> dict[str, OrderQuery]:
    """Instant-search terms taken from a real order of the cache."""
    (row,) = cache.rows(OrderQuery(text="1z"), limit=1)  # a UPS order: it has tracking
    order = cache.order_json(row.key) or {}
    email = order.get("email", "someone@example.com")
    sku = (order.get("items") or [{}])[0].get("sku", "WL-MG")
    tracking = order.get("trackingNumber", "1Z0000")
    surname = (order.get("billingPerson") or {}).get("lastName", "Okafor")
    return {
        f"text: surname '{surname.lower()}'": OrderQuery(text=surname.lower()),
        f"text: email part '{email[3:9]}'": OrderQuery(text=email[3:9]),
        f"text: SKU part '{sku[:5]}'": OrderQuery(text=sku[:5]),
        f"text: tracking part '{tracking[4:10]}'": OrderQuery(text=tracking[4:10]),
        f"text: order number '{row.number}'": OrderQuery(text=row.number),
        "text: 'linen' (in 55% of orders)": OrderQuery(text="linen"),
        "text: 2 words 'ada mug'": OrderQuery(text="ada mug"),
        "text: 2 characters 'ab'": OrderQuery(text="ab"),
        "text: 1 character 'z'": OrderQuery(text="z"),
    }


def current_suite(cache: OrderCache) -> dict[str, OrderQuery]:
    """The filters of Ecwid's current documentation, with ids of real orders of the cache."""
    now = FIXED_NOW
    subscriber = cache.rows(OrderQuery(product_id=[71011], text="wl-bw"), limit=50)
    customer_id, subscription_id, total = 50_000_028, 260_004, Decimal("29.44")
    for row in subscriber:
        order = cache.order_json(row.key) or {}
        found = [i.get("subscriptionId") for i in order.get("items") or [] if isinstance(i, dict)]
        if order.get("customerId") and any(found):
            customer_id = order["customerId"]
            subscription_id = next(value for value in found if value)
            total = row.total or total
            break
    return {
        f"customer id {customer_id}": OrderQuery(customer_id=customer_id),
        "payment module": OrderQuery(payment_module="Stripe"),
        "pickup: last 90 days": OrderQuery(pickup_time_from=now - timedelta(days=90)),
        f"total exactly {total} (cents)": OrderQuery(total_from=total, total_to=total),
        "product id (scan of the items' ids index)": OrderQuery(product_id=[71011]),
        "product ids, 2 of them (same)": OrderQuery(product_id=[71020, 71005]),
        f"subscription id {subscription_id} (same)": OrderQuery(subscription_id=subscription_id),
        "referrer id": OrderQuery(referer_id="1207"),
        "accepts marketing (index skip-scan)": OrderQuery(accept_marketing=True),
        "pre-order items": OrderQuery(contains_preorder_items=True),
        "paid + pre-order items + 90 days": OrderQuery(
            payment_status=["PAID"],
            contains_preorder_items=True,
            created_from=now - timedelta(days=90),
        ),
    }


def run_queries(path: Path, runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {"rss_before_mb": rss_mb()[0]}
    started = time.perf_counter()
    cache = OrderCache.open(path)
    first = cache.rows(OrderQuery())
    cache.count(OrderQuery())
    out["open_first_page_ms"] = (time.perf_counter() - started) * 1000
    assert len(first) == 200

    def cold(query: OrderQuery) -> Callable[[], Any]:
        def work() -> None:
            cache._counts.clear()  # as after a filter change: nothing remembered
            cache.count(query)
            cache.rows(query, limit=200)

        return work

    rows_only = timed_runs(lambda: cache.rows(OrderQuery(), limit=200), runs)
    out["first_page_rows_only"] = rows_only
    sample = cache.order_json(first[0].key) or {}
    results: dict[str, Any] = {}
    suites = {**query_suite(), **text_suite(cache), **current_suite(cache)}
    for name, query in suites.items():
        if query.email == "{email}":
            query = query.model_copy(update={"email": sample.get("email")})
        results[name] = {"times": timed_runs(cold(query), runs), "count": cache.count(query)}
    out["filters"] = results

    sorts: dict[str, Any] = {}
    for key in SortKey:
        for descending in (False, True):
            query = OrderQuery(sort=key, descending=descending)
            sorts[f"{key.value} {'desc' if descending else 'asc'}"] = timed_runs(
                cold(query), max(5, runs // 2)
            )
    out["sorts"] = sorts
    deep = OrderQuery(sort=SortKey.CUSTOMER)
    deep_offset = int(cache.count(deep) * 0.9)
    out["deep_page"] = timed_runs(lambda: cache.rows(deep, offset=deep_offset, limit=200), runs)
    out["rss_mb"], out["rss_peak_mb"] = rss_mb()
    out["naive"] = naive_alternatives(cache, path, runs)
    cache.close()
    return out


def naive_alternatives(cache: OrderCache, path: Path, runs: int) -> dict[str, Any]:
    """What simpler designs would cost on the same data."""
    out: dict[str, Any] = {}
    few = max(3, runs // 4)
    with cache._raw_connection() as conn:
        for term in ("okafor", "ab"):
            out[f"LIKE '%{term}%' over the search text (no FTS)"] = timed_runs(
                lambda term=term: conn.execute(
                    "SELECT count(*) FROM order_text WHERE alltext LIKE ?", (f"%{term}%",)
                ).fetchone(),
                few,
            )
        out["FTS5 trigram MATCH 'okafor' (count)"] = timed_runs(
            lambda: conn.execute(
                "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH ?", ('"okafor"',)
            ).fetchone(),
            runs,
        )
        all_columns = (
            "SELECT key, number, created_ts, updated_ts, customer, email, item_count, total_text, "
            "payment_status, fulfillment_status, tracking_number, payment_method, "
            "shipping_method, coupon_code FROM orders"
        )
        out["sort by customer without an index (NOT INDEXED)"] = timed_runs(
            lambda: conn.execute(
                f"{all_columns} NOT INDEXED WHERE payment_status <> 'INCOMPLETE' "
                "ORDER BY customer_fold, rid LIMIT 200"
            ).fetchall(),
            few,
        )
        since = int((FIXED_NOW - timedelta(days=90)).timestamp())
        out["count paid+shipped+90 days+>=20, SQLite's index choice"] = timed_runs(
            lambda: conn.execute(
                "SELECT count(*) FROM orders WHERE payment_status IN ('PAID') "
                "AND fulfillment_status IN ('SHIPPED', 'DELIVERED') AND created_ts >= ? "
                "AND total >= 20",
                (since,),
            ).fetchone(),
            few,
        )
        out["fulfillment SHIPPED by date, SQLite's plan, full rows"] = timed_runs(
            lambda: conn.execute(
                f"{all_columns} WHERE fulfillment_status IN ('SHIPPED') "
                "AND payment_status <> 'INCOMPLETE' ORDER BY created_ts DESC, rid DESC LIMIT 200"
            ).fetchall(),
            few,
        )
        out["count total >= 100 in one query (no split)"] = timed_runs(
            lambda: conn.execute(
                "SELECT count(*) FROM orders WHERE total >= 100 AND payment_status <> 'INCOMPLETE'"
            ).fetchone(),
            few,
        )

    def product_in_json() -> int:
        """productId 71020 found by reading every stored order (a "JSON scan")."""
        found = 0
        with cache._raw_connection() as conn:
            rows = conn.execute("SELECT body FROM order_bodies")
            while chunk := rows.fetchmany(2000):
                for (body,) in chunk:
                    items = json.loads(zlib.decompress(body)).get("items") or []
                    found += any(isinstance(i, dict) and i.get("productId") == 71020 for i in items)
        return found

    out["productId by reading every order's JSON (decompress + parse)"] = timed_runs(
        product_in_json, 3
    )

    # the whole order JSON as text, searched with LIKE (a copy in a scratch file)
    scratch = path.with_name("naive-json.sqlite3")
    with sqlite3.connect(scratch) as naive, cache._raw_connection() as conn:
        naive.execute("CREATE TABLE orders (rid INTEGER PRIMARY KEY, json TEXT)")
        rows = conn.execute("SELECT rid, body FROM order_bodies")
        while chunk := rows.fetchmany(2000):
            naive.executemany(
                "INSERT INTO orders VALUES (?, ?)",
                [(rid, zlib.decompress(body).decode()) for rid, body in chunk],
            )
        naive.commit()
        out["LIKE '%okafor%' over the order JSON"] = timed_runs(
            lambda: naive.execute(
                "SELECT count(*) FROM orders WHERE json LIKE '%okafor%'"
            ).fetchone(),
            3,
        )
    scratch.unlink()
    return out


# -- report -------------------------------------------------------------------


def _line(name: str, times: list[float], target: float | None = None, extra: str = "") -> str:
    med, high = statistics.median(times), p95(times)
    verdict = ""
    if target is not None:
        verdict = "ok" if high <= target else f"OVER {target:.0f}"
    return f"  {name:<52} {med:8.1f} {high:8.1f}  {verdict:<8} {extra}".rstrip()


def report(build_out: dict[str, Any], query_out: dict[str, Any], costs: dict[str, float]) -> None:
    fill = build_out["fill"]
    n = fill["orders"]
    total_s = fill["upsert_s"] + fill["finish_s"]
    print(f"\n== writing {n:,} orders in pages of {BATCH} (file {build_out['file_mb']:.0f} MB)")
    print(
        f"  first full sync (fill): {fill['upsert_s']:.1f} s upserts + {fill['finish_s']:.1f} s "
        f"building indexes = {total_s:.1f} s -> {n / total_s:,.0f} orders/s "
        f"(page median {fill['batch_median_ms']:.1f} ms, p95 {fill['batch_p95_ms']:.1f} ms)"
    )
    for name in ("incremental_new", "incremental_changed", "incremental_unchanged"):
        item = build_out[name]
        label = name.replace("incremental_", "").replace("_", " ")
        print(
            f"  incremental pages into the indexed cache, {label:<9}: "
            f"{item['orders'] / item['seconds']:8,.0f} orders/s ({item['touched']:,} written)"
        )
    print(
        f"  upgrade of this cache from schema 2 (version-3 columns from every body): "
        f"{build_out['upgrade_s']:.1f} s"
    )
    print("  cost per order outside SQLite (µs; bytes):")
    for name, value in costs.items():
        print(f"    {name:<34} {value:8.1f}")

    queries = len(query_out["filters"])
    print(f"\n== reading ({queries} queries; ms, count + first 200 rows, cold count)")
    print(f"  {'':<52} {'median':>8} {'p95':>8}  target")
    print(f"  open the cache + first page + count: {query_out['open_first_page_ms']:.1f} ms")
    print(_line("first 200 rows by date (rows only)", query_out["first_page_rows_only"], 20))
    for name, item in query_out["filters"].items():
        target = TARGETS_MS["first page"] if name.startswith("default") else TARGETS_MS["filter"]
        if "character" in name or "55%" in name:
            target = None
        print(_line(name, item["times"], target, f"n={item['count']:,}"))
    print(_line("a page at 90% depth, by customer (rows only)", query_out["deep_page"]))
    worst = max(query_out["sorts"].items(), key=lambda kv: p95(kv[1]))
    print(f"\n== every sort key, both directions ({len(query_out['sorts'])} sorts)")
    for name, times in query_out["sorts"].items():
        print(_line(f"sort {name}", times, TARGETS_MS["sort"]))
    print(f"  slowest: {worst[0]} p95 {p95(worst[1]):.1f} ms")

    print("\n== naive alternatives, same data (ms)")
    for name, times in query_out["naive"].items():
        print(_line(name, times))

    rss, peak = query_out["rss_mb"], query_out["rss_peak_mb"]
    verdict = "ok" if peak <= RSS_TARGET_MB else f"OVER {RSS_TARGET_MB:.0f}"
    print(
        f"\n== memory of a process with the cache open after all queries: RSS {rss:.0f} MB, "
        f"peak {peak:.0f} MB ({verdict}; the interpreter and imports alone: "
        f"{query_out['rss_before_mb']:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    tune_garbage_collector()  # what `backroom` does at start-up

    if args.queries is not None:
        print(json.dumps(run_queries(args.queries, args.runs)))
        return

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.sqlite3"
        print(f"building a cache of {args.orders:,} demo orders ...", flush=True)
        build_out = build(path, args.orders)
        costs = cost_breakdown()
        print("querying it in a fresh process ...", flush=True)
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.benchmarks.bench_cache",
                "--queries",
                str(path),
                "--runs",
                str(args.runs),
            ],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        query_out = json.loads(child.stdout.strip().splitlines()[-1])
    report(build_out, query_out, costs)
    print(f"\n(benchmark wall time {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

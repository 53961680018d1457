"""The local order cache at one or more sizes, side by side in one run:
writing (a first full sync in pages of 100, then incremental pages), the
bytes per order on disk by table and index, the upgrade of a cache written
by the previous schema (3), reading (the table's first page, each kind of
filter with its count, every sort key, text search with words of one and
two characters), memory, and naive alternatives.

    .venv/bin/python -m tests.benchmarks.bench_cache [--orders N[,N...]] [--runs R]

e.g. ``--orders 100000,1000000``. Orders come from the demo store's seed
(parsed from JSON beforehand: parsing is the client's cost, not the
cache's). Query timings are what the window does when the user changes a filter,
with the cache's remembered counts cleared before every run: the count and
the first 200 rows — or, for a query whose count reads many orders
(:meth:`OrderCache.counts_slowly`: more than 10,000, or a common word of
one or two characters), the first 200 rows at once and the count in the
background, each reported.
The query phase runs in a fresh process so its memory is what an app with
the cache open uses. The upgrade from schema 3 and the naive alternatives
(which copy every order's JSON) run at sizes up to 100,000 only.
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

import zstandard

from app.cache import OrderCache, bodies, codec
from app.cache.columns import index_entry
from app.domain.queries import OrderQuery, SortKey
from app.platform.runtime import tune_garbage_collector
from app.sandbox.seed import OrderSeeder
from tests.app.cache.support import as_version_3
from tests.helpers import real_orders
from tests.helpers.sandbox import FIXED_NOW

STORE_ID = 4870020
BATCH = 100
TARGETS_MS = {"first page": 20.0, "filter": 50.0, "sort": 100.0}
RSS_TARGET_MB = 150.0
BYTES_TARGET = 2500  # per order, indexes and search index included (issue 18)
SMALL = 100_000  # the upgrade and the naive alternatives run up to this size


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
        started = time.perf_counter()
        steps = _compact(cache)  # bodies written before the dictionary, again with it
        out["fill"] = {
            "orders": count,
            "upsert_s": upsert_seconds,
            "finish_s": finish,
            "compact_s": time.perf_counter() - started,
            "compact_steps": steps,
            "batch_median_ms": statistics.median(batch_ms),
            "batch_p95_ms": p95(batch_ms),
        }
        with cache._raw_connection() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out["bytes"] = bytes_per_order(path)  # what a first full sync leaves

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
        _compact(cache)
        with cache._raw_connection() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["file_mb"] = path.stat().st_size / 1e6
    out["bytes_after_changes"] = bytes_per_order(path)
    if count <= SMALL:
        out["upgrade"] = time_upgrade(path)
    return out


def _compact(cache: OrderCache) -> int:
    steps = 0
    while cache.compact_step():
        steps += 1
    return steps


def bytes_per_order(path: Path) -> dict[str, float]:
    """Bytes per order of the file and of each table and index (SQLite's
    ``dbstat``: whole pages, free space inside them included). The file is
    counted in pages, as SQLite sees it: pages still in the write-ahead log
    (not yet copied into the file) included."""
    with sqlite3.connect(path) as conn:
        orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        found = {"file": pages * conn.execute("PRAGMA page_size").fetchone()[0] / orders}
        for name, size in conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ):
            found[name] = size / orders
        found["free pages"] = (
            conn.execute("PRAGMA freelist_count").fetchone()[0]
            * conn.execute("PRAGMA page_size").fetchone()[0]
            / orders
        )
    conn.close()
    return found


def time_upgrade(path: Path) -> dict[str, Any]:
    """A copy of the cache as schema 3 wrote it (zlib bodies, the stored
    ``alltext``, the external-content index, version 3's indexes), opened by
    the current code: the migration itself, then its upkeep in steps (the
    search index rebuilt, every body written again with a dictionary, the
    file written again), with the bytes per order before and after."""
    older = path.with_name("schema-3.sqlite3")
    shutil.copyfile(path, older)
    as_version_3(older)
    out: dict[str, Any] = {"before": bytes_per_order(older)}
    started = time.perf_counter()
    cache = OrderCache.open(older)
    out["open_s"] = time.perf_counter() - started
    steps: list[float] = []
    started = time.perf_counter()
    while True:
        step = time.perf_counter()
        more = cache.compact_step()
        steps.append((time.perf_counter() - step) * 1000)
        if not more:
            break
    out["upkeep_s"] = time.perf_counter() - started
    cache.close()
    out["steps"] = len(steps)
    ordered = sorted(steps)
    out["step_median_ms"] = statistics.median(steps)
    out["step_p99_ms"] = ordered[int(0.99 * (len(ordered) - 1))]
    out["longest_steps_ms"] = ordered[-2:]  # the last is the one VACUUM
    out["after"] = bytes_per_order(older)
    older.unlink()
    return out


def _timed_upserts(cache: OrderCache, orders: list[dict[str, Any]]) -> dict[str, float]:
    started = time.perf_counter()
    touched = 0
    for start in range(0, len(orders), BATCH):
        result = cache.upsert_orders(orders[start : start + BATCH])
        touched += len(result.new) + len(result.updated)
    seconds = time.perf_counter() - started
    return {"orders": len(orders), "seconds": seconds, "touched": touched}


def cost_breakdown(count: int = 3000) -> dict[str, float]:
    """µs per order for each step of an upsert outside SQLite, and the bytes
    of a body in each format (a dictionary trained on 2,000 other orders)."""
    orders = list(parsed_orders(count, seed=3))
    raws = [codec.encode(order) for order in orders]
    training = [codec.encode(order) for order in parsed_orders(bodies.TRAIN_SAMPLES, seed=4)]

    def per_order(work: Callable[[], Any]) -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) / count * 1e6

    started = time.perf_counter()
    dictionary = bodies.train(training, 1)
    train_s = time.perf_counter() - started
    plain = zstandard.ZstdCompressor(level=bodies.LEVEL, write_checksum=False)
    trained = zstandard.ZstdCompressor(
        level=bodies.LEVEL,
        dict_data=zstandard.ZstdCompressionDict(dictionary),
        write_checksum=False,
        write_dict_id=True,
    )
    reader = zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(dictionary))
    packed = [trained.compress(r) for r in raws]
    return {
        "json encode": per_order(lambda: [codec.encode(order) for order in orders]),
        "digest": per_order(lambda: [codec.digest(raw) for raw in raws]),
        "zlib level 1 (schema 3)": per_order(lambda: [zlib.compress(r, 1) for r in raws]),
        "zstd + dictionary (schema 4)": per_order(lambda: [trained.compress(r) for r in raws]),
        "zstd + dictionary, reading": per_order(lambda: [reader.decompress(b) for b in packed]),
        "columns + search text": per_order(lambda: [index_entry(order) for order in orders]),
        "training the dictionary (s, once)": train_s,
        "raw bytes": sum(map(len, raws)) / count,
        "stored bytes, zlib level 1 (schema 3)": sum(len(zlib.compress(r, 1)) for r in raws)
        / count,
        "stored bytes, zstd without dictionary": sum(len(plain.compress(r)) for r in raws) / count,
        "stored bytes, zstd + dictionary": sum(map(len, packed)) / count,
        **real_order_bytes(trained, plain),
    }


def real_order_bytes(trained: Any, plain: Any) -> dict[str, float]:
    """The recorded real orders (tests/fixtures/real_orders) in each format:
    real orders are not the demo's, so the demo-trained dictionary fits them
    less well (a store's own dictionary is trained on its own orders)."""
    raws = [codec.encode(order) for order in real_orders.all_orders().values()]
    count = len(raws)
    return {
        f"real orders ({count}): raw bytes": sum(map(len, raws)) / count,
        "real orders: zlib level 1": sum(len(zlib.compress(r, 1)) for r in raws) / count,
        "real orders: zstd without dictionary": sum(len(plain.compress(r)) for r in raws) / count,
        "real orders: zstd + the demo's dictionary": sum(len(trained.compress(r)) for r in raws)
        / count,
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
        "text: a surname": OrderQuery(text=surname.lower()),
        "text: part of an email": OrderQuery(text=email[3:9]),
        "text: part of a SKU": OrderQuery(text=sku[:5]),
        "text: part of a tracking number": OrderQuery(text=tracking[4:10]),
        "text: an order number": OrderQuery(text=row.number),
        "text: 'linen' (in 55% of orders)": OrderQuery(text="linen"),
        "text: 2 words 'ada mug'": OrderQuery(text="ada mug"),
        "text: 2 characters 'ab'": OrderQuery(text="ab"),
        "text: 1 character 'z'": OrderQuery(text="z"),
        "text: 2 characters, rare 'qx'": OrderQuery(text="qx"),
        "text: 1 character, none has it 'ψ'": OrderQuery(text="ψ"),
        "text: 2 characters + status 'ab' CANCELLED": OrderQuery(
            text="ab", payment_status=["CANCELLED"]
        ),
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
        "customer id": OrderQuery(customer_id=customer_id),
        "payment module": OrderQuery(payment_module="Stripe"),
        "pickup: last 90 days": OrderQuery(pickup_time_from=now - timedelta(days=90)),
        "total exactly (cents)": OrderQuery(total_from=total, total_to=total),
        "product id (scan of the items' ids index)": OrderQuery(product_id=[71011]),
        "product ids, 2 of them (same)": OrderQuery(product_id=[71020, 71005]),
        "subscription id (same)": OrderQuery(subscription_id=subscription_id),
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

    def forget() -> None:  # as after a filter change or a keystroke: nothing remembered
        cache._counts.clear()
        cache._resolved.clear()

    def cold(query: OrderQuery) -> Callable[[], Any]:
        def work() -> None:  # what the window does: the count at once, or after the rows
            forget()
            if cache.counts_slowly(query):
                cache.first_rows(query, 200)
            else:
                cache.count(query)
                cache.rows(query, limit=200)

        return work

    def background_count(query: OrderQuery) -> Callable[[], Any]:
        def work() -> None:
            forget()
            cache.count(query)

        return work

    rows_only = timed_runs(lambda: cache.rows(OrderQuery(), limit=200), runs)
    out["first_page_rows_only"] = rows_only
    sample = cache.order_json(first[0].key) or {}
    results: dict[str, Any] = {}
    suites = {**query_suite(), **text_suite(cache), **current_suite(cache)}
    for name, query in suites.items():
        if query.email == "{email}":
            query = query.model_copy(update={"email": sample.get("email")})
        forget()
        results[name] = {"times": timed_runs(cold(query), runs), "count": cache.count(query)}
        forget()
        if cache.counts_slowly(query):
            results[name]["count_ms"] = timed_runs(background_count(query), 3)
    out["filters"] = results

    sorts: dict[str, Any] = {}
    for key in SortKey:
        for descending in (False, True):
            query = OrderQuery(sort=key, descending=descending)
            sorts[f"{key.value} {'desc' if descending else 'asc'}"] = timed_runs(
                cold(query), max(5, runs // 2)
            )
    for key in (SortKey.CUSTOMER, SortKey.TOTAL, SortKey.TRACKING_NUMBER, SortKey.NUMBER):
        query = OrderQuery(sort=key, fulfillment_status=["SHIPPED"])
        sorts[f"{key.value} asc, SHIPPED only"] = timed_runs(cold(query), max(5, runs // 2))
        query = OrderQuery(sort=key, payment_status=["CANCELLED"], descending=True)
        sorts[f"{key.value} desc, CANCELLED only"] = timed_runs(cold(query), max(5, runs // 2))
    out["sorts"] = sorts
    deep = OrderQuery(sort=SortKey.CUSTOMER)
    deep_offset = int(cache.count(deep) * 0.9)
    out["deep_page"] = timed_runs(lambda: cache.rows(deep, offset=deep_offset, limit=200), runs)
    out["rss_mb"], out["rss_peak_mb"] = rss_mb()
    orders = cache.count(OrderQuery(include_incomplete=True))
    out["naive"] = naive_alternatives(cache, path, runs) if orders <= SMALL else {}
    cache.close()
    started = time.perf_counter()
    checked, _moved = OrderCache.open_or_rebuild(path, check=True)
    out["open_checked_ms"] = (time.perf_counter() - started) * 1000
    checked.close()
    return out


def naive_alternatives(cache: OrderCache, path: Path, runs: int) -> dict[str, Any]:
    """What simpler designs would cost on the same data."""
    out: dict[str, Any] = {}
    few = max(3, runs // 4)
    with cache._raw_connection() as conn:
        alltext = " || char(10) || ".join(
            ("numbers", "names", "email", "contact", "items", "notes", "tracking")
        )
        for term in ("okafor", "ab"):
            out[f"LIKE '%{term}%' over the search text (no FTS)"] = timed_runs(
                lambda term=term: conn.execute(
                    f"SELECT count(*) FROM order_text WHERE {alltext} LIKE ?", (f"%{term}%",)
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
                    items = cache._bodies.decode(conn, body).get("items") or []
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
                [(rid, cache._bodies.decompress(conn, body).decode()) for rid, body in chunk],
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


def _verdict(times: list[float], target: float | None) -> str:
    if target is None:
        return ""
    return "ok" if p95(times) <= target else f"OVER {target:.0f}"


def _pair(times: list[float]) -> str:
    return f"{statistics.median(times):8.1f} {p95(times):8.1f}"


def _target(name: str) -> float | None:
    if name.startswith("default"):
        return TARGETS_MS["first page"]
    if "55%" in name:
        return None
    return TARGETS_MS["filter"]


def report(runs: list[dict[str, Any]], costs: dict[str, float]) -> None:
    sizes = [run["build"]["fill"]["orders"] for run in runs]
    head = "".join(f"{n:>18,}" for n in sizes)
    largest = runs[-1]

    print(f"\n== bytes per order on disk (dbstat: whole pages)      {head}")
    names = sorted(largest["build"]["bytes"], key=lambda k: -largest["build"]["bytes"][k])
    shown = [n for n in names if largest["build"]["bytes"][n] >= 5 or n == "file"]
    for name in ["file", *[n for n in shown if n != "file"]]:
        values = "".join(f"{run['build']['bytes'].get(name, 0):18.0f}" for run in runs)
        print(f"  {name:<50}{values}")
    rest = "".join(
        f"{sum(v for k, v in run['build']['bytes'].items() if k not in shown):18.0f}"
        for run in runs
    )
    print(f"  {'(everything else)':<50}{rest}")
    verdicts = ", ".join(
        f"{n:,}: {'ok' if r['build']['bytes']['file'] <= BYTES_TARGET else 'OVER'}"
        for n, r in zip(sizes, runs, strict=True)
    )
    print(f"  target <= {BYTES_TARGET} B an order: {verdicts}")
    after = "".join(f"{run['build']['bytes_after_changes']['file']:18.0f}" for run in runs)
    print(f"  {'file, after 10,000 new, changed and deleted orders':<50}{after}")
    fts = "".join(
        f"{run['build']['bytes_after_changes'].get('orders_fts_data', 0):18.0f}" for run in runs
    )
    print(f"  {'  of which the search index':<50}{fts}")

    print("\n== writing, in pages of 100 (a first full sync, then incremental pages)")
    for run in runs:
        fill, n = run["build"]["fill"], run["build"]["fill"]["orders"]
        total_s = fill["upsert_s"] + fill["finish_s"] + fill["compact_s"]
        print(
            f"  {n:>9,}: fill {fill['upsert_s']:.1f} s + indexes {fill['finish_s']:.1f} s + "
            f"upkeep {fill['compact_s']:.1f} s ({fill['compact_steps']} steps) = {total_s:.1f} s "
            f"-> {n / total_s:,.0f} orders/s, {total_s / n * 1e6:.0f} µs an order "
            f"(page median {fill['batch_median_ms']:.1f} ms, p95 {fill['batch_p95_ms']:.1f} ms); "
            f"file {run['build']['file_mb']:.0f} MB"
        )
        for name in ("incremental_new", "incremental_changed", "incremental_unchanged"):
            item = run["build"][name]
            label = name.replace("incremental_", "")
            print(
                f"             incremental pages, {label:<9}: "
                f"{item['orders'] / item['seconds']:8,.0f} orders/s ({item['touched']:,} written)"
            )

    for run in runs:
        upgrade = run["build"].get("upgrade")
        if not upgrade:
            continue
        n = run["build"]["fill"]["orders"]
        print(f"\n== upgrade of a {n:,}-order cache written by schema 3")
        print(
            f"  opening (the migration, one transaction): {upgrade['open_s']:.2f} s; then the "
            f"upkeep in {upgrade['steps']} steps: {upgrade['upkeep_s']:.1f} s (step median "
            f"{upgrade['step_median_ms']:.1f} ms, p99 {upgrade['step_p99_ms']:.1f} ms, the two "
            f"longest {upgrade['longest_steps_ms'][0]:.0f} and "
            f"{upgrade['longest_steps_ms'][1]:.0f} ms: the last writes the file again)"
        )
        print(
            f"  bytes per order: {upgrade['before']['file']:.0f} as schema 3 wrote it -> "
            f"{upgrade['after']['file']:.0f} after the upkeep"
        )
        for name in sorted(upgrade["before"], key=lambda k: -upgrade["before"][k])[:6]:
            after = upgrade["after"].get(name, 0)
            print(f"    {name:<30} {upgrade['before'][name]:8.0f} -> {after:6.0f}")

    print("\n  cost per order outside SQLite (µs; bytes):")
    for name, value in costs.items():
        print(f"    {name:<44} {value:8.1f}")

    queries = largest["queries"]
    pairs = "".join(f"{f'{n:,}: median, p95':>18}" for n in sizes)
    print("\n== reading (ms; count + first 200 rows, nothing remembered)".ljust(62) + pairs)
    for run in runs:
        q = run["queries"]
        n = run["build"]["fill"]["orders"]
        print(
            f"  {n:,}: open + first page + count {q['open_first_page_ms']:.1f} ms; open with "
            f"the integrity check (a session's default) {q['open_checked_ms']:.0f} ms"
        )
    print(_row("first 200 rows by date (rows only)", runs, lambda q: q["first_page_rows_only"], 20))
    for name in queries["filters"]:
        target = _target(name)
        slow = "count_ms" in queries["filters"][name]
        label = f"{name} [first rows; counted after]" if slow else name
        print(_row(label, runs, lambda q, name=name: q["filters"][name]["times"], target))
        counts = ", ".join(
            f"n={run['queries']['filters'][name]['count']:,}"
            + (
                f" counted in {statistics.median(run['queries']['filters'][name]['count_ms']):.0f}"
                " ms"
                if "count_ms" in run["queries"]["filters"][name]
                else ""
            )
            for run in runs
        )
        print(f"      {counts}")
    print(_row("a page at 90% depth, by customer (rows only)", runs, lambda q: q["deep_page"]))

    print("\n== every sort key, both directions, alone and after a filter".ljust(62) + pairs)
    for name in queries["sorts"]:
        print(_row(f"sort {name}", runs, lambda q, name=name: q["sorts"][name], 100))
    for run in runs:
        worst = max(run["queries"]["sorts"].items(), key=lambda kv: p95(kv[1]))
        n = run["build"]["fill"]["orders"]
        print(f"  {n:,}: slowest {worst[0]} p95 {p95(worst[1]):.1f} ms")

    naive = next((run for run in runs if run["queries"]["naive"]), None)
    if naive:
        n = naive["build"]["fill"]["orders"]
        print(f"\n== naive alternatives, same data, {n:,} orders (ms)")
        for name, times in naive["queries"]["naive"].items():
            print(f"  {name:<60} {_pair(times)}")

    print("\n== memory of a process with the cache open after all queries")
    for run in runs:
        q, n = run["queries"], run["build"]["fill"]["orders"]
        verdict = "ok" if q["rss_peak_mb"] <= RSS_TARGET_MB else f"OVER {RSS_TARGET_MB:.0f}"
        print(
            f"  {n:>9,}: RSS {q['rss_mb']:.0f} MB, peak {q['rss_peak_mb']:.0f} MB ({verdict}; "
            f"the interpreter and imports alone: {q['rss_before_mb']:.0f} MB)"
        )


def _row(
    name: str,
    runs: list[dict[str, Any]],
    times_of: Callable[[dict[str, Any]], list[float]],
    target: float | None = None,
) -> str:
    cells = "".join(f" {_pair(times_of(run['queries']))}" for run in runs)
    verdict = _verdict(times_of(runs[-1]["queries"]), target)
    return f"  {name:<60}{cells}  {verdict}".rstrip()


def measure(size: int, runs: int, tmp: Path) -> dict[str, Any]:
    path = tmp / f"orders-{size}.sqlite3"
    print(f"building a cache of {size:,} demo orders ...", flush=True)
    build_out = build(path, size)
    print("querying it in a fresh process ...", flush=True)
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.bench_cache",
            "--queries",
            str(path),
            "--runs",
            str(runs),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    path.unlink()
    return {"build": build_out, "queries": json.loads(child.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="100000", help="sizes, e.g. 100000,1000000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    tune_garbage_collector()  # what `backroom` does at start-up

    if args.queries is not None:
        print(json.dumps(run_queries(args.queries, args.runs)))
        return

    sizes = sorted(int(size.replace("_", "")) for size in args.orders.split(","))
    started = time.perf_counter()
    print(f"bench_cache {time.strftime('%Y-%m-%d %H:%M')}, sizes {sizes}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [measure(size, args.runs, Path(tmp)) for size in sizes]
    report(runs, cost_breakdown())
    print(f"\n(benchmark wall time {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

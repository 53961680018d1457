"""An instant search for an order's number, vendor number or id lists that
order first, then the other matches in the chosen sort (searching "3913"
listed #2602 and #3199, whose phones hold 3913, above #3913); paging,
counting and finding a row's position agree with it."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache.test_position import assert_positions

SORTS = [
    (SortKey.CREATED, True),
    (SortKey.CREATED, False),
    (SortKey.NUMBER, False),
    (SortKey.TOTAL, True),
    (SortKey.CUSTOMER, False),
]


@pytest.fixture(scope="module")
def target(filled: OrderCache, orders: list[dict[str, Any]]) -> dict[str, Any]:
    """The finished order whose number occurs in the most other orders' text."""
    numbered = [o for o in orders if o.get("orderNumber") and o["paymentStatus"] != "INCOMPLETE"]
    return max(numbered[:400], key=lambda o: filled.count(OrderQuery(text=str(o["orderNumber"]))))


def _keys(cache: OrderCache, query: OrderQuery) -> list[str]:
    return [row.key for row in cache.rows(query, limit=100_000)]


@pytest.mark.parametrize("sort, descending", SORTS)
def test_the_order_with_that_number_comes_first_then_the_rest_in_the_sort(
    filled, target, sort, descending
):
    query = OrderQuery(text=str(target["orderNumber"]), sort=sort, descending=descending)
    listed = filled.rows(query, limit=100_000)
    assert len(listed) == filled.count(query) > 3  # others hold the number too
    assert listed[0].key == target["id"]
    rest = listed[1:]
    assert target["id"] not in [row.key for row in rest]
    if sort is SortKey.CREATED:
        stamps = [row.created for row in rest if row.created is not None]
        assert stamps == sorted(stamps, reverse=descending)
    if sort is SortKey.NUMBER:
        numbers = [int(row.number) for row in rest if row.number.isdigit()]
        assert numbers == sorted(numbers)

    # pages, the first rows and every order's position agree with that list
    paged = [row.key for start in range(0, len(listed), 4) for row in filled.rows(query, start, 4)]
    assert paged == [row.key for row in listed]
    assert [row.key for row in filled.first_rows(query, 3)] == paged[:3]
    assert_positions(filled, query)


def test_the_id_in_any_case_comes_first(filled, target):
    for text in (target["id"].lower(), target["id"]):
        assert _keys(filled, OrderQuery(text=text))[0] == target["id"], text


def test_a_filter_that_leaves_the_order_out_pins_nothing(filled, target):
    number = str(target["orderNumber"])
    others = filled.rows(OrderQuery(text=number), limit=100)
    other = next(r.payment_status for r in others if r.payment_status != target["paymentStatus"])
    query = OrderQuery(text=number, payment_status=[other])
    keys = _keys(filled, query)
    assert target["id"] not in keys
    assert len(keys) == filled.count(query)
    assert_positions(filled, query)


def test_an_unfinished_order_comes_first_only_when_unfinished_ones_are_shown(filled, orders):
    unfinished = next(o for o in orders if o["paymentStatus"] == "INCOMPLETE" and o.get("id"))
    number = str(unfinished["orderNumber"])
    assert unfinished["id"] not in _keys(filled, OrderQuery(text=number))
    shown = OrderQuery(text=number, include_incomplete=True)
    assert _keys(filled, shown)[0] == unfinished["id"]
    assert_positions(filled, shown)


def test_words_that_name_no_order_change_nothing(filled):
    for text in ("olivia", "3", "example.org", "#"):
        query = OrderQuery(text=text)
        by_sort = OrderQuery(text=text, sort=SortKey.CREATED, descending=True)
        assert _keys(filled, query) == _keys(filled, by_sort)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, orders) -> Any:
    """The test orders in a cache whose first sync has ended (its indexes built)."""
    with OrderCache.open(tmp_path_factory.mktemp("indexed") / "orders.sqlite3") as cache:
        cache.upsert_orders(orders, generation=1)
        cache.delete_unseen(1)
        yield cache


@pytest.mark.parametrize("text", ["emma", "3913", "DEMO-YAL1P"])
def test_looking_an_order_up_by_its_number_or_id_reads_indexes_only(indexed, text):
    """The look-ups by number, vendor number or id run on every keystroke and
    for every order a command names: each must go through the indexes (an id's
    index is partial, so the condition must imply it), never along the table —
    reading every order took ~0.4 s a keystroke at a million orders."""
    conn = indexed._live()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        indexed.rows(OrderQuery(text=text), 0, 50)
        indexed.find_by_reference(text)
    finally:
        conn.set_trace_callback(None)
    lookups = [s for s in statements if "order_id" in s and s.lstrip().upper().startswith("SELECT")]
    assert any("FROM orders WHERE key =" in s for s in lookups)  # the reference
    # planned as for a large store: a copy without the statistics of this small
    # one (SQLite then takes a table for about a million rows)
    large = sqlite3.connect(":memory:")
    conn.backup(large)
    large.execute("DROP TABLE IF EXISTS sqlite_stat1")
    large.execute("DROP TABLE IF EXISTS sqlite_stat4")
    for statement in lookups:
        plan = [row[3] for row in large.execute("EXPLAIN QUERY PLAN " + statement)]
        assert not any(re.match(r"SCAN orders( |$)", step) for step in plan), (statement, plan)

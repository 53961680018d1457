"""An instant search for an order's number, vendor number or id lists that
order first, then the other matches in the chosen sort (searching "3913"
listed #2602 and #3199, whose phones hold 3913, above #3913); paging,
counting and finding a row's position agree with it."""

from __future__ import annotations

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

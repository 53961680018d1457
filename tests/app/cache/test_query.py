"""Filtering, searching, sorting and paging in SQLite give what the same
query computed in plain Python over the order dicts gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.cache import CachedOrderRow, OrderCache
from app.cache import order_cache as cache_module
from app.cache.counting import Counter
from app.domain.outbox import severity_of
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache import support as ref
from tests.helpers.sandbox import FIXED_NOW

Order = dict[str, Any]
Predicate = Callable[[Order], bool]


def keys(cache: OrderCache, query: OrderQuery) -> set[str]:
    return {row.key for row in cache.rows(query, limit=100_000)}


def expect(orders: list[Order], predicate: Predicate, *, incomplete: bool = False) -> set[str]:
    return {
        ref.key_of(o)
        for o in orders
        if (incomplete or o["paymentStatus"] != "INCOMPLETE") and predicate(o)
    }


def check(
    cache: OrderCache,
    orders: list[Order],
    query: OrderQuery,
    predicate: Predicate,
    *,
    incomplete: bool = False,
) -> set[str]:
    wanted = expect(orders, predicate, incomplete=incomplete)
    assert keys(cache, query) == wanted
    assert cache.count(query) == len(wanted)
    return wanted


def _shipping(o: Order) -> str:
    return ref.fold((o.get("shippingOption") or {}).get("shippingMethodName"))


def _coupon(o: Order) -> str:
    return ref.fold((o.get("discountCoupon") or {}).get("code"))


MONTH_AGO = FIXED_NOW - timedelta(days=30)
YEAR_AGO = FIXED_NOW - timedelta(days=365)
QUARTER_AGO = FIXED_NOW - timedelta(days=90)

CASES: dict[str, tuple[dict[str, Any], Predicate]] = {
    "nothing": ({}, lambda o: True),
    "total_from": (
        {"total_from": Decimal("100")},
        lambda o: (o["total"] or 0) >= 100 and o["total"] is not None,
    ),
    "total_to": ({"total_to": "37.5"}, lambda o: o["total"] is not None and o["total"] <= 37.5),
    "total range": (
        {"total_from": 20, "total_to": Decimal("60.00")},
        lambda o: o["total"] is not None and 20 <= o["total"] <= 60,
    ),
    "created_from": (
        {"created_from": MONTH_AGO},
        lambda o: ref.created_ts(o) >= MONTH_AGO.timestamp(),
    ),
    "created_to (legacy dates)": (
        {"created_to": datetime(2024, 12, 1, tzinfo=UTC)},
        lambda o: ref.created_ts(o) <= datetime(2024, 12, 1, tzinfo=UTC).timestamp(),
    ),
    "created range as strings": (
        {"created_from": "2025-03-01", "created_to": "2025-03-31 23:59:59"},
        lambda o: (
            datetime(2025, 3, 1, tzinfo=UTC).timestamp()
            <= ref.created_ts(o)
            <= datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC).timestamp()
        ),
    ),
    "updated range": (
        {"updated_from": YEAR_AGO, "updated_to": int(MONTH_AGO.timestamp())},
        lambda o: YEAR_AGO.timestamp() <= ref.updated_ts(o) <= MONTH_AGO.timestamp(),
    ),
    "coupon_code (any case)": ({"coupon_code": "welcome10"}, lambda o: _coupon(o) == "welcome10"),
    "vendor_order_number list": (
        {"vendor_order_number": "1010, 1020,V900001-x"},
        lambda o: o.get("vendorOrderNumber") in {"1010", "1020", "V900001-x"},
    ),
    "customer (name part)": (
        {"customer": "Okafor"},
        lambda o: ref.contains(ref.customer_values(o), "okafor"),
    ),
    "customer (phone part)": (
        {"customer": "1234567"},
        lambda o: ref.contains(ref.customer_values(o), "1234567"),
    ),
    "customer (company)": (
        {"customer": "ok co"},
        lambda o: ref.contains(ref.customer_values(o), "ok co"),
    ),
    "customer (2 characters)": (
        {"customer": "zo"},
        lambda o: ref.contains(ref.customer_values(o), "zo"),
    ),
    "payment_method": (
        {"payment_method": "paypal"},
        lambda o: ref.fold(o.get("paymentMethod")) == "paypal",
    ),
    "shipping_method": (
        {"shipping_method": "UPS GROUND"},
        lambda o: _shipping(o) == "ups ground",
    ),
    "payment_status list": (
        {"payment_status": ["PAID", "REFUNDED"]},
        lambda o: o["paymentStatus"] in {"PAID", "REFUNDED"},
    ),
    "payment_status comma string": (
        {"payment_status": "awaiting_payment, cancelled"},
        lambda o: o["paymentStatus"] in {"AWAITING_PAYMENT", "CANCELLED"},
    ),
    "fulfillment_status": (
        {"fulfillment_status": ["SHIPPED", "OUT_FOR_DELIVERY", "CUSTOM_FULFILLMENT_STATUS_1"]},
        lambda o: (
            o["fulfillmentStatus"] in {"SHIPPED", "OUT_FOR_DELIVERY", "CUSTOM_FULFILLMENT_STATUS_1"}
        ),
    ),
    "email (any case)": (
        {"email": "ÜNÏCODE.shopper@example.org"},
        lambda o: ref.fold(o.get("email")) == ref.fold("Ünïcode.Shopper@Example.ORG"),
    ),
    "keywords (every word)": (
        {"keywords": "linen BATHROBE"},
        lambda o: (
            ref.contains(ref.keyword_values(o), "linen")
            and ref.contains(ref.keyword_values(o), "bathrobe")
        ),
    ),
    "keywords (sku and number)": (
        {"keywords": "WL-MG 10"},
        lambda o: (
            ref.contains(ref.keyword_values(o), "wl-mg")
            and ref.contains(ref.keyword_values(o), "10")
        ),
    ),
    "keywords do not search phones": (
        {"keywords": "1234567"},
        lambda o: ref.contains(ref.keyword_values(o), "1234567"),
    ),
    # the filters of Ecwid's current documentation
    "total exactly 29.44 (a float artefact, and half a cent)": (
        {"total_from": "29.44", "total_to": Decimal("29.44")},
        lambda o: ref.cents(o["total"]) == 2944,
    ),
    "total_to in cents": (
        {"total_to": 29.44},
        lambda o: ref.cents(o["total"]) is not None and ref.cents(o["total"]) <= 2944,
    ),
    "customer_id": (
        {"customer_id": 50000028},
        lambda o: ref.whole(o.get("customerId")) == 50000028,
    ),
    "product_id list": (
        {"product_id": "71011, 71020"},
        lambda o: bool(ref.item_ids(o, "productId") & {71011, 71020}),
    ),
    "subscription_id": (
        {"subscription_id": 260011},
        lambda o: 260011 in ref.item_ids(o, "subscriptionId"),
    ),
    "pickup range (inclusive, any offset)": (
        {"pickup_time_from": YEAR_AGO, "pickup_time_to": "2026-10-20 17:30:00"},
        lambda o: (
            ref.pickup_ts(o) is not None and YEAR_AGO.timestamp() <= ref.pickup_ts(o) <= 1792517400
        ),
    ),
    "pickup_time_from": (
        {"pickup_time_from": MONTH_AGO},
        lambda o: (ref.pickup_ts(o) or 0) >= MONTH_AGO.timestamp(),
    ),
    "payment_module (any case)": (
        {"payment_module": "stripe"},
        lambda o: ref.fold(o.get("paymentModule")) == "stripe",
    ),
    "accept_marketing yes": (
        {"accept_marketing": True},
        lambda o: o.get("acceptMarketing") is True,
    ),
    "accept_marketing no": (
        {"accept_marketing": False},
        lambda o: o.get("acceptMarketing") is False,
    ),
    "contains_preorder_items yes": ({"contains_preorder_items": True}, ref.has_preorder),
    "contains_preorder_items no": (
        {"contains_preorder_items": False},
        lambda o: not ref.has_preorder(o),
    ),
    "referer_id (text or number)": ({"referer_id": 1207}, lambda o: ref.referer_id(o) == "1207"),
    "many filters at once": (
        {
            "payment_status": ["PAID"],
            "fulfillment_status": ["DELIVERED", "SHIPPED"],
            "total_from": 30,
            "created_from": YEAR_AGO,
            "payment_method": "Credit card",
            "text": "mug",
        },
        lambda o: (
            o["paymentStatus"] == "PAID"
            and o["fulfillmentStatus"] in {"DELIVERED", "SHIPPED"}
            and o["total"] is not None
            and o["total"] >= 30
            and ref.created_ts(o) >= YEAR_AGO.timestamp()
            and ref.fold(o.get("paymentMethod")) == "credit card"
            and ref.contains(ref.text_values(o), "mug")
        ),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_filter_matches_the_reference(filled, orders, name):
    fields, predicate = CASES[name]
    incomplete = "INCOMPLETE" in (fields.get("payment_status") or [])
    wanted = check(filled, orders, OrderQuery(**fields), predicate, incomplete=incomplete)
    if name not in ("nothing", "keywords do not search phones"):
        assert wanted, "the case should select something"


def test_keywords_leave_out_phones(filled, orders):
    assert keys(filled, OrderQuery(keywords="1234567")) == set()
    assert keys(filled, OrderQuery(customer="1234567")) == {"VAR-00000"}


def test_ids_match_order_ids_only(filled, orders):
    with_id = [ref.key_of(o) for o in orders if o.get("id")][:3]
    legacy = next(o for o in orders if not o.get("id"))
    query = OrderQuery(ids=[*with_id, str(legacy["orderNumber"]), "NOPE"])
    assert keys(filled, query) == {k for k in with_id if filled.has_order(k)} - {
        ref.key_of(o) for o in orders if o["paymentStatus"] == "INCOMPLETE"
    }


def test_ids_match_internal_ids_too(filled, orders):
    visible = [o for o in orders if o["paymentStatus"] != "INCOMPLETE"]
    with_id, legacy = visible[40], next(o for o in visible if not o.get("id"))
    query = OrderQuery(ids=[str(with_id["internalId"]), str(legacy["internalId"]), "0"])
    assert keys(filled, query) == {ref.key_of(with_id), ref.key_of(legacy)}
    assert query.internal_ids == [with_id["internalId"], legacy["internalId"], 0]


def test_a_float_artefact_total_is_found_by_its_cents(filled, orders):
    """Issue 15: a total filter of 29.44–29.44 must find a stored 29.439999999999998."""
    artefact = next(o for o in orders if o["total"] == 29.439999999999998)
    query = OrderQuery(total_from=Decimal("29.44"), total_to=Decimal("29.44"))
    assert ref.key_of(artefact) in keys(filled, query)
    assert ref.key_of(artefact) not in keys(filled, OrderQuery(total_from="29.45"))
    assert ref.key_of(artefact) not in keys(filled, OrderQuery(total_to="29.43"))


def test_order_number_overrides_every_other_filter(filled, orders):
    incomplete = next(o for o in orders if o["paymentStatus"] == "INCOMPLETE")
    paid = next(o for o in orders if o["paymentStatus"] == "PAID")
    query = OrderQuery(
        order_number=[incomplete["orderNumber"], paid["orderNumber"], 123],
        payment_status=["CANCELLED"],
        text="no such text anywhere",
        total_from=10_000,
    )
    assert keys(filled, query) == {ref.key_of(incomplete), ref.key_of(paid)}
    assert filled.count(query) == 2
    assert OrderQuery(order_number=str(paid["orderNumber"])).by_order_number


def test_incomplete_orders_only_when_asked_for(filled, orders):
    unfinished = {ref.key_of(o) for o in orders if o["paymentStatus"] == "INCOMPLETE"}
    everything = {ref.key_of(o) for o in orders}
    assert unfinished
    assert keys(filled, OrderQuery()) == everything - unfinished
    assert keys(filled, OrderQuery(payment_status=["INCOMPLETE"])) == unfinished
    assert keys(filled, OrderQuery(include_incomplete=True)) == everything
    assert filled.count(OrderQuery(include_incomplete=True)) == len(everything)
    # an explicit status list is exact: include_incomplete only lifts the default
    paid = {ref.key_of(o) for o in orders if o["paymentStatus"] == "PAID"}
    assert keys(filled, OrderQuery(payment_status=["PAID"], include_incomplete=True)) == paid
    # the exclusion holds for searches too (the index leaves them out itself)
    item = next(o for o in orders if o["paymentStatus"] == "INCOMPLETE" and o["items"])["items"][0]
    term = item["sku"]
    with_term = {ref.key_of(o) for o in orders if ref.contains(ref.text_values(o), term)}
    assert keys(filled, OrderQuery(text=term)) == with_term - unfinished
    assert keys(filled, OrderQuery(text=term, include_incomplete=True)) == with_term
    assert (
        keys(filled, OrderQuery(text=term, payment_status="INCOMPLETE")) == with_term & unfinished
    )


def _text_case(filled: OrderCache, orders: list[Order], term: str) -> set[str]:
    words = term.replace("\x00", "").split()  # NUL characters are ignored
    return check(
        filled,
        orders,
        OrderQuery(text=term),
        lambda o: all(ref.contains(ref.text_values(o), w) for w in words),
    )


def test_text_search_finds_substrings(filled, orders):
    some = next(
        o for o in orders if o.get("id") and o.get("email") and o["paymentStatus"] == "PAID"
    )
    email = some["email"]
    assert some["id"] in _text_case(filled, orders, email.split("@")[0][2:9])  # part of an email
    assert some["id"] in _text_case(filled, orders, email.upper())  # any case
    sku = some["items"][0]["sku"]
    assert some["id"] in _text_case(filled, orders, sku[1:5])  # part of a SKU
    tracked = next(
        o
        for o in orders
        if o.get("id") and o.get("trackingNumber") and o["paymentStatus"] == "PAID"
    )
    fragment = tracked["trackingNumber"][4:11]
    assert tracked["id"] in _text_case(filled, orders, fragment)  # a tracking fragment
    assert tracked["id"] in _text_case(filled, orders, tracked["id"][-4:])  # part of the id
    assert _text_case(filled, orders, str(some["orderNumber"]))  # the number
    assert "VAR-00000" in _text_case(filled, orders, "fragile")  # private admin notes
    assert "VAR-00000" in _text_case(filled, orders, "ring twice")  # comments, two words
    assert "VAR-00000" in _text_case(filled, orders, "muller")  # without the accent
    assert "VAR-00000" in _text_case(filled, orders, "ŁUKASZ")
    assert "VAR-00002" in _text_case(filled, orders, "Okafor Ada")  # first/last names
    assert "VAR-00001" in _text_case(filled, orders, "jjd0099887766")


@pytest.mark.parametrize("term", ["ok", "zo", "1", "ü", "-", "12 mug", "a b c"])
def test_short_terms_are_substrings_too(filled, orders, term):
    assert _text_case(filled, orders, term)


@pytest.mark.parametrize(
    "term",
    [
        '"',
        '""',
        '"handle"',
        "*",
        "mug*",
        "OR",
        "or",
        "NOT",
        "AND",
        "NEAR(x)",
        "-y",
        "^start",
        "(maybe)",
        "<b>fragile</b>",
        "{numbers}:1",
        "a:b",
        "'; DROP TABLE orders; --",
        "%",
        "_",
        "\\",
        "\x00",
        "   ",
        "x" * 300,
        "🙂",
    ],
)
def test_operator_and_markup_characters_never_raise(filled, orders, term):
    _text_case(filled, orders, term)
    for field in ("keywords", "customer"):
        filled.rows(OrderQuery(**{field: term}))
        filled.count(OrderQuery(**{field: term}))


def test_markup_and_quotes_are_found_literally(filled, orders):
    assert _text_case(filled, orders, "<b>fragile</b>") == {"VAR-00000"}
    assert _text_case(filled, orders, '"handle"') == {"VAR-00000"}
    assert "VAR-00000" in _text_case(filled, orders, "NEAR(x)")
    assert "VAR-00001" in _text_case(filled, orders, '"AND"')
    mug = '"Morning"'
    assert _text_case(filled, orders, mug)


def test_outbox_states_filter(cache, orders):
    cache.upsert_orders(orders[:50])
    assert cache.count(OrderQuery(outbox_states=["WAITING"])) == 0
    target, other = ref.key_of(orders[30]), ref.key_of(orders[31])
    cache.set_marks({target: (severity_of("WAITING"), False)})
    cache.set_marks({other: (severity_of("CONFLICT"), False)})
    assert keys(cache, OrderQuery(outbox_states=["WAITING"])) == {target}
    assert keys(cache, OrderQuery(outbox_states=["CONFLICT"])) == {other}
    cache.set_marks({other: (0, False)})  # settled: no mark
    assert keys(cache, OrderQuery(outbox_states=["CONFLICT"])) == set()


# -- sorting and paging -------------------------------------------------


def _sort_value(order: Order, sort: SortKey) -> Any:
    persons = ref.customer_name(order)
    values = {
        SortKey.NUMBER: order.get("orderNumber"),
        SortKey.CREATED: ref.created_ts(order),
        SortKey.UPDATED: ref.updated_ts(order),
        SortKey.CUSTOMER: ref.fold(persons),
        SortKey.EMAIL: ref.fold((order.get("email") or "").strip()),
        SortKey.ITEMS: ref.item_count(order),
        SortKey.TOTAL: order.get("total"),
        SortKey.PAYMENT_STATUS: order["paymentStatus"],
        SortKey.FULFILLMENT_STATUS: order["fulfillmentStatus"],
        SortKey.TRACKING_NUMBER: ref.fold(order.get("trackingNumber")),
    }
    return values[sort]


def expected_order(orders: list[Order], sort: SortKey, descending: bool) -> list[str]:
    """SQLite's order: NULL first when ascending; ties by internal id (list position)."""
    visible = [(i, o) for i, o in enumerate(orders) if o["paymentStatus"] != "INCOMPLETE"]

    def sort_key(pair: tuple[int, Order]) -> tuple[Any, ...]:
        value = _sort_value(pair[1], sort)
        return (0, 0, pair[0]) if value is None else (1, value, pair[0])

    return [ref.key_of(o) for _, o in sorted(visible, key=sort_key, reverse=descending)]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_key_with_stable_ties(filled, orders, sort, descending):
    query = OrderQuery(sort=sort, descending=descending)
    got = [row.key for row in filled.rows(query, limit=100_000)]
    assert got == expected_order(orders, sort, descending)


@pytest.mark.parametrize("along_sort_index", [True, False])
@pytest.mark.parametrize("sort", [SortKey.CREATED, SortKey.CUSTOMER, SortKey.ITEMS])
def test_both_page_plans_give_the_same_pages(filled, orders, monkeypatch, sort, along_sort_index):
    monkeypatch.setattr(cache_module, "prefer_sort_index", lambda *args, **kw: along_sort_index)
    for query in (
        OrderQuery(sort=sort),
        OrderQuery(sort=sort, descending=False, payment_status=["PAID", "CANCELLED"]),
        OrderQuery(sort=sort, text="linen"),
        OrderQuery(sort=sort, text="mu"),
        OrderQuery(sort=sort, total_from=50, include_incomplete=True),
        OrderQuery(sort=sort, product_id=[71011, 71020], accept_marketing=True),
        OrderQuery(sort=sort, subscription_id=260011, include_incomplete=True),
    ):
        everything = [row.key for row in filled.rows(query, limit=100_000)]
        assert len(everything) == filled.count(query)
        pages = []
        for offset in range(0, len(everything) + 50, 50):
            pages += [row.key for row in filled.rows(query, offset=offset, limit=50)]
        assert pages == everything
    assert_sorted = [row.key for row in filled.rows(OrderQuery(sort=sort), limit=100_000)]
    assert assert_sorted == expected_order(orders, sort, True)


def test_paging_bounds(filled, orders):
    total = filled.count(OrderQuery())
    assert filled.rows(OrderQuery(), offset=total) == []
    assert filled.rows(OrderQuery(), offset=total + 10) == []
    assert filled.rows(OrderQuery(), limit=0) == []
    assert len(filled.rows(OrderQuery(), offset=total - 3, limit=10)) == 3
    assert len(filled.rows(OrderQuery(), offset=-5, limit=7)) == 7
    assert len(filled.rows()) == 200


def test_rows_carry_the_table_columns(filled, orders):
    variation = next(o for o in orders if o.get("id") == "VAR-00002")
    (row,) = filled.rows(OrderQuery(ids=["VAR-00002"]))
    assert isinstance(row, CachedOrderRow)
    assert row.key == "VAR-00002"
    assert row.number == "V900002-x"
    assert row.customer == "Ada Okafor"  # shipping person when billing is missing
    assert row.total == Decimal("0")
    assert row.coupon_code == "SPRING-10"
    assert row.created == datetime.fromtimestamp(variation["createTimestamp"], UTC)
    assert row.updated_ts == variation["updateTimestamp"]
    assert row.outbox_state is None

    legacy = next(o for o in orders if not o.get("id"))
    (row,) = filled.rows(OrderQuery(order_number=[legacy["orderNumber"]]))
    assert row.key == str(legacy["orderNumber"])
    assert row.created == datetime.strptime(legacy["createDate"], "%Y-%m-%d %H:%M:%S %z")
    assert row.created.tzinfo is not None

    paid = next(o for o in orders if o.get("id") and o["items"] and o.get("trackingNumber"))
    (row,) = filled.rows(OrderQuery(ids=[paid["id"]], include_incomplete=True))
    assert row.total == Decimal(str(paid["total"]))
    assert row.item_count == ref.item_count(paid)
    assert row.email == paid["email"]
    assert row.tracking_number == paid["trackingNumber"]
    assert row.payment_method == paid["paymentMethod"]
    assert row.shipping_method == paid["shippingOption"]["shippingMethodName"]
    assert (row.payment_status, row.fulfillment_status) == (
        paid["paymentStatus"],
        paid["fulfillmentStatus"],
    )

    empty = next(o for o in orders if o.get("id") == "VAR-00003")
    (row,) = filled.rows(OrderQuery(ids=[empty["id"]]))
    assert (row.total, row.item_count, row.email, row.payment_method) == (None, 0, "", "")


def test_any_leading_index_gives_the_same_answer(filled, orders, monkeypatch):
    """Several filters could each lead; the cache picks the narrowest (by
    capped index counts), and whichever leads, the answer is the same."""
    query = OrderQuery(
        payment_status=["PAID", "REFUNDED"],
        fulfillment_status=["DELIVERED", "RETURNED", "SHIPPED"],
        created_from=QUARTER_AGO,
        total_from=10,
        total_to=400,
        payment_method="credit card",
        sort=SortKey.TOTAL,
    )
    wanted = expect(
        orders,
        lambda o: (
            o["paymentStatus"] in {"PAID", "REFUNDED"}
            and o["fulfillmentStatus"] in {"DELIVERED", "RETURNED", "SHIPPED"}
            and ref.created_ts(o) >= QUARTER_AGO.timestamp()
            and o["total"] is not None
            and 10 <= o["total"] <= 400
            and ref.fold(o.get("paymentMethod")) == "credit card"
        ),
    )
    assert wanted
    chosen = []
    real_lead = Counter.lead

    def spy(self, where):
        lead = real_lead(self, where)
        chosen.append(lead)
        return lead

    monkeypatch.setattr(Counter, "lead", spy)
    filled._counts.clear()
    assert filled.count(query) == len(wanted)
    if not filled.filling:
        assert chosen[0] == "orders_created"  # 90 days: narrower than each status or method
    leads = [
        "orders_payment_status",
        "orders_fulfillment_status",
        "orders_created",
        "orders_total_cents",
        "orders_payment_method",
    ]
    for lead in leads if not filled.filling else [None]:
        monkeypatch.setattr(Counter, "lead", lambda self, where, lead=lead: lead)
        monkeypatch.setattr(cache_module, "prefer_sort_index", lambda *args, **kw: False)
        filled._counts.clear()
        assert filled.count(query) == len(wanted)
        got = [row.key for row in filled.rows(query, limit=1000)]
        assert set(got) == wanted
        assert got == sorted(
            got,
            key=lambda k: (
                -next(o["total"] for o in orders if ref.key_of(o) == k),
                -next(i for i, o in enumerate(orders) if ref.key_of(o) == k),
            ),
        )


@pytest.mark.parametrize(
    ("fields", "leads"),
    [
        (
            {"customer_id": 50000028, "payment_module": "stripe", "total_from": 1},
            ["orders_customer_id", "orders_payment_module", "orders_total_cents"],
        ),
        (
            {"pickup_time_from": YEAR_AGO, "payment_module": "Custom_Payment_Method"},
            ["orders_pickup", "orders_payment_module"],
        ),
        (
            {"referer_id": "1207", "contains_preorder_items": False, "payment_module": "Stripe"},
            ["orders_referer", "orders_flags", "orders_payment_module"],
        ),
    ],
)
def test_the_new_indexes_can_each_lead(filled, orders, monkeypatch, fields, leads):
    """The partial indexes (customer id, pickup time, referrer) answer INDEXED BY too."""
    query = OrderQuery(**fields)
    wanted = keys(filled, query)
    assert wanted
    if filled.filling:
        return  # no indexes yet: nothing to lead
    chosen = []
    real_lead = Counter.lead
    monkeypatch.setattr(Counter, "lead", lambda self, where: chosen.append(real_lead(self, where)))
    filled._counts.clear()
    filled.count(query)
    assert chosen[0] == leads[0]  # the narrowest
    monkeypatch.setattr(cache_module, "prefer_sort_index", lambda *args, **kw: False)
    for lead in leads:
        monkeypatch.setattr(Counter, "lead", lambda self, where, lead=lead: lead)
        filled._counts.clear()
        assert filled.count(query) == len(wanted)
        assert keys(filled, query) == wanted

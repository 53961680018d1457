"""Fuzzing the editor's fields: random text, numbers and None in every editable field,
items removed, reordered and added. validate() never raises; changes_between()
either refuses (EditInvalid, so nothing is sent) or returns a body that is valid
by the independent checks below and keeps every kept item's files and fields."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.services.orders.changes import (
    EDITABLE_ITEM_FIELDS,
    EDITABLE_PERSON_FIELDS,
    EditInvalid,
    TotalsProposal,
    changes_between,
    editable_copy,
    new_item,
    propose_totals,
    set_value,
    status_change_problems,
    validate,
)
from app.services.orders.validation import COUNTRY_CODES
from tests.helpers.order_samples import three_item_order

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY_TEXT = [
    "",
    " ",
    "12,50",
    " 3 ",
    "-1",
    "0",
    "1.5",
    "1,234.50",
    "NaN",
    "Infinity",
    "1e400",
    "2147483648",
    "99999999999999",
    "de",
    "USA",
    "paid",
    "CUSTOM_PAYMENT_STATUS_2",
    "SHIPPED",
    "ada@example.org",
    "not an email",
    "x" * 4001,
    "é" * 40000,
    "\u0000\n\t",
]
RAW_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(TRICKY_TEXT),
    st.sampled_from(
        [Decimal("sNaN"), Decimal("NaN"), Decimal("-0"), Decimal("Infinity"), float("nan"), -0.0]
    ),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
AMOUNTS = st.one_of(
    st.integers(0, 10**6),
    st.floats(0, 1e6),
    st.decimals(0, 10**6, places=2).map(str),
    st.decimals(0, 10**6, places=2).map(lambda d: f" {d} ".replace(".", ",")),
)
PLAUSIBLE = {
    "email": st.emails() | st.just(""),
    "paymentStatus": st.sampled_from([*PaymentStatus.__members__, "paid", " refunded "]),
    "fulfillmentStatus": st.sampled_from([*FulfillmentStatus.__members__, "shipped"]),
    "hidden": st.booleans(),
    "countryCode": st.sampled_from(sorted(COUNTRY_CODES)).map(str.lower) | st.just(""),
    "quantity": st.integers(1, 2_147_483_647) | st.integers(1, 99).map(lambda n: f" {n} "),
    "name": st.text(min_size=1, max_size=20).filter(str.strip),
}
for _amount in ("subtotal", "tax", "total", "shippingRate", "price", "weight"):
    PLAUSIBLE[_amount] = AMOUNTS


def value_for(path, anything=True):
    """Mostly a value the field could hold; with ``anything``, often anything at all."""
    plausible = PLAUSIBLE.get(path[-1], st.text(max_size=40))
    return st.one_of(plausible, plausible, plausible, RAW_VALUES) if anything else plausible


TOP_PATHS = [
    (name,)
    for name in (
        "email",
        "paymentStatus",
        "fulfillmentStatus",
        "trackingNumber",
        "privateAdminNotes",
        "orderComments",
        "hidden",
        "subtotal",
        "tax",
        "total",
    )
]
PERSON_PATHS = [(p, f) for p in ("billingPerson", "shippingPerson") for f in EDITABLE_PERSON_FIELDS]
SHIPPING_PATHS = [("shippingOption", "shippingRate"), ("shippingOption", "shippingMethodName")]
ITEM_FIELDS = [*EDITABLE_ITEM_FIELDS, "weight"]
ORDER_PATHS = TOP_PATHS + PERSON_PATHS + SHIPPING_PATHS

EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
NOT_EDITABLE_ITEM_KEYS = {*EDITABLE_ITEM_FIELDS, "weight", "selectedOptions"}


@st.composite
def edits(draw, anything=True):
    """An edited copy of the three-item order and the original ids in its item order."""
    original = three_item_order()
    edited = editable_copy(original)
    kept = draw(st.permutations(range(3)))[: draw(st.integers(0, 3))]
    items = [edited["items"][i] for i in kept]
    for _ in range(draw(st.integers(0, 2))):
        price, quantity = (
            draw(value_for(("price",), anything)),
            draw(value_for(("quantity",), anything)),
        )
        name = draw(PLAUSIBLE["name"] | st.text(max_size=3) if anything else PLAUSIBLE["name"])
        items.append(new_item(name=name, price=price, quantity=quantity))
    edited["items"] = items
    for path in draw(st.lists(st.sampled_from(ORDER_PATHS), max_size=6)):
        set_value(edited, path, draw(value_for(path, anything)))
    for _ in range(draw(st.integers(0, 4))):
        if not items:
            break
        position = draw(st.integers(0, len(items) - 1))
        options = items[position].get("selectedOptions") or []
        editable = [i for i, o in enumerate(options) if o.get("type") != "FILES"]
        if editable and draw(st.booleans()):
            path = ("items", position, "selectedOptions", draw(st.sampled_from(editable)), "value")
        else:
            path = ("items", position, draw(st.sampled_from(ITEM_FIELDS)))
        set_value(edited, path, draw(value_for(path, anything)))
    ids = [original["items"][i]["id"] for i in kept]
    return original, edited, ids


def is_amount(value) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def is_text(value, limit=4000) -> bool:
    return isinstance(value, str) and len(value) <= limit


def check_item(item) -> None:
    assert isinstance(item, dict)
    assert is_text(item["name"]) and item["name"].strip()
    quantity = item["quantity"]
    assert type(quantity) is int and 1 <= quantity <= 2_147_483_647
    assert is_amount(item["price"])
    assert item.get("weight") is None or is_amount(item["weight"])
    assert is_text(item.get("sku", ""))
    for option in item.get("selectedOptions") or []:
        if option.get("type") != "FILES":
            assert is_text(option.get("value", ""))


def check_body(body, original, ids) -> None:
    json.dumps(body, allow_nan=False)
    for name, value in body.items():
        if name == "email":
            assert is_text(value) and (not value or EMAIL.fullmatch(value))
        elif name == "paymentStatus":
            assert value in PaymentStatus.__members__
        elif name == "fulfillmentStatus":
            assert value in FulfillmentStatus.__members__
        elif name == "trackingNumber":
            assert is_text(value)
        elif name in ("privateAdminNotes", "orderComments"):
            assert isinstance(value, str) and len(value.encode()) <= 65536
        elif name == "hidden":
            assert isinstance(value, bool)
        elif name in ("subtotal", "tax", "total"):
            assert is_amount(value)
        elif name in ("billingPerson", "shippingPerson"):
            for field in EDITABLE_PERSON_FIELDS:
                assert is_text(value.get(field, ""))
            code = value.get("countryCode") or ""
            assert code == "" or (code in COUNTRY_CODES and code == code.upper())
        elif name == "shippingOption":
            assert is_amount(value["shippingRate"]) and is_text(value["shippingMethodName"])
        elif name == "items":
            for item in value:
                check_item(item)
            check_kept_items(value, original, ids)
        else:
            raise AssertionError(f"unexpected field sent: {name}")


def check_kept_items(sent, original, ids) -> None:
    """The kept items come first, in the edited order, each with every field the
    editor cannot change and every option file of the original."""
    by_id = {item["id"]: item for item in original["items"]}
    assert [item.get("id") for item in sent[: len(ids)]] == ids
    assert all("id" not in item for item in sent[len(ids) :])
    for item in sent[: len(ids)]:
        before = by_id[item["id"]]
        for key, value in before.items():
            if key not in NOT_EDITABLE_ITEM_KEYS:
                assert item[key] == value, key
        files = {o["name"]: o["files"] for o in before.get("selectedOptions", []) if "files" in o}
        sent_files = {
            o["name"]: o["files"] for o in item.get("selectedOptions", []) if "files" in o
        }
        assert sent_files == files


@FUZZ
@given(edits() | edits(anything=False))
def test_changes_are_refused_or_valid(case):
    original, edited, ids = case
    problems = validate(edited)
    try:
        body = changes_between(original, edited)
    except EditInvalid as refused:
        # every problem of the order, and those of the statuses it would set
        assert refused.problems[: len(problems)] == problems and refused.problems != []
        extra = refused.problems[len(problems) :]
        assert all("INCOMPLETE" in problem.message for problem in extra)
        return
    blocking = [p for p in problems + status_change_problems(body) if p.path and p.path[0] in body]
    assert blocking == []
    check_body(body, original, ids)
    if ids != [item["id"] for item in original["items"]]:
        assert "items" in body  # removed or reordered items are always a change


@FUZZ
@given(edits())
def test_no_problems_means_no_refusal(case):
    original, edited, _ = case
    if validate(edited) == []:
        changes_between(original, edited)


@FUZZ
@given(edits())
def test_totals_are_proposed_or_refused(case):
    original, edited, _ = case
    try:
        proposal = propose_totals(edited, original=original)
    except EditInvalid as refused:
        assert refused.problems
        return
    assert isinstance(proposal, TotalsProposal)
    for value in (proposal.subtotal, proposal.tax, proposal.total):
        assert isinstance(value, Decimal) and value.is_finite() and value >= 0
        assert value == value.quantize(Decimal("0.01"))
    assert all(isinstance(line, str) and line for line in proposal.lines)


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
ORDER_KEYS = [p[0] for p in TOP_PATHS] + ["billingPerson", "shippingOption", "items"]


@FUZZ
@given(st.dictionaries(st.sampled_from(ORDER_KEYS) | st.text(max_size=5), JSON_LIKE, max_size=8))
def test_validate_never_raises_on_any_shape(edited):
    problems = validate(edited)
    assert all(problem.message for problem in problems)
    try:
        changes_between(three_item_order(), edited)
    except EditInvalid:
        pass

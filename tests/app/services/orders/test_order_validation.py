"""validate(): every rule of an edited order, in plain words, never an exception."""

from __future__ import annotations

import pytest

from app.services.orders.changes import FieldProblem, editable_copy, set_value, validate
from tests.helpers.order_samples import seeded_orders, three_item_order


def problems_after(path, value):
    edited = editable_copy(three_item_order())
    set_value(edited, path, value)
    return validate(edited)


def test_a_sound_order_has_no_problems():
    assert validate(three_item_order()) == []


def test_seeded_orders_have_no_problems():
    for order in seeded_orders():
        assert validate(order) == [], order.get("id")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("email",), ""),
        (("email",), "ada.okafor+shop@mail.example.org"),
        (("paymentStatus",), "paid"),
        (("paymentStatus",), "CUSTOM_PAYMENT_STATUS_3"),
        (("fulfillmentStatus",), "OUT_FOR_DELIVERY"),
        (("fulfillmentStatus",), "CUSTOM_FULFILLMENT_STATUS_1"),
        (("billingPerson", "countryCode"), "de"),
        (("billingPerson", "countryCode"), ""),
        (("shippingPerson", "countryCode"), "XK"),
        (("items", 0, "quantity"), " 3 "),
        (("items", 0, "quantity"), 2147483647),
        (("items", 0, "quantity"), 4.0),
        (("items", 0, "price"), "12,50"),
        (("items", 0, "price"), "0"),
        (("items", 0, "weight"), None),
        (("shippingOption", "shippingRate"), " 3 "),
        (("total",), "0.00"),
        (("trackingNumber",), "x" * 4000),
        (("privateAdminNotes",), "n" * 65536),
        (("billingPerson", "postalCode"), 60656),
        (("hidden",), True),
    ],
)
def test_accepted_values(path, value):
    assert problems_after(path, value) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("email",), "ada@", "is not an e-mail address (name@example.com)"),
        (("email",), "ada okafor@example.org", "is not an e-mail address (name@example.com)"),
        (("paymentStatus",), "QUEUED", "is not a payment status this store knows"),
        (("paymentStatus",), "", "choose a payment status"),
        (("fulfillmentStatus",), "PAID", "is not a fulfillment status this store knows"),
        (("fulfillmentStatus",), 3, "is not a fulfillment status this store knows"),
        (("billingPerson", "countryCode"), "USA", "is not a two-letter country code (such as US)"),
        (("billingPerson", "countryCode"), "ZZ", "is not a two-letter country code (such as US)"),
        (("billingPerson", "city"), ["Chicago"], "must be text"),
        (("items", 1, "name"), "  ", "is required"),
        (("items", 1, "name"), None, "is required"),
        (("items", 1, "quantity"), "0", "must be at least 1"),
        (("items", 1, "quantity"), "1.5", "must be a whole number, like 3"),
        (("items", 1, "quantity"), "2147483648", "must be at most 2147483647"),
        (("items", 1, "quantity"), "99999999999999", "must be at most 2147483647"),
        (("items", 1, "quantity"), "", "must be a whole number, like 3"),
        (("items", 1, "quantity"), True, "must be a whole number, like 3"),
        (("items", 1, "quantity"), "two", "must be a whole number, like 3"),  # not "12.50"
        (("items", 1, "quantity"), "1,5", "must be a whole number, like 3"),
        (("items", 1, "price"), "two", "must be a number like 12.50"),
        (("items", 1, "price"), "-1", "must not be negative"),
        (("items", 1, "price"), "12.50.1", "must be a number like 12.50"),
        (("items", 1, "price"), "1,234.50", "must be a number like 12.50"),
        (("items", 1, "price"), "NaN", "must be a number like 12.50"),
        (("items", 1, "price"), float("inf"), "must be a number"),
        (("items", 1, "price"), "1e3", "must be a number like 12.50"),
        (("items", 1, "price"), "99999999999999", "is too large"),
        (("items", 0, "weight"), "heavy", "must be a number like 12.50"),
        (
            ("items", 0, "selectedOptions", 1, "value"),
            "v" * 4001,
            "is too long (at most 4000 characters)",
        ),
        (("shippingOption", "shippingRate"), "-0.01", "must not be negative"),
        (("subtotal",), "", "must be a number"),
        (("total",), -5, "must not be negative"),
        (("trackingNumber",), "x" * 4001, "is too long (at most 4000 characters)"),
        (("orderComments",), "é" * 40000, "is too long (at most 64 kB)"),
        (("hidden",), "yes", "must be yes or no"),
    ],
)
def test_refused_values(path, value, message):
    assert problems_after(path, value) == [FieldProblem(path, message)]


@pytest.mark.parametrize(
    ("field", "value", "path", "message"),
    [
        ("items", "three", ("items",), "must be a list of items"),
        ("items", [None], ("items", 0), "is not an item"),
        ("billingPerson", "Olivia", ("billingPerson",), "must be an address"),
        ("shippingOption", 6, ("shippingOption",), "must be a shipping option"),
    ],
)
def test_wrong_shapes_are_problems(field, value, path, message):
    edited = three_item_order()
    edited[field] = value
    assert validate(edited) == [FieldProblem(path, message)]


def test_every_problem_is_reported_at_once():
    edited = three_item_order()
    edited["email"] = "x"
    edited["items"][0]["quantity"] = 0
    edited["items"][2]["price"] = "abc"
    edited["items"][2]["name"] = ""
    paths = [problem.path for problem in validate(edited)]
    assert paths == [
        ("email",),
        ("items", 0, "quantity"),
        ("items", 2, "name"),
        ("items", 2, "price"),
    ]


@pytest.mark.parametrize("edited", [None, [], "order", {"items": {"a": 1}}, {1: 2, "email": None}])
def test_never_raises_on_garbage(edited):
    assert isinstance(validate(edited), list)


def test_a_partial_body_is_checked_field_by_field():
    assert validate({"trackingNumber": "JD01"}) == []
    assert validate({"paymentStatus": "paid", "fulfillmentStatus": "nope"}) == [
        FieldProblem(("fulfillmentStatus",), "is not a fulfillment status this store knows")
    ]

"""propose_totals(): subtotal, tax and total recomputed in Decimal, with the arithmetic shown.
Every expected number here is worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.services.orders.changes import (
    EditInvalid,
    apply_totals,
    changes_between,
    editable_copy,
    propose_totals,
    set_value,
)
from tests.helpers.order_samples import seeded_orders, three_item_order


def board_and_soap() -> dict:
    return {
        "subtotal": 30.0,
        "tax": 5.6,
        "total": 39.6,
        "couponDiscount": 2.0,
        "discount": 3.0,
        "volumeDiscount": 1.0,  # part of "discount": not subtracted twice
        "membershipBasedDiscount": 2.0,
        "shippingOption": {"shippingMethodName": "Ground", "shippingRate": 6.0},
        "handlingFee": {"name": "Gift wrapping", "value": 4.0},
        "customSurcharges": [{"id": "eco", "total": 1.5, "description": "Plastic-free packaging"}],
        "items": [
            {
                "id": 1,
                "name": "Walnut board",
                "price": 12.5,
                "quantity": 2,
                "tax": 5.5,
                "taxes": [{"name": "VAT", "value": 20, "total": 5.5, "taxOnShipping": 0.5}],
            },
            {"id": 2, "name": "Soap", "price": 5.0, "quantity": 1, "tax": 0.6},
        ],
    }


def test_hand_computed_totals_with_original():
    original = board_and_soap()
    edited = editable_copy(original)
    set_value(edited, ("items", 1, "quantity"), "3")
    proposal = propose_totals(edited, original=original)
    # subtotal 2 × 12.50 + 3 × 5.00 = 40.00
    # tax: board 20 % of 25.00 = 5.00 + 0.50 on shipping = 5.50; soap 0.60 × 15.00 / 5.00 = 1.80
    # total 40.00 − 2.00 − 3.00 + 6.00 + 4.00 + 1.50 + 7.30 = 53.80
    assert (proposal.subtotal, proposal.tax, proposal.total) == (
        Decimal("40.00"),
        Decimal("7.30"),
        Decimal("53.80"),
    )
    assert proposal.changes == {"subtotal": 40, "tax": 7.3, "total": 53.8}
    assert proposal.lines == [
        "Subtotal: 2 × 12.50 + 3 × 5.00 = 40.00",
        "Tax on Walnut board: VAT 20% of 25.00 = 5.00 + 0.50 on shipping",
        "Tax on Soap: 0.60 for 5.00, scaled to 15.00 = 1.80",
        "Tax: 5.50 + 1.80 = 7.30",
        "Total: 40.00 subtotal − 2.00 coupon − 3.00 discount + 6.00 shipping"
        " + 4.00 handling fee + 1.50 Plastic-free packaging + 7.30 tax = 53.80",
    ]


def test_without_original_an_untaxed_item_keeps_its_tax():
    edited = board_and_soap()
    edited["items"][1]["quantity"] = 3
    proposal = propose_totals(edited)
    # tax 5.50 + 0.60 (kept) = 6.10; total 40 − 5 + 11.50 + 6.10 = 52.60
    assert (proposal.tax, proposal.total) == (Decimal("6.10"), Decimal("52.60"))
    assert "Tax on Soap: 0.60 (its own tax, kept)" in proposal.lines


def test_unchanged_order_proposes_no_changes():
    order = board_and_soap()
    # 25.00 + 5.00 = 30.00; tax 5.50 + 0.60 = 6.10; 30 − 5 + 11.50 + 6.10 = 42.60
    order.update(subtotal=30, tax=6.1, total=42.6)
    proposal = propose_totals(order, original=order)
    assert proposal.changes == {}


def test_tax_included_in_prices_is_not_added_again():
    order = {
        "pricesIncludeTax": True,
        "subtotal": 11.9,
        "tax": 1.9,
        "total": 11.9,
        "items": [
            {
                "name": "Tea towel",
                "price": "11,90",
                "quantity": 2,
                "taxes": [{"name": "MwSt", "value": 19}],
            }
        ],
    }
    proposal = propose_totals(order)
    # 2 × 11.90 = 23.80, of which 23.80 × 19 / 119 = 3.80 is tax; total = 23.80
    assert (proposal.subtotal, proposal.tax, proposal.total) == (
        Decimal("23.80"),
        Decimal("3.80"),
        Decimal("23.80"),
    )
    assert proposal.lines[1] == "Tax on Tea towel: MwSt 19% included in 23.80 = 3.80"
    assert proposal.lines[3].startswith("Prices include tax: the 3.80 tax")
    assert proposal.lines[4] == "Total: 23.80 subtotal = 23.80"


def test_rounding_is_half_up_to_cents():
    order = {"items": [{"name": "Pin", "price": "0.05", "quantity": 1, "taxes": [{"value": 10}]}]}
    # 10 % of 0.05 = 0.005 → 0.01 (half up; banker's rounding would give 0.00)
    proposal = propose_totals(order)
    assert proposal.tax == Decimal("0.01")
    assert proposal.total == Decimal("0.06")
    # no binary float error: 3 × 0.10 is exactly 0.30
    assert propose_totals(
        {"items": [{"name": "x", "price": 0.1, "quantity": 3}]}
    ).subtotal == Decimal("0.30")


def test_volume_and_membership_discounts_count_when_there_is_no_discount_field():
    order = {
        "volumeDiscount": 1.25,
        "membershipBasedDiscount": 0.75,
        "items": [{"name": "Board", "price": 10, "quantity": 1}],
    }
    # 10.00 − 1.25 − 0.75 = 8.00
    assert propose_totals(order).total == Decimal("8.00")


def test_total_is_never_negative():
    order = {"couponDiscount": 50, "items": [{"name": "Board", "price": 10, "quantity": 1}]}
    proposal = propose_totals(order)
    assert proposal.total == Decimal(0)
    assert proposal.lines[-1].endswith("= -40.00, so 0.00 (a total is never negative)")


def test_new_items_and_removed_items():
    original = three_item_order()
    edited = editable_copy(original)
    del edited["items"][1]  # the 9.50 pattern, untaxed
    edited["items"].append({"name": "Gift card", "price": "25", "quantity": 1})
    # 2 × 28.00 + 1 × 54.00 + 1 × 25.00 = 135.00; tax 11.20 + 10.80 = 22.00
    # total 135.00 + 6.00 shipping + 22.00 = 163.00
    proposal = propose_totals(edited, original=original)
    assert (proposal.subtotal, proposal.tax, proposal.total) == (
        Decimal("135.00"),
        Decimal("22.00"),
        Decimal("163.00"),
    )
    assert proposal.changes == {"subtotal": 135, "total": 163}


def test_apply_totals_writes_json_numbers_that_are_then_sent():
    original = board_and_soap()
    edited = editable_copy(original)
    set_value(edited, ("items", 1, "quantity"), "3")
    proposal = propose_totals(edited, original=original)
    apply_totals(edited, proposal)
    assert propose_totals(edited, original=original).changes == {}
    body = changes_between(original, edited)
    assert (body["subtotal"], body["tax"], body["total"]) == (40, 7.3, 53.8)
    assert body["items"][1]["quantity"] == 3


def test_unreadable_numbers_are_reported_not_guessed():
    order = board_and_soap()
    order["items"][0]["price"] = "abc"
    order["items"][1]["quantity"] = 0
    with pytest.raises(EditInvalid) as caught:
        propose_totals(order)
    assert [p.path for p in caught.value.problems] == [
        ("items", 0, "price"),
        ("items", 1, "quantity"),
    ]
    order = board_and_soap()
    order["shippingOption"]["shippingRate"] = "free"
    with pytest.raises(EditInvalid):
        propose_totals(order)


def test_agrees_with_the_demo_stores_arithmetic():
    """For seeded orders without discounts (their tax is on undiscounted amounts there
    too), the proposal matches the demo store's money up to a cent of rounding per item."""
    checked = 0
    for order in seeded_orders():
        if order.get("couponDiscount") or order.get("discount") or not order.get("items"):
            continue
        proposal = propose_totals(order, original=order)
        cent = Decimal("0.01") * len(order["items"])
        assert proposal.subtotal == Decimal(str(order["subtotal"]))
        assert abs(proposal.tax - Decimal(str(order["tax"]))) <= cent
        assert abs(proposal.total - Decimal(str(order["total"]))) <= cent
        checked += 1
    assert checked > 100

"""Bulk changes, tracking patterns, field labels and remote changes: the
pure parts of order actions (no store needed)."""

from __future__ import annotations

import pytest

from app.domain.references import shown_number
from app.services.orders.bulk import BulkAction, bulk_changes, field_label, tracking_from_pattern

ORDER = {"id": "DEMO-X8UYE", "orderNumber": 1042, "vendorOrderNumber": "W-1042", "total": 3}
LEGACY = {"orderNumber": 77}  # old orders have no id


def test_tracking_placeholders():
    assert tracking_from_pattern("DHL-{number}", ORDER) == "DHL-W-1042"
    assert tracking_from_pattern("{id}/{n}", ORDER, index=7) == "DEMO-X8UYE/7"
    assert tracking_from_pattern("PKG-{n:03}", ORDER, index=5) == "PKG-005"
    assert tracking_from_pattern("{{lit}}-{number}", LEGACY) == "{lit}-77"
    assert tracking_from_pattern("{id}", LEGACY) == "77"
    assert tracking_from_pattern("1Z999AA10123456784", ORDER) == "1Z999AA10123456784"


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("DHL-{nummer}", "Unknown placeholder {nummer}"),
        ("DHL-{}", "Unknown placeholder {}"),
        ("DHL-{number", "stray"),
        ("DHL-}", "stray"),
        ("{n!r}", "cannot take"),
        ("{number:05d}", "format"),
        ("", "empty"),
        ("   ", "empty"),
    ],
)
def test_bad_patterns_say_what_is_wrong(pattern, message):
    with pytest.raises(ValueError, match=message):
        tracking_from_pattern(pattern, ORDER)


def test_bulk_changes_of_each_kind():
    assert bulk_changes(ORDER, BulkAction("payment", "paid")) == {"paymentStatus": "PAID"}
    assert bulk_changes(ORDER, BulkAction("fulfillment", "CUSTOM_FULFILLMENT_STATUS_2")) == {
        "fulfillmentStatus": "CUSTOM_FULFILLMENT_STATUS_2"
    }
    assert bulk_changes(ORDER, BulkAction("tracking", "UPS-{n}"), index=2) == {
        "trackingNumber": "UPS-2"
    }
    assert bulk_changes(ORDER, BulkAction("hidden", True)) == {"hidden": True}
    assert bulk_changes(ORDER, BulkAction("hidden", False)) == {"hidden": False}


@pytest.mark.parametrize(
    "action",
    [
        BulkAction("payment", "QUEUED"),
        BulkAction("payment", True),
        BulkAction("fulfillment", "PAID"),
        BulkAction("hidden", "yes"),
        BulkAction("tracking", False),
        BulkAction("refund", "x"),  # type: ignore[arg-type]
    ],
)
def test_bulk_changes_refuse_what_cannot_apply(action):
    with pytest.raises(ValueError):
        bulk_changes(ORDER, action)


def test_labels_and_numbers():
    assert field_label("trackingNumber") == "Tracking number"
    assert field_label("shippingPerson") == "Shipping address"
    assert field_label("customerFancyField") == "Customer fancy field"
    assert shown_number(ORDER) == "W-1042"
    assert shown_number({"id": "X"}) == "X"

"""The number an order is shown by: one rule, the same for a raw order, the
typed model and the cache's ``number`` column."""

from __future__ import annotations

import pytest

from app.cache.columns import index_entry
from app.domain.references import number_shown_by, shown_number
from app.ecwid.models import Order


@pytest.mark.parametrize(
    ("order", "shown"),
    [
        ({"id": "S-X8UYE", "orderNumber": 1042, "vendorOrderNumber": "W-1042"}, "W-1042"),
        ({"id": "S-X8UYE", "orderNumber": 1042, "vendorOrderNumber": ""}, "1042"),
        ({"id": "S-X8UYE", "orderNumber": "1042"}, "1042"),
        ({"id": "S-X8UYE", "orderNumber": "n/a"}, "S-X8UYE"),
        ({"id": 17541773}, "17541773"),
        ({"vendorOrderNumber": 77, "orderNumber": 5}, "77"),
        ({"internalId": 990011}, "990011"),  # nothing else: its key
        ({}, ""),
    ],
)
def test_the_shown_number_is_the_same_everywhere(order, shown):
    assert shown_number(order) == shown
    if order:
        columns, _ = index_entry(order)
        assert columns.number == shown
        assert Order.model_validate(order).display_number == shown


def test_a_given_key_is_the_last_resort():
    assert shown_number({}, "K-1") == "K-1"
    assert shown_number({"orderNumber": 3}, "K-1") == "3"
    assert number_shown_by(None, None, None, "K-2") == "K-2"
    assert number_shown_by("", None, "", "K-2") == "K-2"

"""Amounts read exactly, and compared in whole cents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.money import amount, to_cents


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (29.439999999999998, Decimal("29.439999999999998")),
        ("  12.50 ", Decimal("12.50")),
        (7, Decimal(7)),
        (Decimal("1E+2"), Decimal("1E+2")),
        ("n/a", None),
        (True, None),
        (None, None),
        (float("inf"), None),
        ("NaN", None),
        ("1e41", None),
        ([1], None),
    ],
)
def test_an_amount_is_read_exactly_or_not_at_all(value, read):
    assert amount(value) == read
    assert amount(value) is None or type(amount(value)) is Decimal


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (29.439999999999998, 2944),
        ("29.44", 2944),
        (Decimal("0.125"), 12),  # half to even
        (Decimal("0.135"), 14),
        (-1.005, -100),
        (0, 0),
        ("x", None),
        (False, None),
        (10**18, None),
    ],
)
def test_cents(value, cents):
    assert to_cents(value) == cents

"""Phones as ECDP matches them: E.164 where the order's country makes the
number valid, as given otherwise, never local digits dressed up as an
international number; placeholders are no phone; any text at all is safe."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ecdp.phones import MAX_LENGTH, ecdp_phone

CASES = [
    # local numbers, valid in the order's country: E.164
    ("07911 123456", ["GB"], "+447911123456"),
    ("(212) 555-0100", ["US"], "+12125550100"),
    ("0176 12345678", ["de"], "+4917612345678"),  # any case
    ("0049 176 12345678", ["DE"], "+4917612345678"),  # the country's international prefix
    ("06 12 34 56 78", ["XX", None, "FR"], "+33612345678"),  # unknown codes are passed over
    ("0176 12345678", ["GB", "DE"], "+4917612345678"),  # the second country makes it valid
    ("tel. 07911 123456", ["GB"], "+447911123456"),
    # written internationally: E.164 whatever the country
    ("+44 7911 123456", ["US"], "+447911123456"),
    ("+1 (555) 010-2030", [], "+15550102030"),  # possible, though not a real line
    # not valid where the order is, or no country known: exactly as given
    ("0123456789", ["GB"], "0123456789"),
    ("0123456789", [], "0123456789"),
    ("07911 123456", [], "07911 123456"),
    ("  555-1234 ext. 12 ", ["US"], "555-1234 ext. 12"),
    # no phone at all
    ("", ["GB"], None),
    ("n/a", ["GB"], None),
    ("0", ["US"], None),
    ("1234", [], None),
    ("0000000000", ["US"], None),
    ("+1 555 010 2030, or ring the shop after six", ["US"], None),  # too long as given
    (None, ["US"], None),
]


@pytest.mark.parametrize(("given_text", "countries", "expected"), CASES)
def test_phone_rules(given_text, countries, expected):
    assert ecdp_phone(given_text, countries) == expected


COUNTRIES = st.lists(
    st.sampled_from(["GB", "US", "DE", "FR", "JP", "AU", "gb", "XX", "", None]), max_size=2
)
PHONE_TEXT = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[+0]?[0-9 ()./-]{0,24}\Z"),
    st.sampled_from(["+", "00", "+0", "+999 1234567", "0" * 30, "+" + "9" * 30, "٠٧٩١١ ١٢٣٤٥٦"]),
)


@settings(max_examples=400, deadline=None)
@given(text=PHONE_TEXT, countries=COUNTRIES)
def test_any_text_gives_a_phone_ecdp_accepts_or_none(text, countries):
    phone = ecdp_phone(text, countries)
    if phone is None:
        return
    assert 0 < len(phone) <= MAX_LENGTH
    if phone != text.strip():  # changed: only ever into a number libphonenumber vouches for
        number = phonenumbers.parse(phone)
        assert phone == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if not text.strip().startswith("+"):
            # local digits became international only because they are valid in a given country
            assert phonenumbers.is_valid_number(number)
            regions = {c.upper() for c in countries if c}
            assert any(_dialled_from(text, region) == number for region in regions)


def _dialled_from(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number ``text`` reaches when dialled in ``region``."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.parse(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    )


@settings(max_examples=200, deadline=None)
@given(text=PHONE_TEXT)
def test_without_a_country_local_digits_never_become_international(text):
    phone = ecdp_phone(text, [])
    if phone is not None and phone.startswith("+"):
        assert text.strip().startswith("+")

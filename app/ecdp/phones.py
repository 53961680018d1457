"""Customers' phone numbers in the form ECDP matches on: E.164 (``+447911123456``).

Shoppers type phones the way they say them: ``07911 123456``, ``(212)
555-0100``, ``0049 176 12345678``. ECDP matches customers by phone, so the
same customer must send the same text every time. The rules
(:func:`ecdp_phone`), with Google's libphonenumber (the ``phonenumbers``
package):

1. A number that is valid in one of the order's countries (the country of
   the person the phone belongs to first, then the order's other one) is
   sent in E.164.
2. A number written internationally (``+1 (555) 010-2030``) that has a
   possible length is sent in E.164: only its punctuation goes.
3. Anything else is sent as it was given (trimmed): a local number is never
   turned into an international one by guessing its country. One longer
   than ECDP's 20 characters is left out.

Text with fewer than 5 digits, or only one digit repeated (``0``,
``0000000000``: what shoppers type when a phone is required and they have
none to give), is no phone: sent, it would make one ECDP customer of
everyone who typed it.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

MAX_LENGTH = 20  # ECDP's limit for customer.phone
MIN_DIGITS = 5
_LONGEST_PARSED = 64  # longer text is no phone number (libphonenumber stops at 250)


def ecdp_phone(given: str | None, countries: Iterable[str | None] = ()) -> str | None:
    """The phone to send for ``given`` (see the module's rules), or ``None``
    when it is no phone or does not fit. ``countries``: ISO 3166 codes of the
    order's countries, the most likely first."""
    if not isinstance(given, str):
        return None
    text = given.strip()
    digits = [char for char in text if char.isdigit()]
    if len(digits) < MIN_DIGITS or len(set(digits)) == 1:
        return None
    normalised = e164(text, countries)
    if normalised is not None:
        return normalised
    return text if len(text) <= MAX_LENGTH else None


def e164(text: str, countries: Iterable[str | None] = ()) -> str | None:
    """``text`` in E.164 when rule 1 or 2 of the module applies, else ``None``."""
    if len(text) > _LONGEST_PARSED:
        return None
    for region in _regions(countries):
        number = _parse(text, region)
        if number is not None and phonenumbers.is_valid_number(number):
            return _formatted(number)
    if text.startswith("+"):
        number = _parse(text, None)
        if number is not None and phonenumbers.is_possible_number(number):
            return _formatted(number)
    return None


def _regions(countries: Iterable[str | None]) -> list[str]:
    known = phonenumbers.SUPPORTED_REGIONS
    found: list[str] = []
    for country in countries:
        code = country.strip().upper() if isinstance(country, str) else ""
        if code in known and code not in found:
            found.append(code)
    return found


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _formatted(number: phonenumbers.PhoneNumber) -> str | None:
    formatted = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return formatted if len(formatted) <= MAX_LENGTH else None

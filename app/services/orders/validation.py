"""Checks of an edited order before anything is sent: every problem, in plain words,
with the path of the field it is about. :func:`validate` never raises, whatever
the editor's copy holds (raw typed text, ``None``, wrong types).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from app.domain.statuses import FulfillmentStatus, PaymentStatus, is_user_settable
from app.services.orders.fields import (
    EDITABLE_PERSON_FIELDS,
    MAX_LONG_TEXT,
    MAX_TEXT,
    PERSON_KEYS,
    FieldPath,
    FieldProblem,
    NotANumber,
    is_blank,
    parse_decimal,
    parse_quantity,
    text_of,
)

# ISO 3166-1 alpha-2, plus XK (Kosovo), which Ecwid and the carriers use.
COUNTRY_CODES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA
    ZM ZW XK""".split()
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PLAIN_TEXT_FIELDS = ("trackingNumber",)
_LONG_TEXT_FIELDS = ("privateAdminNotes", "orderComments")
_MONEY_FIELDS = ("subtotal", "tax", "total")


class _Problems:
    """Collects problems; each check is guarded so one bad value never hides the rest."""

    def __init__(self) -> None:
        self.found: list[FieldProblem] = []

    def add(self, path: FieldPath, message: str) -> None:
        self.found.append(FieldProblem(path, message))

    def text(self, path: FieldPath, value: Any, *, limit: int = MAX_TEXT) -> str | None:
        text = text_of(value)
        if text is None:
            self.add(path, "must be text")
        elif len(text) > limit:
            self.add(path, f"is too long (at most {limit} characters)")
        return text

    def long_text(self, path: FieldPath, value: Any) -> None:
        text = text_of(value)
        if text is None:
            self.add(path, "must be text")
        elif len(text.encode("utf-8", "surrogatepass")) > MAX_LONG_TEXT:
            self.add(path, "is too long (at most 64 kB)")

    def amount(self, path: FieldPath, value: Any, *, optional: bool = False) -> None:
        if optional and value is None:
            return
        try:
            number = parse_decimal(value)
        except NotANumber as exc:
            self.add(path, str(exc))
            return
        if number < 0:
            self.add(path, "must not be negative")


def validate(edited: Mapping[str, Any]) -> list[FieldProblem]:
    """Every problem of the edited order ``edited``; ``[]`` when it can be sent.

    Rules: e-mail empty or shaped like one; payment and fulfillment status
    known (the custom statuses included); country codes empty or ISO 3166-1
    alpha-2 (any case); every item has a name, a whole quantity from 1 to
    2147483647 and a price ≥ 0; weights, the shipping rate and subtotal, tax
    and total are numbers ≥ 0 (``"12.5"``, ``"12,50"`` and ``" 3 "`` read as
    numbers); text fields hold at most 4000 characters, private notes and
    order comments at most 64 kB. Only the fields present are checked, so a
    partial body (a ``PUT``'s changes) can be checked too.
    """
    problems = _Problems()
    try:
        if not isinstance(edited, Mapping):
            return [FieldProblem((), "the order must be an object")]
        _check_order(problems, edited)
    except Exception as exc:  # noqa: BLE001 - validate must answer, whatever it is given
        problems.add((), f"cannot be checked ({type(exc).__name__})")
    return problems.found


def status_change_problems(changes: Mapping[str, Any]) -> list[FieldProblem]:
    """Problems of the statuses a change *sets* (``changes`` is what would be
    sent, not the whole order): a status only the store gives (INCOMPLETE, an
    abandoned checkout) cannot be chosen. An order that already has it keeps
    it: :func:`validate` of the whole order does not complain."""
    if not isinstance(changes, Mapping):
        return []
    return [
        FieldProblem(
            (name,),
            "cannot be set to INCOMPLETE: the store gives that status to an abandoned "
            "checkout, and only the store can",
        )
        for name in ("paymentStatus", "fulfillmentStatus")
        if name in changes and not is_user_settable(changes[name])
    ]


def _check_order(problems: _Problems, edited: Mapping[str, Any]) -> None:
    if "email" in edited:
        email = problems.text(("email",), edited["email"])
        if email is not None and email.strip() and not _EMAIL.fullmatch(email.strip()):
            problems.add(("email",), "is not an e-mail address (name@example.com)")
    _check_status(problems, edited, "paymentStatus", PaymentStatus, "payment")
    _check_status(problems, edited, "fulfillmentStatus", FulfillmentStatus, "fulfillment")
    for name in _PLAIN_TEXT_FIELDS:
        if name in edited:
            problems.text((name,), edited[name])
    for name in _LONG_TEXT_FIELDS:
        if name in edited:
            problems.long_text((name,), edited[name])
    for name in _MONEY_FIELDS:
        if name in edited:
            problems.amount((name,), edited[name])
    if (
        "hidden" in edited
        and edited["hidden"] is not None
        and not isinstance(edited["hidden"], bool)
    ):
        problems.add(("hidden",), "must be yes or no")
    for name in PERSON_KEYS:
        _check_person(problems, name, edited.get(name))
    _check_shipping(problems, edited.get("shippingOption"))
    _check_items(problems, edited.get("items"))


def _check_status(
    problems: _Problems, edited: Mapping[str, Any], name: str, kind: type[Enum], words: str
) -> None:
    if name not in edited:
        return
    value = edited[name]
    if is_blank(value):
        problems.add((name,), f"choose a {words} status")
    elif not isinstance(value, str) or value.strip().upper() not in kind.__members__:
        problems.add((name,), f"is not a {words} status this store knows")


def _check_person(problems: _Problems, name: str, person: Any) -> None:
    if person is None:
        return
    if not isinstance(person, Mapping):
        problems.add((name,), "must be an address")
        return
    for field in (*EDITABLE_PERSON_FIELDS, "firstName", "lastName"):
        if field in person:
            text = problems.text((name, field), person[field])
            if field == "countryCode" and text is not None and text.strip():
                code = text.strip().upper()
                if len(code) != 2 or code not in COUNTRY_CODES:
                    problems.add((name, field), "is not a two-letter country code (such as US)")


def _check_shipping(problems: _Problems, option: Any) -> None:
    if option is None:
        return
    if not isinstance(option, Mapping):
        problems.add(("shippingOption",), "must be a shipping option")
        return
    if "shippingRate" in option:
        problems.amount(("shippingOption", "shippingRate"), option["shippingRate"])
    if "shippingMethodName" in option:
        problems.text(("shippingOption", "shippingMethodName"), option["shippingMethodName"])


def _check_items(problems: _Problems, items: Any) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        problems.add(("items",), "must be a list of items")
        return
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.add(("items", index), "is not an item")
            continue
        _check_item(problems, index, item)


def _check_item(problems: _Problems, index: int, item: Mapping[str, Any]) -> None:
    name = problems.text(("items", index, "name"), item.get("name"))
    if name is not None and not name.strip():
        problems.add(("items", index, "name"), "is required")
    if "sku" in item:
        problems.text(("items", index, "sku"), item["sku"])
    try:
        parse_quantity(item.get("quantity"))
    except NotANumber as exc:
        problems.add(("items", index, "quantity"), str(exc))
    problems.amount(("items", index, "price"), item.get("price"))
    if "weight" in item:
        problems.amount(("items", index, "weight"), item["weight"], optional=True)
    options = item.get("selectedOptions")
    if options is None:
        return
    if not isinstance(options, list):
        problems.add(("items", index, "selectedOptions"), "must be a list of options")
        return
    for position, option in enumerate(options):
        path = ("items", index, "selectedOptions", position)
        if not isinstance(option, Mapping):
            problems.add(path, "is not an option")
        elif option.get("type") != "FILES" and "value" in option:
            problems.text((*path, "value"), option["value"])

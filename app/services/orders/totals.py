"""Proposed subtotal, tax and total of an edited order, with the arithmetic in words.

All money is :class:`~decimal.Decimal`, rounded half up to cents (the
currency precision of 2) per item tax and per total; no float arithmetic.

* Subtotal = Σ price × quantity over the items.
* Tax, per item: an item with ``taxes`` (``[{name, value: rate %, total,
  taxOnShipping…}]``) gets rate % of price × quantity for each tax, plus the
  tax's ``taxOnShipping`` as it is (shipping is not edited here). When the
  order's ``pricesIncludeTax`` is true the tax is already inside the price, so
  it is price × quantity × rate / (100 + rate), and it is not added again to
  the total. An item without ``taxes`` keeps its ``tax`` field in proportion
  to its amount: with the ``original`` order given, its original tax × (new
  price × quantity) / (original price × quantity); without it, as it is.
  A new item without taxes adds none.
* Total = subtotal − couponDiscount − discount + shippingOption.shippingRate
  + handlingFee.value + Σ customSurcharges.total + tax (unless included),
  never below 0. Ecwid's ``discount`` already includes ``volumeDiscount`` and
  ``membershipBasedDiscount``; those two are subtracted only when an order
  has no ``discount`` field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from app.domain.money import number_for_json
from app.services.orders.fields import (
    EditInvalid,
    FieldProblem,
    NotANumber,
    parse_decimal,
    parse_quantity,
    text_of,
)
from app.services.orders.items import match_items

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class TotalsProposal:
    """What subtotal, tax and total should be after an edit, and why."""

    subtotal: Decimal
    tax: Decimal
    total: Decimal
    lines: list[str] = field(default_factory=list)  # the arithmetic, one step a line
    changes: dict[str, Any] = field(default_factory=dict)  # JSON numbers differing from edited


@dataclass(frozen=True)
class _Line:
    name: str
    quantity: int
    price: Decimal
    item: Mapping[str, Any]

    @property
    def amount(self) -> Decimal:
        return self.price * self.quantity


def money(value: Decimal) -> Decimal:
    """``value`` rounded half up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal) -> str:
    """Money with the currency's two decimals: ``12.50``."""
    return f"{money(value):.2f}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def propose_totals(
    edited: Mapping[str, Any], *, original: Mapping[str, Any] | None = None
) -> TotalsProposal:
    """Subtotal, tax and total for the items of ``edited`` (rules in the module text).

    ``original``, the order as the edit began, lets an item without ``taxes``
    scale its tax to a new quantity or price. Raises :class:`EditInvalid` when
    a price, quantity or the shipping rate cannot be read as a number.
    """
    with localcontext(prec=80):  # exact for any amount validation lets through
        return _propose(edited, original)


def _propose(edited: Mapping[str, Any], original: Mapping[str, Any] | None) -> TotalsProposal:
    lines = _item_lines(edited)
    subtotal = money(sum((line.amount for line in lines), ZERO))
    terms = " + ".join(f"{line.quantity} × {show(line.price)}" for line in lines) or "no items"
    words = [f"Subtotal: {terms} = {show(subtotal)}"]

    included = edited.get("pricesIncludeTax") is True
    item_taxes = [t for t in _item_taxes(original, lines, included, words) if t]
    tax = money(sum(item_taxes, ZERO))
    if len(item_taxes) > 1:
        words.append(f"Tax: {' + '.join(show(t) for t in item_taxes)} = {show(tax)}")
    else:
        words.append(f"Tax: {show(tax)}")
    if included:
        words.append(
            f"Prices include tax: the {show(tax)} tax is already part of the prices, "
            "so it is not added to the total again."
        )
    total, total_words = _total(edited, subtotal, tax, included)
    words.append(total_words)

    changes: dict[str, Any] = {}
    for name, value in (("subtotal", subtotal), ("tax", tax), ("total", total)):
        try:
            current = parse_decimal(edited.get(name))
        except NotANumber:
            current = None
        if current is None or current != value:
            changes[name] = number_for_json(value)
    return TotalsProposal(subtotal, tax, total, words, changes)


def apply_totals(edited: dict[str, Any], proposal: TotalsProposal) -> None:
    """Write the proposed subtotal, tax and total into ``edited`` (as JSON numbers)."""
    edited.update(proposal.changes)


def _item_lines(edited: Mapping[str, Any]) -> list[_Line]:
    items = edited.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        raise EditInvalid([FieldProblem(("items",), "must be a list of items")])
    lines: list[_Line] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(FieldProblem(("items", index), "is not an item"))
            continue
        try:
            quantity = parse_quantity(item.get("quantity"))
        except NotANumber as exc:
            problems.append(FieldProblem(("items", index, "quantity"), str(exc)))
            continue
        try:
            price = parse_decimal(item.get("price"))
        except NotANumber as exc:
            problems.append(FieldProblem(("items", index, "price"), str(exc)))
            continue
        if price < 0:
            problems.append(FieldProblem(("items", index, "price"), "must not be negative"))
            continue
        name = text_of(item.get("name")) or f"item {index + 1}"
        lines.append(_Line(name.strip() or f"item {index + 1}", quantity, price, item))
    if problems:
        raise EditInvalid(problems)
    return lines


def _item_taxes(
    original: Mapping[str, Any] | None,
    lines: list[_Line],
    included: bool,
    words: list[str],
) -> list[Decimal]:
    originals: list[Any] = []
    pairs: list[int | None] = [None] * len(lines)
    if original is not None and isinstance(original.get("items"), list):
        originals = original["items"]
        pairs = match_items(originals, [line.item for line in lines])
    taxes: list[Decimal] = []
    for line, index in zip(lines, pairs, strict=True):
        rated = _rated_taxes(line.item)
        if rated:
            tax = _tax_from_rates(line, rated, included, words)
        else:
            before = originals[index] if index is not None else None
            tax = _tax_kept(line, before, words)
        taxes.append(tax)
    return taxes


def _rated_taxes(item: Mapping[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    """(name, rate %, tax on shipping) of each readable entry of ``item["taxes"]``."""
    entries = item.get("taxes")
    if not isinstance(entries, list):
        return []
    rated = []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        try:
            rate = parse_decimal(entry.get("value"))
        except NotANumber:
            continue
        try:
            shipping = parse_decimal(entry.get("taxOnShipping", 0))
        except NotANumber:
            shipping = ZERO
        rated.append((text_of(entry.get("name")) or "Tax", rate, shipping))
    return rated


def _tax_from_rates(
    line: _Line, rated: list[tuple[str, Decimal, Decimal]], included: bool, words: list[str]
) -> Decimal:
    total = ZERO
    for name, rate, shipping in rated:
        amount = show(line.amount)
        if included:
            on_goods = line.amount * rate / (100 + rate) if rate > -100 else ZERO
            text = f"{name} {_plain(rate)}% included in {amount} = {show(on_goods)}"
        else:
            on_goods = line.amount * rate / 100
            text = f"{name} {_plain(rate)}% of {amount} = {show(on_goods)}"
        if shipping:
            text += f" + {show(shipping)} on shipping"
        total += on_goods + shipping
        words.append(f"Tax on {line.name}: {text}")
    return money(total)


def _tax_kept(line: _Line, before: Any, words: list[str]) -> Decimal:
    source = before if isinstance(before, Mapping) else line.item
    tax = _decimal_or_zero(source.get("tax"))
    if not tax:
        return ZERO
    if source is not line.item:
        try:
            old_amount = parse_decimal(source.get("price")) * parse_quantity(source.get("quantity"))
        except NotANumber:
            old_amount = ZERO
        if old_amount and old_amount != line.amount:
            scaled = money(tax * line.amount / old_amount)
            words.append(
                f"Tax on {line.name}: {show(tax)} for {show(old_amount)}, "
                f"scaled to {show(line.amount)} = {show(scaled)}"
            )
            return scaled
    words.append(f"Tax on {line.name}: {show(tax)} (its own tax, kept)")
    return money(tax)


def _decimal_or_zero(value: Any) -> Decimal:
    try:
        return parse_decimal(value)
    except NotANumber:
        return ZERO


def _total(
    edited: Mapping[str, Any], subtotal: Decimal, tax: Decimal, included: bool
) -> tuple[Decimal, str]:
    terms: list[tuple[str, Decimal, str]] = []  # sign, amount, what

    def add(sign: str, value: Any, what: str) -> None:
        if value is None:
            return
        try:
            number = parse_decimal(value)
        except NotANumber:
            return
        if number:
            terms.append((sign, number, what))

    add("−", edited.get("couponDiscount"), "coupon")
    if edited.get("discount") is not None:
        add("−", edited.get("discount"), "discount")
    else:
        add("−", edited.get("volumeDiscount"), "volume discount")
        add("−", edited.get("membershipBasedDiscount"), "membership discount")
    shipping = edited.get("shippingOption")
    if isinstance(shipping, Mapping) and shipping.get("shippingRate") is not None:
        try:
            rate = parse_decimal(shipping["shippingRate"])
        except NotANumber as exc:
            raise EditInvalid(
                [FieldProblem(("shippingOption", "shippingRate"), str(exc))]
            ) from None
        if rate < 0:
            problem = FieldProblem(("shippingOption", "shippingRate"), "must not be negative")
            raise EditInvalid([problem])
        add("+", rate, "shipping")
    handling = edited.get("handlingFee")
    if isinstance(handling, Mapping):
        add("+", handling.get("value"), "handling fee")
    surcharges = edited.get("customSurcharges")
    if isinstance(surcharges, list):
        for surcharge in surcharges:
            if isinstance(surcharge, Mapping):
                what = text_of(surcharge.get("description")) or "surcharge"
                add("+", surcharge.get("total"), what.strip() or "surcharge")
    if not included:
        add("+", tax, "tax")
    total = subtotal
    text = f"Total: {show(subtotal)} subtotal"
    for sign, number, what in terms:
        total = total - number if sign == "−" else total + number
        text += f" {sign} {show(number)} {what}"
    total = money(total)
    if total < 0:
        return ZERO, f"{text} = {show(total)}, so 0.00 (a total is never negative)"
    return total, f"{text} = {show(total)}"

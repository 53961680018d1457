"""Building blocks of the order detail HTML: escaping, value formatting and tables.

Orders hold customer-supplied text, so every value goes through :func:`text`
(``html.escape``) on its way in; only http(s) addresses become links. Values
are formatted by their key and shape (money, dates, yes/no, nested data
flattened into labelled rows), and :class:`Rows`, :func:`section` and
:func:`note_section` turn them into the headed tables every section of
:mod:`ui.detail.html` is made of. The ``adminUrl`` of product files
carries the API token and is never rendered.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

Order = Mapping[str, Any]
Row = tuple[str, str]
"""A label (plain text) and a value (HTML, already escaped)."""
SectionBuilder = Callable[[Order, "OrderFormat"], str]
Field = tuple[str, str, str]
"""``(label, key, kind)``; kind: "value", "money", "nonzero" (money, zero left out),
"date" or "friendly" (an enum value in words)."""

SECRET_KEYS = frozenset({"adminUrl"})
MONEY_KEYS = frozenset(
    """price productPrice fixedShippingRate shipping tax total subtotal subtotalWithoutTax
    totalWithoutTax discount couponDiscount volumeDiscount membershipBasedDiscount
    totalAndMembershipBasedDiscount shippingRate declaredValue amount refundedAmount
    giftCardRedemption totalBeforeGiftCardRedemption taxOnDiscountedSubtotal taxOnShipping
    orderTotal totalLimit""".split()
)
FRIENDLY_VALUES = {
    "CHOICE": "choice",
    "CHOICES": "checkboxes",
    "TEXT": "text",
    "DATE": "date",
    "FILES": "files",
    "ABS": "amount",
    "PERCENT": "percent",
    "SHIPPING": "shipping",
    "ABS_AND_SHIPPING": "amount and shipping",
    "PERCENT_AND_SHIPPING": "percent and shipping",
    "ON_TOTAL": "on subtotal",
    "ON_MEMBERSHIP": "on customer group",
    "ON_TOTAL_AND_MEMBERSHIP": "on subtotal and customer group",
    "CUSTOM": "custom",
    "ONCEPERCUSTOMER": "once per customer",
    "UNLIMITED": "unlimited",
    "SINGLE": "single use",
    "ACTIVE": "active",
    "PAUSED": "paused",
    "EXPIRED": "expired",
    "USEDUP": "used up",
}
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|_")
_ACRONYMS = {
    w.lower(): w for w in ("ID", "URL", "IP", "UTM", "USD", "SKU", "B2B", "B2C", "AVS", "CVV")
}


# -- values --------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def is_zero(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def human_label(key: str) -> str:
    """``giftCardRedemption`` → "Gift card redemption"; keys with spaces (names
    a person chose, e.g. payment parameters) stay as they are."""
    if " " in key or not key:
        return key
    words = [_ACRONYMS.get(w.lower(), w.lower()) for w in _WORD_BREAK.split(key) if w]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def friendly(value: Any) -> str:
    """A known enum value in words; anything else as it came."""
    return FRIENDLY_VALUES.get(value, str(value)) if isinstance(value, str) else str(value)


def text(value: Any) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(str(value)).replace("\n", "<br>")


def link_or_text(value: str) -> str:
    """A link for an http(s) address, escaped text for anything else."""
    if value.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in value):
        return f'<a href="{html.escape(value, quote=True)}">{text(value)}</a>'
    return text(value)


def generic_value(key: str, value: Any, fmt: OrderFormat) -> str:
    """A scalar or a list of scalars as HTML, formatted by its key and shape."""
    if isinstance(value, bool):
        return fmt.yes_no(value)
    if isinstance(value, int | float) and key in MONEY_KEYS:
        return text(fmt.money(value))
    if isinstance(value, int):
        return text(value)
    if isinstance(value, float):
        return text(fmt.number(value))
    if isinstance(value, str):
        date = fmt.ecwid_date(value)
        return text(date) if date is not None else link_or_text(value)
    if isinstance(value, list):
        return ", ".join(generic_value(key, item, fmt) for item in value if not is_missing(item))
    return text(value)


def flatten(label: str, key: str, value: Any) -> Iterator[tuple[str, str, Any]]:
    """``(label, key, scalar)`` for a value; nested dicts and lists of dicts
    get labels like "External order data › Referer channel"."""
    if is_missing(value) or key in SECRET_KEYS:
        return
    if isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            yield from flatten(f"{label} › {human_label(sub_key)}", sub_key, sub_value)
    elif isinstance(value, list) and any(isinstance(item, Mapping | list) for item in value):
        numbered = len(value) > 1
        for index, item in enumerate(value, start=1):
            yield from flatten(f"{label} {index}" if numbered else label, key, item)
    else:
        yield label, key, value


def generic_rows(
    values: Any, fmt: OrderFormat, skip: Iterable[str] = (), prefix: str = ""
) -> list[Row]:
    """Rows for every key of ``values`` not in ``skip``, nested values flattened."""
    if not isinstance(values, Mapping):
        return []
    skipped = set(skip)
    return [
        (label, generic_value(key, value, fmt))
        for name, raw in values.items()
        if name not in skipped
        for label, key, value in flatten(f"{prefix}{human_label(name)}", name, raw)
    ]


def inline(rows: Iterable[Row]) -> str:
    """Rows on one wrapping line: "Label: value · Label: value"; links show
    only the last part of their address, to keep the line short."""
    return " · ".join(f"{text(label)}: {_short_link(value)}" for label, value in rows)


_LINK = re.compile(r'(<a href="[^"]*">)([^<]*)(</a>)')


def _short_link(value: str) -> str:
    def shorten(match: re.Match[str]) -> str:
        tail = html.unescape(match.group(2)).rstrip("/").rsplit("/", 1)[-1] or "link"
        return f"{match.group(1)}{text(tail)}{match.group(3)}"

    return _LINK.sub(shorten, value)


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def mappings(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def money_or_blank(value: Any, fmt: OrderFormat) -> str:
    return "" if is_missing(value) else text(fmt.money(value))


# -- building blocks -------------------------------------------------------------


class Rows:
    """A section's label/value rows; missing values add nothing."""

    def __init__(self, fmt: OrderFormat) -> None:
        self.fmt = fmt
        self.rows: list[Row] = []

    def html(self, label: str, value: str | None) -> None:
        if value:
            self.rows.append((label, value))

    def text(self, label: str, value: Any) -> None:
        if not is_missing(value):
            self.html(label, text(value))

    def value(self, label: str, key: str, value: Any) -> None:
        if not is_missing(value):
            self.html(label, generic_value(key, value, self.fmt))

    def money(self, label: str, value: Any, *, skip_zero: bool = False) -> None:
        if not is_missing(value) and not (skip_zero and is_zero(value)):
            self.html(label, text(self.fmt.money(value)))

    def date(self, label: str, value: Any) -> None:
        if not is_missing(value):
            self.html(label, text(self.fmt.date(value)))

    def extend(self, rows: Iterable[Row]) -> None:
        self.rows.extend(rows)

    def fields(self, values: Mapping[str, Any], spec: Iterable[Field]) -> None:
        """One row per ``(label, key, kind)``; kind says how to format the value."""
        for label, key, kind in spec:
            value = values.get(key)
            if kind in ("money", "nonzero"):
                self.money(label, value, skip_zero=kind == "nonzero")
            elif kind == "date":
                self.date(label, value)
            elif kind == "friendly":
                shown = None if is_missing(value) else friendly(value)
                self.text(label, shown[:1].upper() + shown[1:] if shown else None)
            else:
                self.value(label, key, value)


def section(title: str, rows: list[Row]) -> str:
    """A heading over a two-column table of label/value rows ("" without rows)."""
    if not rows:
        return ""
    body = "".join(
        f'<tr><td class="label" width="36%">{text(label)}</td><td class="value">{value}</td></tr>'
        for label, value in rows
    )
    table = '<table class="fields" width="100%" cellspacing="0" cellpadding="0">'
    return f"<h3>{text(title)}</h3>{table}{body}</table>"


def note_section(title: str, note: Any) -> str:
    """A heading over a paragraph of free text (comments, notes)."""
    if is_missing(note):
        return ""
    return f'<h3>{text(title)}</h3><p class="note">{text(note)}</p>'

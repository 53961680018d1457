"""Values behind the order filters: date presets, days in a time zone, typed values.

Dates become aware datetimes (the start or end of a day) in a given zone
(``None`` = the computer's own zone), and the text users type for an order
total, order numbers, order IDs, customer, product and subscription IDs or a
referrer ID is parsed here, with a ValueError whose message says what is
wrong. No widgets: the editors in
:mod:`ui.orders.range_editors` and :mod:`ui.orders.more_filters` and the pills in
:mod:`ui.orders.filter_pills` share these.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation

DATE_PRESETS = ("Today", "Last 7 days", "Last 30 days", "This month")
MAX_AMOUNT = Decimal("1e12")


def preset_days(preset: str, today: date) -> tuple[date, date]:
    """The first and last day of a date preset (one of :data:`DATE_PRESETS`)."""
    days = {"Today": 0, "Last 7 days": 6, "Last 30 days": 29}
    if preset in days:
        return today - timedelta(days=days[preset]), today
    if preset == "This month":
        return today.replace(day=1), today
    raise ValueError(f"unknown date preset {preset!r}")


def day_start(day: date, zone: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time())
    return naive.replace(tzinfo=zone) if zone is not None else naive.astimezone()


def day_end(day: date, zone: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(23, 59, 59))
    return naive.replace(tzinfo=zone) if zone is not None else naive.astimezone()


def day_of(moment: datetime, zone: tzinfo | None) -> date:
    return moment.astimezone(zone).date()


def today_in(zone: tzinfo | None) -> date:
    return datetime.now(zone).date() if zone is not None else date.today()


def parse_amount(text: str) -> Decimal | None:
    """An order total typed by the user (``None`` when blank); ValueError says what is wrong."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        return None
    problem = f"“{text.strip()}” is not an amount; type a number such as 49.90."
    if cleaned.count(",") + cleaned.count(".") > 1 or not re.fullmatch(r"[0-9.,+-]+", cleaned):
        raise ValueError(problem)
    try:
        amount = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(problem) from None
    if amount < 0:
        raise ValueError("An order total cannot be negative; type 0 or more.")
    if amount >= MAX_AMOUNT:
        raise ValueError("That amount is too large for an order total.")
    return amount


def parse_order_numbers(text: str) -> list[int] | None:
    """Order numbers separated by commas or spaces (``None`` when blank)."""
    numbers = []
    for part in re.split(r"[,;\s]+", text.strip()):
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or int(part) == 0 or len(part) > 18:
            raise ValueError(
                f"“{part}” is not an order number; type whole numbers separated by commas, "
                "e.g. 1021, 1022."
            )
        numbers.append(int(part))
    return list(dict.fromkeys(numbers)) or None


MAX_ID_DIGITS = 18  # an id Ecwid gives is a 64-bit number
MAX_TEXT_ID = 64


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[,;\s]+", text.strip()) if part]


def _store_id(part: str, what: str, hint: str) -> int:
    if not (part.isascii() and part.isdigit()) or int(part) == 0 or len(part) > MAX_ID_DIGITS:
        raise ValueError(f"“{shorten(part)}” is not a {what}; {hint}.")
    return int(part)


def parse_store_id(text: str, what: str, example: str = "15319410") -> int | None:
    """One id the store gives (``what``: "customer ID", …); ``None`` when blank."""
    parts = _split(text)
    if len(parts) > 1:
        raise ValueError(f"Type one {what}; this filter takes a single one.")
    hint = f"type a whole number such as {example}"
    return _store_id(parts[0], what, hint) if parts else None


def parse_store_ids(text: str, what: str, example: str = "71011, 71020") -> list[int] | None:
    """Ids the store gives, separated by commas or spaces (``None`` when blank)."""
    hint = f"type whole numbers separated by commas, e.g. {example}"
    ids = [_store_id(part, what, hint) for part in _split(text)]
    return list(dict.fromkeys(ids)) or None


def parse_order_ids(text: str) -> list[str] | None:
    """Order IDs (``MYSTORE-X8UYE``, or the internal number) separated by
    commas or spaces (``None`` when blank)."""
    ids = []
    for part in _split(text):
        if len(part) > MAX_TEXT_ID or not part.isprintable():
            raise ValueError(
                f"“{shorten(part)}” is not an order ID; type IDs such as DEMO-X8UYE, "
                "separated by commas."
            )
        ids.append(part)
    return list(dict.fromkeys(ids)) or None


def parse_referrer_id(text: str) -> str | None:
    """One referrer ID, as the store keeps it (``None`` when blank)."""
    value = text.strip()
    if not value:
        return None
    if "," in value or len(value) > MAX_TEXT_ID or not value.isprintable():
        raise ValueError(f"“{shorten(value)}” is not a referrer ID; type a single one, e.g. 1207.")
    return value


def shorten(text: str, length: int = 24) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"

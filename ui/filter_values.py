"""Values behind the order filters: date presets, days in a time zone, typed amounts.

Dates become aware datetimes (the start or end of a day) in a given zone
(``None`` = the computer's own zone), and the text users type for an order
total or a list of order numbers is parsed here, with a ValueError whose
message says what is wrong. No widgets: the editors in
:mod:`ui.range_editors` and :mod:`ui.more_filters` and the pills in
:mod:`ui.filter_pills` share these.
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

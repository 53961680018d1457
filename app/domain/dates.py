"""Dates as the store writes them: parsed, formatted, and made into search
filter values (the cache, the clients, the services and the window all read
an order's dates with these).

Orders carry ``yyyy-MM-dd HH:mm:ss +0000`` (very old orders other offsets, e.g.
``-0800``). Search filters accept a UNIX timestamp, ``yyyy-MM-dd HH:mm:ss Z``,
``yyyy-MM-dd HH:mm:ss`` or ``yyyy-MM-dd``. Parsing is the standard library's:
these are fixed formats, no guessing library is needed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

ECWID_FORMAT = "%Y-%m-%d %H:%M:%S %z"
FILTER_FORMATS = (ECWID_FORMAT, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
"""The string forms search filters accept, besides a UNIX timestamp."""


# Ecwid's own shape, parsed without strptime (which costs ~12 µs a call and
# dominated parsing a page of orders).
_CANONICAL = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\Z")


@lru_cache(maxsize=64)
def _offset(sign: str, hours: str, minutes: str) -> timezone:
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if not delta:
        return UTC
    return timezone(-delta if sign == "-" else delta)


def _parse_canonical(text: str) -> datetime | None:
    match = _CANONICAL.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=_offset(sign, off_h, off_m),
        )
    except ValueError:
        raise ValueError(f"not an Ecwid date: {text!r}") from None


def _from_timestamp(value: float) -> datetime:
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"not a date: timestamp {value!r} is out of range") from None


def parse_ecwid_datetime(value: object) -> datetime:
    """Parse any date form Ecwid sends or accepts into an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_timestamp(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    if (fast := _parse_canonical(text)) is not None:
        return fast
    if text.isdigit():
        return _from_timestamp(int(text))
    for fmt in FILTER_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an Ecwid date: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_ecwid_datetime(value: datetime) -> str:
    """Format as Ecwid does (``2024-09-04 07:22:10 +0000``), keeping the offset."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.strftime(ECWID_FORMAT)


def to_filter_value(value: datetime | date | int | float | str) -> str:
    """A value for a date search filter: strings already in one of the API's
    own forms pass through; anything else (datetimes, ISO strings) becomes a
    UNIX timestamp. Raises ValueError for what is not a date."""
    moment = parse_ecwid_datetime(value)  # raises ValueError with a clear message
    if isinstance(value, str) and _in_filter_form(value.strip()):
        return value.strip()
    return str(int(moment.timestamp()))


def _in_filter_form(text: str) -> bool:
    if text.isdigit():
        return True
    for fmt in FILTER_FORMATS:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return True
    return False

"""Date formats of the Ecwid API: order dates and search-filter dates.

Order dates are ``yyyy-MM-dd HH:mm:ss +0000``; very old orders carry other
offsets (``-0800``). Search filters accept a UNIX timestamp,
``yyyy-MM-dd HH:mm:ss Z``, ``yyyy-MM-dd HH:mm:ss`` (UTC) or ``yyyy-MM-dd``
(00:00 UTC). A ``+`` sent unencoded in a query string arrives as a space, so
``2015-04-22 18:48:38  0000`` is read as ``+0000``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta, timezone

_DATE_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([+\- ])\s*(\d{2}):?(\d{2})|\s*Z)?)?\s*$"
)
_UNIX_RE = re.compile(r"^\s*\d{1,12}(?:\.\d+)?\s*$")


_DAYS: dict[int, str] = {}


def format_date(ts: int | float, offset_minutes: int = 0) -> str:
    """Format a UNIX time as ``yyyy-MM-dd HH:mm:ss +0000`` (or another offset)."""
    if offset_minutes == 0:
        # Fast path: the seed formats hundreds of thousands of dates.
        days, seconds = divmod(int(ts), 86400)
        day = _DAYS.get(days)
        if day is None:
            day = _DAYS[days] = f"{datetime.fromtimestamp(days * 86400, UTC):%Y-%m-%d}"
        hours, rest = divmod(seconds, 3600)
        return f"{day} {hours:02d}:{rest // 60:02d}:{rest % 60:02d} +0000"
    tz = timezone(timedelta(minutes=offset_minutes))
    dt = datetime.fromtimestamp(int(ts), tz)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{dt:%Y-%m-%d %H:%M:%S} {sign}{hours:02d}{minutes:02d}"


def parse_date(value: str) -> int | None:
    """Parse any accepted date form into a UNIX time; ``None`` if it is not one."""
    if not isinstance(value, str):
        return None
    if _UNIX_RE.match(value):
        return int(float(value))
    match = _DATE_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    offset = timedelta(0)
    if sign is not None:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        if sign == "-":
            offset = -offset
    try:
        dt = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=timezone(offset),
        )
    except ValueError:
        return None
    return int(dt.timestamp())


def today_midnight_utc() -> datetime:
    """Today at 00:00 UTC: the default anchor of the seeded data."""
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def now_ts() -> int:
    return int(time.time())

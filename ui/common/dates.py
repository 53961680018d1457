"""Dates and times as the user's locale writes them, in two forms used
everywhere in the window, so that one order never reads "12/6/26" in one
place and "Sunday, December 6, 2026" in another:

* :func:`short_date_time` for tables and lists (the order table, the outbox,
  the customer's orders, what this desk wrote): the locale's short date and
  time, "12/6/26 7:43 AM" (en-US), "06.12.26 07:43" (de);
* :func:`medium_date_time` everywhere else (the detail pane, the editor,
  tooltips): the month by name, no weekday, "Dec 6, 2026 7:43 AM",
  "6. Dez. 2026 07:43"; :func:`medium_date` without the time.

Times are this computer's local time. Qt has no "medium" format: it is the
locale's long date format without the weekday and with the month's short
name, joined to the time as the locale joins its short date and time.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from PySide6.QtCore import QDate, QDateTime, QLocale

from app.domain.dates import parse_ecwid_datetime

Moment = datetime | str | int | float | QDateTime | None
"""An aware datetime, an Ecwid date string, a UNIX timestamp or a QDateTime."""

SHORT = QLocale.FormatType.ShortFormat
LONG = QLocale.FormatType.LongFormat
_WEEKDAY = re.compile(r"[\s,.،、]*(?<!d)dddd(?!d)[\s,.،、]*")
_ENDS = " ,،、\u200f"
_YEAR = re.compile(r"[\s,/.-]*y+[\s,/.-]*")


def display_locale() -> QLocale:
    """The user's locale; the bare "C" locale (no LANG set) reads as US English."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def local_moment(moment: Moment) -> QDateTime | None:
    """``moment`` as a local QDateTime (``None`` for nothing or an unreadable value)."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, QDateTime):
        return moment.toLocalTime() if moment.isValid() else None
    if isinstance(moment, str):
        try:
            moment = parse_ecwid_datetime(moment)
        except ValueError:
            return None
    if isinstance(moment, datetime):
        seconds = moment.timestamp()
    elif isinstance(moment, int | float) and not isinstance(moment, bool):
        seconds = moment
    else:
        return None
    return QDateTime.fromSecsSinceEpoch(int(seconds)).toLocalTime()


def short_date_time(moment: Moment, locale: QLocale | None = None) -> str:
    """For tables and lists: "12/6/26 7:43 AM" ("" for nothing)."""
    local = local_moment(moment)
    if local is None:
        return "" if moment in (None, "") else str(moment)
    return (locale or display_locale()).toString(local, SHORT)


def medium_date_time(moment: Moment, locale: QLocale | None = None) -> str:
    """Everywhere but tables: "Dec 6, 2026 7:43 AM" ("" for nothing)."""
    local = local_moment(moment)
    if local is None:
        return "" if moment in (None, "") else str(moment)
    locale = locale or display_locale()
    day = locale.toString(local.date(), medium_date_format(locale.name()))
    time = locale.toString(local.time(), SHORT)
    return f"{day}{_date_time_joint(locale.name())}{time}"


def medium_date(day: date | QDate, locale: QLocale | None = None, *, year: bool = True) -> str:
    """A day without its time: "Dec 6, 2026" (without ``year``: "Dec 6")."""
    locale = locale or display_locale()
    if not isinstance(day, QDate):
        day = QDate(day.year, day.month, day.day)
    form = medium_date_format(locale.name())
    return locale.toString(day, form if year else _without_year(form))


def _without_year(form: str) -> str:
    """A medium date format without its year, where that is plain to do
    ("MMM d, yyyy" -> "MMM d"); else the whole format."""
    shorter = _YEAR.sub(" ", form).strip(_ENDS)
    if "'" in shorter or not shorter or shorter[0] not in "dM" or shorter[-1] not in "dM.":
        return form
    return shorter


@lru_cache(maxsize=16)
def medium_date_format(locale_name: str) -> str:
    """The locale's long date format without the weekday, months by short name
    ("dddd, MMMM d, yyyy" -> "MMM d, yyyy")."""
    locale = QLocale(locale_name)
    long = locale.dateFormat(LONG)
    shortened = _WEEKDAY.sub(" ", long).strip(_ENDS).replace("MMMM", "MMM")
    if "d" not in shortened or "y" not in shortened:
        return locale.dateFormat(SHORT)
    return shortened


@lru_cache(maxsize=16)
def _date_time_joint(locale_name: str) -> str:
    """What the locale puts between a date and a time (" " or ", ")."""
    locale = QLocale(locale_name)
    both = locale.dateTimeFormat(SHORT)
    day, time = locale.dateFormat(SHORT), locale.timeFormat(SHORT)
    if both.startswith(day) and both.endswith(time) and len(both) > len(day) + len(time):
        return both[len(day) : len(both) - len(time)]
    return " "

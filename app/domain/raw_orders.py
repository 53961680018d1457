"""Orders as the store sent them: the JSON object (:class:`RawOrder` keeps
its text too), and how Backroom reads the values it computes with from it.

An order's key, when it was placed and its other values are read by the
typed models (:mod:`app.ecwid.models`, as validators) and by the cache from
the raw JSON (:mod:`app.cache.columns`). Both use these functions, so they
agree on every order, however odd: a value that does not read
(``"total": "n/a"``, ``"createTimestamp": true``, a date Backroom cannot
parse) reads as ``None`` on both sides, never as something else. Amounts are
read with :mod:`app.domain.money`, the number an order is shown by with
:mod:`app.domain.references`.

Old stores' orders carry a numeric ``id`` (``17541773``) or none at all;
their key is then the ``orderNumber``, else the ``internalId``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from app.domain.dates import parse_ecwid_datetime

_INT64 = 1 << 63
_WHOLE = re.compile(r"\s*[-+]?\d{1,19}\s*\Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
EARLIEST = int(datetime(1, 1, 2, tzinfo=UTC).timestamp())
LATEST = int(datetime(9999, 12, 30, tzinfo=UTC).timestamp())


def whole_number(value: Any) -> int | None:
    """An integer as Ecwid sends one (a JSON integer; a float or a string of
    digits holding one) that fits SQLite's 64 bits; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        try:
            if value != value.__trunc__():
                return None
            number = int(value)
        except (OverflowError, ValueError, ArithmeticError):  # inf, nan
            return None
    elif isinstance(value, str) and _WHOLE.match(value):
        number = int(value)
    else:
        return None
    return number if -_INT64 <= number < _INT64 else None


def timestamp(value: Any) -> int | None:
    """A UNIX timestamp (a :func:`whole_number` a date can hold), else ``None``."""
    number = whole_number(value)
    return number if number is not None and EARLIEST <= number <= LATEST else None


def moment(value: Any) -> datetime | None:
    """An aware datetime from a date string in any form Ecwid writes (any
    offset, ``-0800`` too) or a datetime; else ``None`` (numbers, other
    date formats such as ``"Dec 12, 2017 8:00:00 PM"``)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parse_ecwid_datetime(value)
    except (ValueError, OverflowError):
        return None
    try:
        parsed.timestamp()  # year 1 at +1400 and the like: no instant
    except (ValueError, OverflowError):
        return None
    return parsed


def storable(value: str) -> str:
    """``value`` with any lone surrogate (JSON may escape one: ``"\\ud800"``)
    replaced by U+FFFD, so it can be written as UTF-8 (SQLite, files)."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", value)
    return value


def text(value: Any) -> str | None:
    """A string as sent (but for lone surrogates, see :func:`storable`); a
    number as its text (``5`` -> ``"5"``); else ``None``."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return str(value)


def order_id(value: Any) -> str | int | None:
    """An order ``id`` as it came: a string, or a number for old stores."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def key_of(id_: str | int | None, number: int | None, internal_id: int | None) -> str | None:
    """The key that addresses an order: its ``id`` (a number as text), else
    its order number, else its internal id; ``None`` when it has none."""
    if isinstance(id_, str) and id_.strip():
        return id_
    if isinstance(id_, int) and not isinstance(id_, bool) and id_:
        return str(id_)
    if number is not None:
        return str(number)
    if internal_id is not None:
        return str(internal_id)
    return None


def placed_timestamp(stamp: Any, when: Any) -> int | None:
    """When an order was placed (or changed): its UNIX timestamp field, else
    its date field; ``None`` when neither reads (or it is no instant of the
    years 1 to 9999 in every time zone)."""
    found = timestamp(stamp)
    if found is not None:
        return found
    parsed = moment(when)
    return None if parsed is None else timestamp(int(parsed.timestamp()))


def raw_order_key(order: Mapping[str, Any]) -> str | None:
    """:func:`key_of` for an order as the store sent it (a JSON object); the
    typed model's ``Order.key`` and the cache's key are the same."""
    return key_of(
        order_id(order.get("id")),
        whole_number(order.get("orderNumber")),
        whole_number(order.get("internalId")),
    )


class RawOrder(dict[str, Any]):
    """An order as the store sent it: the parsed JSON object, plus ``source``,
    the exact JSON text it was parsed from (so the cache can store it without
    encoding it again). Treat it as read-only: ``source`` is not updated."""

    __slots__ = ("source",)

    def __init__(self, value: dict[str, Any], source: str) -> None:
        super().__init__(value)
        self.source = source

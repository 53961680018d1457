"""Ecwid's date forms: parsing every form orders and filters use, formatting as
orders carry them (``yyyy-MM-dd HH:mm:ss Z``), and the values sent as filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.dates import format_ecwid_datetime, parse_ecwid_datetime, to_filter_value

PST = timezone(timedelta(hours=-8))
EST = timezone(timedelta(hours=-5))
IST = timezone(timedelta(hours=5, minutes=30))

# 1427268654 is the reference page's createTimestamp.
PAGE_TIMESTAMP = 1427268654
PAGE_INSTANT = datetime(2015, 3, 25, 7, 30, 54, tzinfo=UTC)

# The page's forms for date filters.
API_DATE_FORMS = (
    r"\d+",
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}",
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
    r"\d{4}-\d{2}-\d{2}",
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(PAGE_TIMESTAMP, PAGE_INSTANT, id="unix-int"),
        pytest.param(str(PAGE_TIMESTAMP), PAGE_INSTANT, id="unix-str"),
        pytest.param(f" {PAGE_TIMESTAMP}\n", PAGE_INSTANT, id="unix-str-blanks"),
        pytest.param(
            PAGE_TIMESTAMP + 0.5, PAGE_INSTANT.replace(microsecond=500000), id="unix-float"
        ),
        pytest.param("0", datetime(1970, 1, 1, tzinfo=UTC), id="epoch"),
        pytest.param(
            "2014-06-06 18:57:19 +0000", datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC), id="utc"
        ),
        pytest.param(
            "2014-06-06 18:57:19 -0800", datetime(2014, 6, 6, 18, 57, 19, tzinfo=PST), id="pst"
        ),
        pytest.param(
            "2015-04-22 18:48:38 -0500", datetime(2015, 4, 22, 18, 48, 38, tzinfo=EST), id="est"
        ),
        pytest.param(
            "2014-06-06 18:57:19 +0530", datetime(2014, 6, 6, 18, 57, 19, tzinfo=IST), id="ist"
        ),
        pytest.param(
            "2014-06-06 18:57:19", datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC), id="no-offset"
        ),
        pytest.param("2015-04-22", datetime(2015, 4, 22, tzinfo=UTC), id="date-only"),
        pytest.param(
            "2014-06-06T18:57:19Z", datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC), id="iso-z"
        ),
        pytest.param(
            "2014-06-06T18:57:19+05:30", datetime(2014, 6, 6, 18, 57, 19, tzinfo=IST), id="iso"
        ),
        pytest.param(
            "2014-06-06T18:57:19", datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC), id="iso-naive"
        ),
        pytest.param(date(2015, 4, 22), datetime(2015, 4, 22, tzinfo=UTC), id="date-object"),
        pytest.param(
            datetime(2014, 6, 6, 18, 57, 19),
            datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC),
            id="naive-datetime",
        ),
        pytest.param(
            datetime(2014, 6, 6, 18, 57, 19, tzinfo=PST),
            datetime(2014, 6, 6, 18, 57, 19, tzinfo=PST),
            id="aware-datetime",
        ),
    ],
)
def test_parse_every_form(value, expected):
    parsed = parse_ecwid_datetime(value)
    assert parsed == expected
    # same instant is not enough: the offset it came with is kept
    assert parsed.utcoffset() == expected.utcoffset()


def test_parsed_offsets_give_the_right_utc_instant():
    assert parse_ecwid_datetime("2014-06-06 18:57:19 -0800").astimezone(UTC) == datetime(
        2014, 6, 7, 2, 57, 19, tzinfo=UTC
    )
    assert parse_ecwid_datetime("2014-06-06 18:57:19 +0530").astimezone(UTC) == datetime(
        2014, 6, 6, 13, 27, 19, tzinfo=UTC
    )


@pytest.mark.parametrize(
    "bad",
    [
        "garbage",
        "",
        "2014-13-01",
        "2014-02-30 10:00:00 +0000",
        "2014-06-06 25:00:00",
        "06/06/2014",
        "1.5",
        None,
        True,
        [],
        # a timestamp beyond any datetime: a bad date like the others, not an OverflowError
        "99999999999999999999",
        10**20,
    ],
)
def test_parse_rejects_what_is_not_a_date(bad):
    with pytest.raises(ValueError, match="not a(n Ecwid)? date"):
        parse_ecwid_datetime(bad)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC), "2014-06-06 18:57:19 +0000"),
        (datetime(2014, 6, 6, 18, 57, 19, tzinfo=PST), "2014-06-06 18:57:19 -0800"),
        (datetime(2014, 6, 6, 18, 57, 19, tzinfo=IST), "2014-06-06 18:57:19 +0530"),
        (datetime(2014, 6, 6, 18, 57, 19), "2014-06-06 18:57:19 +0000"),
        (datetime(2014, 6, 6, 18, 57, 19, 999999, tzinfo=UTC), "2014-06-06 18:57:19 +0000"),
    ],
)
def test_format(value, text):
    assert format_ecwid_datetime(value) == text


@pytest.mark.parametrize(
    "text",
    [
        "2014-06-06 18:57:19 +0000",
        "2014-06-06 18:57:19 -0800",
        "2014-06-06 18:57:19 +0530",
        "1999-12-31 23:59:59 +1400",
    ],
)
def test_format_round_trips_what_orders_carry(text):
    parsed = parse_ecwid_datetime(text)
    assert format_ecwid_datetime(parsed) == text
    assert parse_ecwid_datetime(format_ecwid_datetime(parsed)) == parsed


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (datetime(2015, 3, 25, 7, 30, 54, tzinfo=UTC), "1427268654"),
        (datetime(2015, 3, 24, 23, 30, 54, tzinfo=PST), "1427268654"),
        (datetime(2015, 3, 25, 7, 30, 54, 999999, tzinfo=UTC), "1427268654"),
        (datetime(2015, 3, 25, 7, 30, 54), "1427268654"),
        (date(2015, 3, 25), "1427241600"),
        (1427268654, "1427268654"),
        (1427268654.9, "1427268654"),
    ],
)
def test_filter_value_of_a_date_object_or_number_is_a_unix_timestamp(value, sent):
    assert to_filter_value(value) == sent


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("1447804800", "1447804800"),
        ("2015-04-22 18:48:38 -0500", "2015-04-22 18:48:38 -0500"),
        ("2015-04-22 18:48:38", "2015-04-22 18:48:38"),
        ("2015-04-22", "2015-04-22"),
        ("  2015-04-22\t", "2015-04-22"),
    ],
)
def test_filter_value_of_an_api_form_passes_through(text, sent):
    assert to_filter_value(text) == sent


def test_filter_value_of_an_iso_string_is_in_a_form_the_api_lists():
    """ISO 8601 is not one of the page's four filter forms, so it cannot be sent
    as it is: it must be converted (or refused)."""
    try:
        sent = to_filter_value("2015-03-25T07:30:54Z")
    except ValueError:
        return
    assert any(re.fullmatch(form, sent) for form in API_DATE_FORMS), sent
    assert parse_ecwid_datetime(sent) == PAGE_INSTANT


@pytest.mark.parametrize("bad", ["yesterday", "2015-04-31"])
def test_filter_value_rejects_a_bad_string_naming_it(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        to_filter_value(bad)

"""Order search filters become the query parameters of ``GET /orders``.

One field per search parameter of the reference page, plus those Ecwid's
current documentation adds (``ids``, ``email``, ``customerId``, ``productId``,
``pickupTimeFrom/To``, ``paymentModule``, ``acceptMarketing``,
``containsPreorderItems``, ``subscriptionId``, ``refererId``); lists are sent
comma-separated, yes/no filters as ``true``/``false``; dates are sent as UNIX
timestamps or in one of the four forms the page lists; nothing empty is sent.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.domain.dates import parse_ecwid_datetime
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecwid.filters import OrderFilters

PST = timezone(timedelta(hours=-8))

# field -> (a value, the parameter it is sent as, the text sent)
EVERY_FIELD = {
    "keywords": ("cherry", "keywords", "cherry"),
    "total_from": (Decimal("10"), "totalFrom", "10"),
    "total_to": ("99.95", "totalTo", "99.95"),
    "created_from": (1447804800, "createdFrom", "1447804800"),
    "created_to": ("2015-04-22", "createdTo", "2015-04-22"),
    "updated_from": ("2015-04-22 18:48:38 -0500", "updatedFrom", "2015-04-22 18:48:38 -0500"),
    "updated_to": ("2015-04-23 00:00:00", "updatedTo", "2015-04-23 00:00:00"),
    "coupon_code": ("5PERCENTOFF", "couponCode", "5PERCENTOFF"),
    "order_number": ([20, 21], "orderNumber", "20,21"),
    "vendor_order_number": ("ABC34-q", "vendorOrderNumber", "ABC34-q"),
    "customer": ("John Smith", "customer", "John Smith"),
    "payment_method": ("Purchase order", "paymentMethod", "Purchase order"),
    "shipping_method": ("2nd day delivery", "shippingMethod", "2nd day delivery"),
    "payment_status": (["PAID", "AWAITING_PAYMENT"], "paymentStatus", "PAID,AWAITING_PAYMENT"),
    "fulfillment_status": (
        [FulfillmentStatus.SHIPPED, FulfillmentStatus.OUT_FOR_DELIVERY],
        "fulfillmentStatus",
        "SHIPPED,OUT_FOR_DELIVERY",
    ),
    "ids": (["MYSTORE-X8UYE", "MYSTORE-X8UYF"], "ids", "MYSTORE-X8UYE,MYSTORE-X8UYF"),
    "email": ("johnsmith@example.com", "email", "johnsmith@example.com"),
    "customer_id": (15319410, "customerId", "15319410"),
    "product_id": ("10031004, 86427531", "productId", "10031004,86427531"),
    "pickup_time_from": ("2023-01-15 19:27:50", "pickupTimeFrom", "2023-01-15 19:27:50"),
    "pickup_time_to": (1447804800, "pickupTimeTo", "1447804800"),
    "payment_module": ("CUSTOM_PAYMENT_APP-abc", "paymentModule", "CUSTOM_PAYMENT_APP-abc"),
    "accept_marketing": (True, "acceptMarketing", "true"),
    "contains_preorder_items": (False, "containsPreorderItems", "false"),
    "subscription_id": ("270", "subscriptionId", "270"),
    "referer_id": (" 7731 ", "refererId", "7731"),
}

# The page's forms for date filters.
API_DATE_FORMS = (
    r"\d+",
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}",
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
    r"\d{4}-\d{2}-\d{2}",
)


def test_every_filter_field_is_mapped():
    assert set(OrderFilters.model_fields) == set(EVERY_FIELD)


@pytest.mark.parametrize("field", list(EVERY_FIELD))
def test_each_field_is_sent_as_its_api_parameter(field):
    value, param, sent = EVERY_FIELD[field]
    assert OrderFilters(**{field: value}).to_params() == {param: sent}


def test_all_fields_together():
    filters = OrderFilters(**{field: value for field, (value, _, _) in EVERY_FIELD.items()})
    assert filters.to_params() == {param: sent for _, param, sent in EVERY_FIELD.values()}


def test_no_filters_send_nothing():
    assert OrderFilters().to_params() == {}


def test_empty_fields_are_not_sent():
    filters = OrderFilters(
        keywords="",
        customer="",
        order_number=[],
        ids=[],
        payment_status="",
        fulfillment_status=" , ",
        email="johnsmith@example.com",
    )
    assert filters.to_params() == {"email": "johnsmith@example.com"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("order_number", "20, 21,22", [20, 21, 22]),
        ("order_number", 20, [20]),
        ("order_number", "20", [20]),
        ("ids", "MYSTORE-X8UYE, MYSTORE-X8UYF", ["MYSTORE-X8UYE", "MYSTORE-X8UYF"]),
        ("ids", "XJ12H", ["XJ12H"]),
        ("payment_status", "PAID,REFUNDED", [PaymentStatus.PAID, PaymentStatus.REFUNDED]),
        ("fulfillment_status", "SHIPPED", [FulfillmentStatus.SHIPPED]),
    ],
)
def test_list_fields_accept_a_comma_string_or_a_single_value(field, value, expected):
    filters = OrderFilters(**{field: value})
    assert getattr(filters, field) == expected
    assert list(filters.to_params().values()) == [",".join(str(v) for v in expected)]


def test_custom_and_unknown_statuses_are_sent_as_given():
    filters = OrderFilters(
        payment_status="CUSTOM_PAYMENT_STATUS_1,SOMETHING_NEW",
        fulfillment_status=["CUSTOM_FULFILLMENT_STATUS_3"],
    )
    assert filters.to_params() == {
        "paymentStatus": "CUSTOM_PAYMENT_STATUS_1,SOMETHING_NEW",
        "fulfillmentStatus": "CUSTOM_FULFILLMENT_STATUS_3",
    }


def test_a_status_list_with_a_non_string_is_rejected():
    with pytest.raises(ValidationError):
        OrderFilters(payment_status=[123])


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (Decimal("10"), "10"),
        (Decimal("1E+1"), "10"),
        (Decimal("99.95"), "99.95"),
        ("0.50", "0.50"),
        (15, "15"),
    ],
)
def test_totals_are_sent_as_plain_decimals(value, sent):
    assert OrderFilters(total_from=value, total_to=value).to_params() == {
        "totalFrom": sent,
        "totalTo": sent,
    }


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "1704164645"),
        (datetime(2024, 1, 1, 19, 4, 5, tzinfo=PST), "1704164645"),
        (date(2024, 1, 2), "1704153600"),
        (1704164645, "1704164645"),
    ],
)
@pytest.mark.parametrize(
    "field",
    [
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "pickup_time_from",
        "pickup_time_to",
    ],
)
def test_dates_become_unix_timestamps(field, value, sent):
    _, param, _ = EVERY_FIELD[field]
    assert OrderFilters(**{field: value}).to_params() == {param: sent}


@pytest.mark.parametrize(
    "text", ["1447804800", "2015-04-22 18:48:38 -0500", "2015-04-22 18:48:38", "2015-04-22"]
)
def test_the_apis_own_date_forms_pass_through(text):
    assert OrderFilters(created_from=text, updated_to=f" {text} ").to_params() == {
        "createdFrom": text,
        "updatedTo": text,
    }


def test_an_iso_date_string_is_not_sent_in_a_form_the_api_does_not_list():
    """The API lists four forms; ISO 8601 (``T`` and ``Z``) is not one of them.
    Such a string must be rejected, or converted before it is sent."""
    try:
        params = OrderFilters(created_from="2024-01-02T03:04:05Z").to_params()
    except ValidationError:
        return
    sent = params["createdFrom"]
    assert any(re.fullmatch(form, sent) for form in API_DATE_FORMS), sent
    assert parse_ecwid_datetime(sent) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "02/01/2024", "2024-01-02 25:00:00"])
def test_a_bad_date_string_is_rejected(bad):
    with pytest.raises(ValidationError) as caught:
        OrderFilters(created_from=bad)
    assert caught.value.errors()[0]["loc"][0] == "created_from"


def test_a_bad_date_is_rejected_on_assignment_too():
    filters = OrderFilters(created_from="2024-01-02")
    with pytest.raises(ValidationError):
        filters.created_from = "yesterday"
    assert filters.to_params() == {"createdFrom": "2024-01-02"}


def test_an_unknown_field_is_rejected():
    with pytest.raises(ValidationError) as caught:
        OrderFilters(paymentStatus="PAID")
    assert caught.value.errors()[0]["type"] == "extra_forbidden"
    with pytest.raises(ValidationError):
        OrderFilters(limit=100)


def test_a_single_int_id_and_blank_values_are_accepted():
    assert OrderFilters(ids=5).to_params() == {"ids": "5"}
    assert OrderFilters(ids=["A-1", 7]).to_params() == {"ids": "A-1,7"}
    assert OrderFilters(created_from="", keywords="  ", updated_to=None).to_params() == {}


@pytest.mark.parametrize(
    ("field", "value", "sent"),
    [
        ("accept_marketing", False, "false"),
        ("accept_marketing", "true", "true"),
        ("contains_preorder_items", True, "true"),
        ("contains_preorder_items", "false", "false"),
    ],
)
def test_yes_no_filters_are_sent_as_true_or_false(field, value, sent):
    """False is a filter of its own (orders without pre-order items), not "unset"."""
    _, param, _ = EVERY_FIELD[field]
    assert OrderFilters(**{field: value}).to_params() == {param: sent}


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("customer_id", 0),
        ("customer_id", -4),
        ("customer_id", "abc"),
        ("customer_id", True),
        ("customer_id", 1.5),
        ("subscription_id", "12a"),
        ("product_id", "1,two"),
        ("product_id", [0]),
        ("accept_marketing", "perhaps"),
        ("contains_preorder_items", 7),
        ("pickup_time_from", "tomorrow"),
    ],
)
def test_a_bad_id_flag_or_pickup_time_is_rejected(field, bad):
    with pytest.raises(ValidationError) as caught:
        OrderFilters(**{field: bad})
    assert caught.value.errors()[0]["loc"][0] == field


def test_ids_given_as_numbers_or_text_are_the_same():
    assert OrderFilters(
        customer_id="42", subscription_id=" 7 ", product_id=[5, "6"]
    ).to_params() == {
        "customerId": "42",
        "subscriptionId": "7",
        "productId": "5,6",
    }
    assert OrderFilters(referer_id=1207).to_params() == {"refererId": "1207"}
    assert OrderFilters(customer_id="", product_id=" ", referer_id="  ").to_params() == {}

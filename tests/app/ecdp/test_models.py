"""Every rule of the ECDP reference is checked before sending, in plain words
naming the order and the field; the reference's own samples parse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from app.ecdp import (
    EcdpOrder,
    EcdpOrderRecord,
    EcdpStatus,
    EcdpValidationError,
    validate_order,
    validate_orders,
)
from app.ecdp.models import parse_mode
from tests.app.ecdp.support import REFERENCE_ORDER, an_order

# The GET sample of the reference page (its DELETE sample is the same shape).
REFERENCE_GET_ANSWER = {
    "status": 0,
    "data": {
        "id": "string",
        "date": "2024-07-25T10:08:59.197Z",
        "timeZone": "string",
        "websiteId": 0,
        "status": "string",
        "currency": "str",
        "totalValue": 0,
        "returnsValue": 0,
        "customer": {"id": 0, "email": "string", "phone": "string", "crmId": "string"},
        "products": [
            {
                "id": "string",
                "name": "string",
                "price": 0,
                "quantity": 2147483647,
                "returned": 2147483647,
                "url": "string",
                "imageUrl": "string",
                "category": "string",
                "productAttributes": [{"name": "string", "value": "string"}],
            }
        ],
        "orderAttributes": [{"name": "string", "value": "string"}],
    },
}


def test_the_reference_example_validates_and_is_sent_as_ecdp_wants_it():
    order = validate_order(REFERENCE_ORDER)
    sent = order.to_api()
    assert sent["status"] == "completed"  # "Completed" in, lower case out
    assert sent["date"] == "2024-11-06T10:10:00.055Z"
    assert sent["totalValue"] == 150 and sent["returnsValue"] == 0
    assert "orderAttributes" in sent and "orderAttribute" not in sent
    expected = {k: v for k, v in REFERENCE_ORDER.items() if k != "status"}
    assert {k: v for k, v in sent.items() if k != "status"} == expected


def test_the_reference_get_sample_parses_leniently():
    record = EcdpOrderRecord.model_validate(REFERENCE_GET_ANSWER["data"])
    assert record.customer.id == 0 and record.products[0].quantity == 2147483647
    assert record.status == "string" and record.known_status is None  # kept as it came
    assert not record.deleted
    assert EcdpOrderRecord.model_validate({"status": "IsDeleted"}).deleted
    assert EcdpOrderRecord.model_validate({"isDeleted": True, "status": "Paid"}).deleted
    assert EcdpOrderRecord.model_validate({"status": "Paid"}).known_status is EcdpStatus.PAID


@pytest.mark.parametrize("status", ["placed", "PAID", "Completed", " canceled "])
def test_statuses_are_accepted_in_any_case_and_sent_lower(status):
    order = validate_order(an_order(status=status))
    assert order.to_api()["status"] == status.strip().lower()


def test_dates_are_sent_in_utc_with_z_and_need_an_offset():
    berlin = timezone(timedelta(hours=2))
    order = validate_order(an_order(date=datetime(2025, 3, 30, 12, 0, 0, 123456, tzinfo=berlin)))
    assert order.to_api()["date"] == "2025-03-30T10:00:00.123Z"
    assert validate_order(an_order(date="2025-03-30T12:00:00+02:00")).date == datetime(
        2025, 3, 30, 10, tzinfo=UTC
    )
    with pytest.raises(EcdpValidationError) as caught:
        validate_order(an_order(date=datetime(2025, 3, 30, 12)))
    assert "date needs a time zone offset" in str(caught.value)


def test_currency_is_three_letters_sent_upper_case():
    assert validate_order(an_order(currency="eur")).currency == "EUR"


def test_money_stays_exact():
    order = validate_order(an_order(totalValue="19.99"))
    assert order.total_value == Decimal("19.99") and order.to_api()["totalValue"] == 19.99


def _product(**changes):
    product = dict(REFERENCE_ORDER["products"][0])
    product.update(changes)
    return product


# (what to change, the field the message names, words in the message)
BROKEN = [
    ({"id": ""}, "id", "must not be empty"),
    ({"id": "x" * 129}, "id", "is 129 characters long; ECDP accepts at most 128"),
    ({"date": None}, "date", "is missing"),
    ({"date": "yesterday"}, "date", "ISO 8601"),
    ({"timeZone": "z" * 101}, "timeZone", "at most 100"),
    ({"websiteId": -1}, "websiteId", "must be 0 or more"),
    ({"websiteId": 2147483648}, "websiteId", "must be at most 2147483647"),
    ({"websiteId": "7"}, "websiteId", "whole number"),
    ({"status": "shipped"}, "status", "must be one of 'placed', 'paid', 'completed'"),
    ({"currency": "US"}, "currency", "3-letter currency code"),
    ({"currency": "USDX"}, "currency", "3-letter currency code"),
    ({"totalValue": -0.01}, "totalValue", "must be 0 or more"),
    ({"totalValue": None}, "totalValue", "is missing"),
    ({"totalValue": float("nan")}, "totalValue", "finite number"),
    ({"returnsValue": -5}, "returnsValue", "must be 0 or more"),
    ({"customer": None}, "customer", "is missing"),
    ({"customer": {}}, "customer", "needs an email, a phone or a crmId"),
    ({"customer": {"email": "a" * 321}}, "customer.email", "at most 320"),
    ({"customer": {"phone": "1" * 21}}, "customer.phone", "at most 20"),
    ({"customer": {"crmId": "c" * 129}}, "customer.crmId", "at most 128"),
    ({"products": []}, "products", "at least 1"),
    ({"products": None}, "products", "is missing"),
    ({"products": [_product(id="")]}, "products[0].id", "must not be empty"),
    ({"products": [_product(id="p" * 129)]}, "products[0].id", "at most 128"),
    ({"products": [_product(name="")]}, "products[0].name", "must not be empty"),
    ({"products": [_product(name="n" * 2049)]}, "products[0].name", "at most 2048"),
    ({"products": [_product(price=-1)]}, "products[0].price", "must be 0 or more"),
    ({"products": [_product(quantity=0)]}, "products[0].quantity", "must be 1 or more"),
    ({"products": [_product(quantity=2147483648)]}, "products[0].quantity", "at most 2147483647"),
    ({"products": [_product(quantity=1.5)]}, "products[0].quantity", "whole number"),
    ({"products": [_product(quantity=True)]}, "products[0].quantity", "whole number"),
    ({"products": [_product(returned=-1)]}, "products[0].returned", "must be 0 or more"),
    ({"products": [_product(url="u" * 2049)]}, "products[0].url", "at most 2048"),
    ({"products": [_product(imageUrl="u" * 2049)]}, "products[0].imageUrl", "at most 2048"),
    ({"products": [_product(category="c" * 2049)]}, "products[0].category", "at most 2048"),
    (
        {"products": [_product(productAttributes=[{"name": "n" * 257}])]},
        "products[0].productAttributes[0].name",
        "at most 256",
    ),
    ({"orderAttributes": [{"value": "v"}]}, "orderAttributes[0].name", "is missing"),
    ({"orderAttributes": [{"name": "n" * 257}]}, "orderAttributes[0].name", "at most 256"),
    ({"orderAttribute": []}, "orderAttribute", "send orderAttributes"),
    ({"shippingMethod": "x"}, "shippingMethod", "not a field of the ECDP Orders API"),
]


@pytest.mark.parametrize(("changes", "field", "words"), BROKEN)
def test_every_rule_is_checked_in_plain_words(changes, field, words):
    data = an_order("ORDER-7")
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(EcdpValidationError) as caught:
        validate_order(data)
    message = str(caught.value)
    if field != "id":  # a bad id names the order as best it can
        assert message.startswith("Order 'ORDER-7': ")
    assert f"{field} " in message and words in message, message
    assert field in caught.value.errors
    assert caught.value.status is None  # nothing was sent


def test_empty_names_are_allowed_where_the_reference_says_min_0():
    order = validate_order(an_order(orderAttributes=[{"name": "", "value": None}]))
    assert order.order_attributes[0].name == ""


def test_a_whole_request_reports_every_order_and_duplicate_ids():
    good = an_order("A")
    with pytest.raises(EcdpValidationError) as caught:
        validate_orders([good, an_order("B", totalValue=-1), an_order("A"), 42])
    errors = caught.value.errors
    assert errors["data[1].totalValue"] == ["must be 0 or more, not -1"]
    assert errors["data[2].id"] == ["is also the id of order #1 in this request"]
    assert errors["data[3]"] == ["must be an order (an object), not int"]
    assert str(caught.value).startswith("Nothing was sent to ECDP: Order 'B': totalValue")


def test_a_model_changed_after_it_was_built_is_checked_again():
    order = validate_order(an_order())
    with pytest.raises(Exception, match="greater than or equal"):
        order.total_value = Decimal(-1)  # assignment is validated too
    built = EcdpOrder.model_construct(**{**order.__dict__, "id": ""})
    with pytest.raises(EcdpValidationError, match="id must not be empty"):
        validate_order(built)


@pytest.mark.parametrize(("text", "mode"), [("add", "Add"), ("ADDORREPLACE", "AddOrReplace")])
def test_modes_any_case(text, mode):
    assert parse_mode(text) == mode
    with pytest.raises(ValueError, match="mode must be one of Add, AddOrReplace, Replace"):
        parse_mode("Upsert")

"""The Ecwid models against the samples of Ecwid's orders reference page.

Every sample of the page parses into its model and is written back exactly;
every object type the page describes is reachable with its Python type; the
facts design.md adds (unknown fields, nulls, new and custom statuses, any UTC
offset, newer field names) hold. The error builders of ``app.ecwid.errors``
are tested here too: they turn what the server answers into our exceptions.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecwid.enums import (
    CouponDiscountType,
    CouponStatus,
    CouponUsesLimit,
    DiscountBase,
    DiscountType,
    OptionType,
)
from app.ecwid.errors import (
    EcwidBadRequestError,
    EcwidConflictError,
    EcwidError,
    EcwidFileTooLargeError,
    EcwidMethodNotAllowedError,
    EcwidNotFoundError,
    EcwidPaymentRequiredError,
    EcwidProtocolError,
    EcwidRateLimitedError,
    EcwidScopeError,
    EcwidServerError,
    EcwidUnauthorizedError,
    EcwidUnfinishedOrderError,
    EcwidUnsupportedMediaError,
    error_for_response,
    unreadable_response,
)
from app.ecwid.models import (
    CreateStatus,
    CreditCardStatus,
    DeletedOrder,
    DeletedOrdersResult,
    DeleteStatus,
    DiscountCouponCatalogLimit,
    DiscountCouponInfo,
    DiscountInfo,
    HandlingFeeInfo,
    Order,
    OrderItem,
    OrderItemOption,
    OrderItemOptionFile,
    OrderItemProductFile,
    OrderItemTax,
    OrderStatusSetting,
    PersonInfo,
    PredictedPackage,
    ProductDimensions,
    SearchResult,
    ShippingOptionInfo,
    UpdateStatus,
    UploadStatus,
)
from tests.helpers import reference_samples

REFERENCE_SAMPLES = [
    pytest.param(reference_samples.search_response, SearchResult, id="search-response"),
    pytest.param(reference_samples.get_order_response, Order, id="get-order-response"),
    pytest.param(reference_samples.update_request, Order, id="update-request"),
    pytest.param(reference_samples.create_request, Order, id="create-request"),
    pytest.param(reference_samples.update_status_response, UpdateStatus, id="update-status"),
    pytest.param(reference_samples.delete_status_response, DeleteStatus, id="delete-status"),
    pytest.param(reference_samples.create_status_response, CreateStatus, id="create-status"),
    pytest.param(reference_samples.upload_status_response, UploadStatus, id="upload-status"),
    pytest.param(reference_samples.delete_option_file_response, DeleteStatus, id="delete-file"),
    pytest.param(reference_samples.delete_option_files_response, DeleteStatus, id="delete-files"),
]


def _type_changes(written: Any, sample: Any, path: str = "$") -> list[str]:
    """Where ``written`` holds a value of another type than ``sample`` (e.g. the
    float 34.0 where the sample has the int 34). ``==`` cannot see this, the JSON
    text sent to Ecwid does."""
    if isinstance(sample, dict) and isinstance(written, dict):
        return [
            change
            for key in sample
            if key in written
            for change in _type_changes(written[key], sample[key], f"{path}.{key}")
        ]
    if isinstance(sample, list) and isinstance(written, list):
        return [
            change
            for i, (w, s) in enumerate(zip(written, sample, strict=False))
            for change in _type_changes(w, s, f"{path}[{i}]")
        ]
    if type(written) is not type(sample):
        return [f"{path}: {sample!r} -> {written!r}"]
    return []


# -- the reference page's samples ------------------------------------------------------


def test_reference_samples_are_extracted_whole():
    """The helper cuts the samples out correctly: ``//`` comments go, the
    ``//`` of a URL inside a string stays, nothing is cut short."""
    order = reference_samples.get_order_response()
    assert order["refererUrl"] == "http://mysuperstore.ecwid.com/"
    assert order["paymentParams"]["Buyer's full name"] == "John Smith"
    assert reference_samples.search_response()["items"][0]["orderNumber"] == 20
    assert reference_samples.update_request()["privateAdminNotes"] == (
        "Must be delivered till Sunday."
    )
    assert reference_samples.create_request()["createDate"] == "2015-09-20 19:59:43 +0000"
    assert reference_samples.update_status_response() == {"updateCount": 1}
    assert reference_samples.delete_status_response() == {"deleteCount": 1}
    assert reference_samples.create_status_response() == {"id": 20}
    assert reference_samples.upload_status_response() == {"id": 6005003}
    assert reference_samples.delete_option_files_response() == {"deleteCount": 2}


@pytest.mark.parametrize(("load", "model"), REFERENCE_SAMPLES)
def test_reference_sample_round_trips(load, model):
    sample = load()
    assert model.model_validate(sample).to_api() == sample
    # the client parses the raw body, not a dict
    assert model.model_validate_json(json.dumps(sample)).to_api() == sample


@pytest.mark.parametrize(("load", "model"), REFERENCE_SAMPLES)
def test_reference_sample_keeps_its_json_number_forms(load, model):
    """An integer the server sent goes back as an integer: 34 must not become 34.0."""
    sample = load()
    changes = _type_changes(model.model_validate(sample).to_api(), sample)
    assert not changes, "written back with another JSON type:\n" + "\n".join(changes)


def test_order_sample_is_fully_typed():
    order = Order.model_validate(reference_samples.get_order_response())

    assert order.order_number == 20
    assert order.vendor_order_number == "20"
    assert order.total == Decimal("37.39")
    assert order.subtotal == Decimal("29.95")
    assert order.payment_status is PaymentStatus.PAID
    assert order.fulfillment_status is FulfillmentStatus.AWAITING_PROCESSING
    assert order.create_date == datetime(2014, 9, 20, 19, 59, 43, tzinfo=UTC)
    assert order.update_timestamp == 1427272209
    assert order.customer_tax_id == ""
    assert order.customer_tax_exempt is False

    coupon = order.discount_coupon
    assert isinstance(coupon, DiscountCouponInfo)
    assert coupon.discount_type is CouponDiscountType.PERCENT
    assert coupon.status is CouponStatus.ACTIVE
    assert coupon.uses_limit is CouponUsesLimit.UNLIMITED
    assert coupon.discount == Decimal(5)
    assert coupon.launch_date == datetime(2014, 6, 6, tzinfo=UTC)
    assert coupon.order_count == 0

    (discount,) = order.discount_info
    assert isinstance(discount, DiscountInfo)
    assert discount.type is DiscountType.PERCENT
    assert discount.base is DiscountBase.ON_TOTAL_AND_MEMBERSHIP
    assert discount.order_total == Decimal(15)

    (item,) = order.items
    assert isinstance(item, OrderItem)
    assert (item.id, item.product_id, item.quantity, item.sku) == (40989227, 37208342, 5, "00004")
    assert item.price == Decimal("5.99")
    assert item.weight == 0.32
    assert item.is_shipping_required is True

    (product_file,) = item.files
    assert isinstance(product_file, OrderItemProductFile)
    assert (product_file.product_file_id, product_file.size) == (7215101, 54492)
    assert product_file.customer_url.endswith("/a2678e7d1d1c557c804c37e4/myfile.jpg")

    options = item.selected_options
    assert all(isinstance(option, OrderItemOption) for option in options)
    assert [option.type for option in options] == [
        OptionType.CHOICE,
        OptionType.FILES,
        OptionType.DATE,
        OptionType.TEXT,
    ]
    assert options[0].type is OptionType.CHOICE
    assert options[0].values_array == ["Big"]
    (option_file,) = options[1].files
    assert isinstance(option_file, OrderItemOptionFile)
    assert (option_file.id, option_file.size) == (5973037, 54492)
    assert option_file.name == "makfruit_ava_sunnyflower_200_200.jpg"

    (tax,) = item.taxes
    assert isinstance(tax, OrderItemTax)
    assert (tax.name, tax.value) == ("Tax X", 7)
    assert (tax.total, tax.tax_on_shipping) == (Decimal("1.79"), Decimal(0))

    assert isinstance(item.product_dimensions, ProductDimensions)
    dimensions = item.product_dimensions
    assert (dimensions.length, dimensions.width, dimensions.height) == (34, 3, 22)

    assert isinstance(order.billing_person, PersonInfo)
    assert order.billing_person.country_code == "US"
    assert order.billing_person.state_or_province_code == "NY"
    assert order.shipping_person.company_name == "Unreal Company"

    assert isinstance(order.shipping_option, ShippingOptionInfo)
    assert order.shipping_option.shipping_method_name == "2nd day delivery"
    assert order.shipping_option.shipping_rate == Decimal(10)
    assert order.shipping_option.estimated_transit_time == "5"

    assert isinstance(order.handling_fee, HandlingFeeInfo)
    assert order.handling_fee.value == Decimal(2)

    (package,) = order.predicted_packages
    assert isinstance(package, PredictedPackage)
    assert (package.weight, package.declared_value) == (0.32, Decimal("29.95"))

    assert order.additional_info == {}
    assert order.payment_params["PO number"] == "123abcd"


def test_search_sample_is_typed_and_keeps_the_pages_own_undocumented_discount_type():
    result = SearchResult.model_validate(reference_samples.search_response())
    assert (result.total, result.count, result.offset, result.limit) == (1, 1, 0, 100)
    (order,) = result.items
    assert isinstance(order, Order)
    assert order.shipping_option.is_pickup is False
    # the page documents ABS or PERCENT, and its own sample sends ABSOLUTE
    absolute = order.discount_info[1].type
    assert isinstance(absolute, DiscountType)
    assert absolute == "ABSOLUTE"
    assert absolute.is_known is False
    assert order.discount_info[1].description == "Buy more than 3 cherries and get $2 off!"


def test_page_fields_missing_from_the_samples_are_typed_too():
    raw = reference_samples.get_order_response()
    raw["discountCoupon"]["catalogLimit"] = {"products": [37208342], "categories": [9691094]}
    raw["discountCoupon"]["expirationDate"] = "2014-12-31 23:59:59 +0000"
    raw["discountCoupon"]["totalLimit"] = 20
    raw["creditCardStatus"] = {"avsMessage": "Y", "cvvMessage": "M"}
    raw["shippingOption"]["shippingCarrierName"] = "USPS"
    raw["trackingNumber"] = "9400111899223197428490"
    raw["paymentModule"] = "CUSTOM_PAYMENT_MODULE"
    raw["externalTransactionId"] = "8XY12345"

    order = Order.model_validate(raw)

    limit = order.discount_coupon.catalog_limit
    assert isinstance(limit, DiscountCouponCatalogLimit)
    assert (limit.products, limit.categories) == ([37208342], [9691094])
    assert order.discount_coupon.expiration_date == datetime(2014, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert order.discount_coupon.total_limit == Decimal(20)
    assert isinstance(order.credit_card_status, CreditCardStatus)
    assert (order.credit_card_status.avs_message, order.credit_card_status.cvv_message) == (
        "Y",
        "M",
    )
    assert order.shipping_option.shipping_carrier_name == "USPS"
    assert order.tracking_number == "9400111899223197428490"
    assert order.payment_module == "CUSTOM_PAYMENT_MODULE"
    assert order.external_transaction_id == "8XY12345"
    assert order.to_api() == raw


def test_admin_file_url_with_its_token_is_never_shown():
    order = Order.model_validate(reference_samples.get_order_response())
    assert order.items[0].files[0].admin_url.endswith("?token=123123123")
    assert "123123123" not in repr(order)
    assert "123123123" not in str(order)


# -- names, unknown fields, nulls ------------------------------------------------------


def test_snake_case_names_and_camel_case_aliases_are_both_accepted():
    camel = {
        "paymentStatus": "PAID",
        "orderNumber": 7,
        "billingPerson": {"countryCode": "US", "stateOrProvinceCode": "NY"},
        "items": [{"productId": 1, "selectedOptions": [{"valuesArray": ["Big"]}]}],
    }
    snake = {
        "payment_status": "PAID",
        "order_number": 7,
        "billing_person": {"country_code": "US", "state_or_province_code": "NY"},
        "items": [{"product_id": 1, "selected_options": [{"values_array": ["Big"]}]}],
    }
    from_camel = Order.model_validate(camel)
    from_snake = Order.model_validate(snake)
    assert from_snake == from_camel
    assert from_snake.billing_person.state_or_province_code == "NY"
    assert from_snake.items[0].selected_options[0].values_array == ["Big"]
    assert from_snake.to_api() == camel
    assert Order(payment_status="PAID", order_number=7).to_api() == {
        "paymentStatus": "PAID",
        "orderNumber": 7,
    }


def test_to_api_sends_only_the_fields_that_were_given():
    """PUT is a partial update: a field we did not set must not be sent as null."""
    assert Order.model_validate({"privateAdminNotes": "Call first"}).to_api() == {
        "privateAdminNotes": "Call first"
    }
    assert Order(fulfillment_status=FulfillmentStatus.SHIPPED).to_api() == {
        "fulfillmentStatus": "SHIPPED"
    }


def test_unknown_fields_and_nulls_are_kept():
    raw = reference_samples.get_order_response()
    raw["orderExtraFields"] = [
        {"id": "delivery_date", "value": "2024-05-01", "customerInputType": "DATETIME"}
    ]
    raw["refunds"] = [{"date": "2024-05-02 10:00:00 +0000", "amount": 5.5, "reason": "dented"}]
    raw["utmData"] = {"source": "newsletter", "campaign": None}
    raw["lang"] = None
    raw["trackingNumber"] = None
    raw["creditCardStatus"] = None
    raw["billingPerson"]["phone"] = None
    raw["items"][0]["imageId"] = 12
    raw["items"][0]["sku"] = None
    raw["items"][0]["selectedOptions"][0]["nameTranslated"] = {"fr": "Taille"}
    raw["items"][0]["selectedOptions"][1]["files"][0]["ticket"] = "a1b2"

    order = Order.model_validate(raw)

    assert order.to_api() == raw
    assert order.model_extra == {
        "orderExtraFields": raw["orderExtraFields"],
        "refunds": raw["refunds"],
        "utmData": {"source": "newsletter", "campaign": None},
        "lang": None,
    }
    assert order.items[0].model_extra == {"imageId": 12}
    assert order.items[0].selected_options[0].model_extra == {"nameTranslated": {"fr": "Taille"}}
    assert order.items[0].selected_options[1].files[0].model_extra == {"ticket": "a1b2"}
    assert order.tracking_number is None
    assert order.items[0].sku is None


def test_newer_field_names_are_typed_beside_the_pages_names():
    raw = {
        "items": [{"dimensions": {"length": 1.5, "width": 2.5, "height": 3.5}}],
        "predictedPackage": [{"weight": 1.25, "declaredValue": 19.99}],
        "billingPerson": {"firstName": "John", "lastName": "Smith"},
    }
    order = Order.model_validate(raw)
    assert isinstance(order.items[0].dimensions, ProductDimensions)
    assert order.items[0].dimensions.height == 3.5
    assert isinstance(order.predicted_package[0], PredictedPackage)
    assert order.predicted_package[0].declared_value == Decimal("19.99")
    assert (order.billing_person.first_name, order.billing_person.last_name) == ("John", "Smith")
    assert order.model_extra == {}
    assert order.to_api() == raw


# -- statuses --------------------------------------------------------------------------

STATUSES = [
    ("paymentStatus", "payment_status", PaymentStatus, "PAID", True),
    ("paymentStatus", "payment_status", PaymentStatus, "CUSTOM_PAYMENT_STATUS_2", True),
    ("paymentStatus", "payment_status", PaymentStatus, "CUSTOM_PAYMENT_STATUS_4", False),
    ("paymentStatus", "payment_status", PaymentStatus, "SOMETHING_NEW", False),
    ("fulfillmentStatus", "fulfillment_status", FulfillmentStatus, "OUT_FOR_DELIVERY", True),
    ("fulfillmentStatus", "fulfillment_status", FulfillmentStatus, "READY_FOR_PICKUP", True),
    (
        "fulfillmentStatus",
        "fulfillment_status",
        FulfillmentStatus,
        "CUSTOM_FULFILLMENT_STATUS_3",
        True,
    ),
    ("fulfillmentStatus", "fulfillment_status", FulfillmentStatus, "SOMETHING_NEW", False),
]


@pytest.mark.parametrize(("key", "attribute", "enum", "value", "known"), STATUSES)
def test_any_status_string_is_accepted_and_written_back(key, attribute, enum, value, known):
    order = Order.model_validate({key: value})
    status = getattr(order, attribute)
    assert isinstance(status, enum)
    assert status == value
    assert str(status) == value
    assert {value: "found"}[status] == "found"
    assert status.is_known is known
    written = order.to_api()
    assert written == {key: value}
    assert type(written[key]) is str
    assert json.dumps(written) == json.dumps({key: value})


def test_listed_statuses_are_the_enum_members_themselves():
    order = Order.model_validate({"paymentStatus": "REFUNDED", "fulfillmentStatus": "SHIPPED"})
    assert order.payment_status is PaymentStatus.REFUNDED
    assert order.fulfillment_status is FulfillmentStatus.SHIPPED


@pytest.mark.parametrize(("value", "known"), [("FILES", True), ("CHOICES", True), ("SIZE", False)])
def test_any_option_type_is_accepted_and_written_back(value, known):
    raw = {"items": [{"selectedOptions": [{"name": "Pick", "type": value, "extra": 1}]}]}
    order = Order.model_validate(raw)
    option_type = order.items[0].selected_options[0].type
    assert isinstance(option_type, OptionType)
    assert option_type == value
    assert option_type.is_known is known
    assert order.to_api() == raw


@pytest.mark.parametrize("bad", [123, {}, [], 1.5, True])
@pytest.mark.parametrize("key", ["paymentStatus", "fulfillmentStatus"])
def test_a_status_that_is_not_a_string_is_kept_as_sent_and_not_used(key, bad):
    raw = {"id": "A-1", key: bad, "total": 5}
    order = Order.model_validate(raw)
    assert order.payment_status is None and order.fulfillment_status is None
    assert order.total == 5
    assert order.to_api() == raw


@pytest.mark.parametrize("bad", [7, {"name": "CHOICE"}])
def test_an_option_type_that_is_not_a_string_is_kept_as_sent_and_not_used(bad):
    raw = {"items": [{"name": "Mug", "selectedOptions": [{"name": "Size", "type": bad}]}]}
    order = Order.model_validate(raw)
    option = order.items[0].selected_options[0]
    assert option.type is None and option.name == "Size"
    assert order.to_api() == raw


def test_assigning_a_value_of_the_wrong_type_is_still_refused():
    order = Order.model_validate({"paymentStatus": 123})
    with pytest.raises(ValidationError):
        order.payment_status = 123
    with pytest.raises(ValidationError):
        order.create_date = "Dec 12, 2017 8:00:00 PM"


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "instant"),
    [
        ("2014-06-06 18:57:19 +0000", timedelta(0), datetime(2014, 6, 6, 18, 57, 19, tzinfo=UTC)),
        (
            "2014-06-06 18:57:19 -0800",
            timedelta(hours=-8),
            datetime(2014, 6, 7, 2, 57, 19, tzinfo=UTC),
        ),
        (
            "2014-06-06 18:57:19 +0530",
            timedelta(hours=5, minutes=30),
            datetime(2014, 6, 6, 13, 27, 19, tzinfo=UTC),
        ),
    ],
)
def test_dates_with_any_offset_parse_and_keep_their_offset(text, offset, instant):
    raw = {
        "createDate": text,
        "updateDate": text,
        "discountCoupon": {"launchDate": text, "creationDate": text},
    }
    order = Order.model_validate(raw)
    for parsed in (order.create_date, order.update_date, order.discount_coupon.launch_date):
        assert parsed.utcoffset() == offset
        assert parsed == instant
        assert parsed.astimezone(UTC).replace(tzinfo=None) == instant.replace(tzinfo=None)
    assert order.to_api() == raw


@pytest.mark.parametrize(
    "bad",
    [
        "garbage",
        "2014-02-30 10:00:00 +0000",
        "20/09/2014",
        "Dec 12, 2017 8:00:00 PM",
        # a timestamp no datetime can hold
        "99999999999999999999",
        1427268654,
    ],
)
def test_a_date_that_does_not_read_is_kept_as_sent_and_not_used(bad):
    raw = {"createDate": bad, "discountCoupon": {"launchDate": bad, "code": "X"}}
    order = Order.model_validate(raw)
    assert order.create_date is None and order.discount_coupon.launch_date is None
    assert order.discount_coupon.code == "X"
    assert order.created_timestamp is None
    assert order.to_api() == raw


# -- money -----------------------------------------------------------------------------


def test_money_is_decimal_and_written_back_as_the_same_json_number():
    raw = '{"total": 37.39, "subtotal": 45, "tax": 0, "couponDiscount": 1.5}'
    order = Order.model_validate_json(raw)
    assert order.total == Decimal("37.39")
    assert order.subtotal == Decimal(45)
    assert all(
        type(value) is Decimal
        for value in (order.total, order.subtotal, order.tax, order.coupon_discount)
    )
    written = order.to_api()
    assert written == {"total": 37.39, "subtotal": 45, "tax": 0, "couponDiscount": 1.5}
    assert type(written["total"]) is float
    assert type(written["subtotal"]) is int
    assert type(written["tax"]) is int
    assert json.dumps(written, sort_keys=True) == (
        '{"couponDiscount": 1.5, "subtotal": 45, "tax": 0, "total": 37.39}'
    )


def test_money_set_in_python_is_written_as_a_plain_number():
    order = Order(total=Decimal("45.00"), subtotal=Decimal("10.10"), tax=Decimal("0.1") * 3)
    written = order.to_api()
    assert written == {"total": 45, "subtotal": 10.1, "tax": 0.3}
    assert type(written["total"]) is int


# -- identity --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"id": "MYSTORE-X8UYE", "orderNumber": 20, "internalId": 555}, "MYSTORE-X8UYE"),
        ({"orderNumber": 20, "vendorOrderNumber": "ABC20-q"}, "20"),
        ({"id": "", "orderNumber": 21}, "21"),
        ({"internalId": 555}, "555"),
    ],
)
def test_order_key(raw, key):
    assert Order.model_validate(raw).key == key


def test_order_without_any_identifier_has_no_key():
    with pytest.raises(ValueError, match="no id"):
        _ = Order.model_validate({"total": 1}).key


def test_create_status_carries_the_string_order_id():
    status = CreateStatus.model_validate({"id": 20, "orderid": "XJ12H"})
    assert (status.id, status.orderid) == (20, "XJ12H")
    assert status.to_api() == {"id": 20, "orderid": "XJ12H"}


# -- other endpoints -------------------------------------------------------------------


def test_deleted_orders_result():
    raw = {
        "total": 1,
        "count": 1,
        "offset": 0,
        "limit": 100,
        "items": [{"id": 5, "orderId": "DEMO-ABCDE", "date": "2024-01-02 03:04:05 +0000"}],
    }
    result = DeletedOrdersResult.model_validate(raw)
    assert (result.total, result.count, result.offset, result.limit) == (1, 1, 0, 100)
    (deleted,) = result.items
    assert isinstance(deleted, DeletedOrder)
    assert (deleted.id, deleted.order_id) == (5, "DEMO-ABCDE")
    assert deleted.date == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert result.to_api() == raw


def test_order_status_setting():
    raw = {
        "statusId": "CUSTOM_PAYMENT_STATUS_1",
        "orderStatusType": "PAYMENT",
        "defaultStatus": False,
        "enabled": True,
        "sendNotificationWhenStatusIsAssigned": True,
        "name": "Awaiting bank transfer",
        "nameTranslated": "Awaiting bank transfer",
    }
    setting = OrderStatusSetting.model_validate(raw)
    assert setting.status_id == "CUSTOM_PAYMENT_STATUS_1"
    assert setting.status_id == PaymentStatus.CUSTOM_PAYMENT_STATUS_1
    assert setting.order_status_type == "PAYMENT"
    assert (setting.default_status, setting.enabled) == (False, True)
    assert setting.send_notification_when_status_is_assigned is True
    assert (setting.name, setting.name_translated) == ("Awaiting bank transfer",) * 2
    assert setting.to_api() == raw


# -- errors ----------------------------------------------------------------------------

ERRORS_BY_STATUS = [
    (400, EcwidBadRequestError, "BAD_REQUEST"),
    (401, EcwidUnauthorizedError, "INVALID_API_TOKEN"),
    (402, EcwidPaymentRequiredError, "STORE_IS_SUSPENDED"),
    (403, EcwidUnauthorizedError, "INVALID_API_TOKEN"),
    (404, EcwidNotFoundError, "ORDER_NOT_FOUND"),
    (405, EcwidMethodNotAllowedError, "METHOD_NOT_ALLOWED"),
    (409, EcwidConflictError, "CONFLICT"),
    (413, EcwidFileTooLargeError, "FILE_TOO_LARGE"),
    (415, EcwidUnsupportedMediaError, "UNSUPPORTED_MEDIA_TYPE"),
    (422, EcwidUnfinishedOrderError, "UNFINISHED_ORDER"),
    (429, EcwidRateLimitedError, "RATE_LIMITED"),
    (500, EcwidServerError, "SERVER_ERROR"),
    (503, EcwidServerError, "SERVER_ERROR"),
]


def _json_body(**fields: str) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(("status", "error_class", "default_code"), ERRORS_BY_STATUS)
def test_json_error_body_gives_the_class_code_and_message_of_the_server(
    status, error_class, default_code
):
    # a code unlike every default, so the test sees that the server's own is kept
    body = _json_body(errorMessage=f"Server says {status}", errorCode=f"SERVER_CODE_{status}")
    error = error_for_response(status, "application/json; charset=utf-8", body, "Reason")
    assert type(error) is error_class
    assert error.status == status
    assert error.code == f"SERVER_CODE_{status}"
    assert str(error) == f"Ecwid answered {status}: Server says {status}"


@pytest.mark.parametrize(("status", "error_class", "default_code"), ERRORS_BY_STATUS)
def test_json_error_body_without_code_gets_the_class_default(status, error_class, default_code):
    body = _json_body(errorMessage="Something failed")
    error = error_for_response(status, "application/json", body, "Reason")
    assert type(error) is error_class
    assert error.code == default_code
    assert str(error) == f"Ecwid answered {status}: Something failed"


def test_insufficient_scope_is_an_authorisation_error_with_the_servers_code():
    body = _json_body(
        errorMessage="The app has no access to orders", errorCode="INSUFFICIENT_APP_SCOPE"
    )
    error = error_for_response(403, "application/json;charset=utf-8", body, "Forbidden")
    assert isinstance(error, EcwidUnauthorizedError)
    assert isinstance(error, EcwidError)
    assert error.code == "INSUFFICIENT_APP_SCOPE"
    assert "The app has no access to orders" in str(error)


PROFILE = "read_store_profile"


@pytest.mark.parametrize(
    ("message", "scope"),
    [
        ("The access token does not have the required scope: read_store_profile", PROFILE),
        ("Token doesn't have required scopes: [READ_STORE_PROFILE]", PROFILE),
        ("App scope update_orders is required to change orders", "update_orders"),
    ],
)
def test_a_403_for_a_missing_scope_names_the_scope(message, scope):
    body = _json_body(errorMessage=message, errorCode="INSUFFICIENT_APP_SCOPE")
    error = error_for_response(403, "application/json", body, "Forbidden")
    assert isinstance(error, EcwidScopeError) and isinstance(error, EcwidUnauthorizedError)
    assert error.scope == scope
    assert str(error).startswith(f"Ecwid answered 403: the token's app lacks the scope {scope} (")


def test_a_403_for_a_scope_ecwid_does_not_name_says_a_scope_is_missing():
    body = _json_body(errorMessage="Access denied", errorCode="INSUFFICIENT_APP_SCOPE")
    error = error_for_response(403, "application/json", body, "Forbidden")
    assert isinstance(error, EcwidScopeError) and error.scope is None
    assert str(error) == (
        "Ecwid answered 403: the token's app lacks an access scope this needs (Access denied)"
    )
    refused = _json_body(errorMessage="Bad token", errorCode="INVALID_API_TOKEN")
    invalid = error_for_response(403, "application/json", refused, "")
    assert type(invalid) is EcwidUnauthorizedError  # a refused token is not a scope problem


def test_rate_limited_error_starts_without_retry_after():
    error = error_for_response(429, "application/json", b"", "Too Many Requests")
    assert isinstance(error, EcwidRateLimitedError)
    assert error.retry_after is None
    assert str(error) == "Ecwid answered 429: Too Many Requests"


def test_message_in_the_status_line_is_used_when_the_body_has_none():
    # the reference page shows Ecwid putting its message in the HTTP reason phrase
    error = error_for_response(400, "application/json", b"", "Field OrderItem.quantity is absent")
    assert isinstance(error, EcwidBadRequestError)
    assert str(error) == "Ecwid answered 400: Field OrderItem.quantity is absent"


HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
    b"<body><h1>Bad Gateway</h1><p>cf-ray 7d1e2f3a4b5c</p></body></html>"
)


@pytest.mark.parametrize("content_type", ["text/html; charset=UTF-8", "text/plain", ""])
def test_html_error_page_is_summarised_not_dumped(content_type):
    error = error_for_response(502, content_type, HTML_PAGE, "Bad Gateway")
    assert isinstance(error, EcwidServerError)
    assert error.status == 502
    assert error.code == "SERVER_ERROR"
    assert str(error) == "Ecwid answered 502: Bad Gateway (the server sent an HTML error page)"
    assert "<" not in str(error)
    assert "cf-ray" not in str(error)


def test_html_error_page_without_reason_still_says_what_it_was():
    error = error_for_response(503, "text/html", HTML_PAGE, "")
    assert str(error) == "Ecwid answered 503: HTTP 503 (the server sent an HTML error page)"


def test_unreadable_response_for_invalid_json_names_the_body():
    with pytest.raises(ValidationError) as caught:
        SearchResult.model_validate_json(b'{"total": 1, "count": 1')
    error = unreadable_response("the order list", caught.value)
    assert isinstance(error, EcwidProtocolError)
    assert (error.status, error.code) == (None, "BAD_RESPONSE")
    assert str(error).startswith(
        "Ecwid sent the order list that Backroom cannot read (the body: Invalid JSON"
    )


def test_unreadable_response_for_a_wrong_shape_names_the_field_not_the_value():
    body = b'{"total": "x9secret", "count": 1, "offset": 0, "limit": 100, "items": []}'
    with pytest.raises(ValidationError) as caught:
        SearchResult.model_validate_json(body)
    error = unreadable_response("the order list", caught.value)
    assert isinstance(error, EcwidProtocolError)
    assert "(total: " in str(error)
    assert "x9secret" not in str(error)


def test_unreadable_response_for_a_missing_field_uses_the_api_name():
    with pytest.raises(ValidationError) as caught:
        UpdateStatus.model_validate_json(b"{}")
    error = unreadable_response("an update result", caught.value)
    assert str(error) == (
        "Ecwid sent an update result that Backroom cannot read (updateCount: Field required)"
    )


def test_unreadable_response_for_another_exception_keeps_its_first_line():
    error = unreadable_response("the store profile", ValueError("not an object\ndetails"))
    assert isinstance(error, EcwidProtocolError)
    assert str(error) == "Ecwid sent the store profile that Backroom cannot read (not an object)"


def test_assigning_a_field_validates_and_is_written_back():
    order = Order.model_validate({"id": "A-1", "paymentStatus": "AWAITING_PAYMENT"})
    order.payment_status = "PAID"
    order.tracking_number = "1Z999"
    assert order.payment_status is PaymentStatus.PAID
    assert order.to_api() == {"id": "A-1", "paymentStatus": "PAID", "trackingNumber": "1Z999"}
    with pytest.raises(ValidationError):
        order.payment_status = 123


def test_json_error_bodies_are_read_whatever_the_content_type_case():
    error = error_for_response(
        404, "Application/JSON; charset=UTF-8", b'{"errorMessage": "Order not found"}', "Not Found"
    )
    assert "Order not found" in str(error)


# -- real orders: odd values -------------------------------------------------------------


def test_a_numeric_id_stays_a_number_and_keys_the_order():
    raw = {"id": 17541773, "orderNumber": 1142, "total": 61.93}
    order = Order.model_validate(raw)
    assert order.id == 17541773 and order.key == "17541773"
    assert order.to_api() == raw and type(order.to_api()["id"]) is int
    assert Order.model_validate({"orderNumber": 87}).key == "87"  # no id at all


def test_values_nobody_changed_are_written_back_in_the_form_they_came():
    raw = {
        "orderNumber": "20",
        "total": "37.390",
        "createDate": "2014-09-20",
        "hidden": "false",
        "billingPerson": {"phone": 1234567890, "name": "John"},
        "items": [{"quantity": 5.0, "price": 5.99, "valuesArray": None}],
    }
    order = Order.model_validate(raw)
    assert (order.order_number, order.total, order.hidden) == (20, Decimal("37.390"), False)
    assert order.billing_person.phone == "1234567890"
    assert order.to_api() == raw
    assert list(order.to_api()) == list(raw)  # and in the order they came
    order.billing_person.name = "John Smith"
    order.total = Decimal("40")
    assert order.to_api() == {
        **raw,
        "total": 40,
        "billingPerson": {"phone": 1234567890, "name": "John Smith"},
    }


def test_an_element_that_does_not_read_is_left_out_and_written_back_in_its_place():
    raw = {"items": [{"name": "Mug"}, None, "junk", {"name": "Board"}], "discountInfo": [7]}
    order = Order.model_validate(raw)
    assert [item.name for item in order.items] == ["Mug", "Board"]
    assert order.discount_info == []
    order.items[1].quantity = 2
    assert order.to_api() == {
        **raw,
        "items": [{"name": "Mug"}, None, "junk", {"name": "Board", "quantity": 2}],
    }
    order.items = [order.items[0]]  # replaced: written as given
    assert order.to_api()["items"] == [{"name": "Mug"}]


def test_a_value_set_aside_can_be_replaced_and_then_is_written_as_set():
    order = Order.model_validate({"discountCoupon": {"launchDate": "Dec 12, 2017 8:00:00 PM"}})
    order.discount_coupon.launch_date = datetime(2017, 12, 12, 20, tzinfo=UTC)
    assert order.to_api() == {"discountCoupon": {"launchDate": "2017-12-12 20:00:00 +0000"}}


def test_orders_that_differ_only_in_a_value_set_aside_are_not_equal():
    first = Order.model_validate({"id": "A", "createDate": "yesterday"})
    assert first == Order.model_validate({"id": "A", "createDate": "yesterday"})
    assert first != Order.model_validate({"id": "A", "createDate": "today"})
    assert first != Order.model_validate({"id": "A"})


def test_an_odd_value_is_logged_once_per_field_without_the_value(caplog, monkeypatch):
    from app.ecwid import model_base

    monkeypatch.setattr(model_base, "_reported", set())
    with caplog.at_level(logging.WARNING, logger="app.ecwid.model_base"):
        for day in ("Dec 12, 2017 8:00:00 PM", "Jan 1, 2018 9:00:00 AM"):
            Order.model_validate({"discountCoupon": {"launchDate": day, "creationDate": day}})
        Order.model_validate({"total": "x9secret"})
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 3
    assert sum("DiscountCouponInfo.launchDate" in m for m in messages) == 1
    assert sum("DiscountCouponInfo.creationDate" in m for m in messages) == 1
    assert any("Order.total" in m for m in messages)
    assert not any("2017" in m or "x9secret" in m for m in messages)


def test_a_required_field_that_does_not_read_still_fails():
    with pytest.raises(ValidationError):
        SearchResult.model_validate(
            {"total": True, "count": 0, "offset": 0, "limit": 1, "items": []}
        )
    with pytest.raises(ValidationError):
        SearchResult.model_validate({"total": 1, "count": 1, "offset": 0, "limit": 1, "items": [7]})
    with pytest.raises(ValidationError):
        UpdateStatus.model_validate({"updateCount": "many"})

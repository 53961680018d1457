"""The search filters are defined once (:class:`SearchFilters`): the Ecwid
client's filters and the order table's query have the same fields, read the
same way; a query keeps dates as aware datetimes and statuses in capitals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.queries import DATE_FIELDS, FILTER_FIELDS, OrderQuery, SearchFilters, SortKey
from app.domain.statuses import FulfillmentStatus, PaymentStatus
from app.ecwid.filters import OrderFilters, parameter_name

LOCAL_FIELDS = {
    "text",
    "include_incomplete",
    "outbox_states",
    "invoice_printed",
    "deleted",
    "sort",
    "descending",
    "stores",  # the view across stores (app.services.inbox)
    "by_store",
}


def test_the_client_and_the_query_share_one_list_of_filters():
    assert tuple(OrderFilters.model_fields) == FILTER_FIELDS
    assert tuple(OrderQuery.model_fields)[: len(FILTER_FIELDS)] == FILTER_FIELDS
    assert set(OrderQuery.model_fields) - set(FILTER_FIELDS) == LOCAL_FIELDS
    assert issubclass(OrderFilters, SearchFilters) and issubclass(OrderQuery, SearchFilters)
    assert len(FILTER_FIELDS) == 26


def test_the_date_filters_are_found_from_their_type():
    assert DATE_FIELDS == {
        "created_from",
        "created_to",
        "updated_from",
        "updated_to",
        "pickup_time_from",
        "pickup_time_to",
    }


@pytest.mark.parametrize(
    ("field", "param"),
    [
        ("keywords", "keywords"),
        ("total_from", "totalFrom"),
        ("vendor_order_number", "vendorOrderNumber"),
        ("pickup_time_to", "pickupTimeTo"),
        ("contains_preorder_items", "containsPreorderItems"),
    ],
)
def test_each_filter_is_sent_as_its_name_in_camel_case(field, param):
    assert parameter_name(field) == param


def test_a_query_holds_statuses_in_capitals_and_dates_as_aware_datetimes():
    query = OrderQuery(payment_status=" paid, custom_payment_status_1", created_to="2025-01-02")
    assert query.payment_status == [PaymentStatus.PAID, "CUSTOM_PAYMENT_STATUS_1"]
    assert query.payment_status[0] is PaymentStatus.PAID
    assert query.created_to == datetime(2025, 1, 2, tzinfo=UTC)
    assert OrderQuery(fulfillment_status=["shipped", " "]).fulfillment_status == [
        FulfillmentStatus.SHIPPED
    ]
    assert OrderQuery(payment_status=["", " "]).payment_status is None


def test_a_query_survives_its_own_json():
    query = OrderQuery(payment_status="PAID,WEIRD", created_from=1_700_000_000, product_id="5,5,6")
    assert query.product_id == [5, 6]
    assert OrderQuery.model_validate_json(query.model_dump_json()) == query
    assert OrderQuery.model_validate(query.model_dump()) == query


def test_query_from_ecwid_filters():
    filters = OrderFilters(
        payment_status="PAID,AWAITING_PAYMENT", created_from="2025-01-01", keywords="mug"
    )
    query = OrderQuery.from_filters(filters, text="ada", sort=SortKey.TOTAL)
    assert query.payment_status == ["PAID", "AWAITING_PAYMENT"]
    assert query.created_from == datetime(2025, 1, 1, tzinfo=UTC)
    assert query.keywords == "mug" and query.text == "ada" and query.sort is SortKey.TOTAL


def test_query_validation():
    assert OrderQuery(text="  ", ids=[], payment_status="") == OrderQuery()
    assert OrderQuery(ids=[5, "A"]).ids == ["5", "A"]
    assert OrderQuery(order_number="1,2").order_number == [1, 2]
    with pytest.raises(ValueError):
        OrderQuery(created_from="yesterday")
    with pytest.raises(ValueError):
        OrderQuery(sort="colour")
    with pytest.raises(ValueError):
        OrderQuery(unknown=1)
    query = OrderQuery()
    with pytest.raises(ValueError):
        query.text = "frozen"  # type: ignore[misc]


def test_the_stores_of_a_query_are_names_once_each():
    assert OrderQuery(stores=["Birch", " Walnut ", "Birch", ""]).stores == ["Birch", "Walnut"]
    assert OrderQuery(stores=[]).stores is None
    assert OrderQuery(stores={"b", "a"}).stores == ["a", "b"]
    assert OrderQuery(by_store="descending").by_store == "descending"
    with pytest.raises(ValueError):
        OrderQuery(by_store="sideways")

"""The PUT body of an order edit: only what changed, and items complete or not at all."""

from __future__ import annotations

import copy

import pytest

from app.services.orders.changes import (
    EditInvalid,
    FieldProblem,
    changes_between,
    editable_copy,
    get_value,
    new_item,
    problem_from_server,
    set_value,
)
from tests.helpers.order_samples import (
    EGOODS_FILE,
    PHOTO_FILE,
    files_of,
    seeded_orders,
    three_item_order,
)


@pytest.fixture
def order():
    return three_item_order()


def test_editable_copy_is_deep(order):
    edited = editable_copy(order)
    edited["items"][2]["selectedOptions"][0]["files"].clear()
    edited["billingPerson"]["city"] = "Boston"
    assert order == three_item_order()
    assert editable_copy(order) == order


def test_get_value_follows_paths_and_defaults(order):
    assert get_value(order, ("billingPerson", "countryCode")) == "US"
    assert get_value(order, ("items", 2, "selectedOptions", 0, "files", 0, "id")) == 6000038
    assert get_value(order, ("items", -1, "sku")) == "WL-PP"
    assert get_value(order, ("shippingPerson", "city"), "none") == "none"
    assert get_value(order, ("items", 7, "name")) is None
    assert get_value(order, ("email", "x")) is None


def test_set_value_creates_missing_objects(order):
    set_value(order, ("shippingPerson", "city"), "Boston")
    assert order["shippingPerson"] == {"city": "Boston"}
    order["billingPerson"] = None
    set_value(order, ("billingPerson", "countryCode"), "de")
    assert order["billingPerson"] == {"countryCode": "de"}
    set_value(order, ("items", 1, "quantity"), "3")
    assert order["items"][1]["quantity"] == "3"
    with pytest.raises(IndexError):
        set_value(order, ("items", 9, "quantity"), 1)


def test_nothing_changed_gives_empty_body(order):
    edited = editable_copy(order)
    assert changes_between(order, edited) == {}
    # the editor's raw text for the same values is no change either
    set_value(edited, ("items", 0, "price"), "28,00")
    set_value(edited, ("items", 0, "quantity"), " 2 ")
    set_value(edited, ("shippingOption", "shippingRate"), "6")
    set_value(edited, ("privateAdminNotes",), "")
    set_value(edited, ("billingPerson", "countryCode"), "us")
    assert changes_between(order, edited) == {}


def test_tracking_only_sends_no_items(order):
    edited = editable_copy(order)
    edited["trackingNumber"] = "1ZAA1234"
    assert changes_between(order, edited) == {"trackingNumber": "1ZAA1234"}


def test_changing_one_quantity_sends_all_items_complete(order):
    edited = editable_copy(order)
    set_value(edited, ("items", 0, "quantity"), "3")
    body = changes_between(order, edited)
    assert list(body) == ["items"]
    expected = copy.deepcopy(order["items"])
    expected[0]["quantity"] = 3
    assert body["items"] == expected
    assert body["items"][2]["selectedOptions"][0]["files"] == [PHOTO_FILE]
    assert body["items"][1]["files"] == [EGOODS_FILE]
    assert body["items"][0]["warehouseBin"] == "B-12"


def test_removing_an_item_sends_the_others_complete(order):
    edited = editable_copy(order)
    del edited["items"][0]
    body = changes_between(order, edited)
    assert body == {"items": order["items"][1:]}
    assert files_of(body) == [PHOTO_FILE]


def test_adding_an_item_keeps_the_others(order):
    edited = editable_copy(order)
    edited["items"].append(new_item(name="Gift card", sku="WL-GC", price="25,00", quantity="2"))
    body = changes_between(order, edited)
    assert body["items"][:3] == order["items"]
    assert body["items"][3] == {
        "name": "Gift card",
        "sku": "WL-GC",
        "price": 25,
        "quantity": 2,
        "selectedOptions": [],
    }


def test_reordering_items_is_a_change(order):
    edited = editable_copy(order)
    edited["items"].reverse()
    body = changes_between(order, edited)
    assert body == {"items": list(reversed(order["items"]))}


def test_a_copied_item_is_sent_as_a_new_item(order):
    edited = editable_copy(order)
    edited["items"].append(copy.deepcopy(edited["items"][0]))
    body = changes_between(order, edited)
    assert body["items"][:3] == order["items"]
    copied = {key: value for key, value in order["items"][0].items() if key != "id"}
    assert body["items"][3] == copied


def test_editor_cannot_drop_option_files_or_fields(order):
    edited = editable_copy(order)
    printed = edited["items"][2]
    printed["selectedOptions"][0]["files"] = []  # a careless editor
    del printed["externalReferenceId"]
    del edited["items"][1]["files"]
    set_value(edited, ("items", 2, "price"), "60")
    body = changes_between(order, edited)
    assert body["items"][2]["selectedOptions"][0]["files"] == [PHOTO_FILE]
    assert body["items"][2]["externalReferenceId"] == {"erp": "PP-77"}
    assert body["items"][2]["price"] == 60
    assert body["items"][1]["files"] == [EGOODS_FILE]


def test_option_value_edit_updates_values_array(order):
    edited = editable_copy(order)
    set_value(edited, ("items", 0, "selectedOptions", 1, "value"), "OJ")
    body = changes_between(order, edited)
    initials = body["items"][0]["selectedOptions"][1]
    assert initials == {"name": "Initials", "type": "TEXT", "value": "OJ", "valuesArray": ["OJ"]}
    assert body["items"][0]["selectedOptions"][0] == order["items"][0]["selectedOptions"][0]


def test_items_without_ids_pair_by_their_other_fields(order):
    for item in order["items"]:
        del item["id"]
    edited = editable_copy(order)
    del edited["items"][0]
    set_value(edited, ("items", 1, "quantity"), 4)  # the photo print, now second
    body = changes_between(order, edited)
    assert body["items"][0] == order["items"][1]
    assert body["items"][1] == {**order["items"][2], "quantity": 4}
    assert files_of(body) == [PHOTO_FILE]


def test_person_is_sent_whole_with_the_edit(order):
    edited = editable_copy(order)
    set_value(edited, ("billingPerson", "city"), "Evanston")
    set_value(edited, ("billingPerson", "countryCode"), " us ")
    body = changes_between(order, edited)
    assert body == {"billingPerson": {**order["billingPerson"], "city": "Evanston"}}


def test_missing_shipping_person_is_created(order):
    edited = editable_copy(order)
    set_value(edited, ("shippingPerson", "name"), "Ada Okafor")
    set_value(edited, ("shippingPerson", "countryCode"), "de")
    assert changes_between(order, edited) == {
        "shippingPerson": {"name": "Ada Okafor", "countryCode": "DE"}
    }


def test_shipping_option_rate_is_a_number_and_option_sent_whole(order):
    edited = editable_copy(order)
    set_value(edited, ("shippingOption", "shippingRate"), " 7,50 ")
    body = changes_between(order, edited)
    assert body == {"shippingOption": {**order["shippingOption"], "shippingRate": 7.5}}
    assert isinstance(body["shippingOption"]["shippingRate"], float)


def test_scalar_fields_are_normalised(order):
    edited = editable_copy(order)
    edited.update(
        paymentStatus="refunded",
        fulfillmentStatus="CUSTOM_FULFILLMENT_STATUS_2",
        email=" ada@example.org ",
        hidden=True,
        privateAdminNotes="Call before shipping",
        total="150,25",
        tax="22",
    )
    assert changes_between(order, edited) == {
        "paymentStatus": "REFUNDED",
        "fulfillmentStatus": "CUSTOM_FULFILLMENT_STATUS_2",
        "email": "ada@example.org",
        "hidden": True,
        "privateAdminNotes": "Call before shipping",
        "total": 150.25,
    }


def test_server_owned_fields_are_never_sent(order):
    edited = editable_copy(order)
    edited["updateTimestamp"] = 1
    edited["internalId"] = 2
    assert changes_between(order, edited) == {}


def test_invalid_edit_raises_with_every_problem(order):
    edited = editable_copy(order)
    set_value(edited, ("items", 0, "quantity"), "0")
    set_value(edited, ("items", 2, "price"), "abc")
    edited["email"] = "not an email"
    with pytest.raises(EditInvalid) as caught:
        changes_between(order, edited)
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {("items", 0, "quantity"), ("items", 2, "price"), ("email",)}
    assert "items[0].quantity: must be at least 1" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_odd_values_left_as_the_server_sent_them_do_not_block(order):
    order["paymentStatus"] = "SOMETHING_NEW"
    order["email"] = "legacy-address"
    edited = editable_copy(order)
    edited["trackingNumber"] = "JD014600"
    assert changes_between(order, edited) == {"trackingNumber": "JD014600"}
    edited["paymentStatus"] = "ALSO_UNKNOWN"
    with pytest.raises(EditInvalid):
        changes_between(order, edited)


def test_empty_original_gives_a_create_body():
    edited = {
        "email": "phone@example.com",
        "paymentStatus": "awaiting_payment",
        "items": [new_item(name="Walnut board", price="45", quantity=1)],
        "billingPerson": {"name": "Phone Customer", "countryCode": "gb"},
    }
    assert changes_between({}, edited) == {
        "email": "phone@example.com",
        "paymentStatus": "AWAITING_PAYMENT",
        "items": [
            {"name": "Walnut board", "sku": "", "price": 45, "quantity": 1, "selectedOptions": []}
        ],
        "billingPerson": {"name": "Phone Customer", "countryCode": "GB"},
    }


def test_new_item_keeps_unreadable_input_for_validation():
    item = new_item(name="Board", price="12,5x", quantity="two")
    assert item["price"] == "12,5x" and item["quantity"] == "two"
    assert new_item(name="Board", price=" 3,10 ")["price"] == 3.1


def test_seeded_orders_round_trip_unchanged():
    for order in seeded_orders():
        edited = editable_copy(order)
        assert changes_between(order, edited) == {}, order.get("id")
        if order.get("items"):
            set_value(edited, ("items", 0, "quantity"), order["items"][0]["quantity"] + 1)
            sent = changes_between(order, edited)["items"]
            assert len(sent) == len(order["items"])
            assert files_of({"items": sent}) == files_of(order)
            assert sent[1:] == order["items"][1:]


@pytest.mark.parametrize(
    ("message", "path"),
    [
        ("Field OrderItem.quantity is not a number", ("items",)),
        ("Field OrderItem.quantity is absent", ("items",)),
        ("Field Order.email is not a valid email", ("email",)),
        ("Field Order.items is not an array", ("items",)),
        ("Field ShippingOption.shippingRate is not a number", ("shippingOption", "shippingRate")),
        ("Status QUEUED is deprecated, use AWAITING_PAYMENT instead", ("paymentStatus",)),
        ("Status NEW is deprecated, use AWAITING_PROCESSING instead", ("fulfillmentStatus",)),
        ("Unknown payment status 'X'; supported values: PAID", ("paymentStatus",)),
        ("Unknown fulfillment status 'X'; supported values: SHIPPED", ("fulfillmentStatus",)),
    ],
)
def test_server_messages_map_to_fields(message, path):
    assert problem_from_server(message) == FieldProblem(path, message)


@pytest.mark.parametrize("message", ["Internal server error", "", "Field Unknown.x is bad"])
def test_unknown_server_messages_map_to_nothing(message):
    assert problem_from_server(message) is None

"""The new-order dialog against the demo store over loopback HTTP: an order
typed in by hand is created on the server and cached with the server's id;
bad input shows problems under the fields and sends nothing; a refusal or a
store that cannot be reached keeps everything typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.config import Account
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for
from ui.common.tasks import TaskRunner
from ui.editor.new_order_dialog import NewOrderDialog
from ui.editor.new_order_form import NO_ITEMS


@pytest.fixture
def session(sandbox, run_on_qt):
    store_id = str(sandbox.store_id)
    account = Account(name="Shop", kind="ecwid", store_id=store_id, api_url=sandbox.url)
    session = StoreSession.open(account, client_for(sandbox))
    run_on_qt(session.refresh_display())
    yield session
    run_on_qt(session.close())


@pytest.fixture
def dialog(qtbot, session, qt_loop):
    dialog = NewOrderDialog(session, TaskRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def server_total(sandbox, run_on_qt) -> int:
    async def count():
        async with client_for(sandbox) as client:
            return (await client.search_orders_raw(limit=1)).total

    return run_on_qt(count())


def fill(qtbot, dialog: NewOrderDialog) -> None:
    qtbot.keyClicks(dialog.form.email, "ada.okafor@example.org")
    qtbot.keyClicks(dialog.form.customer.edits["name"], "Ada Okafor")
    qtbot.keyClicks(dialog.form.customer.edits["phone"], "+1 555 0100")
    for field, text in (
        ("street", "12 Harbour Lane"),
        ("city", "Portland"),
        ("postalCode", "97201"),
        ("stateOrProvinceCode", "OR"),
        ("countryCode", "us"),
    ):
        qtbot.keyClicks(dialog.form.billing.edits[field], text)
    first = dialog.form.items.rows[0]
    qtbot.keyClicks(first["name"], "Linen towel")
    qtbot.keyClicks(first["sku"], "LT-01")
    qtbot.keyClicks(first["price"], "12,50")
    first["quantity"].selectAll()
    qtbot.keyClicks(first["quantity"], "2")
    qtbot.mouseClick(dialog.form.items.add_button, Qt.MouseButton.LeftButton)
    second = dialog.form.items.rows[1]
    qtbot.keyClicks(second["name"], "Tea tin")
    qtbot.keyClicks(second["price"], "4.39")
    dialog.form.payment_status.setCurrentIndex(dialog.form.payment_status.findData("PAID"))
    qtbot.keyClicks(dialog.form.payment_method, "Phone: card")
    qtbot.keyClicks(dialog.form.notes, "Gift wrap, please.")


def test_a_new_order_is_created_on_the_server_and_cached_with_its_id(
    qtbot, dialog, session, sandbox, run_on_qt
):
    fill(qtbot, dialog)
    assert dialog.form.total_label.text() == "Total: <b>$29.39</b>"
    before = server_total(sandbox, run_on_qt)
    with qtbot.waitSignal(dialog.created, timeout=20_000) as created:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    key = created.args[0]
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.key() == key

    async def read():
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    server = run_on_qt(read())
    assert server_total(sandbox, run_on_qt) == before + 1
    assert server["email"] == "ada.okafor@example.org"
    assert server["paymentStatus"] == "PAID"
    assert server["fulfillmentStatus"] == "AWAITING_PROCESSING"
    assert server["paymentMethod"] == "Phone: card"
    assert server["privateAdminNotes"] == "Gift wrap, please."
    assert [(i["name"], i.get("sku"), i["price"], i["quantity"]) for i in server["items"]] == [
        ("Linen towel", "LT-01", 12.5, 2),
        ("Tea tin", "", 4.39, 1),
    ]
    assert server["total"] == 29.39
    billing = server["billingPerson"]
    assert (billing["name"], billing["countryCode"], billing["city"]) == (
        "Ada Okafor",
        "US",
        "Portland",
    )
    assert server["shippingPerson"] == billing  # "same as billing"

    cached = session.rows.order_json(key)
    assert cached is not None and cached["id"] == server["id"] == key
    assert cached["items"] == server["items"]


def test_problems_show_under_their_fields_and_nothing_is_sent(qtbot, dialog, sandbox, run_on_qt):
    before = server_total(sandbox, run_on_qt)
    qtbot.keyClicks(dialog.form.email, "ada@")
    dialog.form.email.editingFinished.emit()  # left the field: its problem shows
    assert dialog.form.email_message.isVisible()
    assert dialog.form.email_message.text().startswith("Email is not an e-mail address")
    assert not dialog.form.billing.messages["countryCode"].isVisible()  # untouched: not yet

    qtbot.keyClicks(dialog.form.billing.edits["countryCode"], "XX")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.key() is None
    assert dialog.form.billing.messages["countryCode"].text().startswith("Country code is not")
    assert dialog.form.items.empty_message.text() == NO_ITEMS
    assert "3 problems to fix" in dialog.banner.text()
    assert dialog.focusWidget() is dialog.form.email  # the first problem's field

    row = dialog.form.items.rows[0]
    qtbot.keyClicks(row["price"], "abc")  # an item with a bad price and no name
    message = dialog.form.items.messages[0].text()  # the row's own message
    assert "Name is required" in message and "Price must be a number" in message
    assert not dialog.form.items.empty_message.isVisible()

    dialog.form.email.clear()
    qtbot.keyClicks(dialog.form.email, "ada@example.org")  # fixed: its message goes at once
    assert not dialog.form.email_message.isVisible()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.key() is None
    assert server_total(sandbox, run_on_qt) == before


@pytest.mark.parametrize("trouble", ["refused", "unreachable"])
def test_a_failure_keeps_everything_typed(qtbot, dialog, sandbox, run_on_qt, trouble):
    fill(qtbot, dialog)
    if trouble == "refused":
        sandbox.faults.suspended = True  # 402 STORE_IS_SUSPENDED
    else:
        sandbox.stop()
    typed = dialog.order()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert not dialog.buttons.isEnabled()  # creating…
    qtbot.waitUntil(dialog.buttons.isEnabled, timeout=30_000)
    assert dialog.isVisible() and dialog.key() is None
    assert dialog.banner.isVisible()
    assert dialog.banner.text().startswith("The order was not created: ")
    assert "Everything you typed is still here" in dialog.banner.text()
    assert dialog.order() == typed
    qtbot.keyClicks(dialog.form.payment_method, " ")  # editing leaves the store's answer shown
    assert dialog.banner.isVisible()
    assert dialog.form.items.rows[0]["price"].text() == "12,50"  # as typed, not as sent
    dialog.form.payment_method.backspace()
    if trouble == "refused":
        sandbox.faults.suspended = False
        with qtbot.waitSignal(dialog.created, timeout=20_000):
            qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_separate_shipping_address_starts_from_the_billing_one(qtbot, dialog):
    qtbot.keyClicks(dialog.form.customer.edits["name"], "Ada Okafor")
    qtbot.keyClicks(dialog.form.billing.edits["city"], "Portland")
    assert not dialog.form.shipping.isVisible()
    dialog.form.same_as_billing.click()
    assert dialog.form.shipping.isVisible()
    assert dialog.form.shipping.edits["name"].text() == "Ada Okafor"
    dialog.form.shipping.edits["city"].clear()
    qtbot.keyClicks(dialog.form.shipping.edits["city"], "Salem")
    order = dialog.order()
    assert order["billingPerson"]["city"] == "Portland"
    assert order["shippingPerson"] == {"name": "Ada Okafor", "city": "Salem"}
    qtbot.mouseClick(dialog.form.items.add_button, Qt.MouseButton.LeftButton)
    assert len(dialog.form.items.rows) == 2
    remove = dialog.form.items.removers[0]
    assert remove.accessibleName() == "Remove item 1"
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert len(dialog.form.items.rows) == 1
    assert dialog.form.items.rows[0]["name"].accessibleName() == "Item 1 name"

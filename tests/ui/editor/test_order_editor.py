"""The order editor against the demo store over loopback HTTP: edits that
leave items and files intact, removing an item, validation that sends
nothing, statuses and their shortcuts, offline saving, a refusal by the
store, recalculated totals, discarding, navigation and keyboard order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.services.orders.saving import QUEUED
from tests.ui.editor import support
from tests.ui.editor.support import (
    ACCOUNT,
    answer_next_box,
    edit_cell,
    has_files,
    open_in,
    pick_order,
    press,
    server_order,
    three_items_and_a_file,
    type_into,
)
from ui.editor.form import NOTIFY_NOTE
from ui.editor.items_model import OrderItemsModel

pytestmark = pytest.mark.usefixtures("qt_loop")
session, drafts, editor = support.session, support.drafts, support.editor  # fixtures


def _save_with_keys(qtbot, editor) -> None:
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.keySequence(QApplication.focusWidget() or editor, QKeySequence.StandardKey.Save)


def test_tracking_number_saved_with_items_and_files_intact(
    qtbot, editor, session, sandbox, run_on_qt
):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    before = server_order(sandbox, key, run_on_qt)
    open_in(editor, key, run_on_qt)

    type_into(qtbot, editor.form.tracking.line, "1Z 999 AA1 01 2345 6784")
    qtbot.waitUntil(editor.save_button.isEnabled)
    _save_with_keys(qtbot, editor)

    after = server_order(sandbox, key, run_on_qt)
    assert after["trackingNumber"] == "1Z 999 AA1 01 2345 6784"
    assert after["items"] == before["items"]  # every item, every option file, untouched
    assert sum(has_files(item) for item in after["items"]) >= 1
    assert editor.status_label.text() == "Saved."
    assert not editor.has_unsaved_changes()
    assert session.outbox_summary().entries == []
    assert editor.drafts.load(ACCOUNT, key) is None


def _file_and_text_option(order) -> int | None:
    """The row of an item with an attached file and a text or choice option."""
    for row, item in enumerate(order.get("items") or []):
        types = {option.get("type") for option in item.get("selectedOptions") or []}
        if has_files(item) and types & {"TEXT", "CHOICE"}:
            return row
    return None


def test_an_option_edit_keeps_the_files_beside_it(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, lambda o: _file_and_text_option(o) is not None)
    key, row = order["id"], _file_and_text_option(order)
    before = server_order(sandbox, key, run_on_qt)
    open_in(editor, key, run_on_qt)
    editor.items.table.setCurrentIndex(editor.items.model.index(row, 0))
    field = editor.items.option_fields[0]
    number = field.path[3]
    shown = [label.text() for label in editor.items.options.findChildren(QLabel)]
    assert any("files are kept" in text for text in shown)  # listed, not editable

    type_into(qtbot, field.line, "Seen in the editor")
    qtbot.waitUntil(editor.save_button.isEnabled)
    _save_with_keys(qtbot, editor)

    after = server_order(sandbox, key, run_on_qt)
    options = after["items"][row]["selectedOptions"]
    assert options[number]["value"] == "Seen in the editor"
    for position, option in enumerate(before["items"][row]["selectedOptions"]):
        if option.get("files"):
            assert options[position]["files"] == option["files"]  # the upload is still there
    others = slice(None, row), slice(row + 1, None)
    assert [after["items"][part] for part in others] == [before["items"][part] for part in others]


def test_removing_an_item_sends_the_others_complete(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    before = server_order(sandbox, key, run_on_qt)
    open_in(editor, key, run_on_qt)
    row = next(i for i, item in enumerate(before["items"]) if not has_files(item))

    editor.items.table.setCurrentIndex(editor.items.model.index(row, 0))
    qtbot.mouseClick(editor.items.remove_button, Qt.MouseButton.LeftButton)
    assert editor.items.model.rowCount() == len(before["items"]) - 1
    qtbot.waitUntil(editor.save_button.isEnabled)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.status_label.text() == "Saved.", timeout=20_000)

    after = server_order(sandbox, key, run_on_qt)
    expected = [item for i, item in enumerate(before["items"]) if i != row]
    assert after["items"] == expected  # complete: ids, options, files, every field


def test_removing_an_item_with_files_asks_first(qtbot, editor, session, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    row = next(i for i, item in enumerate(order["items"]) if has_files(item))
    editor.items.table.setCurrentIndex(editor.items.model.index(row, 0))

    answer_next_box("Cancel")
    qtbot.mouseClick(editor.items.remove_button, Qt.MouseButton.LeftButton)
    assert editor.items.model.rowCount() == len(order["items"])
    answer_next_box("Yes")
    qtbot.mouseClick(editor.items.remove_button, Qt.MouseButton.LeftButton)
    assert editor.items.model.rowCount() == len(order["items"]) - 1


def test_invalid_input_is_shown_and_nothing_is_sent(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    requests = len(sandbox.request_log)

    type_into(qtbot, editor.form.email.line, "not-an-email")
    edit_cell(qtbot, editor, 0, OrderItemsModel.PRICE, "-5")
    edit_cell(qtbot, editor, 1, OrderItemsModel.QUANTITY, "0")
    qtbot.waitUntil(lambda: editor.form.email.problem() is not None)
    qtbot.waitUntil(lambda: "Item 2" in editor.items.problems_label.text())

    assert editor.form.email.problem_label.isVisible()
    assert "Email" in editor.form.email.problem_label.text()
    assert editor.form.email.line.accessibleDescription() == editor.form.email.problem_label.text()
    assert "Item 1: Price" in editor.items.problems_label.text()
    price = editor.items.model.index(0, OrderItemsModel.PRICE)
    assert editor.items.model.data(price, Qt.ItemDataRole.ToolTipRole)
    assert not editor.save_button.isEnabled()
    assert "problems to fix" in editor.status_label.text()

    assert run_on_qt(editor.save()) is False  # Ctrl+S or not: nothing leaves
    qtbot.keySequence(editor.form.email.line, QKeySequence.StandardKey.Save)
    qtbot.wait(50)
    assert len(sandbox.request_log) == requests
    assert session.outbox_summary().entries == []

    type_into(qtbot, editor.form.email.line, "fixed@example.org")
    edit_cell(qtbot, editor, 0, OrderItemsModel.PRICE, "12,50")
    edit_cell(qtbot, editor, 1, OrderItemsModel.QUANTITY, "2")
    qtbot.waitUntil(editor.save_button.isEnabled)
    assert editor.form.email.problem() is None
    assert not editor.items.problems_label.isVisible()


def test_status_shortcuts_and_the_notification_note(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(
        session,
        lambda o: (
            o.get("paymentStatus") == "AWAITING_PAYMENT"
            and o.get("fulfillmentStatus") == "AWAITING_PROCESSING"
        ),
    )
    open_in(editor, order["id"], run_on_qt)
    names = session.display.status_names
    assert editor.form.payment.combo.currentText() == names["AWAITING_PAYMENT"]
    listed = editor.form.fulfillment.values()
    assert "CUSTOM_FULFILLMENT_STATUS_1" in listed  # the store's custom statuses too
    assert editor.form.fulfillment.hint() == ""

    press(qtbot, editor.form.tracking.line, "Ctrl+Shift+S")
    assert editor.form.fulfillment.value() == "SHIPPED"
    assert editor.form.fulfillment.combo.currentText() == names["SHIPPED"]
    assert editor.form.fulfillment.hint() == NOTIFY_NOTE  # setting it emails the customer
    press(qtbot, editor.form.tracking.line, "Ctrl+Shift+P")
    assert editor.form.payment.value() == "PAID"

    qtbot.waitUntil(editor.save_button.isEnabled)
    _save_with_keys(qtbot, editor)
    after = server_order(sandbox, order["id"], run_on_qt)
    assert (after["paymentStatus"], after["fulfillmentStatus"]) == ("PAID", "SHIPPED")


def test_offline_save_is_queued_then_sent(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    sandbox.stop()

    type_into(qtbot, editor.form.tracking.line, "QUEUED-1")
    qtbot.waitUntil(editor.save_button.isEnabled)
    _save_with_keys(qtbot, editor)
    assert editor.status_label.text() == QUEUED
    assert [entry.state for entry in session.outbox_summary().entries] == [OutboxState.FAILED]
    assert editor.drafts.load(ACCOUNT, key) is None  # the outbox holds it now
    # the editor shows the edit on its way (the table keeps the store's value, marked)
    assert editor.form.tracking.value() == "QUEUED-1"
    assert "waits to be sent" in editor.banner.message.text()
    assert session.rows.order_json(key).get("trackingNumber") != "QUEUED-1"
    assert not editor.has_unsaved_changes()

    sandbox.start()
    run_on_qt(session.sync_round())
    assert server_order(sandbox, key, run_on_qt)["trackingNumber"] == "QUEUED-1"
    assert session.outbox_summary().entries == []


def test_a_refusal_keeps_the_edit_and_says_why(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    sandbox.faults.fail_orders = {key: 400}

    type_into(qtbot, editor.form.tracking.line, "REFUSED-1")
    qtbot.waitUntil(editor.save_button.isEnabled)
    assert run_on_qt(editor.save()) is False
    assert "locked for review" in editor.banner.text()
    assert editor.status_label.text() == "Not saved: the store refused the change."
    assert editor.has_unsaved_changes()
    assert editor.form.tracking.value() == "REFUSED-1"
    assert editor.drafts.load(ACCOUNT, key) is not None
    assert session.outbox_summary().entries == []  # nothing left to retry a refused change
    assert session.rows.order_json(key).get("trackingNumber") == order.get("trackingNumber")

    sandbox.faults.fail_orders = {}
    assert run_on_qt(editor.save()) is True
    assert server_order(sandbox, key, run_on_qt)["trackingNumber"] == "REFUSED-1"


def test_items_change_offers_recalculated_totals(qtbot, editor, session, sandbox, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    assert not editor.items.recalculate_button.isEnabled()
    quantity = int(order["items"][0]["quantity"]) + 1

    edit_cell(qtbot, editor, 0, OrderItemsModel.QUANTITY, str(quantity))
    qtbot.waitUntil(editor.items.recalculate_button.isEnabled)
    qtbot.mouseClick(editor.items.recalculate_button, Qt.MouseButton.LeftButton)
    dialog = editor.items.totals_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.arithmetic.text().startswith("Subtotal: ")
    assert f"{quantity} × " in dialog.arithmetic.text()
    proposal = dialog.proposal
    assert "total" in proposal.changes
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(editor.save_button.isEnabled)
    _save_with_keys(qtbot, editor)
    after = server_order(sandbox, key, run_on_qt)
    assert after["items"][0]["quantity"] == quantity
    assert after["total"] == pytest.approx(float(proposal.total))
    assert after["subtotal"] == pytest.approx(float(proposal.subtotal))
    assert after["items"][1:] == order["items"][1:]


def test_totals_are_not_changed_when_the_dialog_is_cancelled(qtbot, editor, session, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    edit_cell(qtbot, editor, 0, OrderItemsModel.PRICE, "1000")
    qtbot.waitUntil(editor.items.recalculate_button.isEnabled)
    qtbot.mouseClick(editor.items.recalculate_button, Qt.MouseButton.LeftButton)
    dialog = editor.items.totals_dialog
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert editor.items.model.item(0)["price"] == "1000"
    assert session.rows.order_json(order["id"])["total"] == order["total"]
    assert f"{order['total']:.2f}" in editor.items.totals_label.text().replace(",", "")


def test_escape_discards_after_asking(qtbot, editor, session, drafts, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    closed = []
    editor.closeRequested.connect(lambda: closed.append(True))

    name = editor.items.model.index(0, OrderItemsModel.NAME)
    editor.items.table.setCurrentIndex(name)
    press(qtbot, editor.items.table, Qt.Key.Key_F2)
    qtbot.keyClicks(QApplication.focusWidget(), "zzz")
    press(qtbot, QApplication.focusWidget(), Qt.Key.Key_Escape)  # ends the cell edit only
    assert editor.items.model.data(name) == order["items"][0]["name"]
    assert not closed and not editor.has_unsaved_changes()

    type_into(qtbot, editor.form.tracking.line, "TO-BE-DISCARDED")
    editor.form.tracking.line.clearFocus()  # the draft is written when the focus leaves
    assert drafts.load(ACCOUNT, key) is not None

    answer_next_box("Cancel")
    press(qtbot, editor.form.email.line, Qt.Key.Key_Escape)
    assert editor.form.tracking.value() == "TO-BE-DISCARDED"
    assert not closed

    answer_next_box("Discard")
    press(qtbot, editor.form.email.line, Qt.Key.Key_Escape)
    assert editor.form.tracking.value() == (order.get("trackingNumber") or "")
    assert not editor.has_unsaved_changes()
    assert drafts.load(ACCOUNT, key) is None
    assert closed == [True]

    press(qtbot, editor.form.email.line, Qt.Key.Key_Escape)  # nothing to discard: closes
    assert closed == [True, True]


def test_alt_down_asks_about_changes_then_moves_on(qtbot, editor, session, drafts, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    steps: list[int] = []
    editor.navigateRequested.connect(steps.append)

    press(qtbot, editor.form.email.line, "Alt+Down")
    assert steps == [1]  # nothing changed: no question

    type_into(qtbot, editor.form.tracking.line, "KEEP-ME")
    answer_next_box("Cancel")
    press(qtbot, editor.form.tracking.line, "Alt+Up")
    assert steps == [1]
    answer_next_box("Keep as draft")
    press(qtbot, editor.form.tracking.line, "Alt+Up")
    assert steps == [1, -1]
    assert drafts.load(ACCOUNT, key).edited["trackingNumber"] == "KEEP-ME"


def test_tab_follows_the_form_from_top_to_bottom(qtbot, editor, session, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    type_into(qtbot, editor.form.tracking.line, "x")  # Discard and Save become reachable
    expected = [
        widget
        for widget in [*editor.form.focus_widgets(), editor.discard_button, editor.save_button]
        if widget.isEnabled() and widget.isVisibleTo(editor)
    ]
    first = expected[0]
    first.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = [first]
    for _ in range(len(expected) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == expected
    tops = [w.mapToGlobal(w.rect().topLeft()).y() for w in seen[:-2]]  # (Save: below the form)
    assert all(b >= a - 2 for a, b in zip(tops, tops[1:], strict=False))  # never back up


def test_every_control_has_an_accessible_name(editor, session, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    for widget in editor.form.focus_widgets() + [editor.discard_button, editor.save_button]:
        assert widget.accessibleName(), widget
    for button in editor.findChildren(QPushButton):
        if button.isVisibleTo(editor):
            assert button.accessibleName() or button.text(), button
    names = {field.input.accessibleName() for field in editor.form.fields()}
    assert {"Billing name", "Shipping name", "Tracking number", "Email"} <= names


def test_hidden_is_offered_for_unfinished_orders_only(editor, session, run_on_qt):
    finished = pick_order(session, three_items_and_a_file)
    open_in(editor, finished["id"], run_on_qt)
    assert not editor.form.hidden.isEnabled()
    assert "only unfinished orders" in editor.form.hidden.hint().lower()

    keys = [row.key for row in session.rows.rows(OrderQuery(include_incomplete=True), 0, 1000)]
    unfinished = next(
        key for key in keys if session.rows.order_json(key)["paymentStatus"] == "INCOMPLETE"
    )
    open_in(editor, unfinished, run_on_qt)
    assert editor.form.hidden.isEnabled()
    assert "unfinished order" in editor.form.hidden.hint()
    assert editor.form.payment.value() == "INCOMPLETE"  # listed for this order only


def test_an_order_that_is_not_cached_says_so(editor, run_on_qt):
    run_on_qt(editor.open_order("NO-SUCH-ORDER"))
    assert editor.key is None
    assert "not among" in editor.empty_label.text()
    assert editor.has_unsaved_changes() is False

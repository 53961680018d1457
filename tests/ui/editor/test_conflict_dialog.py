"""The conflict dialog on its own (rows, marks, readable values, the three
choices) and end to end: the order changes on the demo store between opening
and saving, the dialog appears, and each choice leaves the right order there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain.outbox import OutboxState
from app.services.orders.bulk import ConflictField
from tests.ui.editor import support
from tests.ui.editor.support import (
    ACCOUNT,
    change_on_server,
    open_in,
    pick_order,
    server_order,
    three_items_and_a_file,
    type_into,
)
from ui.common.dates import display_locale
from ui.detail.pane import OrderFormat
from ui.editor.conflict_dialog import CHANGED_MARK, ConflictDialog
from ui.editor.editor import OrderEditor

pytestmark = pytest.mark.usefixtures("qt_loop")
session, drafts, editor = support.session, support.drafts, support.editor  # fixtures

PERSON = {"name": "Ada Lovelace", "companyName": "Engines Ltd", "city": "London"}
ITEMS = [
    {"name": "Mug", "sku": "MUG-1", "quantity": 2, "price": 12.5, "selectedOptions": []},
    {
        "name": "Print",
        "quantity": 1,
        "price": 30,
        "selectedOptions": [{"name": "Art", "type": "FILES", "files": [{"name": "a.png"}]}],
    },
]
FIELDS = [
    ConflictField("trackingNumber", "Tracking number", "MINE", "THEIRS", "OLD", True),
    ConflictField(
        "shippingPerson", "Shipping address", PERSON, {**PERSON, "city": "Paris"}, PERSON, True
    ),
    ConflictField("items", "Items", ITEMS, ITEMS[:1], ITEMS, True),
    ConflictField("paymentStatus", "Payment status", "PAID", "AWAITING_PAYMENT", None, False),
]


def _dialog(qtbot) -> ConflictDialog:
    fmt = OrderFormat(display_locale(), "USD", {"PAID": "Paid"})
    dialog = ConflictDialog("Order #1042", FIELDS, fmt=fmt)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_rows_show_both_versions_readably_and_mark_remote_changes(qtbot):
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Conflict — Order #1042"
    mine, server = dialog.radios["shippingPerson"]
    assert mine.value_text() == "Ada Lovelace, Engines Ltd, London"
    assert server.value_text() == "Ada Lovelace, Engines Ltd, Paris"
    items_mine = dialog.radios["items"][0].value_text()
    assert items_mine.splitlines() == [
        "2 × Mug (SKU MUG-1) at $12.50",
        "1 × Print at $30.00, 1 file",
    ]
    assert dialog.radios["paymentStatus"][0].value_text() == "Paid"
    # a status the store did not name: in words, never the API's code
    assert dialog.radios["paymentStatus"][1].value_text() == "Awaiting payment"
    for mine, server in dialog.radios.values():
        assert "{" not in mine.value_text() + server.value_text()  # never raw JSON
        assert mine.isChecked() and not server.isChecked()
        assert mine.accessibleName() and server.accessibleName()
    marks = [label.text() for label in dialog.findChildren(QLabel)]
    assert sum(CHANGED_MARK in text for text in marks) == 3


@pytest.mark.parametrize(
    ("button", "expected"),
    [
        ("keep_mine_button", {f.name: "mine" for f in FIELDS}),
        ("take_server_button", {f.name: "server" for f in FIELDS}),
        ("merge_button", {**{f.name: "mine" for f in FIELDS}, "items": "server"}),
    ],
)
def test_each_button_gives_its_choices(qtbot, button, expected):
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.radios["items"][1], Qt.MouseButton.LeftButton)  # a merge choice
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.choices() == expected


def test_every_word_is_a_shop_owners(qtbot):
    """No API names: fields by their names, parts of a value by theirs, the
    store called the store (not "the server")."""
    fields = [
        ConflictField(
            "handlingFee",
            "Handling fee",
            {"name": "Gift wrapping", "value": 4, "description": "Linen"},
            {"name": "Gift wrapping", "value": 5},
            None,
            True,
        ),
        ConflictField(
            "fulfillmentStatus", "Fulfillment status", "SHIPPED", "PROCESSING", None, True
        ),
    ]
    dialog = ConflictDialog("Order #1042", fields)  # (no store names, no currency)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    texts += [radio.value_text() for pair in dialog.radios.values() for radio in pair]
    texts += [button.text() for button in dialog.buttons.buttons()]
    shown = "\n".join(texts)
    assert "Name: Gift wrapping, Value: 4, Description: Linen" in shown
    assert "Shipped" in shown and "Processing" in shown
    assert "Handling fee" in shown and "In the store" in shown and "Take the store's" in shown
    for raw in ("handlingFee", "fulfillmentStatus", "SHIPPED", "PROCESSING", "server"):
        assert raw not in shown, raw


def test_closing_decides_nothing(qtbot):
    dialog = _dialog(qtbot)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.decision() is None


# -- end to end --------------------------------------------------------------------------


def _edit_then_conflict(qtbot, editor: OrderEditor, session, sandbox, run_on_qt):
    """Edit tracking number and notes; a colleague changes the tracking number
    on the store; Save: returns the conflict dialog shown and the order."""
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    type_into(qtbot, editor.form.tracking.line, "MINE-1")
    notes = editor.form.field(("privateAdminNotes",))
    notes.setFocus()
    qtbot.keyClicks(notes.note, "Gift wrap, please")
    change_on_server(sandbox, key, {"trackingNumber": "THEIRS-1"}, run_on_qt)

    qtbot.waitUntil(editor.save_button.isEnabled)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            getattr(editor, "conflict_dialog", None) is not None
            and editor.conflict_dialog.isVisible()
        ),
        timeout=20_000,
    )
    dialog = editor.conflict_dialog
    assert {f.name for f in dialog.fields} == {"trackingNumber", "privateAdminNotes"}
    remote = {f.name for f in dialog.fields if f.changed_remotely}
    assert remote == {"trackingNumber"}
    tracking_mine, tracking_server = dialog.radios["trackingNumber"]
    assert (tracking_mine.value_text(), tracking_server.value_text()) == ("MINE-1", "THEIRS-1")
    return dialog, order


def _done(editor: OrderEditor) -> bool:
    return not editor.tasks.is_running("save")


def test_conflict_keep_mine(qtbot, editor, session, sandbox, run_on_qt):
    dialog, order = _edit_then_conflict(qtbot, editor, session, sandbox, run_on_qt)
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.mouseClick(dialog.keep_mine_button, Qt.MouseButton.LeftButton)
    after = server_order(sandbox, order["id"], run_on_qt)
    assert after["trackingNumber"] == "MINE-1"
    assert after["privateAdminNotes"] == "Gift wrap, please"
    assert after["items"] == order["items"]
    assert session.outbox_summary().entries == []


def test_conflict_take_the_servers(qtbot, editor, session, sandbox, drafts, run_on_qt):
    dialog, order = _edit_then_conflict(qtbot, editor, session, sandbox, run_on_qt)
    qtbot.mouseClick(dialog.take_server_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _done(editor), timeout=20_000)
    after = server_order(sandbox, order["id"], run_on_qt)
    assert after["trackingNumber"] == "THEIRS-1"
    assert after.get("privateAdminNotes") == order.get("privateAdminNotes")
    assert session.outbox_summary().entries == []
    assert editor.form.tracking.value() == "THEIRS-1"  # the editor shows the store's version
    assert not editor.has_unsaved_changes()
    assert drafts.load(ACCOUNT, order["id"]) is None


def test_conflict_merge_per_field(qtbot, editor, session, sandbox, run_on_qt):
    dialog, order = _edit_then_conflict(qtbot, editor, session, sandbox, run_on_qt)
    qtbot.mouseClick(dialog.radios["trackingNumber"][1], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    after = server_order(sandbox, order["id"], run_on_qt)
    assert after["trackingNumber"] == "THEIRS-1"
    assert after["privateAdminNotes"] == "Gift wrap, please"
    assert session.outbox_summary().entries == []


def test_conflict_left_undecided_waits_then_save_asks_again(
    qtbot, editor, session, sandbox, run_on_qt
):
    dialog, order = _edit_then_conflict(qtbot, editor, session, sandbox, run_on_qt)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _done(editor), timeout=20_000)
    assert "Not saved" in editor.banner.text()
    assert [e.state for e in session.outbox_summary().entries] == [OutboxState.CONFLICT]
    assert editor.has_unsaved_changes()
    assert server_order(sandbox, order["id"], run_on_qt)["trackingNumber"] == "THEIRS-1"

    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.conflict_dialog is not dialog, timeout=20_000)
    qtbot.waitUntil(editor.conflict_dialog.isVisible)
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.mouseClick(editor.conflict_dialog.keep_mine_button, Qt.MouseButton.LeftButton)
    assert server_order(sandbox, order["id"], run_on_qt)["trackingNumber"] == "MINE-1"
    assert session.outbox_summary().entries == []  # the undecided entry did not stay behind

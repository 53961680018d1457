"""The main window's Order menu end to end, against the demo store over
loopback HTTP: F2 edits beside the table, another row keeps the edit as a
draft, Enter opens the editor in its own window (the next order follows the table), a bulk
change still in its undo window is applied when the store closes, the
invoice preview opens, and Delete removes the order from the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import account_dir
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.ecwid import EcwidNotFoundError
from app.services.orders.bulk import BulkAction
from tests.helpers.sandbox import client_for
from tests.helpers.window import open_window, orders_shown
from ui.editor.window import OrderEditorWindow
from ui.invoices.window import InvoiceWindow

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def window(qtbot, tmp_path, sandbox, run_on_qt):
    main = open_window(
        qtbot, run_on_qt, tmp_path, stores={"Shop": sandbox}, until=orders_shown, timeout=60_000
    )
    main.orders.table.selectRow(0)
    qtbot.waitUntil(lambda: main.orders.table.current_key() is not None)
    return main


def _server_order(sandbox, run_on_qt, key):
    async def read():
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    return run_on_qt(read())


def test_f2_edits_beside_the_table_and_saves_to_the_store(qtbot, window, sandbox, run_on_qt):
    page = window.orders
    key = page.table.current_key()
    window.commands.edit_action.trigger()
    assert page.editing
    qtbot.waitUntil(lambda: page.editor.key == key, timeout=10_000)
    tracking = page.editor.form.tracking.line
    tracking.setFocus()
    tracking.selectAll()
    qtbot.keyClicks(tracking, "TRK-F2-001")
    qtbot.waitUntil(page.editor.save_button.isEnabled)
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: _server_order(sandbox, run_on_qt, key).get("trackingNumber") == "TRK-F2-001",
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: "TRK-F2-001" in page.table.model().row_at(0).tracking_number)
    page.editor.closeRequested.emit()  # what Esc does (its key is tested with the editor)
    qtbot.waitUntil(lambda: not page.editing)


def test_another_row_while_editing_keeps_the_edit_as_a_draft(qtbot, window):
    page = window.orders
    first = page.table.current_key()
    page.edit_current()
    qtbot.waitUntil(lambda: page.editor.key == first, timeout=10_000)
    page.editor.form.tracking.line.setFocus()
    qtbot.keyClicks(page.editor.form.tracking.line, "DRAFT-1")
    second = page.move_current(1)
    assert second and second != first
    qtbot.waitUntil(lambda: page.editor.key == second, timeout=10_000)
    draft = page.drafts.load("Shop", first)
    assert draft is not None and "DRAFT-1" in draft.edited.get("trackingNumber", "")
    page.move_current(-1)
    qtbot.waitUntil(lambda: page.editor.key == first, timeout=10_000)
    assert "DRAFT-1" in page.editor.form.tracking.line.text()


def test_enter_opens_a_window_and_alt_down_moves_to_the_next_order(qtbot, window):
    page = window.orders
    first = page.table.current_key()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.commands.editor_windows) == 1)
    editor_window = window.commands.editor_windows[0]
    assert isinstance(editor_window, OrderEditorWindow)
    qtbot.waitUntil(lambda: editor_window.editor.key == first, timeout=10_000)
    editor_window.navigateRequested.emit(1)  # what Alt+Down does (tested with the editor)
    qtbot.waitUntil(lambda: editor_window.editor.key not in (None, first), timeout=10_000)
    assert editor_window.editor.key == page.table.current_key()
    # the same order again raises its window instead of opening a second one
    window.commands.open_in_window(editor_window.editor.key)
    assert len(window.commands.editor_windows) == 1
    editor_window.close()
    qtbot.waitUntil(lambda: not window.commands.editor_windows)


def test_a_bulk_change_waiting_to_be_sent_is_applied_when_the_store_closes(
    qtbot, window, run_on_qt
):
    session = window.session
    keys = [session.rows.rows(OrderQuery(), 0, 3)[i].key for i in range(3)]
    window.commands.bulk.run(session, keys, BulkAction("fulfillment", "SHIPPED"))
    assert window.commands.undo_bar.counting_down
    folder = account_dir(session.account)  # the session closes below; its files stay
    run_on_qt(window.close_session())
    from app.services.outbox import OUTBOX_FILE_NAME, OutboxDatabase
    from app.services.outbox import edits as edit_rows

    reopened, damage = OutboxDatabase.open(folder / OUTBOX_FILE_NAME)
    assert damage is None
    try:
        staged = reopened.read("test", lambda c: edit_rows.listed(c, [OutboxState.WAITING]))
    finally:
        reopened.close()
    assert sorted(entry.key for entry in staged) == sorted(keys)
    assert all(entry.changes == {"fulfillmentStatus": "SHIPPED"} for entry in staged)


def test_the_invoice_preview_opens_for_the_current_order(qtbot, window):
    key = window.orders.table.current_key()
    window.commands.invoice_action.trigger()
    qtbot.waitUntil(lambda: len(window.commands.invoice_windows) == 1)
    invoice = window.commands.invoice_windows[0]
    assert isinstance(invoice, InvoiceWindow)
    qtbot.waitUntil(lambda: invoice.document is not None, timeout=30_000)
    assert invoice.document.key == key
    invoice.close()


def test_delete_asks_then_removes_the_order_from_the_store(qtbot, window, sandbox, run_on_qt):
    page = window.orders
    key = page.table.current_key()
    before = page.model.rowCount()

    def accept():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if b.text().replace("&", "") == "Delete").click()

    QTimer.singleShot(100, accept)
    window.commands.delete_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == before - 1, timeout=20_000)

    async def gone():
        async with client_for(sandbox) as client:
            try:
                await client.get_order_raw(key)
            except EcwidNotFoundError:
                return True
            return False

    qtbot.waitUntil(lambda: run_on_qt(gone()), timeout=20_000)
    assert window.session.rows.count(OrderQuery(deleted=True)) == 1


def test_deleting_many_orders_asks_once_naming_the_first_few(qtbot, window, run_on_qt):
    page = window.orders
    from PySide6.QtCore import QItemSelectionModel

    selection = page.table.selectionModel()
    for row in range(5):
        selection.select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    numbers = [page.model.row_at(row).number for row in range(3)]
    asked = {}

    def cancel():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked["text"] = box.text()
        next(b for b in box.buttons() if b.text().replace("&", "") == "Cancel").click()

    QTimer.singleShot(100, cancel)
    window.commands.delete_action.trigger()
    assert asked["text"].startswith(
        f"Delete 5 orders (#{numbers[0]}, #{numbers[1]}, #{numbers[2]} and 2 more)?"
    )
    assert window.session.rows.count(OrderQuery(deleted=True)) == 0


def test_the_rows_context_menu_has_the_menus_actions_and_copies(qtbot, window):
    table = window.orders.table
    point = table.visualRect(table.model().index(2, 0)).center()
    table.customContextMenuRequested.emit(point)  # a right-click on the third row
    menu = window.context_menu
    assert table.selected_keys() == [table.model().key_at(2)]  # the row right-clicked
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts[:2] == ["&Open in a window", "&Edit order"]
    for wanted in ("&Invoice preview", "&Print invoice…", "Invoices with packing &slips…",
                   "Show the &customer", "&Delete…", "C&opy"):  # fmt: skip
        assert wanted in texts
    commands = window.commands
    assert commands.print_action.shortcut().toString() == "Ctrl+P"  # shown beside it
    assert commands.customer_action in menu.actions()
    menu.close()
    key = table.selected_keys()[0]
    commands.copy_number_action.trigger()
    number = window.session.rows.order_numbers([key])[key]
    assert QApplication.clipboard().text() == number
    commands.copy_address_action.trigger()
    order = window.session.rows.order_json(key)
    person = order.get("shippingPerson") or order.get("billingPerson")
    assert QApplication.clipboard().text().splitlines()[0] == person["name"]


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
    ],
)
def test_the_rows_context_menu_opens_from_the_keyboard(qtbot, window, key, modifier):
    """The Menu key and Shift+F10 open the row menu on the current row, as a
    right-click does (the platform does not turn these keys into one here)."""
    table = window.orders.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(3, 0))
    window.context_menu = None
    qtbot.keyClick(table, key, modifier)
    qtbot.waitUntil(lambda: window.context_menu is not None)
    assert table.selected_keys() == [table.model().key_at(3)]
    assert window.commands.customer_action in window.context_menu.actions()
    window.context_menu.close()


def test_print_invoice_opens_the_print_dialog_once_the_invoice_shows(qtbot, window):
    from PySide6.QtPrintSupport import QPrintDialog

    commands = window.commands
    commands.print_action.trigger()
    qtbot.waitUntil(lambda: len(commands.invoice_windows) == 1, timeout=10_000)
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, QPrintDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        ),
        timeout=20_000,
    )
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QPrintDialog):
            widget.reject()
    invoice = commands.invoice_windows[0]
    assert invoice.height() <= invoice.screen().availableGeometry().height()
    qtbot.keyClick(invoice, Qt.Key.Key_Escape)  # Esc closes the preview
    qtbot.waitUntil(lambda: not invoice.isVisible())

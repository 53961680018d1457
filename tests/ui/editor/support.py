"""What the order editor's tests share: a store session on the demo store with
its cache filled by a real sync, an editor on it, orders to pick, and ways to
read the server's version of an order and to drive the items table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from app.config import Account
from app.domain.queries import OrderQuery
from app.services.orders.drafts import DraftStore
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for
from ui.editor.editor import OrderEditor

ACCOUNT = "Shop"


def open_session(sandbox: Any) -> StoreSession:
    """A session on ``sandbox`` (its cache and outbox in the test's data folder)."""
    account = Account(
        name=ACCOUNT, kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url
    )
    return StoreSession.open(account, client_for(sandbox), desk="Front desk")


@pytest.fixture
def session(sandbox, tmp_path, run_on_qt) -> Iterator[StoreSession]:
    """A session whose cache holds every order of the demo store (a full sync)."""
    opened = open_session(sandbox)
    run_on_qt(opened.sync(full=True), timeout=60_000)
    run_on_qt(opened.refresh_display())
    yield opened
    run_on_qt(opened.close())


@pytest.fixture
def drafts(tmp_path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


@pytest.fixture
def editor(qtbot, session, drafts, run_on_qt) -> Iterator[OrderEditor]:
    widget = OrderEditor(drafts)
    qtbot.addWidget(widget)
    widget.set_session(session)
    widget.resize(900, 1000)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    yield widget
    run_on_qt(widget.tasks.shutdown())


def cached_orders(session: StoreSession) -> list[dict[str, Any]]:
    keys = [row.key for row in session.rows.rows(OrderQuery(), 0, 1000)]
    return [order for key in keys if (order := session.rows.order_json(key))]


def has_files(item: Mapping[str, Any]) -> bool:
    return any(option.get("files") for option in item.get("selectedOptions") or [])


def pick_order(session: StoreSession, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    found = next((order for order in cached_orders(session) if test(order)), None)
    assert found is not None, "the demo store no longer has an order this test needs"
    return found


def three_items_and_a_file(order: Mapping[str, Any]) -> bool:
    items = order.get("items") or []
    return (
        len(items) >= 3
        and any(has_files(item) for item in items)
        and any(not has_files(item) for item in items)
        and order.get("paymentStatus") != "INCOMPLETE"
    )


def open_in(editor: OrderEditor, key: str, run_on_qt) -> None:
    run_on_qt(editor.open_order(key))
    assert editor.key == key


def server_order(sandbox: Any, key: str, run_on_qt) -> dict[str, Any]:
    """The order as the demo store has it now (read with a fresh client)."""

    async def read() -> dict[str, Any]:
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    return run_on_qt(read())


def change_on_server(sandbox: Any, key: str, changes: dict[str, Any], run_on_qt) -> None:
    """A colleague's change, made straight on the store."""

    async def update() -> None:
        async with client_for(sandbox) as client:
            await client.update_order(key, changes)

    run_on_qt(update())


def type_into(qtbot, widget: Any, text: str) -> None:
    """Replace the text of a line edit by typing, as a person does."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def type_text(qtbot, widget: Any, text: str) -> None:
    """Key presses for ``text``: ASCII as QTest types it; any other character as
    a key event carrying it (what an input method or a keyboard layout sends;
    QTest's own typing handles Latin-1 only)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def edit_cell(qtbot, editor: OrderEditor, row: int, column: int, text: str) -> None:
    """Type ``text`` into a cell of the items table and press Enter."""
    table = editor.items.table
    index = editor.items.model.index(row, column)
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit), "the cell did not open for editing"
    cell.selectAll()
    qtbot.keyClick(cell, Qt.Key.Key_Delete)
    type_text(qtbot, cell, text)
    qtbot.keyClick(cell, Qt.Key.Key_Return)


def press(qtbot, widget: QWidget, keys: str | Qt.Key) -> None:
    """Keys typed in ``widget`` (it gets the focus first, as it would have)."""
    widget.window().activateWindow()  # (a message box that just closed had it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(keys, str):
        qtbot.keySequence(widget, QKeySequence(keys))
    else:
        qtbot.keyClick(widget, keys)


def answer_next_box(button_text: str) -> None:
    """Click ``button_text`` in the message box about to open (from a timer: it is modal)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)

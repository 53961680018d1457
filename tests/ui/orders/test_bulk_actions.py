"""Bulk actions end to end against the demo store over loopback HTTP: the undo
window (nothing staged before it ends; Undo, Esc and Ctrl+Z take it back),
flush() on close, per-order results with a server error on one order, Retry
failed, Cancel while sending, and the dialog that chooses and confirms."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QVBoxLayout, QWidget

from app.config import Account
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery
from app.services.orders.bulk import BulkAction
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for
from ui.common.tasks import TaskRunner
from ui.orders.bulk_action_dialog import BulkActionDialog, fill_bulk_menu
from ui.orders.bulk_actions import NOT_SENT_CANCELLED, BulkActionRunner, describe_action
from ui.orders.undo_bar import UndoBar

LONG_MS = 600_000  # an undo window no test waits out


@pytest.fixture
def session(sandbox, run_on_qt):
    account = Account(
        name="Shop", kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url
    )
    session = StoreSession.open(account, client_for(sandbox))
    run_on_qt(session.sync(full=True), timeout=60_000)
    run_on_qt(session.refresh_display())
    yield session
    run_on_qt(session.close())


@pytest.fixture
def host(qtbot):
    window = QWidget()
    window.resize(800, 200)
    QVBoxLayout(window)
    qtbot.addWidget(window)
    window.show()
    return window


def make_runner(host, delay_ms: int = LONG_MS) -> BulkActionRunner:
    bar = UndoBar(host)
    host.layout().addWidget(bar)
    return BulkActionRunner(TaskRunner(), bar, host, delay_ms=delay_ms)


def awaiting_keys(session: StoreSession, count: int) -> list[str]:
    query = OrderQuery(fulfillment_status=["AWAITING_PROCESSING"])
    rows = session.rows.rows(query, 0, count)
    assert len(rows) == count
    return [row.key for row in rows]


def server_statuses(sandbox, run_on_qt, keys: list[str]) -> dict[str, str]:
    async def read():
        async with client_for(sandbox) as client:
            return {key: (await client.get_order_raw(key))["fulfillmentStatus"] for key in keys}

    return run_on_qt(read())


def test_one_failing_order_is_reported_the_others_change_and_retry_finishes(
    qtbot, host, session, sandbox, run_on_qt
):
    runner = make_runner(host)
    keys = awaiting_keys(session, 4)
    failing = keys[2]
    sandbox.faults.fail_orders = {failing: 500}

    runner.run(session, keys, BulkAction("fulfillment", "SHIPPED"))
    assert runner.bar.isVisible() and runner.pending
    assert runner.bar.label.text().startswith("Marking 4 orders as Shipped — sending in ")
    assert session.outbox_summary().entries == []  # nothing staged inside the undo window

    runner.bar.end_countdown()  # the time is up
    qtbot.waitUntil(lambda: runner.result_dialog is not None, timeout=30_000)
    dialog = runner.result_dialog
    assert dialog.isVisible() and not runner.bar.isVisible()
    by_key = {result.key: result for result in dialog.results()}
    assert [key for key, result in by_key.items() if not result.ok] == [failing]
    assert by_key[failing].reason  # why, in words
    assert dialog.model.index(0, 0).data() == f"#{by_key[failing].number}"  # failed ones first
    assert dialog.model.index(0, 1).data() == "Failed"
    assert "3 of 4 orders changed" in dialog.summary.text()
    assert f"#{by_key[failing].number}\tFailed\t" in dialog.text()
    statuses = server_statuses(sandbox, run_on_qt, keys)
    assert [statuses[key] == "SHIPPED" for key in keys] == [True, True, False, True]

    sandbox.faults.fail_orders = {}
    assert dialog.retry_button.isEnabled()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(result.ok for result in dialog.results()), timeout=30_000)
    assert not dialog.retry_button.isEnabled()
    assert "4 of 4 orders changed" in dialog.summary.text()
    assert set(server_statuses(sandbox, run_on_qt, keys).values()) == {"SHIPPED"}
    assert session.outbox_summary().entries == []


@pytest.mark.parametrize("how", ["button", "escape", "ctrl+z"])
def test_undo_in_time_stages_and_sends_nothing(qtbot, host, session, sandbox, run_on_qt, how):
    runner = make_runner(host, delay_ms=300)
    undone = []
    runner.undone.connect(lambda: undone.append(True))
    keys = awaiting_keys(session, 3)
    runner.run(session, keys, BulkAction("fulfillment", "SHIPPED"))
    if how == "button":
        qtbot.mouseClick(runner.bar.undo_button, Qt.MouseButton.LeftButton)
    else:
        host.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is host)
        if how == "escape":
            qtbot.keyClick(host, Qt.Key.Key_Escape)
        else:
            qtbot.keyClick(host, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert undone == [True] and not runner.pending
    assert not runner.bar.isVisible()
    qtbot.wait(600)  # well past the undo window: still nothing
    assert session.outbox_summary().entries == []
    assert runner.result_dialog is None
    assert set(server_statuses(sandbox, run_on_qt, keys).values()) == {"AWAITING_PROCESSING"}
    for key in keys:
        assert session.rows.order_json(key)["fulfillmentStatus"] == "AWAITING_PROCESSING"


def test_flush_applies_a_waiting_action_at_once_for_the_next_sync(
    qtbot, host, session, sandbox, run_on_qt
):
    runner = make_runner(host)
    staged = []
    runner.staged.connect(staged.append)
    keys = awaiting_keys(session, 2)
    runner.run(session, keys, BulkAction("tracking", "DHL-{number}-{n}"))
    entry_ids = run_on_qt(runner.flush())
    assert len(entry_ids) == 2 and not runner.pending and not runner.bar.isVisible()
    assert staged == [keys]
    entries = session.outbox_summary().entries
    assert [(e.key, e.state) for e in entries] == [(k, OutboxState.WAITING) for k in keys]
    numbers = session.rows.order_numbers(keys)
    staged_numbers = [e.changes["trackingNumber"] for e in entries]
    assert staged_numbers == [f"DHL-{numbers[keys[0]]}-1", f"DHL-{numbers[keys[1]]}-2"]
    assert all(session.rows.order_json(key).get("trackingNumber") is None for key in keys)
    assert run_on_qt(runner.flush()) == []  # nothing waits any more
    assert runner.result_dialog is None  # not sent: the next sync sends it

    run_on_qt(session.sync_round())

    async def tracking():
        async with client_for(sandbox) as client:
            return [(await client.get_order_raw(key)).get("trackingNumber") for key in keys]

    assert run_on_qt(tracking()) == staged_numbers


def test_cancel_stops_sending_and_the_rest_stay_queued(qtbot, host, session, sandbox, run_on_qt):
    runner = make_runner(host)
    keys = awaiting_keys(session, 4)
    sandbox.faults.latency = 0.15
    runner.run(session, keys, BulkAction("payment", "PAID"))
    runner.bar.end_countdown()
    qtbot.waitUntil(runner.bar.cancel_button.isVisible, timeout=10_000)
    assert "1 of 4" in runner.bar.label.text()
    qtbot.mouseClick(runner.bar.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner.result_dialog is not None, timeout=30_000)
    sandbox.faults.latency = 0
    results = runner.result_dialog.results()
    assert len(results) == 4
    cancelled = [result.key for result in results if result.reason == NOT_SENT_CANCELLED]
    assert cancelled and all(not result.ok for result in results if result.key in cancelled)
    queued = {entry.key for entry in session.outbox.entries([OutboxState.WAITING])}
    assert queued == set(cancelled)
    assert runner.result_dialog.model.index(0, 1).data() == "Queued"


def test_the_dialog_warns_about_emails_previews_tracking_and_confirms(
    qtbot, host, session, run_on_qt
):
    runner = make_runner(host)
    keys = awaiting_keys(session, 5)
    runner.choose(session, keys, "fulfillment", "SHIPPED")
    qtbot.waitUntil(lambda: runner.chooser is not None and runner.chooser.isVisible())
    dialog = runner.chooser
    assert dialog.ok_button.text() == "Apply to 5 orders"
    assert session.display.status_notifies["SHIPPED"] is True  # the demo store emails then
    assert dialog.warning.isVisible()
    assert dialog.warning.text().endswith("“Shipped”: this emails 5 customers.")

    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("tracking"))
    dialog.pattern_edit.clear()
    qtbot.keyClicks(dialog.pattern_edit, "UPS-{number}")
    numbers = session.rows.order_numbers(keys)
    lines = dialog.preview.text().splitlines()
    assert lines[:3] == [f"#{numbers[k]} → UPS-{numbers[k]}" for k in keys[:3]]
    assert lines[3] == "… and 2 more"
    qtbot.keyClicks(dialog.pattern_edit, "{parcel}")
    assert not dialog.ok_button.isEnabled()
    assert "{parcel}" in dialog.preview.text()  # the message names what is wrong

    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("hide"))
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and runner.chooser is None
    assert runner.pending
    assert runner.bar.label.text().startswith("Hiding 5 orders — sending in ")
    runner.undo()
    assert session.outbox_summary().entries == []


def test_status_email_warning_and_menu(qtbot):
    names = {"CUSTOM_FULFILLMENT_STATUS_1": "Packed"}
    dialog = BulkActionDialog(
        1,
        [],
        kind="fulfillment",
        value="DELIVERED",
        status_names=names,
        status_notifies={"DELIVERED": True},
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warning.text().endswith("this emails 1 customer.")
    dialog.fulfillment_box.setCurrentIndex(dialog.fulfillment_box.findData("PROCESSING"))
    assert not dialog.warning.isVisible()
    assert dialog.fulfillment_box.findText("Packed") >= 0  # a named custom status
    assert dialog.fulfillment_box.findData("CUSTOM_FULFILLMENT_STATUS_2") == -1  # unnamed: off
    assert dialog.action() == BulkAction("fulfillment", "PROCESSING")

    menu = QMenu()
    chosen = []
    fill_bulk_menu(menu, names, lambda kind, value: chosen.append((kind, value)))
    fulfillment = menu.actions()[1].menu()
    packed = next(a for a in fulfillment.actions() if a.text() == "Packed…")
    packed.trigger()
    next(a for a in menu.actions() if a.text() == "&Unhide…").trigger()
    assert chosen == [("fulfillment", "CUSTOM_FULFILLMENT_STATUS_1"), ("unhide", None)]
    assert describe_action(BulkAction("hidden", False), 1) == "Unhiding 1 order"
    assert describe_action(BulkAction("payment", "PAID"), 12) == "Marking 12 orders as Paid"


def test_a_second_action_applies_the_waiting_one_and_keeps_its_own_undo_window(
    qtbot, host, session, sandbox, run_on_qt
):
    runner = make_runner(host)
    first, second = awaiting_keys(session, 2)
    runner.run(session, [first], BulkAction("fulfillment", "PROCESSING"))
    runner.run(session, [second], BulkAction("fulfillment", "DELIVERED"))
    qtbot.waitUntil(lambda: runner.result_dialog is not None, timeout=30_000)
    assert [(r.key, r.ok) for r in runner.result_dialog.results()] == [(first, True)]
    assert runner.pending and runner.bar.counting_down and runner.bar.isVisible()
    assert runner.bar.label.text().startswith("Marking 1 order as Delivered — sending in ")
    assert [entry.key for entry in session.outbox_summary().entries] == []  # the second: not staged
    runner.undo()
    statuses = server_statuses(sandbox, run_on_qt, [first, second])
    assert statuses == {first: "PROCESSING", second: "AWAITING_PROCESSING"}

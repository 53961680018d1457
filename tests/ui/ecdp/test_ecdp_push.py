"""'Send to ECDP', the ECDP column and the automatic push, end to end: the
main window on a store of the demo server, pushing to that server's ECDP
side over loopback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from app.config import Account, AccountSettings, AccountStore
from app.ecwid import Order, OrderItem
from app.secrets import SecretStore
from app.services.ecdp.status import PushOutcome
from tests.helpers.sandbox import client_for
from tests.helpers.window import connect_store, synced
from ui.ecdp.menu import EcdpCommands
from ui.ecdp.push_dialog import EcdpPushDialog
from ui.window.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def accounts(tmp_path, sandbox):
    store = AccountStore.load(tmp_path / "accounts.json")
    connect_store(store, sandbox)
    return store


def _add_ecdp(accounts: AccountStore, sandbox) -> None:
    settings = AccountSettings(ecdp_website_id=3)
    accounts.add(Account(name="CDP", kind="ecdp", api_url=sandbox.ecdp_url, settings=settings))
    SecretStore().set_token("ecdp", "CDP", sandbox.ecdp_key)


def ecdp_commands(window: MainWindow) -> EcdpCommands:
    """The window's ECDP commands, wired as main_window.py wires them (done
    here while the window does not do it itself)."""
    commands = getattr(window, "ecdp", None)
    if isinstance(commands, EcdpCommands):
        return commands
    commands = EcdpCommands(window, window.menuBar().addMenu("&ECDP"))
    window.ecdp = commands
    return commands


def _open(qtbot, window: MainWindow, *, demo: bool = False) -> EcdpCommands:
    window.show()
    window.start(demo=demo)
    if not demo and window.stack.currentWidget() is window.welcome:
        window.open_account("Shop")  # (start() counts the ECDP account as a store)
    qtbot.waitUntil(lambda: window.session is not None and window.sync is not None, timeout=30_000)
    commands = ecdp_commands(window)
    if not hasattr(window, "_ecdp_wired"):
        window._ecdp_wired = True
        commands.session_changed(window.session)
        window.sync.finished.connect(commands.on_sync_finished)
    qtbot.waitUntil(lambda: synced(window), timeout=30_000)
    return commands


def _window(qtbot, accounts, settings, **options) -> MainWindow:
    window = MainWindow(accounts=accounts, secrets=SecretStore(), settings=settings, **options)
    qtbot.addWidget(window)
    return window


def _ecdp_cells(window: MainWindow, rows: range) -> list[str]:
    model = window.orders.model
    return [model.data(model.index(row, model.ECDP)) for row in rows]


def _send_rows(qtbot, window: MainWindow, commands: EcdpCommands, rows: range) -> EcdpPushDialog:
    table = window.orders.table
    table.clearSelection()
    for row in rows:
        table.selectionModel().select(
            table.model().index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
    dialog = commands.send_selected()
    assert isinstance(dialog, EcdpPushDialog)
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.running, timeout=20_000)
    qtbot.waitUntil(
        lambda: not window.changes.busy and not window.tasks.is_running("refresh"), timeout=10_000
    )
    return dialog


def test_without_an_ecdp_account_the_column_is_hidden(qtbot, accounts, settings, run_on_qt):
    window = _window(qtbot, accounts, settings)
    commands = _open(qtbot, window)
    assert commands.destination is None
    assert window.orders.table.isColumnHidden(window.orders.model.ECDP)
    assert not commands.send_action.isEnabled()
    assert _ecdp_cells(window, range(3)) == ["", "", ""]
    run_on_qt(window.shutdown())


def test_sending_five_orders_a_failure_and_retry(qtbot, accounts, settings, sandbox, run_on_qt):
    _add_ecdp(accounts, sandbox)
    window = _window(qtbot, accounts, settings)
    commands = _open(qtbot, window)
    model = window.orders.model
    assert commands.destination is not None and commands.destination.name == "CDP"
    assert not window.orders.table.isColumnHidden(model.ECDP)
    assert _ecdp_cells(window, range(5)) == ["Not sent"] * 5

    dialog = _send_rows(qtbot, window, commands, range(5))
    keys = [model.key_at(row) for row in range(5)]
    assert sorted(dialog.report.sent) == sorted(keys) and not dialog.report.failed
    for key in keys:
        held = sandbox.ecdp_store.get(key)
        assert held is not None and held["websiteId"] == 3
    assert all(cell.startswith("Sent ") for cell in _ecdp_cells(window, range(5)))
    assert model.ecdp_state(5).outcome == PushOutcome.NOT_SENT
    assert "5 of 5 orders sent" in dialog.summary.text()
    dialog.close()

    # one order of the next five fails: the others are saved, the failure says why
    keys = [model.key_at(row) for row in range(5, 10)]
    doomed = keys[2]
    sandbox.faults.fail_orders = {doomed: 400}
    dialog = _send_rows(qtbot, window, commands, range(5, 10))
    assert list(dialog.report.failed) == [doomed]
    assert f"Order '{doomed}' cannot be processed now" in dialog.report.failed[doomed]
    assert sorted(dialog.report.sent) == sorted(set(keys) - {doomed})
    assert sandbox.ecdp_store.get(doomed) is None
    assert dialog.retry_button.isEnabled()
    assert dialog.model.item(0, 1).text() == "Failed"
    assert "cannot be processed now" in dialog.text()
    row = model.row_of(doomed)
    assert model.data(model.index(row, model.ECDP)) == "Failed"
    tip = model.data(model.index(row, model.ECDP), Qt.ItemDataRole.ToolTipRole)
    assert "cannot be processed now" in tip

    # Retry failed sends it once ECDP takes it
    sandbox.faults.fail_orders = {}
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running and not dialog.report.failed, timeout=20_000)
    assert doomed in dialog.report.sent and dialog.report.total == 5
    assert sandbox.ecdp_store.get(doomed) is not None
    assert not dialog.retry_button.isEnabled()
    qtbot.waitUntil(
        lambda: model.data(model.index(row, model.ECDP)).startswith("Sent"), timeout=10_000
    )
    run_on_qt(window.shutdown())


def test_an_order_naming_no_customer_shows_cannot_be_matched(
    qtbot, accounts, settings, sandbox, run_on_qt
):
    async def walk_in() -> str:
        async with client_for(sandbox) as client:
            item = OrderItem(product_id=0, name="Gift wrap", quantity=1, price=3)
            order = Order(email="", items=[item])
            return (await client.create_order(order)).orderid

    guest = run_on_qt(walk_in())
    _add_ecdp(accounts, sandbox)
    window = _window(qtbot, accounts, settings)
    commands = _open(qtbot, window)
    model = window.orders.model
    row = model.row_of(guest)
    assert row is not None

    dialog = _send_rows(qtbot, window, commands, range(row, row + 1))
    reason = "it has no email, phone or customer id, so ECDP cannot match it to a customer"
    assert dialog.report.unmatched == {guest: reason} and not dialog.report.failed
    assert [dialog.model.item(0, column).text() for column in (1, 2)] == [
        "Cannot be matched",
        reason,
    ]
    assert "1 cannot be matched to a customer" in dialog.summary.text()
    assert not dialog.retry_button.isEnabled()  # nothing to retry until the order changes
    assert sandbox.ecdp_store.get(guest) is None
    qtbot.waitUntil(
        lambda: model.data(model.index(row, model.ECDP)) == "Cannot be matched", timeout=10_000
    )
    assert model.ecdp_state(row).outcome == PushOutcome.UNMATCHED
    tip = model.data(model.index(row, model.ECDP), Qt.ItemDataRole.ToolTipRole)
    assert reason in tip and "once the order has an email, a phone or a customer id" in tip
    run_on_qt(window.shutdown())


def test_auto_push_after_a_sync_sends_only_new_and_changed_orders(
    qtbot, accounts, settings, sandbox, run_on_qt
):
    _add_ecdp(accounts, sandbox)
    window = _window(qtbot, accounts, settings)
    commands = _open(qtbot, window)
    auto = commands.auto_push
    assert not commands.auto_action.isChecked()
    commands.auto_action.trigger()  # switched on: what was never sent goes now
    assert accounts.get("Shop").settings.auto_push_to_ecdp is True
    qtbot.waitUntil(lambda: auto.last_report is not None and not auto.running, timeout=60_000)
    first = auto.last_report
    assert first.sent and not first.failed
    assert "sent to “CDP”" in window.statusBar().currentMessage()

    changed = first.sent[0]

    async def change_the_store():
        async with client_for(sandbox) as client:
            await client.update_order(changed, {"email": "moved@example.org"})
            created = await client.create_order(
                Order(email="new@example.org", items=[OrderItem(name="Tea", quantity=1, price=4)])
            )
            return created.orderid

    new = run_on_qt(change_the_store())
    received = len(sandbox.ecdp_store.received())
    window.sync_now()
    qtbot.waitUntil(lambda: auto.last_report is not first and not auto.running, timeout=60_000)
    report = auto.last_report
    assert sorted(report.sent) == sorted([changed, new])  # the rest: ECDP has them as they are
    assert not report.failed and len(report.skipped) == report.total - 2
    assert sandbox.ecdp_store.get(changed)["customer"]["email"] == "moved@example.org"
    assert len(sandbox.ecdp_store.received()) == received + 2
    run_on_qt(window.shutdown())


def test_the_demo_store_comes_with_its_own_ecdp_side(qtbot, tmp_path, settings, run_on_qt):
    window = _window(qtbot, AccountStore.load(tmp_path / "none.json"), settings, demo_orders=40)
    commands = _open(qtbot, window, demo=True)
    assert commands.destination is not None and commands.destination.demo
    assert not window.orders.table.isColumnHidden(window.orders.model.ECDP)
    dialog = _send_rows(qtbot, window, commands, range(2))
    assert len(dialog.report.sent) == 2
    assert all(window.demo.server.ecdp_store.get(key) for key in dialog.report.sent)
    assert not (tmp_path / "none.json").exists()  # no account was saved for it
    run_on_qt(window.shutdown())

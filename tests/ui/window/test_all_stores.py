"""All stores in one window, end to end: three stores connected (three demo
stores on loopback, each with its own name, currency and orders numbered
from 1001), shown together with a Store column and counts per store;
switching to one store and back is one key and opens nothing; the details,
an edit and an invoice of an order go to that order's own store even when
another store has an order with the same number; new orders are notified
naming their store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from app.domain.queries import OrderQuery
from app.ecwid import Order, OrderItem
from app.sandbox import SandboxServer
from app.sandbox.profile import demo_profile
from app.services.inbox import OrderRef
from tests.helpers.sandbox import FIXED_NOW, client_for
from tests.helpers.window import open_window
from ui.editor.window import OrderEditorWindow
from ui.invoices.window import InvoiceWindow
from ui.orders.table_model import CachedOrderTableModel as Model
from ui.window.main_window import MainWindow
from ui.window.shown_store import ALL_KEY

pytestmark = pytest.mark.usefixtures("qt_loop")

NAMES = ("Walnut", "Birch", "Copper")
SYMBOLS = {"Walnut": "$", "Birch": "€", "Copper": "£"}


@pytest.fixture
def servers(tmp_path) -> Iterator[list[SandboxServer]]:
    found = [
        SandboxServer(
            db_path=tmp_path / f"store-{number}.sqlite3",
            orders=(60, 40, 50)[number],
            seed=42 + number,
            store_id=4870020 + number,
            now=FIXED_NOW,
            profile=demo_profile(number),
        ).start()
        for number in range(3)
    ]
    yield found
    for server in found:
        server.stop()


def _ready(window: MainWindow) -> bool:
    store = window.store
    return (
        len(store.sessions) == 3
        and all(session.last_sync() is not None for session in store.sessions)
        and not store.syncing
        and not window.changes.busy
        and not window.tasks.is_running("refresh")
        and not window.tasks.is_running("store-display")
        and window.orders.model.rowCount() > 0
    )


@pytest.fixture
def window(qtbot, tmp_path, servers, run_on_qt) -> MainWindow:
    # several stores, none shown before: All stores
    stores = dict(zip(NAMES, servers, strict=True))
    return open_window(qtbot, run_on_qt, tmp_path, stores=stores, until=_ready, timeout=60_000)


def test_the_store_column_leaves_the_total_in_view(window):
    """At the window's first size, the Store column did push Total (and the
    statuses) past the table's right edge; a long store name is cut short
    instead, and given whole by its tooltip."""
    table, model = window.orders.table, window.orders.model
    assert window.size().width() == 1280  # (the window's size on a first start)
    header = table.horizontalHeader()
    right_edge = header.sectionViewportPosition(Model.TOTAL) + header.sectionSize(Model.TOTAL)
    assert right_edge <= table.viewport().width()
    assert model.data(model.index(0, Model.STORE), Qt.ItemDataRole.ToolTipRole)


def _row_of(window: MainWindow, store: str, number: str) -> int:
    model = window.orders.model
    for row in range(model.rowCount()):
        found = model.row_at(row)
        ref = OrderRef.parse(found.key) if found else None
        if found is not None and ref is not None and ref.store == store and found.number == number:
            return row
    raise AssertionError(f"no order {number} of {store} shown")


def test_every_store_in_one_table_with_its_store_money_and_counts(qtbot, window, qtmodeltester):
    store, page, model = window.store, window.orders, window.orders.model
    assert store.across and window.windowTitle() == "Backroom — All stores"
    titles = [session.title for session in store.sessions]
    assert len(set(titles)) == 3 and all(title.endswith("(demo)") for title in titles)
    tabs = [window.switcher.bar.tabText(i) for i in range(window.switcher.bar.count())]
    assert tabs == ["All stores", *(title.replace("&", "&&") for title in titles)]
    shortcuts = [a.shortcut().toString() for a in window.switcher.actions.values()]
    assert shortcuts == ["Ctrl+0", "Ctrl+1", "Ctrl+2", "Ctrl+3"]

    counts = {s.account.name: s.rows.count(OrderQuery()) for s in store.sessions}
    assert model.rowCount() == sum(counts.values())
    table = page.table
    assert not table.isColumnHidden(Model.STORE)
    assert table.horizontalHeader().visualIndex(Model.STORE) == 0
    seen = set()
    for row in range(model.rowCount()):
        found = model.row_at(row)
        assert found is not None
        name = OrderRef.parse(found.key).store  # type: ignore[union-attr]
        tag = model.store_of(found)
        assert tag is not None and tag.name == name
        assert model.data(model.index(row, Model.STORE)) == tag.title
        assert model.data(model.index(row, Model.STORE), Qt.ItemDataRole.DecorationRole)
        total = model.data(model.index(row, Model.TOTAL))
        if total:
            assert SYMBOLS[name] in total, (name, total)
        seen.add(name)
    assert seen == set(NAMES)
    text = window.count_label.text()
    assert text.startswith(f"{sum(counts.values()):,} orders")
    for session in store.sessions:
        assert f"{counts[session.account.name]:,}" in text
    qtmodeltester.check(model)

    # the Store filter and the sort by store
    page.filter_bar.store_button.set_selected(["Copper", "Walnut"])
    page.filter_bar.store_button.selectionChanged.emit(["Copper", "Walnut"])
    assert model.rowCount() == counts["Copper"] + counts["Walnut"]
    model.sort(Model.STORE, Qt.SortOrder.AscendingOrder)
    stores = [model.store_of(model.row_at(row)).name for row in range(model.rowCount())]  # type: ignore[arg-type,union-attr]
    assert stores == ["Copper"] * counts["Copper"] + ["Walnut"] * counts["Walnut"]
    assert table.horizontalHeader().sortIndicatorSection() == Model.STORE


def test_one_key_shows_one_store_and_another_all_of_them(qtbot, window):
    store, page = window.store, window.orders
    opened = list(store.sessions)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert store.shown_name == "Birch" and window.session is store.session_named("Birch")
    assert page.model.rowCount() == window.session.rows.count(OrderQuery())
    assert page.table.isColumnHidden(Model.STORE)
    assert not page.filter_bar.store_button.isVisible()
    assert window.windowTitle() == f"Backroom — {window.session.title}"
    assert "€" in page.model.data(page.model.index(0, Model.TOTAL))
    assert window.switcher.bar.currentIndex() == 2
    qtbot.keyClick(page.table, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert store.shown_name == ALL_KEY and not page.table.isColumnHidden(Model.STORE)
    assert store.sessions == opened  # nothing was opened or closed
    window.switcher.bar.setCurrentIndex(3)  # a click on a tab
    assert store.shown_name == "Copper"


def test_details_edits_and_invoices_go_to_the_orders_own_store(qtbot, window, servers, run_on_qt):
    page, model = window.orders, window.orders.model
    birch_row, walnut_row = _row_of(window, "Birch", "1005"), _row_of(window, "Walnut", "1005")
    page.table.selectRow(birch_row)
    birch, key = window.store.resolve(page.table.current_key())  # type: ignore[misc]
    assert birch.account.name == "Birch" and window.session is birch
    qtbot.waitUntil(lambda: "€" in page.detail.browser.toPlainText(), timeout=5_000)

    window.commands.edit_action.trigger()
    qtbot.waitUntil(lambda: page.editor.key == key and page.editor.session is birch)
    tracking = page.editor.form.tracking.line
    tracking.setFocus()
    tracking.selectAll()
    qtbot.keyClicks(tracking, "BIRCH-1005")
    qtbot.waitUntil(page.editor.save_button.isEnabled)
    qtbot.mouseClick(page.editor.save_button, Qt.MouseButton.LeftButton)

    def tracking_of(server: SandboxServer, order_key: str) -> str | None:
        async def read():
            async with client_for(server) as client:
                return (await client.get_order_raw(order_key)).get("trackingNumber")

        return run_on_qt(read())

    qtbot.waitUntil(lambda: tracking_of(servers[1], key) == "BIRCH-1005", timeout=20_000)
    walnut_key = OrderRef.parse(model.key_at(walnut_row)).key  # type: ignore[union-attr,arg-type]
    assert tracking_of(servers[0], walnut_key) != "BIRCH-1005"
    page.close_editor()

    # the invoice of the Walnut order: Walnut's letterhead and money
    page.table.selectRow(_row_of(window, "Walnut", "1005"))
    invoice = window.commands.preview_invoice()
    assert isinstance(invoice, InvoiceWindow)
    qtbot.waitUntil(lambda: invoice.document is not None, timeout=20_000)
    assert "Walnut &amp; Linen LLC" in invoice.document.html
    assert "Birch" not in invoice.document.html
    invoice.close()


def test_new_orders_are_notified_naming_their_store_and_open_there(
    qtbot, window, servers, run_on_qt
):
    notified = []
    window.notifier.notified.connect(lambda title, text: notified.append((title, text)))

    async def new_order():
        async with client_for(servers[2]) as client:
            created = await client.create_order(
                Order(
                    email="kettle@example.org",
                    items=[OrderItem(name="Kettle", quantity=1, price=40)],
                )
            )
            return created.id

    run_on_qt(new_order())
    window.sync_now()  # across stores: every store syncs
    qtbot.waitUntil(lambda: bool(notified), timeout=30_000)
    copper = window.store.session_named("Copper")
    assert notified[0][0] == f"New order in {copper.title}"  # type: ignore[union-attr]
    key = window.notifier._last_key  # noqa: SLF001 - what a click on it opens
    window.notifier.orderRequested.emit(key)
    editors = window.commands.editor_windows
    assert len(editors) == 1 and isinstance(editors[0], OrderEditorWindow)
    assert editors[0].editor.session is copper
    qtbot.waitUntil(lambda: editors[0].editor.key is not None, timeout=10_000)
    editors[0].close_keeping_draft()

"""The filter bar builds the OrderQuery the table shows: debounced search,
status toggles, ranges, unfinished orders, More filters, removable pills, and
set_query round trips. Driven through its real widgets with qtbot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QLineEdit, QPushButton, QToolButton

from app.cache import OrderCache
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery, SortKey
from app.services.orders.saved_views import SavedView, SavedViewStore
from tests.app.cache.support import seeded_orders
from ui.common.dates import medium_date
from ui.orders.filter_bar import FilterBar
from ui.orders.more_filters import day_end, day_start


@pytest.fixture
def bar(qtbot):
    bar = FilterBar()
    bar.resize(1200, 80)
    qtbot.addWidget(bar)
    bar.show()
    return bar


@pytest.fixture
def emitted(bar):
    queries: list[OrderQuery] = []
    bar.queryChanged.connect(queries.append)
    return queries


def status_action(button, code):
    return next(a for a in button.menu().actions() if a.isCheckable() and a.data() == code)


def pill_labels(bar) -> list[str]:
    return [
        pill.accessibleName().removeprefix("Remove filter ")
        for pill in bar.pills.findChildren(QToolButton, "filterPill")
        if not pill.isHidden()
    ]


def pill(bar, label_start: str) -> QToolButton:
    for candidate in bar.pills.findChildren(QToolButton, "filterPill"):
        if candidate.accessibleName().startswith(f"Remove filter {label_start}"):
            return candidate
    raise AssertionError(f"no pill {label_start!r} in {pill_labels(bar)}")


def test_typing_emits_one_query_after_the_pause_with_the_latest_text(qtbot, bar, emitted):
    qtbot.keyClicks(bar.search, "oka")
    qtbot.keyClicks(bar.search, "for ")
    assert emitted == []  # nothing before the pause
    with qtbot.waitSignal(bar.queryChanged, timeout=2_000) as blocker:
        pass
    assert blocker.args[0].text == "okafor"
    qtbot.wait(400)  # a second query would have come by now
    assert [q.text for q in emitted] == ["okafor"]
    assert bar.query() == OrderQuery(text="okafor")

    with qtbot.waitSignal(bar.queryChanged, timeout=2_000) as blocker:
        qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    assert bar.search.text() == ""
    assert blocker.args[0] == OrderQuery()


def test_focus_search_selects_the_text(qtbot, bar):
    bar.search.setText("okafor")
    bar.focus_search()
    qtbot.waitUntil(bar.search.hasFocus)
    assert bar.search.selectedText() == "okafor"


def test_status_toggles_combine_and_the_menu_stays_open(qtbot, bar, emitted):
    menu = bar.payment_button.menu()
    menu.popup(bar.payment_button.mapToGlobal(bar.payment_button.rect().bottomLeft()))
    qtbot.waitUntil(menu.isVisible)
    for code in ("PAID", "REFUNDED"):
        place = menu.actionGeometry(status_action(bar.payment_button, code)).center()
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=place)
    assert menu.isVisible()  # several statuses can be checked in one go
    menu.close()
    status_action(bar.fulfillment_button, "SHIPPED").trigger()

    assert [q.payment_status for q in emitted] == [["PAID"], ["PAID", "REFUNDED"]] * 1 + [
        ["PAID", "REFUNDED"]  # the fulfillment status joins them
    ]
    assert bar.query() == OrderQuery(
        payment_status=["PAID", "REFUNDED"], fulfillment_status=["SHIPPED"]
    )
    assert bar.payment_button.text().startswith("Payment: 2")
    assert bar.fulfillment_button.text().startswith("Fulfillment: Shipped")
    assert pill_labels(bar) == ["Payment: Paid, Refunded", "Fulfillment: Shipped"]

    any_status = bar.payment_button.menu().actions()[-1]
    assert any_status.text() == "Any payment status"
    any_status.trigger()
    assert bar.query() == OrderQuery(fulfillment_status=["SHIPPED"])
    assert not status_action(bar.payment_button, "PAID").isChecked()


def test_store_names_and_custom_statuses(bar):
    codes = [a.data() for a in bar.payment_button.menu().actions() if a.isCheckable()]
    assert "INCOMPLETE" not in codes and "CUSTOM_PAYMENT_STATUS_1" not in codes
    assert status_action(bar.payment_button, "AWAITING_PAYMENT").text() == "Awaiting payment"

    bar.set_status_names({"PAID": "Paid in full", "CUSTOM_PAYMENT_STATUS_1": "Paid by invoice"})
    assert status_action(bar.payment_button, "PAID").text() == "Paid in full"
    assert status_action(bar.payment_button, "CUSTOM_PAYMENT_STATUS_1").text() == "Paid by invoice"
    bar.set_query(OrderQuery(payment_status=["CUSTOM_PAYMENT_STATUS_1", "SOMETHING_NEW"]))
    assert status_action(bar.payment_button, "SOMETHING_NEW").isChecked()  # kept, not dropped
    assert pill_labels(bar) == ["Payment: Paid by invoice, Something new"]


def test_unfinished_toggle_shows_only_unfinished_orders(tmp_path, bar, emitted):
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(seeded_orders(300), generation=1)
        cache.delete_unseen(1)
        status_action(bar.payment_button, "PAID").trigger()
        paid = bar.query()

        bar.unfinished_button.click()
        unfinished = bar.query()
        assert unfinished.payment_status == ["INCOMPLETE"] and unfinished.include_incomplete
        assert not bar.payment_button.isEnabled()
        rows = cache.rows(unfinished, limit=1_000)
        assert rows and {row.payment_status for row in rows} == {"INCOMPLETE"}
        assert pill_labels(bar) == ["Unfinished orders"]

        bar.unfinished_button.click()
        assert bar.query() == paid  # the payment statuses chosen before come back
        bar.clear()
        normal = cache.rows(bar.query(), limit=1_000)
        assert normal and "INCOMPLETE" not in {row.payment_status for row in normal}
        assert len(normal) + len(rows) == cache.count(OrderQuery(include_incomplete=True))
    assert len(emitted) == 4


def test_date_presets_and_custom_range(qtbot, bar, emitted):
    bar.created_button.click()
    assert bar.created_popup.isVisible()
    preset = next(
        b for b in bar.created_popup.findChildren(QPushButton) if b.text() == "Last 7 days"
    )
    qtbot.mouseClick(preset, Qt.MouseButton.LeftButton)
    today = date.today()
    assert bar.query() == OrderQuery(
        created_from=day_start(today - timedelta(days=6), None), created_to=day_end(today, None)
    )
    assert not bar.created_popup.isVisible()
    assert bar.created_button.text().startswith("Created: Last 7 days")
    assert pill_labels(bar) == ["Created: Last 7 days"]

    bar.created_button.click()
    fields = bar.created_editor.fields
    assert fields.start.day() == today - timedelta(days=6)  # the editor shows the filter
    fields.start.set_day(date(2025, 3, 10))
    fields.end.set_day(date(2025, 3, 1))
    qtbot.mouseClick(bar.created_editor.apply_button, Qt.MouseButton.LeftButton)
    assert fields.message.isVisible() and "after" in fields.message.text()
    assert len(emitted) == 1  # the backwards range went nowhere

    fields.end.set_day(date(2025, 3, 31))
    fields.start.check.setChecked(False)
    qtbot.mouseClick(bar.created_editor.apply_button, Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery(created_to=day_end(date(2025, 3, 31), None))
    assert pill_labels(bar) == [f"Created: until {medium_date(date(2025, 3, 31))}"]

    fields.start.set_day(date(2024, 12, 7))  # across a new year: the button says which
    qtbot.mouseClick(bar.created_editor.apply_button, Qt.MouseButton.LeftButton)
    assert bar.created_button.text() == "Created: Dec ’24 – Mar ’25 ▾"
    assert pill_labels(bar) == [
        f"Created: {medium_date(date(2024, 12, 7))} – {medium_date(date(2025, 3, 31))}"
    ]

    bar.set_time_zone(UTC)
    bar.created_button.click()
    any_time = next(
        b for b in bar.created_popup.findChildren(QPushButton) if b.text() == "Any time"
    )
    any_time.click()
    assert bar.query() == OrderQuery() and bar.pills.isHidden()


@pytest.mark.parametrize(
    ("low", "high", "problem"),
    [("abc", "", "not an amount"), ("-5", "", "cannot be negative"), ("80", "50", "more than")],
)
def test_bad_totals_show_a_message_and_emit_nothing(qtbot, bar, emitted, low, high, problem):
    bar.total_button.click()
    editor = bar.total_editor
    qtbot.keyClicks(editor.low, low)
    qtbot.keyClicks(editor.high, high)
    qtbot.keyClick(editor.low, Qt.Key.Key_Return)
    assert editor.message.isVisible() and problem in editor.message.text()
    assert editor.low.accessibleDescription() == editor.message.text()
    assert bar.total_popup.isVisible() and emitted == []


def test_a_total_range(qtbot, bar, emitted):
    bar.total_button.click()
    qtbot.keyClicks(bar.total_editor.low, "49,90")
    qtbot.keyClicks(bar.total_editor.high, "200")
    qtbot.mouseClick(bar.total_editor.apply_button, Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery(total_from=Decimal("49.90"), total_to=Decimal("200"))
    assert not bar.total_popup.isVisible()
    assert pill_labels(bar) == ["Total 49.90 – 200"]
    pill(bar, "Total").click()
    assert bar.query() == OrderQuery() and len(emitted) == 2


def test_more_filters_apply_validate_and_reset(qtbot, bar, emitted):
    bar.more_button.click()
    panel = bar.more_panel
    assert bar.more_popup.isVisible()
    qtbot.keyClicks(panel.texts["order_number"], "1021, 10x2")
    qtbot.keyClicks(panel.texts["customer"], "Ada Okafor")
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert panel.number_message.isVisible() and "“10x2” is not an order number" in (
        panel.number_message.text()
    )
    assert emitted == [] and bar.more_popup.isVisible()

    panel.texts["order_number"].clear()
    qtbot.keyClicks(panel.texts["order_number"], "1021 1022,1021")
    for field, text in (
        ("coupon_code", "SPRING"),
        ("payment_method", "PayPal"),
        ("shipping_method", "Courier"),
        ("email", "ada@example.com"),
        ("keywords", "linen towel"),
        ("vendor_order_number", "V-7"),
    ):
        qtbot.keyClicks(panel.texts[field], text)
    panel.updated.start.set_day(date(2025, 1, 1))
    qtbot.keyClick(panel.texts["email"], Qt.Key.Key_Return)
    expected = OrderQuery(
        order_number=[1021, 1022],
        customer="Ada Okafor",
        coupon_code="SPRING",
        payment_method="PayPal",
        shipping_method="Courier",
        email="ada@example.com",
        keywords="linen towel",
        vendor_order_number="V-7",
        updated_from=day_start(date(2025, 1, 1), None),
    )
    assert emitted == [expected] and bar.query() == expected
    assert not bar.more_popup.isVisible()
    assert bar.more_button.text().startswith("More filters (9)")
    assert "Order #: 1021, 1022" in pill_labels(bar)

    bar.more_button.click()  # opens showing what is active
    assert panel.texts["coupon_code"].text() == "SPRING"
    assert panel.updated.start.day() == date(2025, 1, 1)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery() and len(emitted) == 2
    assert panel.texts["coupon_code"].text() == "" and panel.updated.start.day() is None


def test_pills_remove_one_filter_each_and_clear_all_removes_all(qtbot, bar, emitted):
    query = OrderQuery(
        text="okafor",
        payment_status=["PAID", "REFUNDED"],
        total_from=Decimal("50"),
        coupon_code="SPRING",
    )
    bar.set_query(query)
    assert bar.pills.isVisible()
    assert pill_labels(bar) == [
        "Search: okafor",
        "Payment: Paid, Refunded",
        "Total ≥ 50",
        "Coupon: SPRING",
    ]
    qtbot.mouseClick(pill(bar, "Payment"), Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery(text="okafor", total_from=Decimal("50"), coupon_code="SPRING")
    assert not status_action(bar.payment_button, "PAID").isChecked()
    qtbot.mouseClick(pill(bar, "Search"), Qt.MouseButton.LeftButton)
    assert bar.search.text() == "" and bar.query().text is None
    assert pill_labels(bar) == ["Total ≥ 50", "Coupon: SPRING"]

    qtbot.mouseClick(bar.clear_all_button, Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery()
    assert bar.pills.isHidden()
    assert len(emitted) == 4  # set_query, two pills, clear all


def test_set_query_round_trips_and_emits_at_most_once(bar, emitted):
    query = OrderQuery(
        text="linen",
        payment_status=["PAID"],
        fulfillment_status=["SHIPPED", "DELIVERED"],
        created_from=datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
        created_to=datetime(2025, 3, 31, tzinfo=UTC),
        total_to=Decimal("99.5"),
        customer="Okafor",
        updated_to=datetime(2025, 4, 1, tzinfo=UTC),
        ids=["MYSTORE-X8UYE"],
        outbox_states=[OutboxState.FAILED],
        include_incomplete=True,
        sort=SortKey.TOTAL,
        descending=False,
    )
    bar.set_query(query)
    expected = query.model_copy(update={"sort": SortKey.CREATED, "descending": True})
    assert emitted == [expected] and bar.query() == expected
    bar.set_query(query)
    assert len(emitted) == 1  # nothing changed, nothing emitted

    assert bar.search.text() == "linen"
    assert status_action(bar.payment_button, "PAID").isChecked()
    assert bar.fulfillment_button.text().startswith("Fulfillment: 2")
    assert bar.total_button.text().startswith("Total ≤ 99.5")
    assert bar.more_button.text().startswith("More filters (3)")  # customer, updated, ids
    assert "Order IDs: MYSTORE-X8UYE" in pill_labels(bar)
    assert "Outbox: FAILED" in pill_labels(bar)

    bar.set_query(OrderQuery(payment_status=["INCOMPLETE"], include_incomplete=True))
    assert bar.unfinished_button.isChecked() and len(emitted) == 2
    assert bar.search.text() == ""
    bar.clear()
    assert bar.query() == OrderQuery() and not bar.unfinished_button.isChecked()
    assert len(emitted) == 3


def test_a_pending_search_goes_along_with_another_change(qtbot, bar, emitted):
    qtbot.keyClicks(bar.search, "okafor")
    status_action(bar.fulfillment_button, "SHIPPED").trigger()  # before the pause ends
    assert emitted == [OrderQuery(text="okafor", fulfillment_status=["SHIPPED"])]
    qtbot.wait(400)
    assert len(emitted) == 1
    assert bar.search.text() == "okafor"


def test_every_control_has_an_accessible_name(bar):
    popups = [bar.created_popup, bar.total_popup, bar.more_popup]
    bar.set_query(OrderQuery(coupon_code="SPRING"))  # so a pill exists
    controls = []
    for parent in [bar, *popups]:
        for kind in (QToolButton, QLineEdit, QDateEdit):
            controls += parent.findChildren(kind)
    assert len(controls) > 15
    focusable = [c for c in controls if c.focusPolicy() != Qt.FocusPolicy.NoFocus]
    unnamed = [c for c in focusable if not (c.accessibleName() or c.text())]
    assert unnamed == []
    assert bar.created_editor.fields.start.edit.accessibleName() == "Created from"


def test_enter_in_a_date_field_applies_the_range(qtbot, bar):
    bar.set_time_zone(UTC)
    bar.created_button.click()
    start = bar.created_editor.fields.start
    qtbot.keyClick(start.check, Qt.Key.Key_Space)
    assert start.check.isChecked()
    start.edit.setDate(start.edit.date().addDays(-3))
    chosen = start.edit.date().toPython()
    qtbot.keyClick(start.edit, Qt.Key.Key_Return)
    assert bar.query() == OrderQuery(created_from=day_start(chosen, UTC))
    assert not bar.created_popup.isVisible()


def test_deleted_toggle_lists_the_deleted_orders_and_saved_views_keep_it(
    qtbot, tmp_path, bar, emitted
):
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(seeded_orders(300), generation=1)
        cache.delete_unseen(1)
        gone = [row.key for row in cache.rows(OrderQuery(), limit=2)]
        cache.set_marks({key: (1, True) for key in gone})  # their deletions wait
        cache.set_aside(gone)
        assert not bar.deleted_button.isChecked()  # off by default
        status_action(bar.fulfillment_button, "SHIPPED").trigger()

        bar.deleted_button.click()
        assert bar.query() == OrderQuery(deleted=True, fulfillment_status=["SHIPPED"])
        assert bar.deleted_button.isChecked() and bar.deleted_button.font().bold()
        assert pill_labels(bar) == ["Deleted orders", "Fulfillment: Shipped"]
        bar.clear()
        bar.deleted_button.click()
        assert bar.query() == OrderQuery(deleted=True)
        assert sorted(row.key for row in cache.rows(bar.query(), limit=100)) == sorted(gone)
        assert not set(gone) & {row.key for row in cache.rows(OrderQuery(), limit=1_000)}

        views = SavedViewStore(tmp_path / "views.json")
        views.save(SavedView.from_query("Deleted", bar.query(), {}))
        qtbot.mouseClick(pill(bar, "Deleted orders"), Qt.MouseButton.LeftButton)
        assert bar.query() == OrderQuery() and not bar.deleted_button.isChecked()

        again = SavedViewStore(tmp_path / "views.json")
        assert again.load() is None
        bar.set_query(again.get("Deleted").query())
        assert bar.query() == OrderQuery(deleted=True) and bar.deleted_button.isChecked()
    assert len(emitted) == 6


def test_the_invoice_printed_filter_sits_in_more_filters_and_shows_a_pill(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    panel = bar.more_panel
    panel.printed.setCurrentIndex(panel.printed.findText("Not printed yet"))
    with qtbot.waitSignal(bar.queryChanged, timeout=2_000) as changed:
        panel.apply()
    assert changed.args[0].invoice_printed is False
    assert "More filters (1)" in bar.more_button.text()
    assert "Invoice not printed yet" in pill_labels(bar)
    pill(bar, "Invoice not printed yet").click()
    assert bar.query().invoice_printed is None

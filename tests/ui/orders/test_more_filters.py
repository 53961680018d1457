"""The *More filters* popup sets and clears each filter of Ecwid's current
documentation (order IDs, customer ID, product ID, pickup dates, payment
module, marketing consent, pre-order items, subscription ID, referrer ID):
typed values are checked with a message under the field, each active filter
shows a pill that removes it, and a saved view brings them all back.
Driven through the real widgets with qtbot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QToolButton

from app.domain.queries import OrderQuery
from app.services.orders.saved_views import SavedView, SavedViewStore
from tests.ui.orders.test_filter_bar import pill, pill_labels
from ui.common.dates import medium_date
from ui.orders.filter_bar import FilterBar
from ui.orders.filter_values import day_end, day_start
from ui.orders.more_filters import MoreFiltersPanel

PICKUP_PILL = (  # the locale's medium dates: "Pickup: Oct 1 – Oct 31, 2026" (en-US)
    f"Pickup: {medium_date(date(2026, 10, 1), year=False)} – {medium_date(date(2026, 10, 31))}"
)


@pytest.fixture
def bar(qtbot):
    bar = FilterBar()
    bar.resize(1200, 80)
    bar.set_time_zone(UTC)
    qtbot.addWidget(bar)
    bar.show()
    return bar


@pytest.fixture
def emitted(bar):
    queries: list[OrderQuery] = []
    bar.queryChanged.connect(queries.append)
    return queries


def typed(field: str, text: str) -> Callable[[Any, MoreFiltersPanel], None]:
    def enter(qtbot, panel: MoreFiltersPanel) -> None:
        qtbot.keyClicks(panel.texts[field], text)

    return enter


def chosen(field: str, label: str) -> Callable[[Any, MoreFiltersPanel], None]:
    def choose(qtbot, panel: MoreFiltersPanel) -> None:
        combo = panel.choices[field]
        combo.setCurrentIndex(combo.findText(label))

    return choose


def pickup_days(qtbot, panel: MoreFiltersPanel) -> None:
    panel.pickup.start.set_day(date(2026, 10, 1))
    panel.pickup.end.set_day(date(2026, 10, 31))


# name -> (how the user sets it, the query fields it gives, its pill)
NEW_FILTERS: dict[str, tuple[Callable[[Any, MoreFiltersPanel], None], dict[str, Any], str]] = {
    "order IDs": (
        typed("ids", "DEMO-X8UYE, 390000019 DEMO-X8UYE"),
        {"ids": ["DEMO-X8UYE", "390000019"]},
        "Order IDs: DEMO-X8UYE, 390000019",
    ),
    "customer ID": (typed("customer_id", " 50000028 "), {"customer_id": 50000028}, "Customer ID"),
    "product ID": (
        typed("product_id", "71011 71020,71011"),
        {"product_id": [71011, 71020]},
        "Product ID: 71011, 71020",
    ),
    "pickup from/to": (
        pickup_days,
        {
            "pickup_time_from": day_start(date(2026, 10, 1), UTC),
            "pickup_time_to": day_end(date(2026, 10, 31), UTC),
        },
        PICKUP_PILL,
    ),
    "payment module": (
        typed("payment_module", "PayPalStandard"),
        {"payment_module": "PayPalStandard"},
        "Payment module: PayPalStandard",
    ),
    "accepts marketing": (
        chosen("accept_marketing", "Yes"),
        {"accept_marketing": True},
        "Accepts marketing",
    ),
    "does not accept marketing": (
        chosen("accept_marketing", "No"),
        {"accept_marketing": False},
        "Does not accept marketing",
    ),
    "has pre-order items": (
        chosen("contains_preorder_items", "Yes"),
        {"contains_preorder_items": True},
        "Has pre-order items",
    ),
    "no pre-order items": (
        chosen("contains_preorder_items", "No"),
        {"contains_preorder_items": False},
        "No pre-order items",
    ),
    "subscription ID": (
        typed("subscription_id", "260011"),
        {"subscription_id": 260011},
        "Subscription ID: 260011",
    ),
    "referrer ID": (typed("referer_id", "1207"), {"referer_id": "1207"}, "Referrer ID: 1207"),
}


@pytest.mark.parametrize("name", list(NEW_FILTERS))
def test_each_filter_is_set_in_the_popup_and_removed_by_its_pill(qtbot, bar, emitted, name):
    enter, fields, label = NEW_FILTERS[name]
    bar.more_button.click()
    assert bar.more_popup.isVisible()
    enter(qtbot, bar.more_panel)
    qtbot.mouseClick(bar.more_panel.apply_button, Qt.MouseButton.LeftButton)

    assert emitted == [OrderQuery(**fields)] and bar.query() == OrderQuery(**fields)
    assert not bar.more_popup.isVisible()
    assert bar.more_button.text().startswith("More filters (1)")
    assert len(pill_labels(bar)) == 1 and pill_labels(bar)[0].startswith(label)

    bar.more_button.click()  # opens showing the filter; Apply again changes nothing
    qtbot.mouseClick(bar.more_panel.apply_button, Qt.MouseButton.LeftButton)
    assert len(emitted) == 1

    qtbot.mouseClick(pill(bar, label), Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery() and len(emitted) == 2
    assert bar.more_button.text().startswith("More filters") and "(" not in bar.more_button.text()
    bar.more_button.click()  # and the popup shows it cleared
    panel = bar.more_panel
    assert all(edit.text() == "" for edit in panel.texts.values())
    assert all(combo.currentData() is None for combo in panel.choices.values())
    assert panel.pickup.start.day() is None and panel.pickup.end.day() is None


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("ids", "DEMO-1, " + "X" * 70, "is not an order ID"),
        ("customer_id", "Ada", "“Ada” is not a customer ID"),
        ("customer_id", "12 13", "Type one customer ID"),
        ("product_id", "71011, mug", "“mug” is not a product ID"),
        ("product_id", "0", "“0” is not a product ID"),
        ("subscription_id", "-5", "“-5” is not a subscription ID"),
        ("referer_id", "12, 13", "is not a referrer ID"),
    ],
)
def test_a_bad_value_shows_a_message_under_its_field_and_applies_nothing(
    qtbot, bar, emitted, field, text, problem
):
    bar.more_button.click()
    panel = bar.more_panel
    qtbot.keyClicks(panel.texts[field], text)
    qtbot.keyClicks(panel.texts["payment_module"], "Stripe")
    qtbot.keyClick(panel.texts[field], Qt.Key.Key_Return)
    message = panel.messages[field]
    assert message.isVisible() and problem in message.text()
    assert panel.texts[field].accessibleDescription() == message.text()
    assert emitted == [] and bar.more_popup.isVisible()

    panel.texts[field].clear()
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert not message.isVisible()
    assert emitted == [OrderQuery(payment_module="Stripe")]


def test_a_backwards_pickup_range_is_refused(qtbot, bar, emitted):
    bar.more_button.click()
    panel = bar.more_panel
    panel.pickup.start.set_day(date(2026, 10, 31))
    panel.pickup.end.set_day(date(2026, 10, 1))
    panel.apply()
    assert panel.pickup.message.isVisible() and "swap" in panel.pickup.message.text()
    assert emitted == []


def every_new_filter() -> OrderQuery:
    return OrderQuery(**{k: v for _, fields, _ in NEW_FILTERS.values() for k, v in fields.items()})


def test_reset_clears_every_filter_at_once(qtbot, bar, emitted):
    bar.set_query(every_new_filter())
    assert bar.more_button.text().startswith("More filters (9)")
    bar.more_button.click()
    assert bar.more_panel.texts["product_id"].text() == "71011, 71020"
    assert bar.more_panel.choices["contains_preorder_items"].currentText() == "No"
    qtbot.mouseClick(bar.more_panel.reset_button, Qt.MouseButton.LeftButton)
    assert bar.query() == OrderQuery() and len(emitted) == 2


def test_a_saved_view_brings_every_filter_back_into_the_popup(qtbot, tmp_path, bar):
    query = every_new_filter()
    SavedViewStore(tmp_path / "views.json").save(SavedView.from_query("Pick-ups", query, {}))
    store = SavedViewStore(tmp_path / "views.json")
    assert store.load() is None
    bar.set_query(store.get("Pick-ups").query())
    assert bar.query() == query
    assert pill_labels(bar) == [
        "Payment module: PayPalStandard",
        "Order IDs: DEMO-X8UYE, 390000019",
        "Customer ID: 50000028",
        "Product ID: 71011, 71020",
        "Subscription ID: 260011",
        "Referrer ID: 1207",
        "Does not accept marketing",
        "No pre-order items",
        PICKUP_PILL,
    ]
    bar.more_button.click()
    panel = bar.more_panel
    assert panel.texts["ids"].text() == "DEMO-X8UYE, 390000019"
    assert panel.texts["customer_id"].text() == "50000028"
    assert panel.texts["referer_id"].text() == "1207"
    assert panel.choices["accept_marketing"].currentText() == "No"
    assert panel.pickup.start.day() == date(2026, 10, 1)
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert bar.query() == query  # what the popup shows is what the view holds


def test_the_popup_stays_a_usable_size_and_every_choice_is_named(bar):
    bar.more_button.click()
    size = bar.more_popup.sizeHint()
    assert size.width() <= 900 and size.height() <= 560, size
    combos = bar.more_popup.findChildren(QComboBox)
    assert {c.accessibleName() for c in combos} == {
        "Accepts marketing",
        "Has pre-order items",
        "Invoice printed",
    }
    buttons = [b for b in bar.more_popup.findChildren(QToolButton) if b.isVisible()]
    assert all(b.accessibleName() or b.text() for b in buttons)
    assert bar.more_panel.pickup.start.edit.accessibleName() == "Pickup from"

"""The filter bar follows a switch between light and dark while it is on
screen (View › Appearance): the status drop-downs, the saved views button,
the pills and "Clear all" are drawn in the new palette, readable on it —
read back from a picture of the window, as the user sees them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolButton, QWidget

from app.domain.queries import OrderQuery
from app.services.orders.saved_views import SavedView, SavedViewStore
from tests.helpers.appearance import contrast, drawn_colours, scheme_switching, switch_to
from ui.orders.filter_bar import FilterBar
from ui.orders.saved_views_button import SavedViewsButton


@pytest.fixture
def bar(qtbot, tmp_path, monkeypatch):
    with scheme_switching(monkeypatch):
        bar = FilterBar()
        views = SavedViewsButton(
            SavedViewStore(tmp_path / "views.json"),
            lambda name: SavedView.from_query(name, bar.query(), {}),
        )
        bar.add_trailing_widget(views)
        bar.views = views
        qtbot.addWidget(bar)
        bar.resize(1280, 90)
        bar.show()
        qtbot.waitExposed(bar)
        bar.set_query(OrderQuery(payment_status=["PAID"], coupon_code="SPRING"))
        qtbot.waitUntil(lambda: bar.clear_all_button.isVisible())
        yield bar


def named_widgets(bar: FilterBar) -> dict[str, QWidget]:
    pill = bar.pills.findChildren(QToolButton, "filterPill")[0]
    return {
        "Payment": bar.payment_button,
        "Fulfillment": bar.fulfillment_button,
        "Views": bar.views,
        "a pill": pill,
        "Clear all": bar.clear_all_button,
    }


def test_the_filter_bar_follows_light_and_dark_and_stays_readable(qtbot, bar):
    light = {name: drawn_colours(widget) for name, widget in named_widgets(bar).items()}
    for name, (background, ink) in light.items():
        assert background.lightness() > 128, name
        assert contrast(background, ink) >= 4.5, (name, background.name(), ink.name())

    switch_to(qtbot, "dark")
    for name, widget in named_widgets(bar).items():
        background, ink = drawn_colours(widget)
        assert background.lightness() < 128, (name, background.name())  # not left light
        assert contrast(background, ink) >= 4.5, (name, background.name(), ink.name())
        assert (background, ink) != light[name]

    switch_to(qtbot, "light")
    for name, widget in named_widgets(bar).items():
        background, ink = drawn_colours(widget)
        assert background.lightness() > 128, (name, background.name())
        assert contrast(background, ink) >= 4.5, (name, background.name(), ink.name())

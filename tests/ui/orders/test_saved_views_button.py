"""The saved views menu over a real views.json: save the current view, choose
it (the same query and columns come back), replace, rename and delete it;
store errors are shown in plain words. Only the three question methods are
answered by the test (the dialogs themselves are modal)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.domain.queries import OrderQuery, SortKey
from app.services.orders.saved_views import VIEWS_FILE_NAME, SavedView, SavedViewStore
from ui.orders.filter_bar import FilterBar
from ui.orders.saved_views_button import SavedViewsButton

COLUMNS = {"order": ["number", "customer", "total"], "widths": {"customer": 180}}


class Answers:
    """What the user types and clicks in the dialogs, and what they were shown."""

    def __init__(self, button: SavedViewsButton) -> None:
        self.names: list[str | None] = []
        self.confirmations: list[bool] = []
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        button._ask_name = self._ask_name
        button._confirm = self._confirm
        button._show_error = lambda title, message: self.errors.append((title, message))

    def _ask_name(self, title: str, label: str, text: str) -> str | None:
        self.asked.append((title, text))
        return self.names.pop(0)

    def _confirm(self, title: str, question: str) -> bool:
        self.asked.append((title, question))
        return self.confirmations.pop(0)


@pytest.fixture
def setup(qtbot, tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    store = SavedViewStore(path)
    assert store.load() is None
    bar = FilterBar()
    qtbot.addWidget(bar)
    sort = {"key": SortKey.TOTAL, "descending": False}

    def capture(name: str) -> SavedView:
        query = bar.query().model_copy(
            update={"sort": sort["key"], "descending": sort["descending"]}
        )
        return SavedView.from_query(name, query, COLUMNS)

    button = SavedViewsButton(store, capture)
    qtbot.addWidget(button)
    return button, bar, Answers(button), path


def menu_texts(button) -> list[str]:
    return [action.text() for action in button.menu().actions() if not action.isSeparator()]


def submenu(button, title):
    return next(a.menu() for a in button.menu().actions() if a.text() == title)


def test_save_choose_rename_delete(qtbot, setup):
    button, bar, answers, path = setup
    assert menu_texts(button) == ["No saved views", "Save current view…", "Rename", "Delete"]

    query = OrderQuery(payment_status=["PAID", "REFUNDED"], total_from=Decimal("50"), text="oak")
    bar.set_query(query)
    answers.names.append("  Big refunds  ")
    next(a for a in button.menu().actions() if a.text() == "Save current view…").trigger()
    assert menu_texts(button)[0] == "Big refunds"
    stored = json.loads(path.read_text(encoding="utf-8"))["views"]
    assert [view["name"] for view in stored] == ["Big refunds"]

    bar.clear()
    reloaded = SavedViewStore(path)
    reloaded.load()
    other = SavedViewsButton(reloaded, lambda name: SavedView(name=name))
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.viewChosen) as blocker:
        other.menu().actions()[0].trigger()
    chosen = blocker.args[0]
    assert chosen.query() == query.model_copy(update={"sort": SortKey.TOTAL, "descending": False})
    assert chosen.columns == COLUMNS
    assert other.menu().actions()[0].font().bold()  # marked as the view shown

    answers.names.append("Refunds over 50")
    submenu(button, "Rename").actions()[0].trigger()
    assert answers.asked[-1] == ("Rename view", "Big refunds")
    assert menu_texts(button)[0] == "Refunds over 50"
    assert SavedViewStore(path).load() is None

    answers.confirmations.append(False)
    submenu(button, "Delete").actions()[0].trigger()
    assert "“Refunds over 50”" in answers.asked[-1][1]
    assert menu_texts(button)[0] == "Refunds over 50"  # not confirmed: kept
    answers.confirmations.append(True)
    with qtbot.waitSignal(button.viewsChanged):
        submenu(button, "Delete").actions()[0].trigger()
    assert menu_texts(button)[0] == "No saved views"
    assert json.loads(path.read_text(encoding="utf-8"))["views"] == []
    assert answers.errors == []


def test_saving_under_a_taken_name_asks_to_replace(setup):
    button, bar, answers, path = setup
    bar.set_query(OrderQuery(fulfillment_status=["SHIPPED"]))
    answers.names.append("Shipped")
    button.save_current_view()

    bar.set_query(OrderQuery(fulfillment_status=["DELIVERED"]))
    answers.names.append("SHIPPED")
    answers.confirmations.append(False)
    button.save_current_view()
    assert "A view named “Shipped” already exists" in answers.asked[-1][1]
    assert button.store.get("shipped").filters == {"fulfillment_status": ["SHIPPED"]}

    answers.names.append("shipped")
    answers.confirmations.append(True)
    button.save_current_view()
    saved = SavedViewStore(path)
    saved.load()
    assert saved.names() == ["shipped"]
    assert saved.get("Shipped").filters == {"fulfillment_status": ["DELIVERED"]}


def test_cancel_and_bad_names_change_nothing(setup):
    button, bar, answers, path = setup
    answers.names.append(None)  # cancelled
    button.save_current_view()
    answers.names.append("   ")
    button.save_current_view()
    answers.names.append("x" * 81)
    button.save_current_view()
    assert not path.exists()
    assert [title for title, _ in answers.errors] == ["Could not save the view"] * 2
    assert "must not be empty" in answers.errors[0][1]
    assert "at most 80" in answers.errors[1][1]

    answers.names += ["Paid", "Shipped"]
    button.save_current_view()
    button.save_current_view()
    answers.names.append("paid")
    button.rename_view("Shipped")
    assert "'Paid' already exists" in answers.errors[-1][1]
    assert [a.text() for a in button.menu().actions()[:2]] == ["Paid", "Shipped"]


def test_a_store_that_cannot_write_is_reported_in_plain_words(setup):
    button, bar, answers, path = setup
    path.write_text(json.dumps({"format": "backroom-views", "version": 99, "views": []}))
    assert "newer Backroom" in button.store.load()
    answers.names.append("Mine")
    button.save_current_view()
    assert answers.errors[0][0] == "Could not save the view"
    assert "newer Backroom" in answers.errors[0][1]
    assert "Traceback" not in answers.errors[0][1]


def test_ampersands_show_in_the_menu(setup):
    button, bar, answers, path = setup
    answers.names.append("Walnut & Linen")
    button.save_current_view()
    action = button.menu().actions()[0]
    assert action.text() == "Walnut && Linen"  # shown as a plain "&", not a shortcut
    assert action.iconText() == "Walnut & Linen"

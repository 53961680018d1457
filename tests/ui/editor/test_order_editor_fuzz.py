"""Random text typed into the editor's fields (hypothesis): the editor never
fails, shows a problem for what validation refuses, and sends nothing then;
what validation accepts is saved and reads back from the store."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.orders.changes import editable_copy, set_value, validate
from tests.ui.editor import support
from tests.ui.editor.support import (
    edit_cell,
    open_in,
    pick_order,
    server_order,
    three_items_and_a_file,
    type_into,
)
from ui.editor.items_model import OrderItemsModel

pytestmark = pytest.mark.usefixtures("qt_loop")
session, drafts, editor = support.session, support.drafts, support.editor  # fixtures

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT_FIELDS = [
    ("email",),
    ("trackingNumber",),
    ("shippingOption", "shippingRate"),
    ("billingPerson", "countryCode"),
    ("shippingPerson", "postalCode"),
    ("billingPerson", "name"),
]
typed = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
    max_size=40,
)
numbers = st.one_of(
    typed,
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.sampled_from(["12,50", " 3 ", "0", "-0", "1e3", "", "  ", "٣", "1.2.3"]),
)


def _problems_in(order, path, value) -> list:
    copy = editable_copy(order)
    set_value(copy, path, value)
    return [p for p in validate(copy) if p.path[: len(path)] == path or p.path == path[:1]]


def _fresh(editor, session, run_on_qt) -> dict:
    """The order, opened afresh: the last example's edit (and its draft) discarded."""
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    editor.discard_changes()
    return session.rows.order_json(order["id"])


def _check(editor, sandbox, run_on_qt, order, path, value) -> None:
    requests = len(sandbox.request_log)
    invalid = bool(_problems_in(order, path, value))
    saved = run_on_qt(editor.save())
    if invalid:
        assert saved is False
        assert len(sandbox.request_log) == requests  # nothing sent
        assert not editor.save_button.isEnabled()
    else:
        assert saved is True
    assert [e for e in editor.session.outbox_summary().entries] == []


@FUZZ
@given(field=st.sampled_from(TEXT_FIELDS), text=typed)
def test_random_text_in_a_field(qtbot, editor, session, sandbox, run_on_qt, field, text):
    fresh = _fresh(editor, session, run_on_qt)
    type_into(qtbot, editor.form.field(field).input, text)
    assert editor.form.field(field).value() == text
    _check(editor, sandbox, run_on_qt, fresh, field, text)
    if not _problems_in(fresh, field, text) and field == ("trackingNumber",):
        assert (server_order(sandbox, fresh["id"], run_on_qt).get("trackingNumber") or "") == text


@FUZZ
@given(column=st.sampled_from([OrderItemsModel.QUANTITY, OrderItemsModel.PRICE]), text=numbers)
def test_random_numbers_in_the_items(qtbot, editor, session, sandbox, run_on_qt, column, text):
    fresh = _fresh(editor, session, run_on_qt)
    edit_cell(qtbot, editor, 0, column, text)
    name = OrderItemsModel.FIELDS[column]
    editor.items.model.data(editor.items.model.index(0, OrderItemsModel.TOTAL))  # never fails
    _check(editor, sandbox, run_on_qt, fresh, ("items", 0, name), text)

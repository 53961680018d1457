"""The window never offers INCOMPLETE as a status to choose: not in the
editor (unless the order has it, as it came), not for a bulk change or a new order."""

from __future__ import annotations

from ui.editor.form import status_choices as editor_choices
from ui.orders.bulk_action_dialog import status_choices as bulk_choices

NAMES = {"CUSTOM_PAYMENT_STATUS_1": "Deposit paid"}


def test_bulk_changes_and_new_orders_never_offer_incomplete():
    choices = bulk_choices("payment", NAMES)
    assert "PAID" in choices and "CUSTOM_PAYMENT_STATUS_1" in choices
    assert "INCOMPLETE" not in choices


def test_the_editor_offers_incomplete_only_to_the_order_that_has_it():
    paid = [code for code, _ in editor_choices("payment", "PAID", NAMES)]
    assert "PAID" in paid and "INCOMPLETE" not in paid
    unfinished = [code for code, _ in editor_choices("payment", "INCOMPLETE", NAMES)]
    assert "INCOMPLETE" in unfinished  # shown as it is; choosing it changes nothing


DISABLED = ("CUSTOM_PAYMENT_STATUS_2",)
TWO = {**NAMES, "CUSTOM_PAYMENT_STATUS_2": "Paid in store"}


def test_a_status_the_store_switched_off_is_offered_only_to_an_order_that_has_it():
    assert "CUSTOM_PAYMENT_STATUS_2" in bulk_choices("payment", TWO)
    assert "CUSTOM_PAYMENT_STATUS_2" not in bulk_choices("payment", TWO, DISABLED)
    assert "CUSTOM_PAYMENT_STATUS_1" in bulk_choices("payment", TWO, DISABLED)
    paid = dict(editor_choices("payment", "PAID", TWO, DISABLED))
    assert "CUSTOM_PAYMENT_STATUS_2" not in paid
    kept = dict(editor_choices("payment", "CUSTOM_PAYMENT_STATUS_2", TWO, DISABLED))
    assert kept["CUSTOM_PAYMENT_STATUS_2"] == "Paid in store"  # the order's own, by its name

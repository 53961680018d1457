"""INCOMPLETE (an abandoned checkout) is a status only the store gives: no
command, saved edit or bulk change sets it, while an order that has it keeps
it, shows it and can be filtered by it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import AccountStore
from app.domain.queries import OrderQuery
from app.domain.statuses import is_user_settable
from app.services.accounts.account_actions import open_cache
from app.services.orders.bulk import BulkAction, bulk_changes
from app.services.orders.changes import (
    EditInvalid,
    changes_between,
    status_change_problems,
    validate,
)
from tests.helpers.cli import backroom, connect_demo

ORDER = {"id": "W-1", "orderNumber": 1, "paymentStatus": "PAID", "fulfillmentStatus": "SHIPPED"}
UNFINISHED = {**ORDER, "paymentStatus": "INCOMPLETE", "hidden": False}


@pytest.mark.parametrize("status", ["INCOMPLETE", "incomplete", " Incomplete "])
def test_incomplete_cannot_be_set_in_any_spelling(status):
    assert not is_user_settable(status)
    [problem] = status_change_problems({"paymentStatus": status})
    assert problem.path == ("paymentStatus",) and "only the store" in problem.message
    with pytest.raises(ValueError, match="only the store can"):
        bulk_changes(ORDER, BulkAction("payment", status))
    with pytest.raises(EditInvalid, match="INCOMPLETE"):
        changes_between(ORDER, {**ORDER, "paymentStatus": status})


def test_every_other_status_can_be_set():
    for status in ("PAID", "AWAITING_PAYMENT", "CUSTOM_PAYMENT_STATUS_2", "SHIPPED", "NEW_ONE"):
        assert is_user_settable(status)
        assert status_change_problems({"paymentStatus": status}) == []
    assert status_change_problems({"trackingNumber": "INCOMPLETE"}) == []
    assert status_change_problems(["not", "a", "mapping"]) == []  # type: ignore[arg-type]


def test_an_unfinished_order_keeps_its_status_and_can_still_be_edited():
    assert validate(UNFINISHED) == []  # shown as it is, no complaint
    assert changes_between(UNFINISHED, {**UNFINISHED, "hidden": True}) == {"hidden": True}


def test_order_update_refuses_incomplete_and_queues_nothing(sandbox):
    data = Path(os.environ["BACKROOM_DATA_DIR"])
    assert connect_demo(data, sandbox).returncode == 0
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    with open_cache(AccountStore.load().get("Demo")).cache as cache:
        [paid] = cache.rows(OrderQuery(payment_status=["PAID"]), 0, 1)
        assert cache.count(OrderQuery(payment_status=["INCOMPLETE"])) > 0  # still filterable
    result = backroom(
        data, "order", "update", paid.key, "--payment-status", "incomplete", token=sandbox.token
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("backroom: --payment-status: cannot be set to INCOMPLETE")
    listed = backroom(data, "outbox", "list", "--format", "json")
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"  # nothing queued
    with open_cache(AccountStore.load().get("Demo")).cache as cache:
        assert cache.order_json(paid.key)["paymentStatus"] == "PAID"

"""Statuses are open enums: a status the store adds later is kept as it
came; only the store gives INCOMPLETE."""

from __future__ import annotations

import json
import pickle

from app.domain.statuses import FulfillmentStatus, PaymentStatus, is_user_settable


def test_an_unknown_status_is_kept_as_it_came():
    status = PaymentStatus("AWAITING_CRYPTO")
    assert status == "AWAITING_CRYPTO" and str(status) == "AWAITING_CRYPTO"
    assert not status.is_known and PaymentStatus.PAID.is_known
    assert {status: 1}["AWAITING_CRYPTO"] == 1
    assert json.dumps([status]) == '["AWAITING_CRYPTO"]'
    assert pickle.loads(pickle.dumps(status)) == status
    assert FulfillmentStatus("OUT_FOR_DELIVERY") is FulfillmentStatus.OUT_FOR_DELIVERY


def test_only_the_store_sets_incomplete():
    assert not is_user_settable(" incomplete ")
    assert is_user_settable("PAID") and is_user_settable(PaymentStatus("CUSTOM_PAYMENT_STATUS_2"))

"""Statuses the store has switched off (``enabled: false`` in
``/profile/order_statuses``) are remembered as such: the window keeps their
names for the orders that carry them and never offers them as a new value."""

from __future__ import annotations

from app.services.accounts.store_display import StoreDisplay, store_display
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def test_the_display_names_the_disabled_statuses_and_remembers_them(sandbox):
    async def read() -> StoreDisplay:
        async with client_for(sandbox) as client:
            return await store_display(client)

    display = run(read())
    # the demo store has one custom status of each kind switched off
    assert set(display.status_disabled) == {
        "CUSTOM_PAYMENT_STATUS_3",
        "CUSTOM_FULFILLMENT_STATUS_3",
    }
    assert display.status_names["CUSTOM_PAYMENT_STATUS_3"] == "Paid in store"  # still named
    assert StoreDisplay.from_json(display.to_json()) == display
    assert StoreDisplay.from_json('{"store_name": "Old"}').status_disabled == ()

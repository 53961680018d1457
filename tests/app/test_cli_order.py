"""`backroom order update` as a script runs it, against the demo store:
exit 0 confirmed, 2 invalid input (nothing queued), 3 conflict (nothing
overwritten; the fields changed there named), 4 queued while the store is
unreachable (sent by the next sync)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import AccountStore
from app.services.accounts import open_cache
from app.store import OrderCache, OrderQuery
from tests.helpers.aio import run
from tests.helpers.cli import backroom, connect_demo
from tests.helpers.sandbox import client_for


@pytest.fixture
def data(sandbox) -> Path:
    """The data folder of the `backroom` runs (this test's own), with the demo store connected."""
    folder = Path(os.environ["BACKROOM_DATA_DIR"])
    added = connect_demo(folder, sandbox)
    assert added.returncode == 0, added.stderr
    return folder


def cli(data: Path, sandbox, *args: str):
    return backroom(data, "order", "update", *args, token=sandbox.token)


def local_cache() -> OrderCache:
    return open_cache(AccountStore.load().get("Demo")).cache


def server_order(sandbox, key: str) -> dict:
    async def read():
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    return run(read())


def a_cached_order() -> tuple[str, str]:
    """(key, number) of an ordinary order in the local cache."""
    with local_cache() as cache:
        row = next(
            r
            for r in cache.rows(OrderQuery(payment_status=["PAID"]), limit=50)
            if not r.key.isdigit()
        )
        return row.key, row.number


def test_confirmed_and_invalid(data, sandbox):
    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    key, number = a_cached_order()

    done = cli(data, sandbox, number, "--fulfillment-status", "shipped", "--tracking", "1Z-CLI")
    assert done.returncode == 0, done.stderr
    assert f"Order {number} updated" in done.stdout
    server = server_order(sandbox, key)
    assert (server["fulfillmentStatus"], server["trackingNumber"]) == ("SHIPPED", "1Z-CLI")

    for args, message in (
        ([number, "--payment-status", "QUEUED"], "--payment-status: is not a payment status"),
        ([number], "Nothing to change"),
        (["NO-SUCH-ORDER", "--note", "x"], "There is no order NO-SUCH-ORDER"),
        ([number, "--tracking", "x" * 5000], "--tracking: is too long"),
    ):
        refused = cli(data, sandbox, *args)
        assert refused.returncode == 2, refused.stderr
        assert message in refused.stderr
    with local_cache() as cache:
        assert cache.outbox() == []  # nothing queued
    assert server_order(sandbox, key)["trackingNumber"] == "1Z-CLI"


def test_an_order_not_cached_yet_is_read_from_the_store(data, sandbox):
    key = run(_first_paid_key(sandbox))
    done = cli(data, sandbox, key, "--note", "called the customer")
    assert done.returncode == 0, done.stderr
    assert server_order(sandbox, key)["privateAdminNotes"] == "called the customer"


async def _first_paid_key(sandbox) -> str:
    async with client_for(sandbox) as client:
        page = await client.search_orders_raw(None, 0, 20)
        return next(o["id"] for o in page.items if o.get("id") and o["paymentStatus"] == "PAID")


def test_a_conflict_overwrites_nothing_and_names_the_fields(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    key, number = a_cached_order()
    before = server_order(sandbox, key)

    async def colleague():
        async with client_for(sandbox) as client:
            await client.update_order(key, {"trackingNumber": "THEIRS", "orderComments": "hi"})

    run(colleague())
    clash = cli(data, sandbox, number, "--tracking", "MINE", "--note", "mine")
    assert clash.returncode == 3, clash.stderr
    assert "Tracking number (trackingNumber)" in clash.stderr
    assert "Order comments (orderComments)" in clash.stderr
    assert "Nothing was overwritten" in clash.stderr
    server = server_order(sandbox, key)
    assert (server["trackingNumber"], server.get("privateAdminNotes")) == (
        "THEIRS",
        before.get("privateAdminNotes"),
    )
    with local_cache() as cache:
        assert cache.outbox() == []
        assert cache.order_json(key)["trackingNumber"] == "THEIRS"  # the server's version kept


def test_queued_while_unreachable_then_sent_by_the_next_sync(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    key, number = a_cached_order()
    sandbox.stop()
    queued = cli(data, sandbox, number, "--payment-status", "refunded")
    assert queued.returncode == 4, queued.stderr
    assert "queued" in queued.stderr and "next sync" in queued.stderr
    with local_cache() as cache:
        [entry] = cache.outbox()
        assert entry.changes == {"paymentStatus": "REFUNDED"}

    sandbox.start()
    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    assert "Edits sent: 1 confirmed" in synced.stdout
    assert server_order(sandbox, key)["paymentStatus"] == "REFUNDED"

"""`backroom order update`, `order log`, `outbox …` and `sync` as a script
runs them, against the demo store: exit 0 confirmed, 2 invalid input or a
reference that names no order or several (nothing sent, nothing queued), 3
conflict (nothing overwritten; the edit waits as a conflict), 4 queued while
the store is unreachable (sent by the next sync), and `sync` exit 5 while an
edit needs the user."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.cache import OrderCache
from app.config import AccountStore
from app.domain.queries import OrderQuery
from app.services.accounts.account_actions import open_cache
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


def outbox(data: Path, sandbox=None) -> list[dict]:
    listed = backroom(data, "outbox", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def local_cache() -> OrderCache:
    return open_cache(AccountStore.load().get("Demo")).cache


def server_order(sandbox, key: str) -> dict:
    async def read():
        async with client_for(sandbox) as client:
            return await client.get_order_raw(key)

    return run(read())


def colleague(sandbox, key: str, changes: dict) -> None:
    async def write():
        async with client_for(sandbox) as client:
            await client.update_order(key, changes)

    run(write())


def cached_orders(count: int = 1, *, legacy: bool = False) -> list[tuple[str, str]]:
    """(key, number) of ordinary orders in the local cache (legacy: no id, no timestamps)."""
    with local_cache() as cache:
        rows = cache.rows(OrderQuery(payment_status=["PAID"]), limit=5000)
        found = [
            (r.key, r.number)
            for r in rows
            if legacy == ("updateTimestamp" not in cache.order_json(r.key))
        ]
    return found[:count]


def a_cached_order() -> tuple[str, str]:
    return cached_orders()[0]


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
    assert outbox(data) == []  # nothing queued
    assert server_order(sandbox, key)["trackingNumber"] == "1Z-CLI"


@pytest.mark.parametrize("reference", ["", "   ", "#", "\t"])
def test_a_blank_reference_is_refused_before_any_request(data, sandbox, reference):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    requests = len(sandbox.request_log)
    refused = cli(data, sandbox, reference, "--payment-status", "CANCELLED")
    assert refused.returncode == 2, refused.stderr
    assert "No order was named" in refused.stderr
    assert len(sandbox.request_log) == requests  # not one request: nothing cancelled
    logged = backroom(data, "order", "log", reference)
    assert logged.returncode == 2 and "No order was named" in logged.stderr


def test_an_ambiguous_reference_lists_the_candidates_and_sends_nothing(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    key, number = a_cached_order()
    with local_cache() as cache:  # a store with prefixes: one order's id is another's number
        lookalike = dict(cache.order_json(key), id=f"W-{number}", orderNumber=9_000_001)
        cache.upsert_orders([dict(cache.order_json(key), vendorOrderNumber=f"W-{number}")])
        cache.upsert_orders([lookalike])
    requests = len(sandbox.request_log)
    refused = cli(data, sandbox, f"W-{number}", "--tracking", "X")
    assert refused.returncode == 2, refused.stderr
    assert "names more than one order" in refused.stderr
    assert f"id {key}" in refused.stderr and f"id W-{number}" in refused.stderr
    assert len(sandbox.request_log) == requests


def test_an_order_not_cached_yet_is_read_from_the_store(data, sandbox):
    key = run(_first_paid_key(sandbox))
    done = cli(data, sandbox, key, "--note", "called the customer")
    assert done.returncode == 0, done.stderr
    assert server_order(sandbox, key)["privateAdminNotes"] == "called the customer"
    logged = backroom(data, "order", "log", key, "--format", "json")
    [entry] = json.loads(logged.stdout)
    assert entry["kind"] == "edit" and entry["outcome"] == "confirmed by the store"
    assert "called the customer" in entry["summary"]


async def _first_paid_key(sandbox) -> str:
    async with client_for(sandbox) as client:
        page = await client.search_orders_raw(None, 0, 20)
        return next(o["id"] for o in page.items if o.get("id") and o["paymentStatus"] == "PAID")


def test_a_conflict_overwrites_nothing_and_waits_to_be_resolved(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    key, number = a_cached_order()
    before = server_order(sandbox, key)
    colleague(sandbox, key, {"trackingNumber": "THEIRS", "orderComments": "hi"})
    clash = cli(data, sandbox, number, "--tracking", "MINE", "--note", "mine")
    assert clash.returncode == 3, clash.stderr
    assert "Tracking number" in clash.stderr and "THEIRS" in clash.stderr
    assert "Nothing was overwritten" in clash.stderr
    server = server_order(sandbox, key)
    assert (server["trackingNumber"], server.get("privateAdminNotes")) == (
        "THEIRS",
        before.get("privateAdminNotes"),
    )
    [entry] = outbox(data)
    assert (entry["order"], entry["state"]) == (number, "conflict")
    assert entry["fields"] == {"trackingNumber": "MINE", "privateAdminNotes": "mine"}
    assert entry["store"]["trackingNumber"] == "THEIRS" and entry["reason"]
    with local_cache() as cache:
        assert cache.order_json(key)["trackingNumber"] == "THEIRS"  # the store's value shown

    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 5, synced.stderr  # listed until settled
    assert f"order {number}" in synced.stderr and "Conflict" in synced.stderr
    resolved = backroom(data, "outbox", "resolve", str(entry["id"]), "--take-store")
    assert resolved.returncode == 0, resolved.stderr
    assert outbox(data) == []
    assert backroom(data, "sync", token=sandbox.token).returncode == 0


def test_two_desks_on_a_legacy_order_the_second_is_told_and_the_first_value_stays(
    tmp_path, sandbox
):
    """Older stores' orders have no ``updateTimestamp``; the check is by content."""
    desks = [tmp_path / "desk-a", tmp_path / "desk-b"]
    for desk in desks:
        assert connect_demo(desk, sandbox).returncode == 0
        assert backroom(desk, "sync", token=sandbox.token).returncode == 0
    os.environ["BACKROOM_DATA_DIR"] = str(desks[0])
    [(key, number)] = cached_orders(legacy=True)
    first = backroom(desks[0], "order", "update", number, "--tracking", "A", token=sandbox.token)
    assert first.returncode == 0, first.stderr
    second = backroom(desks[1], "order", "update", number, "--tracking", "B", token=sandbox.token)
    assert second.returncode == 3, second.stderr
    assert server_order(sandbox, key)["trackingNumber"] == "A"


def test_queued_while_unreachable_then_sent_by_the_next_sync(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    key, number = a_cached_order()
    sandbox.stop()
    queued = cli(data, sandbox, number, "--payment-status", "refunded")
    assert queued.returncode == 4, queued.stderr
    assert "Queued" in queued.stderr and "next sync" in queued.stderr
    [entry] = outbox(data)
    assert entry["fields"] == {"paymentStatus": "REFUNDED"} and entry["state"] == "failed"

    sandbox.start()
    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    assert "Edits sent: 1 confirmed" in synced.stdout
    assert server_order(sandbox, key)["paymentStatus"] == "REFUNDED"
    assert outbox(data) == []


def test_retry_and_discard_from_the_command_line(data, sandbox):
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    (key, number), (other, other_number) = cached_orders(2)
    sandbox.faults.fail_orders = {key: 400, other: 400}
    for ref in (number, other_number):
        refused = cli(data, sandbox, ref, "--tracking", "LOCKED")
        assert refused.returncode == 2  # a refusal shown at once is not queued
    assert outbox(data) == []
    sandbox.faults.fail_orders = {}
    sandbox.stop()
    for ref in (number, other_number):
        assert cli(data, sandbox, ref, "--note", "later").returncode == 4
    sandbox.start()
    first, second = (entry["id"] for entry in outbox(data))
    discarded = backroom(data, "outbox", "discard", str(second))
    assert discarded.returncode == 0 and f"#{second}" in discarded.stdout
    retried = backroom(data, "outbox", "retry", str(first), token=sandbox.token)
    assert retried.returncode == 0, retried.stderr
    assert outbox(data) == []
    assert server_order(sandbox, key)["privateAdminNotes"] == "later"
    assert server_order(sandbox, other).get("privateAdminNotes") != "later"
    bad = backroom(data, "outbox", "retry", "abc")
    assert bad.returncode == 2 and "not an outbox edit id" in bad.stderr

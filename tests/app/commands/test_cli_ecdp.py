"""The ECDP commands end to end, as real processes against the demo store:
connect an ECDP account (the key checked, never on the command line), push
the cached orders that match, look one up, re-status and delete it."""

from __future__ import annotations

import json

import pytest

from tests.helpers.aio import run
from tests.helpers.cli import backroom, connect_demo
from tests.helpers.sandbox import client_for, running_sandbox

KEY_ENV = "BACKROOM_ECDP_KEY"


@pytest.fixture
def store(tmp_path):
    with running_sandbox(tmp_path / "store.sqlite3", orders=150) as server:
        yield server


def _add_unit(data, store):
    return backroom(data, "account", "add", "Unit", "--kind", "ecdp", "--api-url", store.ecdp_url)


def test_connect_push_and_manage_orders(store, tmp_path, monkeypatch):
    data = tmp_path / "data"
    assert connect_demo(data, store).returncode == 0
    assert backroom(data, "sync", token=store.token).returncode == 0

    monkeypatch.setenv(KEY_ENV, "not-the-key")
    refused = _add_unit(data, store)
    assert refused.returncode == 4 and "ECDP refused the API key" in refused.stderr
    assert "Unit" not in backroom(data, "account", "list").stdout  # nothing saved

    monkeypatch.setenv(KEY_ENV, store.ecdp_key)
    added = _add_unit(data, store)
    assert added.returncode == 0, added.stderr
    assert "the key was accepted" in added.stdout and "session only" in added.stdout
    assert "Unit\tecdp\tbusiness unit" in backroom(data, "account", "list").stdout

    pushed = backroom(data, "ecdp", "push", "--status", "PAID", token=store.token)
    assert pushed.returncode == 0, pushed.stderr
    paid = store.ecdp_store.count()
    assert paid > 50
    assert f"{paid} sent, 0 already there, 0 failed (of {paid} orders)" in pushed.stdout
    order_id = store.ecdp_store.received()[0][1]
    assert store.ecdp_store.get(order_id)["currency"] == "USD"  # the store's, read once

    everything = backroom(data, "ecdp", "push", "--to", "2100-01-01")
    assert everything.returncode == 0, everything.stderr
    assert f"{paid} already there" in everything.stdout

    shown = backroom(data, "ecdp", "get", order_id)
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == order_id
    assert json.loads(shown.stdout)["totalValue"] > 0  # money as a JSON number
    status = backroom(data, "ecdp", "status", order_id, "Canceled")
    assert status.returncode == 0 and "is now canceled" in status.stdout
    assert store.ecdp_store.get(order_id)["status"] == "canceled"
    deleted = backroom(data, "ecdp", "delete", order_id, "--ecdp", "unit")
    assert deleted.returncode == 0 and "marked deleted" in deleted.stdout

    missing = backroom(data, "ecdp", "get", "NO-SUCH-ORDER")
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    bad_status = backroom(data, "ecdp", "status", order_id, "shipped")
    assert bad_status.returncode == 2 and "placed, paid, completed, canceled" in bad_status.stderr

    store.stop()
    offline = backroom(data, "ecdp", "get", order_id)
    assert offline.returncode == 3 and "ECDP could not be reached" in offline.stderr

    leaked = [
        p for p in data.rglob("*") if p.is_file() and store.ecdp_key.encode() in p.read_bytes()
    ]
    assert leaked == []


def test_the_key_never_comes_from_the_command_line_or_the_ecwid_token(store, tmp_path):
    data = tmp_path / "data"
    on_argv = backroom(data, "account", "add", "U", "--kind", "ecdp", "--api-key", "k")
    assert on_argv.returncode == 2 and "unrecognized arguments: --api-key" in on_argv.stderr
    no_key = _add_unit(data, store)
    assert no_key.returncode == 2 and KEY_ENV in no_key.stderr

    assert connect_demo(data, store).returncode == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, store.ecdp_key)
        assert _add_unit(data, store).returncode == 0
    # BACKROOM_TOKEN (an Ecwid token) is never sent to ECDP as its key.
    ecwid_token_only = backroom(data, "ecdp", "get", "X", token=store.token)
    assert ecwid_token_only.returncode == 1 and KEY_ENV in ecwid_token_only.stderr
    assert [r for r in store.request_log if r[1].startswith("/ecdp/orders/X")] == []


def test_usage_errors_are_plain(store, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv(KEY_ENV, store.ecdp_key)
    no_unit = backroom(data, "ecdp", "get", "X")
    assert no_unit.returncode == 2 and "No ECDP account is connected" in no_unit.stderr
    assert _add_unit(data, store).returncode == 0
    with_store_id = backroom(data, "account", "add", "V", "--kind", "ecdp", "--store-id", "1")
    assert (
        with_store_id.returncode == 2 and "--store-id is for Ecwid stores" in with_store_id.stderr
    )
    no_store = backroom(data, "ecdp", "push")
    assert no_store.returncode == 2 and "No store is connected" in no_store.stderr
    wrong_kind = backroom(data, "ecdp", "push", "--account", "Unit")
    assert wrong_kind.returncode == 2 and "is an ECDP account" in wrong_kind.stderr
    assert connect_demo(data, store).returncode == 0
    bad_date = backroom(data, "ecdp", "push", "--from", "someday")
    assert bad_date.returncode == 2 and "--from: not a date" in bad_date.stderr


def test_push_uses_the_ecdp_accounts_website_id_when_the_store_has_none(
    store, tmp_path, monkeypatch
):
    from app.config import AccountStore
    from app.platform.paths import config_dir

    data = tmp_path / "data"
    assert connect_demo(data, store).returncode == 0
    assert backroom(data, "sync", token=store.token).returncode == 0
    monkeypatch.setenv(KEY_ENV, store.ecdp_key)
    assert _add_unit(data, store).returncode == 0
    # the website id kept on the ECDP account (the window's connect dialog sets it)
    monkeypatch.setenv("BACKROOM_DATA_DIR", str(data))
    accounts = AccountStore.load(config_dir() / "accounts.json")
    unit = accounts.get("Unit")
    accounts.update(
        unit.model_copy(
            update={"settings": unit.settings.model_copy(update={"ecdp_website_id": 7})}
        )
    )

    pushed = backroom(data, "ecdp", "push", "--status", "PAID", token=store.token)
    assert pushed.returncode == 0, pushed.stderr
    order_id = store.ecdp_store.received()[0][1]
    assert store.ecdp_store.get(order_id)["websiteId"] == 7


def test_push_reports_orders_that_cannot_be_matched_on_a_line_of_their_own(
    store, tmp_path, monkeypatch
):
    async def walk_in() -> str:
        async with client_for(store) as client:
            created = await client.create_order(
                {
                    "email": "",
                    "paymentStatus": "PAID",
                    "items": [{"productId": 0, "name": "Gift wrap", "price": 3, "quantity": 1}],
                }
            )
        return created.orderid

    guest = run(walk_in())
    data = tmp_path / "data"
    assert connect_demo(data, store).returncode == 0
    assert backroom(data, "sync", token=store.token).returncode == 0
    monkeypatch.setenv(KEY_ENV, store.ecdp_key)
    assert _add_unit(data, store).returncode == 0

    pushed = backroom(data, "ecdp", "push", "--status", "PAID", token=store.token)
    assert pushed.returncode == 0, pushed.stderr  # nothing failed: it waits for an address
    paid = store.ecdp_store.count()
    assert f"{paid} sent, 0 already there, 0 failed (of {paid + 1} orders)" in pushed.stdout
    line = "1 cannot be matched to a customer (no email, phone or customer id)"
    assert line in pushed.stdout
    assert f"  {guest}: it has no email, phone or customer id" in pushed.stdout
    assert store.ecdp_store.get(guest) is None and guest not in pushed.stderr  # not an error

    again = backroom(data, "ecdp", "push", "--status", "PAID", "--changed-only")
    assert again.returncode == 0 and line in again.stdout
    assert f"0 sent, {paid} already there, 0 failed" in again.stdout

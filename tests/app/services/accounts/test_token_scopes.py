"""A token whose app asked only for the order scopes (no read_store_profile),
against the demo store's orders-only token: it connects, the store display
falls back to the account's name, the standard status names and the
currency of the orders, and what the missing scope takes away is said once."""

from __future__ import annotations

import pytest

from app.config import Account, AccountStore
from app.ecwid import EcwidScopeError
from app.secrets import SecretStore
from app.services.accounts.account_actions import (
    connect_ecwid_store,
    describe_connect_failure,
    open_cache,
)
from app.services.accounts.store_display import (
    StoreDisplay,
    new_scope_notice,
    remembered_display,
    store_display,
)
from app.services.session import StoreSession
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

NOTICE = "This token cannot read the store profile (scope read_store_profile)"


def _account(sandbox, name: str = "Corner Shop") -> Account:
    return Account(name=name, kind="ecwid", store_id=str(sandbox.store_id), api_url=sandbox.url)


def _orders_name_their_currency(sandbox, code: str = "EUR") -> None:
    """Give the first orders a ``currency`` (what the fallback reads), as a store
    whose orders carry one."""

    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders_raw(None, 0, 25)
            for order in page.items[:20]:
                if order.get("id"):
                    await client.update_order(order["id"], {"currency": code})

    run(scenario())


def _paths(sandbox) -> list[str]:
    """The API paths requested, below the store id, without their queries."""
    prefix = f"/api/v3/{sandbox.store_id}"
    return [target.split("?")[0].removeprefix(prefix) for _m, target, _h in sandbox.request_log]


def test_an_orders_only_token_connects_and_says_what_the_missing_scope_takes_away(sandbox):
    _orders_name_their_currency(sandbox)
    sandbox.request_log.clear()
    accounts = AccountStore.load()
    connected = run(
        connect_ecwid_store(accounts, SecretStore(), _account(sandbox), sandbox.orders_only_token)
    )
    assert connected.store_name == "Corner Shop"  # the account's name stands in
    assert connected.scope_notice.startswith(NOTICE)
    assert "the account name, the standard status names" in connected.scope_notice
    assert _paths(sandbox) == ["/profile", "/orders"]  # refused, then checked with the orders
    assert accounts.get("Corner Shop").store_id == str(sandbox.store_id)
    assert SecretStore().get_token("ecwid", "Corner Shop") == sandbox.orders_only_token
    # remembered, so the window shows the name at once and does not say it again
    with open_cache(accounts.get("Corner Shop")).cache as cache:
        remembered = remembered_display(cache)
    assert remembered.store_name == "Corner Shop" and remembered.currency_code == "EUR"
    assert remembered.missing_scopes == ("read_store_profile",)


def test_a_full_token_connects_without_a_notice(sandbox):
    accounts = AccountStore.load()
    connected = run(connect_ecwid_store(accounts, SecretStore(), _account(sandbox), sandbox.token))
    assert connected.store_name == "Walnut & Linen (demo)" and connected.scope_notice == ""
    with open_cache(accounts.get("Corner Shop")).cache as cache:
        assert remembered_display(cache).missing_scopes == ()


def test_a_token_that_cannot_read_orders_is_refused_and_says_which_scope(sandbox):
    sandbox.router.tokens["secret_catalog_only_app"] = frozenset({"read_catalog"})
    accounts = AccountStore.load()
    with pytest.raises(EcwidScopeError) as refused:
        run(
            connect_ecwid_store(
                accounts, SecretStore(), _account(sandbox), "secret_catalog_only_app"
            )
        )
    assert refused.value.scope == "read_orders"
    assert accounts.accounts() == []  # nothing saved
    message = describe_connect_failure(refused.value, _account(sandbox))
    assert "scope read_orders" in message and "secret_catalog_only_app" not in message


def test_the_store_display_falls_back_and_the_notice_is_said_once(sandbox):
    _orders_name_their_currency(sandbox, "GBP")

    async def scenario():
        async with client_for(sandbox, token=sandbox.orders_only_token) as client:
            return await store_display(client, account_name="Corner Shop")

    display = run(scenario())
    assert display.store_name == "Corner Shop"
    assert display.status_names == {}  # the standard names are shown
    assert (display.currency_code, display.currency_symbol) == ("GBP", "GBP")
    assert display.missing_scopes == ("read_store_profile",)
    assert StoreDisplay.from_json(display.to_json()) == display
    assert new_scope_notice(StoreDisplay(), display).startswith(NOTICE)  # the first time
    assert new_scope_notice(display, display) == ""  # remembered: not again


def test_a_session_with_an_orders_only_token_syncs_and_titles_itself_by_the_account(sandbox):
    async def scenario():
        client = client_for(sandbox, token=sandbox.orders_only_token)
        session = StoreSession.open(_account(sandbox), client)
        try:
            display = await session.refresh_display()
            result = await session.sync()
            return display, session.title, result
        finally:
            await session.close()

    display, title, result = run(scenario())
    assert title == "Corner Shop" and display.missing_scopes == ("read_store_profile",)
    assert result.full and result.new

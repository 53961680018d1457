"""The inbox over three demo stores on loopback (each its own server, store
id, name, currency, seed and ECDP side): one list of every store's orders,
and everything done to an order reaching that order's own store — edits
when two stores hold the same order number, bulk changes and deletions split
by store, exports with the store and its currency, ECDP pushes with each
store's mapping and destination, invoices with each store's letterhead and
money — while every store syncs within its own request budget."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from app.cache.cache_file import CACHE_SIZE_KIB
from app.config import Account
from app.domain.queries import OrderQuery, SortKey
from app.ecwid import EcwidNotFoundError
from app.sandbox import SandboxServer
from app.sandbox.profile import demo_profile
from app.services.accounts.demo_store import DemoStore
from app.services.ecdp.destinations import demo_destination
from app.services.inbox import Inbox, OrderRef
from app.services.orders.bulk import BulkAction
from app.services.session import StoreSession
from tests.helpers.sandbox import FIXED_NOW, client_for

NAMES = ("Walnut", "Birch", "Copper")
ORDERS = (120, 80, 100)


@dataclass
class Stores:
    servers: list[SandboxServer]
    sessions: list[StoreSession]
    inbox: Inbox
    runner: asyncio.Runner  # one loop for the sessions' clients, from opening to closing

    def run[T](self, coro: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(asyncio.wait_for(coro, 120))


@pytest.fixture
def stores(tmp_path) -> Iterator[Stores]:
    servers = [
        SandboxServer(
            db_path=tmp_path / f"store-{number}.sqlite3",
            orders=ORDERS[number],
            seed=42 + number,
            store_id=4870020 + number,
            now=FIXED_NOW,
            profile=demo_profile(number),
        ).start()
        for number in range(3)
    ]
    sessions = [
        StoreSession.open(
            Account(name=name, kind="ecwid", store_id=str(server.store_id), api_url=server.url),
            client_for(server),
            desk="Front desk",
        )
        for name, server in zip(NAMES, servers, strict=True)
    ]
    inbox = Inbox(sessions)
    runner = asyncio.Runner()
    found = Stores(servers, sessions, inbox, runner)

    async def prepare() -> None:
        results = await inbox.sync_round()
        assert all(not isinstance(result, Exception) for result in results.values()), results
        for session in sessions:
            await session.refresh_display()

    found.run(prepare())
    yield found

    async def close() -> None:
        inbox.close()
        for session in sessions:
            await session.close()

    found.run(close())
    runner.close()
    for server in servers:
        server.stop()


def _server_order(server: SandboxServer, key: str) -> dict | None:
    """The order as the store has it now (asked over HTTP), or None when it has none."""

    async def ask() -> dict | None:
        async with client_for(server) as client:
            try:
                return await client.get_order_raw(key)
            except EcwidNotFoundError:
                return None

    return asyncio.run(ask())


def test_one_list_of_every_stores_orders_each_naming_its_store(stores):
    inbox, sessions = stores.inbox, stores.sessions
    query = OrderQuery()
    counts = [session.rows.count(query) for session in sessions]
    assert inbox.rows.count(query) == sum(counts) > 0
    assert [count for _tag, count in inbox.rows.counts(query)] == counts
    rows = inbox.rows.rows(query, 0, 1000)
    assert len(rows) == sum(counts)
    created = [row.created for row in rows]
    assert created == sorted(created, reverse=True)  # newest first, across stores
    tags = {inbox.rows.store_of(row.key).name for row in rows}  # type: ignore[union-attr]
    assert tags == set(NAMES)
    tag = inbox.rows.store_of(rows[0].key)
    assert tag is not None and tag.title.endswith("(demo)")
    currencies = {t.name: t.currency for t in inbox.rows.tags()}
    assert currencies == {"Walnut": "USD", "Birch": "EUR", "Copper": "GBP"}
    # a row's key names its store and its order there
    session, key = inbox.resolve(rows[0].key)
    assert session.rows.order_json(key) == inbox.rows.order_json(rows[0].key)
    assert inbox.rows.position(query, rows[37].key) == 37

    # only some stores; store by store
    only = OrderQuery(stores=["Copper", "Walnut"])
    assert inbox.rows.count(only) == counts[0] + counts[2]
    by_store = inbox.rows.rows(OrderQuery(by_store="ascending"), 0, 1000)
    names = [inbox.rows.store_of(row.key).title for row in by_store]  # type: ignore[union-attr]
    assert names == sorted(names)  # Birch…, Copper…, Walnut…
    assert inbox.rows.position(OrderQuery(by_store="ascending"), by_store[150].key) == 150


def test_an_edit_from_all_stores_reaches_the_right_store_when_numbers_are_shared(stores):
    inbox = stores.inbox
    twins = inbox.rows.rows(OrderQuery(order_number=[1005]), 0, 10)
    assert len(twins) == 3  # every store has an order 1005
    birch = next(row for row in twins if OrderRef.parse(row.key).store == "Birch")  # type: ignore[union-attr]
    session, key = inbox.resolve(birch.key)
    assert session.account.name == "Birch"

    async def edit() -> None:
        base = await session.order_json(key)
        assert base is not None
        result = await session.save_edit(key, {"privateAdminNotes": "engrave: B"}, base, None)
        assert result.state == "saved", result

    stores.run(edit())
    notes = {
        name: (_server_order(server, OrderRef.parse(row.key).key) or {}).get("privateAdminNotes")  # type: ignore[union-attr]
        for name, server in zip(NAMES, stores.servers, strict=True)
        for row in twins
        if OrderRef.parse(row.key).store == name  # type: ignore[union-attr]
    }
    assert notes["Birch"] == "engrave: B"
    assert notes["Walnut"] != "engrave: B" and notes["Copper"] != "engrave: B"


def test_bulk_changes_and_deletions_are_split_by_store(stores):
    inbox = stores.inbox
    rows = inbox.rows.rows(OrderQuery(payment_status=["PAID"]), 0, 40)
    chosen = [row.key for row in rows if row.fulfillment_status != "SHIPPED"][:6]
    assert len({OrderRef.parse(key).store for key in chosen}) >= 2  # type: ignore[union-attr]

    async def bulk() -> list:
        staged = await inbox.stage_bulk(chosen, BulkAction("tracking", "TRK-{n}"))
        assert list(staged) == chosen
        return await inbox.send_entries(list(staged.values()))

    results = stores.run(bulk())
    assert [result.key for result in results] == chosen and all(r.ok for r in results)
    servers = dict(zip(NAMES, stores.servers, strict=True))
    for place, text in enumerate(chosen, start=1):
        ref = OrderRef.parse(text)
        assert ref is not None
        order = _server_order(servers[ref.store], ref.key)
        assert order is not None and order["trackingNumber"] == f"TRK-{place}"

    gone = chosen[:3]
    deleted = stores.run(inbox.delete_orders(gone))
    assert [result.key for result in deleted] == gone and all(r.ok for r in deleted)
    for text in gone:
        ref = OrderRef.parse(text)
        assert ref is not None and _server_order(servers[ref.store], ref.key) is None
    assert all(inbox.rows.position(OrderQuery(), text) is None for text in gone)


def test_export_names_each_orders_store_and_money(stores, tmp_path):
    inbox = stores.inbox
    target = tmp_path / "orders.csv"
    count = stores.run(
        inbox.export_orders(
            target, columns=["number", "total", "payment"], query=OrderQuery(sort=SortKey.NUMBER)
        )
    )
    with open(target, encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert table[0] == ["Store", "Order", "Total", "Currency", "Payment"]
    assert count == len(table) - 1 == inbox.rows.count(OrderQuery())
    money = {(row[0], row[3]) for row in table[1:]}
    assert money == {
        ("Walnut & Linen (demo)", "USD"),
        ("Birch & Wool (demo)", "EUR"),
        ("Copper Kettle (demo)", "GBP"),
    }


def test_ecdp_pushes_go_with_each_stores_mapping_to_its_destination(stores):
    inbox = stores.inbox
    destinations = {
        session.account.name: demo_destination(DemoStore(server, number))
        for number, (session, server) in enumerate(
            zip(stores.sessions, stores.servers, strict=True)
        )
    }
    chosen = [row.key for row in inbox.rows.rows(OrderQuery(), 0, 30)]
    report = stores.run(
        inbox.push_to_ecdp(lambda session: destinations[session.account.name], keys=chosen)
    )
    assert sorted(report.sent) == sorted(chosen) and not report.failed
    servers = dict(zip(NAMES, stores.servers, strict=True))
    currency = {"Walnut": "USD", "Birch": "EUR", "Copper": "GBP"}
    for text in chosen:
        ref = OrderRef.parse(text)
        assert ref is not None
        pushed = servers[ref.store].ecdp_store.get(ref.key)  # type: ignore[union-attr]
        assert pushed is not None and pushed["currency"] == currency[ref.store]
        for other, server in servers.items():
            if other != ref.store:  # (an id another store also holds would be there too)
                assert server.ecdp_store.get(ref.key) is None or other == ref.store  # type: ignore[union-attr]


def test_invoices_carry_each_stores_letterhead_and_money(stores):
    inbox = stores.inbox
    letterheads = {
        "Walnut": ("Walnut &amp; Linen LLC", "$"),
        "Birch": ("Birch &amp; Wool GmbH", "€"),
        "Copper": ("Copper Kettle Ltd", "£"),
    }
    paid = inbox.rows.rows(OrderQuery(payment_status=["PAID"]), 0, 60)
    seen = set()
    for row in paid:
        ref = OrderRef.parse(row.key)
        assert ref is not None
        if ref.store in seen:
            continue
        seen.add(ref.store)
        session, key = inbox.resolve(row.key)
        document = stores.run(session.invoices.document(key))
        company, symbol = letterheads[ref.store]
        assert company in document.html and symbol in document.html
        for other, (name, _) in letterheads.items():
            if other != ref.store:
                assert name not in document.html
    assert seen == set(NAMES)


def test_changes_of_any_store_are_heard_once_subscribed(stores):
    heard = []
    stop = stores.inbox.subscribe(heard.append)
    session = stores.sessions[2]
    key = session.rows.rows(OrderQuery(), 0, 1)[0].key

    async def edit() -> None:
        base = await session.order_json(key)
        await session.save_edit(key, {"privateAdminNotes": "heard"}, base or {}, None)

    stores.run(edit())
    stop()
    assert any(key in changes.orders for changes in heard)


def test_three_stores_together_keep_about_one_stores_page_cache(stores):
    """Each open store kept two connections of 32 MB of pages (389 MB for
    three stores of 300,000 orders, against 228 MB for one): together they
    share one store's memory; on their own again, each has all of it."""

    def page_cache_kib(session: StoreSession) -> list[int]:
        sizes = []
        for cache in (session._cache, session._reader):
            with cache._raw_connection() as conn:
                sizes.append(-conn.execute("PRAGMA cache_size").fetchone()[0])
        return sizes

    for session in stores.sessions:
        assert page_cache_kib(session) == [CACHE_SIZE_KIB // 3] * 2
    stores.inbox.close()
    for session in stores.sessions:
        assert page_cache_kib(session) == [CACHE_SIZE_KIB] * 2

"""No credential from store data is stored: every path by which an order (or
the store's invoice) enters the cache removes credentials inside URLs, the
digest is of what is stored, and schema 3 scrubs what an older Backroom
stored, once, on upgrade."""

from __future__ import annotations

import copy
import json
import sqlite3
import zlib
from typing import Any

import pytest

from app.cache import OrderCache, UpsertResult, codec, prepared, schema
from app.cache.ecdp_pushes import EcdpPushRecord
from app.domain.queries import OrderQuery
from app.domain.raw_orders import RawOrder
from app.services.sync.pages import prepare_page
from tests.app.cache.support import as_version_2, stored_text
from tests.helpers.real_orders import page_of

TOKEN = "secret_Tk4Lq9Zx2Mp7"
ADMIN_URL = f"https://app.ecwid.com/api/v3/1003511/products/19823004/files/3312507?token={TOKEN}"
CLEAN_URL = "https://app.ecwid.com/api/v3/1003511/products/19823004/files/3312507"


def _order(key: str = "OLD-1", **extra: Any) -> dict[str, Any]:
    return {
        "id": key,
        "orderNumber": 1142,
        "total": 61.93,
        "paymentStatus": "PAID",
        "billingPerson": {"name": "Margaret Lindqvist"},
        "items": [
            {
                "id": 22514571,
                "name": "Apron pattern (PDF)",
                "quantity": 2,
                "files": [{"productFileId": 3312507, "adminUrl": ADMIN_URL, "size": 5}],
            }
        ],
        "privateAdminNotes": f"Ships from Portland; label at https://labels.example/l?key={TOKEN}",
        **extra,
    }


def _clean(order: dict[str, Any]) -> dict[str, Any]:
    cleaned = copy.deepcopy(order)
    note = cleaned.get("privateAdminNotes")
    if isinstance(note, str):
        cleaned["privateAdminNotes"] = note.replace(f"?key={TOKEN}", "")
    for item in cleaned.get("items", []):
        for file in item.get("files", []):
            file["adminUrl"] = CLEAN_URL
    return cleaned


def _file_bytes(path) -> bytes:
    """Everything the cache file holds, bodies and invoices decompressed."""
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        server_bodies = "order_server_bodies" if "order_server_bodies" in tables else None
        server_bodies = server_bodies or (
            "legacy_server_bodies" in tables and "legacy_server_bodies"
        )
        outbox = next((t for t in ("outbox", "legacy_outbox") if t in tables), None)
        parts = [
            stored_text(conn, blob) if column == "body" else zlib.decompress(blob)
            for table, column in (
                ("order_bodies", "body"),
                (server_bodies, "body"),
                ("deleted_orders", "body"),
                ("invoices", "html"),
            )
            if table
            for (blob,) in conn.execute(f"SELECT {column} FROM {table}")
        ]
        if outbox:
            for row in conn.execute(f"SELECT * FROM {outbox}"):
                parts.append(repr(row).encode())
    wal = path.with_name(path.name + "-wal")
    return b"\n".join(parts) + path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _digest(cache: OrderCache, key: str) -> bytes:
    with cache._raw_connection() as conn:
        return conn.execute("SELECT digest FROM orders WHERE key = ?", (key,)).fetchone()[0]


def test_an_order_given_as_a_dict_is_stored_without_its_credentials(cache):
    order = _order()
    assert cache.upsert_orders([order]).new == ["OLD-1"]
    assert cache.order_json("OLD-1") == _clean(order)
    assert order["items"][0]["files"][0]["adminUrl"] == ADMIN_URL  # the input is left alone
    assert _digest(cache, "OLD-1") == codec.digest(codec.encode(_clean(order)))
    assert cache.upsert_orders([_order()]) == UpsertResult([], [])  # the same order again


def test_a_search_page_prepared_for_the_cache_is_stored_without_credentials(cache):
    page = prepare_page(page_of(_order("OLD-1"), _order("OLD-2")))
    assert [order.key for order in page.items] == ["OLD-1", "OLD-2"]
    cache.upsert_orders(page.items, generation=1)
    assert cache.order_json("OLD-2") == _clean(_order("OLD-2"))
    # fetched again, as a page, a raw order or a dict: recognised as unchanged
    again = prepare_page(page_of(_order("OLD-1"), _order("OLD-2")))
    assert cache.upsert_orders(again.items, generation=1) == UpsertResult([], [])
    text = json.dumps(_order("OLD-1"))
    assert cache.upsert_orders([RawOrder(json.loads(text), text)]) == UpsertResult([], [])
    assert cache.upsert_orders([_order("OLD-2")]) == UpsertResult([], [])


def test_an_order_without_credentials_is_stored_as_the_text_it_came_as(cache):
    text = '{"id": "NEW-1",  "total": 5, "imageUrl": "https://x.example/i.jpg?v=3"}'
    page = prepare_page(page_of(text))
    cache.upsert_orders(page.items)
    with cache._raw_connection() as conn:
        (blob,) = conn.execute("SELECT body FROM order_bodies").fetchone()
        assert stored_text(conn, blob).decode() == text


def test_an_order_with_nothing_to_key_it_by_does_not_fail_its_page():
    page = prepare_page(page_of({"total": 1}, _order("OLD-1")))
    assert [order.key for order in page.items] == ["OLD-1"] and page.unkeyed == 1


def test_the_stores_invoice_is_stored_without_credentials(cache):
    cache.upsert_orders([_order()])
    html = f'<a href="{ADMIN_URL}&amp;lang=en">pattern</a> <img src="https://x.example/l.png?v=2">'
    cache.put_invoice("OLD-1", None, html)
    assert cache.invoice("OLD-1") == (
        None,
        f'<a href="{CLEAN_URL}?lang=en">pattern</a> <img src="https://x.example/l.png?v=2">',
    )


# -- the upgrade -----------------------------------------------------------------------------


@pytest.fixture
def version_2_file(tmp_path, monkeypatch):
    """A cache file as Backroom wrote it before schema 3: orders stored with the
    credentials inside their URLs, in every table that holds store data, the
    outbox (then inside the cache) included."""
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as old:
        old.setattr(prepared, "without_credentials", lambda order, raw: (order, raw))
        old.setattr("app.cache.cache_records.might_carry_credentials", lambda text: False)
        with OrderCache.open(path) as cache:
            orders = [_order(f"OLD-{n}") for n in range(1, 5)]
            orders.append({"id": "PLAIN", "total": 3, "imageUrl": "https://x.example/?v=1"})
            cache.upsert_orders(orders, generation=1)
            cache.delete_unseen(1)
            cache.set_aside(["OLD-4"])  # deleted (its deletion waited in the outbox)
            cache.put_invoice("OLD-1", None, f'<a href="{ADMIN_URL}">file</a>')
            cache.record_ecdp_pushes(
                [EcdpPushRecord("OLD-1", "ecdp", 1.0, None, 1.0, b"sent", _digest(cache, "OLD-1"))]
            )
    as_version_2(path)
    edited = _order("OLD-2")["items"]
    edited[0]["quantity"] = 3
    legacy = [  # an unsent edit of items (sent whole, files and all), and a conflict
        ("OLD-2", {"items": edited}, "PENDING", None),
        ("OLD-3", {"trackingNumber": "T3"}, "CONFLICT", _order("OLD-3")),
    ]
    for n in range(20):  # many unsent edits carrying a credential in their text
        note = f"label {n}: https://labels.example/l?key={TOKEN}&n={n} " + "." * 200
        legacy.append(("PLAIN", {"privateAdminNotes": note}, "PENDING", None))
    with sqlite3.connect(path) as conn:
        for key, changes, state, server in legacy:
            conn.execute(
                "INSERT INTO outbox (key, changes, state, severity, server_json, created_at, "
                "updated_at) VALUES (?, ?, ?, 1, ?, 0, 0)",
                (key, json.dumps(changes), state, json.dumps(server) if server else None),
            )
        conn.execute(
            "INSERT INTO order_server_bodies (key, body) VALUES (?, ?)",
            ("OLD-2", codec.compress(codec.encode(_order("OLD-2")))),
        )
    conn.close()
    assert TOKEN.encode() in _file_bytes(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
    return path


def test_the_upgrade_removes_stored_credentials_once(version_2_file):
    path = version_2_file
    with OrderCache.open(path) as cache:
        assert TOKEN.encode() not in _file_bytes(path)
        assert cache.order_json("OLD-1") == _clean(_order("OLD-1"))
        assert _digest(cache, "OLD-1") == codec.digest(codec.encode(_clean(_order("OLD-1"))))
        # the same orders fetched again are recognised as unchanged
        assert cache.upsert_orders(
            [_order("OLD-1"), {"id": "PLAIN", "total": 3, "imageUrl": "https://x.example/?v=1"}]
        ) == UpsertResult([], [])
        # the edits waiting to be carried over to the outbox file, scrubbed alike
        legacy = cache.legacy_outbox()
        [edit] = [e for e in legacy if e["key"] == "OLD-2"]
        assert json.loads(edit["changes"])["items"][0]["files"][0]["adminUrl"] == CLEAN_URL
        [conflict] = [e for e in legacy if e["key"] == "OLD-3"]
        assert json.loads(conflict["server_json"]) == _clean(_order("OLD-3"))
        with cache._raw_connection() as conn:
            (server,) = conn.execute("SELECT body FROM legacy_server_bodies").fetchone()
        assert codec.decode(server) == _clean(_order("OLD-2"))
        # the deleted order, its invoice, and the ECDP push made from the old body
        assert cache.order_json("OLD-4") == _clean(_order("OLD-4"))
        assert cache.invoice("OLD-1") == (None, f'<a href="{CLEAN_URL}">file</a>')
        assert not cache.ecdp_pushes(["OLD-1"])["OLD-1"].changed_since_sent
        # search still finds them
        found = cache.rows(OrderQuery(text="lindqvist"))
        assert sorted(row.key for row in found) == ["OLD-1", "OLD-2", "OLD-3"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def _index_bytes(path) -> bytes:
    """The full-text index as stored (its segments, deleted entries and all)."""
    with sqlite3.connect(path) as conn:
        return b"".join(row[0] or b"" for row in conn.execute("SELECT block FROM orders_fts_data"))


def test_the_upgrade_takes_the_credentials_out_of_the_search_index_too(version_2_file):
    # the admin note held a credential, so the trigram index held its pieces
    pieces = {TOKEN.lower()[i : i + 3].encode() for i in range(8, len(TOKEN) - 2)}
    assert pieces & set(_pieces(_index_bytes(version_2_file)))
    with OrderCache.open(version_2_file) as cache:
        assert [row.key for row in cache.rows(OrderQuery(text="labels.example"))]
    assert not pieces & set(_pieces(_index_bytes(version_2_file)))


def _pieces(data: bytes) -> list[bytes]:
    return [data[i : i + 3] for i in range(len(data) - 2)]

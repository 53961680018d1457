"""Test data for the order cache: realistic orders from the demo store's seed
(legacy orders without ids, unfinished orders, every status), plus a few
hand-made variations (notes, accents, markup and FTS operator characters),
and a reference implementation in plain Python of what each filter means."""

from __future__ import annotations

import copy
import json
import sqlite3
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from app.cache import codec, schema
from app.cache.columns import OrderColumns
from app.cache.filling import FILLING
from app.sandbox.seed import OrderSeeder
from tests.helpers.order_reference import (  # noqa: F401  (the reference of the current filters)
    cents,
    has_preorder,
    item_ids,
    pickup_ts,
    referer_id,
    whole,
)
from tests.helpers.sandbox import FIXED_NOW

STORE_ID = 4870020
SEED_COUNT = 600


def seeded_orders(count: int = SEED_COUNT, seed: int = 7) -> list[dict[str, Any]]:
    return [json.loads(o.body) for o in OrderSeeder(count, seed, FIXED_NOW, STORE_ID)]


def variations(base: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Orders with the fields the seed leaves empty, and awkward text."""
    paid = [o for o in base if o.get("id") and o["paymentStatus"] == "PAID"]
    made = []
    specs = [
        {
            "privateAdminNotes": 'Gift wrap — <b>fragile</b> "handle" * with care OR NEAR(x) -y',
            "orderComments": "Please ring twice; leave at door",
            "billingPerson": {"name": "Zoë Müller-Łukasz", "phone": "+49 30 1234567"},
        },
        {
            "orderComments": 'Customer said: "AND" / NOT (maybe) ^start',
            "trackingNumber": "JJD0099887766ABC",
            "email": "Ünïcode.Shopper@Example.ORG",
        },
        {
            "billingPerson": None,
            "shippingPerson": {"firstName": "Ada", "lastName": "Okafor", "companyName": "Ok Co"},
            "discountCoupon": {"code": "SPRING-10", "name": "Spring"},
            "total": 0,
        },
        {"items": [], "total": None, "email": None, "paymentMethod": None},
        {
            # a total written by a float computation, and the current filters'
            # fields in the odd forms real answers carry
            "total": 29.439999999999998,
            "customerId": 50000028.0,
            "refererId": 1207,
            "acceptMarketing": None,
            "paymentModule": "STRIPE",
            "pickupTime": "2026-10-20 09:30:00 -0800",
        },
        {
            "total": 29.445,  # half a cent: to even, 2944 cents
            "customerId": "50000028",  # wrong type: not a customer id
            "acceptMarketing": "true",  # wrong type: neither yes nor no
            "pickupTime": "soon",  # not a date: no pickup time
            "items": [
                {"name": "Odd item", "productId": "71011", "isPreorder": "yes", "quantity": 1},
                {"name": "Pre-ordered", "productId": 71020, "isPreorder": True, "quantity": 1},
            ],
        },
    ]
    for index, extra in enumerate(specs):
        order = copy.deepcopy(paid[index])
        order["id"] = f"VAR-{index:05d}"
        order["orderNumber"] = 900_000 + index
        order["vendorOrderNumber"] = f"V{900_000 + index}-x"
        order["internalId"] = 800_000_000 + index
        order.update(extra)
        made.append(order)
    return made


def all_orders() -> list[dict[str, Any]]:
    base = seeded_orders()
    return base + variations(base)


# -- the reference: what each field means, computed from the dicts --------


def fold(text: Any) -> str:
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", plain.casefold())


def key_of(order: dict[str, Any]) -> str:
    return order["id"] if order.get("id") else str(order["orderNumber"])


def person_names(order: dict[str, Any]) -> list[str]:
    names = []
    for person in (order.get("billingPerson"), order.get("shippingPerson")):
        if not person:
            continue
        name = person.get("name") or " ".join(
            p for p in (person.get("firstName"), person.get("lastName")) if p
        )
        if name:
            names.append(name)
    return names


def customer_name(order: dict[str, Any]) -> str:
    for person in (order.get("billingPerson"), order.get("shippingPerson")):
        if person:
            name = person.get("name") or " ".join(
                p for p in (person.get("firstName"), person.get("lastName")) if p
            )
            if name:
                return name
    return ""


def created_ts(order: dict[str, Any]) -> int | None:
    if order.get("createTimestamp") is not None:
        return order["createTimestamp"]
    return int(datetime.strptime(order["createDate"], "%Y-%m-%d %H:%M:%S %z").timestamp())


def updated_ts(order: dict[str, Any]) -> int | None:
    if order.get("updateTimestamp") is not None:
        return order["updateTimestamp"]
    return int(datetime.strptime(order["updateDate"], "%Y-%m-%d %H:%M:%S %z").timestamp())


def numbers(order: dict[str, Any]) -> list[str]:
    return [
        str(v)
        for v in (order.get("orderNumber"), order.get("vendorOrderNumber"), order.get("id"))
        if v
    ]


def item_texts(order: dict[str, Any]) -> list[str]:
    texts = []
    for item in order.get("items") or []:
        texts += [t for t in (item.get("name"), item.get("sku")) if t]
    return texts


def contact_texts(order: dict[str, Any]) -> list[str]:
    texts = []
    for person in (order.get("billingPerson"), order.get("shippingPerson")):
        if person:
            texts += [t for t in (person.get("companyName"), person.get("phone")) if t]
    return texts


def keyword_values(order: dict[str, Any]) -> list[str]:
    return numbers(order) + item_texts(order) + person_names(order) + [order.get("email") or ""]


def customer_values(order: dict[str, Any]) -> list[str]:
    return person_names(order) + [order.get("email") or ""] + contact_texts(order)


def text_values(order: dict[str, Any]) -> list[str]:
    notes = [order.get("privateAdminNotes") or "", order.get("orderComments") or ""]
    return (
        numbers(order)
        + person_names(order)
        + [order.get("email") or ""]
        + contact_texts(order)
        + item_texts(order)
        + notes
        + [order.get("trackingNumber") or ""]
    )


def contains(values: list[str], term: str) -> bool:
    term = fold(term)
    return any(term in fold(value) for value in values)


def item_count(order: dict[str, Any]) -> int:
    return sum(int(item.get("quantity") or 0) for item in order.get("items") or [])


V3_INDEXES = tuple(sql.split()[2] for sql in schema.V3_INDEXES)
V4_DROPPED = {name for name, sql in schema.V4_INDEXES.items() if sql is None}
V3_KEPT = tuple(name for name in V3_INDEXES if name not in V4_DROPPED)
V2_WIDTH = OrderColumns._fields.index("internal_id")


def _v1_sql(start: str) -> str:
    """The statement of schema version 1 that begins with ``start``."""
    return next(sql for sql in schema.MIGRATIONS[0] if isinstance(sql, str) and start in sql)


V3_INDEX_SQL = {
    "orders_total": _v1_sql("CREATE INDEX orders_total "),
    "orders_number": _v1_sql("CREATE INDEX orders_number "),
    "orders_order_id": next(sql for sql in schema.V3_INDEXES if "orders_order_id" in sql),
    "orders_payment_module": next(
        sql for sql in schema.V3_INDEXES if "orders_payment_module" in sql
    ),
    "orders_item_ids": next(sql for sql in schema.V3_INDEXES if "orders_item_ids" in sql),
}
V4_ONLY = [name for name in schema.V4_INDEXES if name not in V3_INDEX_SQL]


def as_version_4(path: Path) -> None:
    """Turn a current cache file into what schema version 4 wrote: no kept
    order total (``order_count`` and its triggers)."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER orders_counted_in")
        conn.execute("DROP TRIGGER orders_counted_out")
        conn.execute("DROP TABLE order_count")
        conn.execute("PRAGMA user_version = 4")
    conn.close()


def as_version_3(path: Path) -> None:
    """Turn a current cache file into what schema version 3 wrote: bodies in
    zlib, no dictionaries, the search text stored twice (``alltext``) with an
    external-content index over it, version 3's indexes (the items' ids in
    an index of their lists, no table), no incremental auto-vacuum."""
    as_version_4(path)
    reader = _body_reader(path)
    with sqlite3.connect(path) as conn:
        for table, key in (("order_bodies", "rid"), ("deleted_orders", "did")):
            rows = conn.execute(f"SELECT {key}, body FROM {table}").fetchall()
            conn.executemany(
                f"UPDATE {table} SET body = ? WHERE {key} = ?",
                [(codec.compress(reader(blob)), rowid) for rowid, blob in rows],
            )
        conn.execute("DROP TABLE body_dictionaries")
        conn.execute("DROP TABLE order_item_ids")
        for name in V4_ONLY:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute("DELETE FROM cache_meta WHERE name IN ('bodies.rewrite', 'text.indexed_upto')")
        conn.execute("DROP TABLE orders_fts")
        conn.execute("ALTER TABLE order_text RENAME TO order_text_v4")
        conn.execute(_v1_sql("CREATE TABLE order_text"))
        columns = "rid, numbers, names, email, contact, items, notes, tracking, flags"
        conn.execute(f"INSERT INTO order_text ({columns}) SELECT {columns} FROM order_text_v4")
        conn.execute("DROP TABLE order_text_v4")
        conn.execute(_v1_sql("CREATE VIRTUAL TABLE orders_fts"))
        filling = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
        if filling is None:
            conn.execute("INSERT INTO orders_fts (orders_fts) VALUES ('rebuild')")
            for name, sql in V3_INDEX_SQL.items():
                conn.execute(f"DROP INDEX IF EXISTS {name}")
                conn.execute(sql)
        else:
            skip = {*V3_INDEX_SQL, *V4_ONLY}
            saved = [sql for sql in json.loads(filling[0]) if sql.split()[2] not in skip]
            conn.execute(
                "UPDATE cache_meta SET value = ? WHERE name = ?",
                (json.dumps([*saved, *V3_INDEX_SQL.values()]), FILLING),
            )
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA auto_vacuum = NONE")
        conn.execute("VACUUM")
    finally:
        conn.close()


def stored_text(conn: sqlite3.Connection, blob: bytes) -> bytes:
    """The JSON text of a stored body (any format a cache file may hold)."""
    from app.cache.bodies import BodyCodec

    return BodyCodec().decompress(conn, blob)


def _body_reader(path: Path):
    """Reads the bodies of a current cache file (any dictionary)."""
    from app.cache.bodies import BodyCodec

    conn = sqlite3.connect(path)
    codec_now = BodyCodec()
    texts: dict[bytes, bytes] = {}
    for (blob,) in conn.execute(
        "SELECT body FROM order_bodies UNION ALL SELECT body FROM deleted_orders"
    ):
        texts[blob] = codec_now.decompress(conn, blob)
    conn.close()
    return texts.__getitem__


def as_version_2(path: Path) -> None:
    """Turn a current cache file into what version 2 wrote."""
    as_version_3(path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE order_marks")
        conn.execute("ALTER TABLE ecdp_pushes DROP COLUMN unmatched_digest")
        conn.execute(
            "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, "
            "changes TEXT NOT NULL, base_update_ts INTEGER, state TEXT NOT NULL, severity "
            "INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, reason TEXT, server_json "
            "TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL, action TEXT NOT NULL "
            "DEFAULT 'update', base_json TEXT)"
        )
        conn.execute("CREATE TABLE order_server_bodies (key TEXT PRIMARY KEY, body BLOB NOT NULL)")
        for index in V3_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {index}")
        for column in OrderColumns._fields[V2_WIDTH:]:
            conn.execute(f"ALTER TABLE orders DROP COLUMN {column}")
        for did, columns in conn.execute("SELECT did, columns FROM deleted_orders").fetchall():
            older = json.dumps(json.loads(columns)[:V2_WIDTH])
            conn.execute("UPDATE deleted_orders SET columns = ? WHERE did = ?", (older, did))
        row = conn.execute("SELECT value FROM cache_meta WHERE name = ?", (FILLING,)).fetchone()
        if row is not None:
            saved = [sql for sql in json.loads(row[0]) if not any(i in sql for i in V3_INDEXES)]
            conn.execute(
                "UPDATE cache_meta SET value = ? WHERE name = ?", (json.dumps(saved), FILLING)
            )
        conn.execute("PRAGMA user_version = 2")

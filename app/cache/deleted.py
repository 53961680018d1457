"""Deleted orders: kept aside, listed under ``OrderQuery(deleted=True)``.

An order the user deletes leaves ``orders`` at once (so no normal query pays
for it) and waits here while its outbox entry is sent; an order an
incremental sync learns was deleted on the server is moved here too. Each
keeps its indexed columns, search text and body, so the table lists it with
the same :class:`~app.cache.rows.CachedOrderRow` and the detail pane still
shows it. A full sync empties the list (:func:`purge`), except orders whose
deletion is still waiting to be sent. A deletion the store refuses puts the
order back (:func:`take_back`).

The list is small (it lives until the next full sync), so a query filters
and sorts it in Python with the same meaning as :mod:`app.cache.planner`.
Like :mod:`app.cache.orders`, these functions run inside the cache's
transactions.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app.domain.money import to_cents
from app.domain.outbox import severity_of, state_of
from app.domain.queries import OrderQuery, SortKey

from . import codec
from .columns import (
    CUSTOMER_COLUMNS,
    KEYWORD_COLUMNS,
    SEARCH_COLUMNS,
    OrderColumns,
    SearchText,
    fold,
    index_entry,
)
from .rows import CachedOrderRow

LOCAL = "local"  # deleted by the user here
SERVER = "server"  # seen deleted by an incremental sync

_SORT_FIELDS = {
    SortKey.NUMBER: "order_number",
    SortKey.CREATED: "created_ts",
    SortKey.UPDATED: "updated_ts",
    SortKey.CUSTOMER: "customer_fold",
    SortKey.EMAIL: "email_fold",
    SortKey.ITEMS: "item_count",
    SortKey.TOTAL: "total",
    SortKey.PAYMENT_STATUS: "payment_status",
    SortKey.FULFILLMENT_STATUS: "fulfillment_status",
    SortKey.TRACKING_NUMBER: "tracking_fold",
}


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM deleted_orders LIMIT 1").fetchone() is None


def keys_among(conn: sqlite3.Connection, keys: list[str]) -> set[str]:
    """Those of ``keys`` that are in the deleted list."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(f"SELECT key FROM deleted_orders WHERE key IN ({marks})", chunk)
        )
    return found


def set_aside(conn: sqlite3.Connection, keys: Iterable[str], origin: str) -> list[str]:
    """Copy the cached orders ``keys`` into the deleted list (the caller then
    deletes them from ``orders``); return the keys that were cached."""
    moved = []
    for key in dict.fromkeys(keys):
        row = conn.execute(
            "SELECT body FROM order_bodies WHERE rid = (SELECT rid FROM orders WHERE key = ?)",
            (key,),
        ).fetchone()
        if row is None:
            continue
        blob = row[0]
        columns, text = index_entry(codec.decode(blob), key)
        conn.execute(
            "INSERT INTO deleted_orders (key, origin, deleted_at, columns, text, body) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET origin = excluded.origin, "
            "deleted_at = excluded.deleted_at, columns = excluded.columns, "
            "text = excluded.text, body = excluded.body",
            (key, origin, time.time(), json.dumps(list(columns)), json.dumps(list(text)), blob),
        )
        moved.append(key)
    return moved


def take_back(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """Remove ``key`` from the deleted list; return its body (``None`` if absent)."""
    row = conn.execute("SELECT body FROM deleted_orders WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    conn.execute("DELETE FROM deleted_orders WHERE key = ?", (key,))
    return codec.decode(row[0])


def body(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """The deleted order ``key`` as it was cached when deleted."""
    row = conn.execute("SELECT body FROM deleted_orders WHERE key = ?", (key,)).fetchone()
    return None if row is None else codec.decode(row[0])


def numbers(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """``key -> number as shown`` of those of ``keys`` in the deleted list."""
    found = {}
    for key in dict.fromkeys(keys):
        row = conn.execute("SELECT columns FROM deleted_orders WHERE key = ?", (key,)).fetchone()
        if row is not None:
            found[key] = OrderColumns(*json.loads(row[0])).number
    return found


def purge(conn: sqlite3.Connection) -> int:
    """Empty the list, but for orders whose deletion is still to be sent; return how many went."""
    return conn.execute(
        "DELETE FROM deleted_orders WHERE key NOT IN (SELECT key FROM order_marks WHERE deleting)"
    ).rowcount


# -- listing -------------------------------------------------------------------


class _Listed:
    __slots__ = ("did", "columns", "text", "severity", "printed_at")

    def __init__(self, did: int, columns: OrderColumns, text: SearchText, severity, printed_at):
        self.did = did
        self.columns = columns
        self.text = text
        self.severity = severity
        self.printed_at = printed_at


def _all(conn: sqlite3.Connection) -> list[_Listed]:
    rows = conn.execute(
        "SELECT did, columns, text, "
        "(SELECT severity FROM order_marks WHERE order_marks.key = deleted_orders.key), "
        "(SELECT printed_at FROM invoice_prints WHERE invoice_prints.key = deleted_orders.key) "
        "FROM deleted_orders"
    ).fetchall()
    return [
        _Listed(did, OrderColumns(*json.loads(columns)), SearchText(*json.loads(text)), sev, at)
        for did, columns, text, sev, at in rows
    ]


def _contains(text: SearchText, columns: tuple[str, ...], term: str) -> bool:
    term = fold(term).strip()
    return not term or any(term in getattr(text, column) for column in columns)


def _in_range(value: Any, low: Any, high: Any) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _stamp(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def matches(query: OrderQuery, listed: _Listed) -> bool:
    """Whether ``query`` selects the deleted order (as the planner would select it)."""
    c, text = listed.columns, listed.text
    if query.order_number:
        return c.order_number in query.order_number
    if query.payment_status:
        if c.payment_status not in query.payment_status:
            return False
    elif not query.include_incomplete and c.payment_status == "INCOMPLETE":
        return False
    if query.fulfillment_status and c.fulfillment_status not in query.fulfillment_status:
        return False
    # totals in whole cents, as the planner compares them
    if not _in_range(c.total_cents, to_cents(query.total_from), to_cents(query.total_to)):
        return False
    for value, low, high in (
        (c.created_ts, query.created_from, query.created_to),
        (c.updated_ts, query.updated_from, query.updated_to),
        (c.pickup_ts, query.pickup_time_from, query.pickup_time_to),
    ):
        if not _in_range(value, _stamp(low), _stamp(high)):
            return False
    for value, wanted in (
        (c.email_fold, query.email),
        (c.payment_method_fold, query.payment_method),
        (c.shipping_method_fold, query.shipping_method),
        (c.coupon_fold, query.coupon_code),
        (c.payment_module_fold, query.payment_module),
    ):
        if wanted is not None and (not value or value != fold(wanted.strip())):
            return False
    if query.vendor_order_number is not None:
        wanted = {n.strip() for n in query.vendor_order_number.split(",") if n.strip()}
        if wanted and c.vendor_order_number not in wanted:
            return False
    if query.ids and not _has_one_of_ids(c, query):
        return False
    if not _matches_ids_and_flags(query, c):
        return False
    terms = [(word, KEYWORD_COLUMNS) for word in (query.keywords or "").split()]
    if query.customer is not None:
        terms.append((query.customer, CUSTOMER_COLUMNS))
    terms += [(word, SEARCH_COLUMNS) for word in (query.text or "").split()]
    if not all(_contains(text, columns, term) for term, columns in terms):
        return False
    if query.outbox_states:
        wanted_severities = {severity_of(state) for state in query.outbox_states}
        if listed.severity not in wanted_severities:
            return False
    if query.invoice_printed is not None and (listed.printed_at is not None) != (
        query.invoice_printed
    ):
        return False
    return True


def _has_one_of_ids(c: OrderColumns, query: OrderQuery) -> bool:
    """The order's id (its key whenever it has one) or its internal id is among ``query.ids``."""
    if c.key in (query.ids or ()) and c.order_id == c.key:
        return True
    return c.internal_id is not None and c.internal_id in query.internal_ids


def _matches_ids_and_flags(query: OrderQuery, c: OrderColumns) -> bool:
    """Customer, product and subscription ids, the referrer and the two yes/no filters."""
    if query.customer_id is not None and c.customer_id != query.customer_id:
        return False
    if query.product_id and not any(f",{p}," in c.product_ids for p in query.product_id):
        return False
    if query.subscription_id is not None and f",{query.subscription_id}," not in (
        c.subscription_ids
    ):
        return False
    if query.referer_id is not None and c.referer_id != query.referer_id:
        return False
    if query.accept_marketing is not None and c.accept_marketing != int(query.accept_marketing):
        return False
    return query.contains_preorder_items is None or c.has_preorder == int(
        query.contains_preorder_items
    )


def _sorted(query: OrderQuery, conn: sqlite3.Connection) -> list[_Listed]:
    field = _SORT_FIELDS[SortKey(query.sort)]
    selected = [listed for listed in _all(conn) if matches(query, listed)]

    def sort_key(listed: _Listed) -> tuple[Any, ...]:
        value = getattr(listed.columns, field)
        # as SQLite: NULLs first going up, last going down; ties by insertion
        return (value is not None, value if value is not None else 0, listed.did)

    return sorted(selected, key=sort_key, reverse=query.descending)


def count(conn: sqlite3.Connection, query: OrderQuery) -> int:
    return sum(1 for listed in _all(conn) if matches(query, listed))


def rows(
    conn: sqlite3.Connection, query: OrderQuery, offset: int, limit: int
) -> list[CachedOrderRow]:
    return [_row(listed) for listed in _sorted(query, conn)[offset : offset + limit]]


def position(conn: sqlite3.Connection, query: OrderQuery, key: str) -> int | None:
    for index, listed in enumerate(_sorted(query, conn)):
        if listed.columns.key == key:
            return index
    return None


def _row(listed: _Listed) -> CachedOrderRow:
    c = listed.columns
    return CachedOrderRow(
        c.key,
        c.number,
        datetime.fromtimestamp(c.created_ts, UTC) if c.created_ts is not None else None,
        c.updated_ts,
        c.customer,
        c.email,
        c.item_count,
        Decimal(c.total_text) if c.total_text is not None else None,
        c.payment_status,
        c.fulfillment_status,
        c.tracking_number,
        c.payment_method,
        c.shipping_method,
        c.coupon_code,
        state_of(listed.severity),
        datetime.fromtimestamp(listed.printed_at, UTC) if listed.printed_at is not None else None,
    )


def find_by_reference(
    conn: sqlite3.Connection, reference: str, number: int | None
) -> list[tuple[str, str, str]]:
    """``(key, number as shown, customer)`` of the deleted orders ``reference`` names exactly."""
    found = []
    for key, columns_json in conn.execute("SELECT key, columns FROM deleted_orders"):
        c = OrderColumns(*json.loads(columns_json))
        names = (c.key, c.order_id, c.vendor_order_number)
        if reference in names or (number is not None and number in (c.order_number, c.internal_id)):
            found.append((key, c.number, c.customer))
    return found

"""Handlers of the order endpoints: search, get, create, update, delete, invoice.

Search results are sorted by ascending ``internalId``: new orders land at
the end, so paging with ``offset`` stays stable while orders are added. An
order is addressed by its string ``id`` (``DEMO-X8UYE``), its
``orderNumber`` or its ``internalId``. A search or a single order answers
only the fields a ``responseFields`` parameter asks for, when one is given
(:mod:`app.sandbox.response_fields`).
"""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path
from typing import Any

from app.sandbox import mutations
from app.sandbox.dates import format_date, now_ts
from app.sandbox.errors import ApiError, not_found
from app.sandbox.filters import parse_deleted, parse_search
from app.sandbox.httpio import Request, Response, json_response
from app.sandbox.invoice import render_invoice
from app.sandbox.profile import WALNUT, DemoProfile
from app.sandbox.response_fields import requested_fields, select
from app.sandbox.seed import new_order_id
from app.sandbox.storage import OrderStore
from app.sandbox.validation import validate_order

JSON_TYPES = ("application/json", "text/json")


def require_json(request: Request) -> Any:
    if request.content_type() not in JSON_TYPES:
        raise ApiError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "Unsupported content-type: expected application/json or text/json",
        )
    return request.body.read_json()


def order_or_404(conn: sqlite3.Connection, ref: str) -> tuple[int, dict[str, Any]]:
    internal_id = OrderStore.find_id(conn, ref)
    if internal_id is None:
        raise not_found(f"Order {ref} is not found")
    return internal_id, OrderStore.load(conn, internal_id)


def remove_files(paths: list[str]) -> None:
    for path in paths:
        Path(path).unlink(missing_ok=True)


class OrdersApi:
    """``/orders`` endpoints over one :class:`OrderStore`."""

    def __init__(self, store: OrderStore, profile: DemoProfile = WALNUT) -> None:
        self.store = store
        self.profile = profile  # whose invoices: letterhead and money
        self._ids = random.Random()

    def search(self, request: Request) -> Response:
        query = parse_search(request.params)
        fields = requested_fields(request.params)
        # without the orders themselves, only their number is needed
        limit = query.limit if fields is None or "items" in fields else 0
        total, bodies = self.store.search(query.where, query.args, query.offset, limit)
        if fields is not None:
            answer = {
                "total": total,
                "count": len(bodies) if limit else max(0, min(query.limit, total - query.offset)),
                "offset": query.offset,
                "limit": query.limit,
                "items": [json.loads(body) for body in bodies],
            }
            return json_response(select(answer, fields))
        head = (
            f'{{"total":{total},"count":{len(bodies)},"offset":{query.offset},'
            f'"limit":{query.limit},"items":['
        )
        return Response(body=(head + ",".join(bodies) + "]}").encode())

    def get(self, request: Request, ref: str) -> Response:
        fields = requested_fields(request.params)
        body = self.store.get_body(ref)
        if body is None:
            raise not_found(f"Order {ref} is not found")
        if fields is not None:
            return json_response(select(json.loads(body), fields))
        return Response(body=body.encode())

    def invoice(self, request: Request, ref: str) -> Response:
        with self.store.read() as conn:
            _, order = order_or_404(conn, ref)
        if order.get("paymentStatus") == "INCOMPLETE":
            raise ApiError(
                422,
                "INVOICE_FOR_UNFINISHED_ORDER",
                "Cannot generate an invoice for unfinished order",
            )
        return Response(
            body=render_invoice(order, self.profile).encode(),
            content_type="text/html; charset=utf-8",
        )

    def update(self, request: Request, ref: str) -> Response:
        patch = validate_order(require_json(request), creating=False)
        with self.store.transaction() as conn:
            internal_id, order = order_or_404(conn, ref)
            files_before = mutations.file_ids(order)
            mutations.apply_update(order, patch, lambda: OrderStore.next_id(conn, "item_id"))
            mutations.touch(order, now_ts())
            OrderStore.save(conn, order, internal_id)
            dropped = OrderStore.forget_files(conn, files_before - mutations.file_ids(order))
        remove_files(dropped)
        return json_response({"updateCount": 1})

    def write_as_another_desk(self, ref: str, patch: dict[str, Any]) -> None:
        """Apply ``patch`` to order ``ref`` as another desk's ``PUT`` would."""
        with self.store.transaction() as conn:
            _, order = order_or_404(conn, ref)
            mutations.apply_update(order, patch, lambda: OrderStore.next_id(conn, "item_id"))
            mutations.touch(order, now_ts())
            OrderStore.save(conn, order)

    def delete(self, request: Request, ref: str) -> Response:
        with self.store.transaction() as conn:
            internal_id, order = order_or_404(conn, ref)
            OrderStore.remove(conn, internal_id, order.get("id"), now_ts())
            dropped = OrderStore.forget_files(conn, mutations.file_ids(order))
        remove_files(dropped)
        return json_response({"deleteCount": 1})

    def create(self, request: Request) -> Response:
        body = validate_order(require_json(request), creating=True)
        with self.store.transaction() as conn:
            order_id = new_order_id(self._ids)
            while OrderStore.order_id_taken(conn, order_id):
                order_id = new_order_id(self._ids)
            order = mutations.new_order(
                body,
                internal_id=OrderStore.next_id(conn, "internal_id"),
                order_number=OrderStore.next_id(conn, "order_number"),
                order_id=order_id,
                now=now_ts(),
                new_item_id=lambda: OrderStore.next_id(conn, "item_id"),
            )
            OrderStore.save(conn, order)
        return json_response({"id": order["orderNumber"], "orderid": order_id})

    def deleted(self, request: Request) -> Response:
        from_ts, to_ts, offset, limit = parse_deleted(request.params)
        total, rows = self.store.deleted(from_ts, to_ts, offset, limit)
        items = [
            {"id": internal_id, "orderId": order_id, "date": format_date(when)}
            for internal_id, order_id, when in rows
        ]
        return json_response(
            {"total": total, "count": len(items), "offset": offset, "limit": limit, "items": items}
        )

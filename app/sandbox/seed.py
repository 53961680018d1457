"""Deterministic generator of realistic demo orders as Ecwid JSON.

The same ``(seed, count, now)`` always gives the same orders. Orders are
spread over the two years before ``now``, oldest first, with ascending
``internalId`` and ``orderNumber``. About 1 % of them (the oldest) are
"legacy" orders without ``id`` and timestamps and with ``-0800`` dates;
about 3 % are unfinished (``INCOMPLETE``) and carry their ``internalId`` as
``orderNumber``, as the real service does for abandoned sales. Every payment
and fulfillment status occurs, custom ones included. Money adds up (see
:mod:`app.sandbox.money`).

:class:`OrderSeeder` yields :class:`SeededOrder` (index columns + JSON text)
one at a time, so 100,000 orders never sit in memory as dicts; after the
iteration its ``next_*`` attributes are the next free ids. Up to
``UNIQUE_BASKETS`` orders each get their own basket (customer, items, money;
see :mod:`app.sandbox.baskets`); larger stores reuse baskets from a pool of
that size so that 100,000 orders seed in seconds.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

from app.sandbox import catalog as cat
from app.sandbox.baskets import Basket, BasketMaker
from app.sandbox.dates import format_date
from app.sandbox.indexing import IndexRow
from app.sandbox.seedparts import Draw, ShippingChoice, Weighted, tracking_number

ORDER_ID_PREFIX = "DEMO-"
ORDER_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
INTERNAL_ID_BASE = 390_000_000
FIRST_ORDER_NUMBER = 1001
ITEM_ID_BASE = 140_000_000
FILE_ID_BASE = 6_000_000
TWO_YEARS = 730 * 86400
LEGACY_OFFSET_MINUTES = -480
LEGACY_SHARE = 0.01
UNIQUE_BASKETS = 10_000

_PAYMENT = Weighted(
    (
        ("PAID", 770),
        ("AWAITING_PAYMENT", 80),
        ("CANCELLED", 40),
        ("INCOMPLETE", 30),
        ("REFUNDED", 25),
        ("PARTIALLY_REFUNDED", 25),
        ("CUSTOM_PAYMENT_STATUS_1", 20),
        ("CUSTOM_PAYMENT_STATUS_2", 10),
    )
)
_FULFILLMENT_WHEN_PAID = Weighted(
    (
        ("DELIVERED", 520),
        ("SHIPPED", 150),
        ("AWAITING_PROCESSING", 110),
        ("PROCESSING", 80),
        ("OUT_FOR_DELIVERY", 50),
        ("CUSTOM_FULFILLMENT_STATUS_1", 40),
        ("CUSTOM_FULFILLMENT_STATUS_2", 30),
        ("WILL_NOT_DELIVER", 10),
        ("RETURNED", 10),
    )
)
_SHIPPED = {"SHIPPED", "OUT_FOR_DELIVERY", "DELIVERED", "RETURNED"}
_REFUND_REASONS = [json.dumps(r) for r in cat.REFUND_REASONS]


class SeededOrder(NamedTuple):
    row: IndexRow
    body: str


def new_order_id(rng: random.Random) -> str:
    """A string order id like ``DEMO-X8UYE``."""
    number = int(rng.random() * 36**5)
    chars = []
    for _ in range(5):
        number, digit = divmod(number, 36)
        chars.append(ORDER_ID_ALPHABET[digit])
    return ORDER_ID_PREFIX + "".join(chars)


def _fill_ids(template: list[str], ids: list[int]) -> str:
    out = [template[0]]
    for item_id, text in zip(ids, template[1:], strict=True):
        out.append(str(item_id))
        out.append(text)
    return "".join(out)


def seed_orders(count: int, seed: int, now: datetime, store_id: int) -> list[dict[str, Any]]:
    """The seeded orders as dicts (handy for tests and small stores)."""
    return [json.loads(order.body) for order in OrderSeeder(count, seed, now, store_id)]


class OrderSeeder:
    """Iterate to get ``count`` orders; then read the ``next_*`` ids."""

    def __init__(self, count: int, seed: int, now: datetime, store_id: int) -> None:
        self.count = max(0, int(count))
        self.seed = seed
        self.now_ts = int(now.timestamp())
        self.store_id = store_id
        self.next_internal_id = INTERNAL_ID_BASE
        self.next_order_number = FIRST_ORDER_NUMBER
        self.next_item_id = ITEM_ID_BASE
        self.next_file_id = FILE_ID_BASE

    def __iter__(self) -> Iterator[SeededOrder]:
        rng = random.Random(f"backroom-demo:{self.seed}")
        draw = Draw(rng)
        maker = BasketMaker(draw, self.store_id, self, self.count)
        start = self.now_ts - TWO_YEARS
        span = TWO_YEARS - 600
        times = sorted(start + int(rng.random() * span) for _ in range(self.count))
        pool: list[Basket] = []
        if self.count > UNIQUE_BASKETS:
            pool = [maker.make(start + int(rng.random() * span)) for _ in range(UNIQUE_BASKETS)]
        legacy_count = round(self.count * LEGACY_SHARE)
        used_ids: set[str] = set()
        for index, created in enumerate(times):
            basket = draw.pick(pool) if pool else maker.make(created)
            self.next_internal_id += draw.between(1, 40)
            payment = _PAYMENT.draw(draw)
            if payment == "INCOMPLETE":
                number = self.next_internal_id
            else:
                number = self.next_order_number
                self.next_order_number += 1
            order_id = None
            if index >= legacy_count:
                order_id = new_order_id(rng)
                while order_id in used_ids:
                    order_id = new_order_id(rng)
                used_ids.add(order_id)
            yield self._order(draw, basket, order_id, number, created, payment)
        self.next_internal_id += 1
        self.next_item_id += 1
        self.next_file_id += 1

    def _order(
        self,
        draw: Draw,
        basket: Basket,
        order_id: str | None,
        number: int,
        created: int,
        payment: str,
    ) -> SeededOrder:
        internal_id = self.next_internal_id
        item_ids = []
        for _ in range(basket.item_count):
            self.next_item_id += draw.between(1, 9)
            item_ids.append(self.next_item_id)
        shipping = basket.shipping
        fulfillment = _fulfillment(draw, payment, shipping)
        updated = min(self.now_ts - 1, created + _age_of_last_change(draw, fulfillment))
        hidden = "true" if payment == "INCOMPLETE" and draw.chance(0.2) else "false"
        out = [
            f'{{"id":"{order_id}",' if order_id else "{",
            f'"internalId":{internal_id},"orderNumber":{number},"vendorOrderNumber":"{number}",'
            f'"paymentStatus":"{payment}","fulfillmentStatus":"{fulfillment}","hidden":{hidden},'
            + _fill_ids(basket.template, item_ids),
        ]
        if order_id is None:
            out.append(
                f'"createDate":"{format_date(created, LEGACY_OFFSET_MINUTES)}",'
                f'"updateDate":"{format_date(updated, LEGACY_OFFSET_MINUTES)}","lang":null'
            )
        else:
            out.append(
                f'"createDate":"{format_date(created)}","updateDate":"{format_date(updated)}",'
                f'"createTimestamp":{created},"updateTimestamp":{updated}'
            )
        out.extend(self._status_fields(draw, basket, created, updated, payment, fulfillment))
        body = out[0] + ",".join(out[1:]) + "}"
        if order_id:
            keywords = f"{number}\n{number}\n{order_id.casefold()}\n{basket.keywords_tail}"
        else:
            keywords = f"{number}\n{number}\n{basket.keywords_tail}"
        row = IndexRow(  # positional: this runs 100,000 times for a large store
            internal_id,
            order_id,
            number,
            str(number),
            payment,
            fulfillment,
            basket.total,
            created,
            updated,
            basket.email_key,
            basket.coupon_key,
            basket.method_key,
            basket.shipping_key,
            basket.customer_text,
            keywords,
        )
        return SeededOrder(row, body)

    def _status_fields(
        self,
        draw: Draw,
        basket: Basket,
        created: int,
        updated: int,
        payment: str,
        fulfillment: str,
    ) -> list[str]:
        """Fields that follow from the order's statuses and dates."""
        out = []
        shipping = basket.shipping
        if basket.method == "Credit card":
            message = "Card declined" if payment == "CANCELLED" else ""
            out.append(f'"paymentMessage":"{message}"')
        if fulfillment in _SHIPPED and shipping is not None and not shipping.is_pickup:
            out.append(f'"trackingNumber":"{tracking_number(draw, shipping.carrier)}"')
        if payment == "PAID" and draw.chance(0.5):
            number = created % 100_000
            out.append(
                f'"invoices":[{{"internalId":{800_000 + number},"id":"{number}",'
                f'"created":"{format_date(created + 60)}",'
                f'"link":"{cat.STORE_URL}/invoices/{number}.pdf","type":"SALE"}}]'
            )
        if shipping is not None and shipping.is_pickup:
            out.append(
                f'"pickupTime":"{format_date(created + draw.between(1, 4) * 86400 + 36000)}"'
            )
        if payment in ("REFUNDED", "PARTIALLY_REFUNDED"):
            total = basket.total
            amount = (
                total if payment == "REFUNDED" else round(total * (0.1 + draw.random() * 0.4), 2)
            )
            reason = draw.pick(_REFUND_REASONS)
            out.append(
                f'"refundedAmount":{amount},"refunds":[{{"date":"{format_date(updated)}",'
                f'"source":"CP","reason":{reason},"amount":{amount}}}]'
            )
        return out


def _fulfillment(draw: Draw, payment: str, shipping: ShippingChoice | None) -> str:
    if payment in ("INCOMPLETE", "AWAITING_PAYMENT", "CUSTOM_PAYMENT_STATUS_1"):
        return "AWAITING_PROCESSING"
    if payment == "CANCELLED":
        return draw.pick(("WILL_NOT_DELIVER", "WILL_NOT_DELIVER", "AWAITING_PROCESSING"))
    if payment == "REFUNDED":
        return draw.pick(("RETURNED", "WILL_NOT_DELIVER"))
    if shipping is not None and shipping.is_pickup:
        return draw.pick(("READY_FOR_PICKUP", "READY_FOR_PICKUP", "DELIVERED"))
    status = _FULFILLMENT_WHEN_PAID.draw(draw)
    if payment == "PARTIALLY_REFUNDED" and status not in ("DELIVERED", "SHIPPED", "RETURNED"):
        status = "DELIVERED"
    return status


def _age_of_last_change(draw: Draw, fulfillment: str) -> int:
    if fulfillment == "AWAITING_PROCESSING":
        return draw.between(0, 3600)
    if fulfillment in ("DELIVERED", "RETURNED"):
        return draw.between(3 * 86400, 20 * 86400)
    return draw.between(3600, 5 * 86400)

"""A customer's orders from the cache: by customer id, else by e-mail; what
they spent, first and last order, average, and their addresses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.cache import OrderCache
from app.domain.queries import OrderQuery
from app.sandbox.seed import seed_orders
from app.services.orders.customers import NoCustomer, customer_of
from tests.helpers.sandbox import FIXED_NOW


@pytest.fixture
def cache(tmp_path):
    orders = seed_orders(400, 7, FIXED_NOW, 4870020)
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(orders, generation=1)
        cache.delete_unseen(1)
        yield cache, orders


def test_a_registered_customer_is_found_by_customer_id(cache):
    cache, orders = cache
    mine = [o for o in orders if o.get("customerId") and o["paymentStatus"] != "INCOMPLETE"]
    customer = mine[0]["customerId"]
    theirs = [o for o in mine if o.get("customerId") == customer]
    key = theirs[0].get("id") or str(theirs[0]["orderNumber"])
    summary = customer_of(cache, key)
    assert summary.found_by == "customer id" and summary.customer_id == customer
    assert {row.key for row in summary.orders} == {
        o.get("id") or str(o["orderNumber"]) for o in theirs
    }
    paid = [o for o in theirs if o["paymentStatus"] in ("PAID", "PARTIALLY_REFUNDED")]
    assert summary.paid_orders == len(paid)
    assert summary.spent == sum((Decimal(str(o["total"])) for o in paid), Decimal(0))
    dates = [row.created for row in summary.orders]
    assert summary.first == min(dates) and summary.last == max(dates)
    assert dates == sorted(dates, reverse=True)  # newest first
    if summary.paid_orders:
        assert summary.average == (summary.spent / summary.paid_orders).quantize(Decimal("0.01"))
    assert summary.addresses and all(", " in address for address in summary.addresses)


def test_a_guest_is_found_by_email_and_an_order_without_either_is_told(cache):
    cache, orders = cache
    guest = next(o for o in orders if not o.get("customerId") and o.get("email") and o.get("id"))
    summary = customer_of(cache, guest["id"])
    assert summary.found_by == "e-mail" and summary.customer_id is None
    assert guest["id"] in {row.key for row in summary.orders}
    assert all(row.email.casefold() == guest["email"].casefold() for row in summary.orders)
    anonymous = dict(guest, id="ANON-1", email="", customerId=None, orderNumber=9_999_999)
    cache.upsert_orders([anonymous])
    with pytest.raises(NoCustomer, match="no customer account and no e-mail"):
        customer_of(cache, "ANON-1")
    assert cache.count(OrderQuery(ids=["ANON-1"])) == 1

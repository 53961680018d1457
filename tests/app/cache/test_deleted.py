"""The deleted list: orders set aside leave every normal query, and
``OrderQuery(deleted=True)`` lists them with the same filters, sorts, rows
and positions the normal queries give; a full sync's purge empties it; an
upsert never brings a deleted order back. One implementation filters both:
random queries (hypothesis) list the deleted orders as they list live ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from itertools import cycle
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cache import OrderCache
from app.domain.outbox import OutboxState, severity_of
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache.support import key_of
from tests.app.cache.test_query import CASES


@pytest.fixture(scope="module")
def twins(tmp_path_factory, orders) -> Iterator[tuple[OrderCache, OrderCache]]:
    """The same orders twice: cached normally, and all seen deleted by a sync."""
    folder = tmp_path_factory.mktemp("deleted")
    with OrderCache.open(folder / "normal.sqlite3") as normal:
        with OrderCache.open(folder / "deleted.sqlite3") as gone:
            for cache in (normal, gone):
                for start in range(0, len(orders), 100):
                    cache.upsert_orders(orders[start : start + 100])
            moved = gone.record_deleted([key_of(o) for o in orders])
            assert moved == [key_of(o) for o in orders]
            yield normal, gone


def _deleted(query: OrderQuery) -> OrderQuery:
    return query.model_copy(update={"deleted": True})


@pytest.mark.parametrize("name", list(CASES))
def test_every_filter_lists_deleted_orders_as_it_lists_orders(twins, name):
    normal, gone = twins
    query = OrderQuery(**CASES[name][0])
    assert gone.count(query) == 0  # out of the normal lists
    expected = normal.rows(query, limit=100_000)
    assert gone.rows(_deleted(query), limit=100_000) == expected
    assert gone.count(_deleted(query)) == len(expected)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(SortKey))
def test_every_sort_and_page_and_position_is_the_same(twins, sort, descending):
    normal, gone = twins
    query = OrderQuery(sort=sort, descending=descending, include_incomplete=True)
    expected = normal.rows(query, offset=30, limit=25)
    assert gone.rows(_deleted(query), offset=30, limit=25) == expected
    assert gone.first_rows(_deleted(query), limit=10) == normal.rows(query, limit=10)
    for row in expected[::6]:
        assert gone.position(_deleted(query), row.key) == normal.position(query, row.key)
    assert gone.position(_deleted(query.model_copy(update={"text": "zzzqqq"})), row.key) is None


def test_text_searches_and_order_numbers(twins, orders):
    normal, gone = twins
    for query in (
        OrderQuery(text="mug"),
        OrderQuery(text="zo"),
        OrderQuery(keywords="linen bathrobe"),
        OrderQuery(order_number=[1010, 1011]),
        OrderQuery(ids=[key_of(orders[3]), key_of(orders[9])]),
        OrderQuery(payment_status=["INCOMPLETE"]),
    ):
        assert gone.rows(_deleted(query), limit=1000) == normal.rows(query, limit=1000), query
        assert not gone.counts_slowly(_deleted(query))


def test_a_deleted_float_artefact_total_is_found_by_its_cents(twins, orders):
    """Issue 15, the deleted path: 29.44–29.44 finds a stored 29.439999999999998."""
    _, gone = twins
    artefact = next(o for o in orders if o["total"] == 29.439999999999998)
    query = OrderQuery(deleted=True, total_from="29.44", total_to="29.44")
    assert key_of(artefact) in {row.key for row in gone.rows(query, limit=1000)}
    above = query.model_copy(update={"total_from": Decimal("29.45"), "total_to": Decimal("29.45")})
    assert key_of(artefact) not in {row.key for row in gone.rows(above, limit=1000)}


def test_a_deleted_order_stays_readable_and_is_never_upserted_back(cache, orders):
    cache.upsert_orders(orders[:30])
    key = key_of(orders[4])
    assert cache.record_deleted([key, "NOPE"]) == [key]
    assert not cache.has_order(key)
    assert cache.order_json(key) == orders[4]  # the detail pane can still show it
    assert cache.order_numbers([key, key_of(orders[5])]) == {
        key: str(orders[4].get("vendorOrderNumber") or orders[4]["orderNumber"]),
        key_of(orders[5]): str(orders[5].get("vendorOrderNumber") or orders[5]["orderNumber"]),
    }

    result = cache.upsert_orders([dict(orders[4], trackingNumber="BACK?"), orders[5]])
    assert key not in result.changed
    assert not cache.has_order(key)
    assert cache.count(OrderQuery(deleted=True, include_incomplete=True)) == 1

    assert cache.purge_deleted() == 1
    assert cache.count(OrderQuery(deleted=True, include_incomplete=True)) == 0
    assert cache.order_json(key) is None
    cache.upsert_orders([orders[4]])  # a purged key is an ordinary order again
    assert cache.has_order(key)


def test_an_order_set_aside_for_deletion_outlives_a_purge_and_can_be_put_back(cache, orders):
    cache.upsert_orders(orders[:30])
    order = next(o for o in orders[:30] if o.get("id") and o["paymentStatus"] != "INCOMPLETE")
    key = order["id"]
    cache.set_marks({key: (severity_of(OutboxState.WAITING), True)})  # its deletion waits
    assert cache.set_aside([key]) == [key]
    assert cache.count(OrderQuery(ids=[key])) == 0
    [row] = cache.rows(OrderQuery(deleted=True))
    assert (row.key, row.outbox_state) == (key, OutboxState.WAITING)

    assert cache.purge_deleted() == 0  # its deletion is not sent yet
    cache.upsert_orders([order])  # a sync meanwhile does not bring it back
    assert cache.count(OrderQuery(ids=[key])) == 0

    cache.set_marks({key: (severity_of(OutboxState.REFUSED), False)})  # the store said no
    assert cache.put_back([key]) == [key]
    [back] = cache.rows(OrderQuery(ids=[key]))
    assert back.outbox_state is OutboxState.REFUSED
    assert cache.order_json(key) == order
    assert cache.count(OrderQuery(deleted=True)) == 0
    assert cache.put_back([key]) == []  # nothing left to put back

    cache.set_marks({key: (0, False)})
    cache.set_aside([key])
    assert cache.purge_deleted() == 1  # no deletion waits any more: the list empties


# -- one implementation: random queries (hypothesis) -----------------------------------

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PRINTED_AT = datetime(2025, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def marked_twins(tmp_path_factory, orders) -> Iterator[tuple[OrderCache, OrderCache]]:
    """Like ``twins``, with outbox marks and printed invoices on some orders of both."""
    folder = tmp_path_factory.mktemp("marked")
    keys = [key_of(o) for o in orders]
    marks = {key: (severity_of(state), False) for key, state in zip(keys[::7], cycle(OutboxState))}
    with OrderCache.open(folder / "normal.sqlite3") as normal:
        with OrderCache.open(folder / "deleted.sqlite3") as gone:
            for cache in (normal, gone):
                for start in range(0, len(orders), 100):
                    cache.upsert_orders(orders[start : start + 100])
                cache.set_marks(marks)
                cache.record_printed(keys[::5], PRINTED_AT)
            assert gone.record_deleted(keys) == keys
            yield normal, gone


def _words(orders: list[dict[str, Any]]) -> list[str]:
    """Pieces of the orders' own text (names, emails, items, notes), one to six characters."""
    found = set()
    for order in orders[::9]:
        person = order.get("billingPerson") or {}
        items = [item.get("name") or "" for item in order.get("items") or []]
        for text in (person.get("name"), order.get("email"), order.get("orderComments"), *items):
            for word in str(text or "").split():
                found.add(word[:6])
                found.add(word[1:3])
    return sorted(w for w in found if w.strip())


def _queries(orders: list[dict[str, Any]]) -> st.SearchStrategy[OrderQuery]:
    """One to five filters at once, drawn from what the orders hold (and misses),
    with any sort, direction and treatment of unfinished orders."""
    words = st.one_of(
        st.sampled_from(_words(orders)), st.text(alphabet="aeoüßİ1-@ ", min_size=1, max_size=4)
    )
    stamps = sorted(o["createTimestamp"] for o in orders if o.get("createTimestamp"))
    moments = st.integers(min_value=stamps[0] - 86_400, max_value=stamps[-1] + 86_400).map(
        lambda stamp: datetime.fromtimestamp(stamp, UTC)
    )
    values = {
        "payment_status": st.lists(
            st.sampled_from(sorted({o["paymentStatus"] for o in orders})), min_size=1, max_size=3
        ),
        "fulfillment_status": st.lists(
            st.sampled_from(sorted({o["fulfillmentStatus"] for o in orders})), min_size=1
        ),
        "total_from": st.decimals(min_value=0, max_value=300, places=2),
        "total_to": st.decimals(min_value=0, max_value=300, places=2),
        "created_from": moments,
        "created_to": moments,
        "updated_from": moments,
        "text": st.lists(words, min_size=1, max_size=3).map(" ".join),
        "keywords": words,
        "customer": words,
        "email": st.sampled_from(sorted({o.get("email") or "x@y.z" for o in orders[::5]})),
        "order_number": st.lists(
            st.sampled_from([o["orderNumber"] for o in orders if o.get("orderNumber")]),
            min_size=1,
            max_size=3,
        ),
        "ids": st.lists(st.sampled_from([key_of(o) for o in orders[::11]]), min_size=1),
        "outbox_states": st.lists(st.sampled_from(list(OutboxState)), min_size=1, max_size=2),
        "invoice_printed": st.booleans(),
        "accept_marketing": st.booleans(),
    }
    chosen = st.lists(st.sampled_from(sorted(values)), max_size=5, unique=True)
    fields = chosen.flatmap(lambda names: st.fixed_dictionaries({n: values[n] for n in names}))
    return st.builds(
        lambda fields, sort, descending, incomplete: OrderQuery(
            **fields, sort=sort, descending=descending, include_incomplete=incomplete
        ),
        fields,
        st.sampled_from(list(SortKey)),
        st.booleans(),
        st.booleans(),
    )


def test_random_queries_list_deleted_orders_as_they_list_live_orders(marked_twins, orders):
    """One filter implementation: for any query, the deleted list gives the
    live list's count, rows (order, ties and paging included) and positions."""
    normal, gone = marked_twins

    @PROPERTY
    @given(query=_queries(orders), offset=st.integers(0, 40), limit=st.integers(1, 60))
    def check(query: OrderQuery, offset: int, limit: int) -> None:
        expected = normal.rows(query, offset, limit)
        assert gone.rows(_deleted(query), offset, limit) == expected
        assert gone.count(_deleted(query)) == normal.count(query)
        for row in expected[:: max(1, len(expected) // 3)]:
            assert gone.position(_deleted(query), row.key) == normal.position(query, row.key)

    check()

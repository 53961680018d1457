"""CachedOrderTableModel over a real cache of demo-store orders: Qt's model
tester, lazy reads in blocks, queries and sorting done by the cache,
refreshes, and how totals, statuses, dates and outbox states are shown."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import QDateTime, QLocale, Qt

from app.cache import OrderCache
from app.domain.outbox import OutboxState, severity_of
from app.domain.queries import OrderQuery, SortKey
from app.sandbox.seed import seed_orders
from tests.helpers.sandbox import FIXED_NOW
from ui.orders import table_model as cached_order_model
from ui.orders.table_model import (
    BLOCK_SIZE,
    FIRST_ROWS,
    KEY_ROLE,
    ROW_ROLE,
    STATUS_ROLE,
    CachedOrderTableModel,
    display_locale,
)

Model = CachedOrderTableModel
EVERYTHING = OrderQuery(include_incomplete=True)


@pytest.fixture
def model(qapp, cache) -> Model:
    model = Model()
    model.set_source(cache)
    return model


def shown_keys(model: Model) -> list[str]:
    return [model.data(model.index(row, 0), KEY_ROLE) for row in range(model.rowCount())]


def cached_keys(cache: OrderCache, query: OrderQuery) -> list[str]:
    return [row.key for row in cache.rows(query, limit=100_000)]


def test_passes_the_model_tester(qtmodeltester, model, cache):
    qtmodeltester.check(model)
    model.set_query(OrderQuery(payment_status=["PAID"], text="example", sort=SortKey.TOTAL))
    assert 0 < model.rowCount() < 291
    qtmodeltester.check(model)
    cache.delete_orders(cached_keys(cache, model.query)[:5])
    model.refresh()
    qtmodeltester.check(model)
    model.set_source(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_rows_are_read_lazily_in_blocks(model, monkeypatch):
    model.set_query(EVERYTHING)
    assert model.rowCount() == 300
    assert model.rows_fetched == 0
    assert model.data(model.index(250, Model.CUSTOMER))  # the second block: rows 200-299
    assert model.rows_fetched == 100
    for row in range(200, 300):
        model.data(model.index(row, Model.TOTAL))
    assert model.rows_fetched == 100  # kept, not read again
    # the first block of a new query: the first screen's rows, then the rest of it
    model.data(model.index(3, Model.NUMBER))
    assert model.rows_fetched == 100 + FIRST_ROWS
    assert model.data(model.index(FIRST_ROWS - 1, Model.NUMBER))
    assert model.rows_fetched == 100 + FIRST_ROWS
    assert model.data(model.index(FIRST_ROWS, Model.NUMBER))
    assert model.rows_fetched == 300
    for row in range(BLOCK_SIZE):
        model.data(model.index(row, Model.TOTAL))
    assert model.rows_fetched == 300  # kept, not read again
    assert shown_keys(model) == cached_keys(model.source, EVERYTHING)
    # a bounded number of blocks is kept: with room for one, going back reads again
    monkeypatch.setattr(cached_order_model, "MAX_BLOCKS", 1)
    model.refresh()
    model.data(model.index(0, 0))
    model.data(model.index(299, 0))
    model.data(model.index(1, 0))
    assert model.rows_fetched == 300 + FIRST_ROWS + 100 + BLOCK_SIZE  # (read whole again)


def test_queries_narrow_the_table(model, cache):
    assert model.rowCount() == 291  # unfinished orders are left out by default
    for query in (
        OrderQuery(payment_status=["AWAITING_PAYMENT"]),
        OrderQuery(fulfillment_status=["SHIPPED", "DELIVERED"], sort=SortKey.CUSTOMER),
        OrderQuery(text="emma", descending=False),
        OrderQuery(text="zzzz-nothing"),
    ):
        model.set_query(query)
        assert model.query == query
        assert model.rowCount() == cache.count(query)
        assert shown_keys(model) == cached_keys(cache, query)
    assert model.rowCount() == 0


def test_sort_by_each_sortable_column(qtbot, model, cache):
    model.set_query(OrderQuery(fulfillment_status=["DELIVERED", "SHIPPED"]))
    for column, key in Model.SORT_KEYS.items():
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            with qtbot.waitSignal(model.sortChanged) as changed:
                model.sort(column, order)
            assert changed.args == [column, order]
            assert model.query.sort == key
            assert model.query.descending is (order == Qt.SortOrder.DescendingOrder)
            assert model.query.fulfillment_status == ["DELIVERED", "SHIPPED"]
            assert (model.sort_column(), model.sort_order()) == (column, order)
            assert shown_keys(model) == cached_keys(cache, model.query)


def test_the_sync_column_is_not_sortable(qtbot, model):
    before = model.query
    with qtbot.assertNotEmitted(model.modelReset), qtbot.assertNotEmitted(model.sortChanged):
        model.sort(Model.SYNC, Qt.SortOrder.AscendingOrder)
        model.sort(99, Qt.SortOrder.AscendingOrder)
    assert model.query == before
    model.set_query(OrderQuery(sort=SortKey.UPDATED))  # no column shows it
    assert model.sort_column() == -1


def test_refresh_shows_changes_in_the_cache(model, cache, seeded):
    row = 4
    key = model.key_at(row)
    changed = copy.deepcopy(next(order for order in seeded if order.get("id") == key))
    changed["trackingNumber"] = "JJD-NEW-0001"
    changed["updateDate"] = "2026-11-01 09:00:00 +0000"
    cache.upsert_orders([changed])
    assert model.data(model.index(row, Model.TRACKING)) != "JJD-NEW-0001"  # a kept block
    model.refresh()
    assert model.data(model.index(row, Model.TRACKING)) == "JJD-NEW-0001"
    assert model.row_of(key) == row


def test_money_statuses_and_dates(model):
    model.set_store_display(
        "EUR", {"PAID": "Settled", "CUSTOM_FULFILLMENT_STATUS_1": "Packed by Anna"}
    )
    locale = display_locale()
    for row in range(model.rowCount()):
        order = model.data(model.index(row, 0), ROW_ROLE)
        total = model.data(model.index(row, Model.TOTAL))
        assert total == locale.toCurrencyString(float(order.total), "€", 2)
        payment = model.data(model.index(row, Model.PAYMENT))
        fulfillment = model.data(model.index(row, Model.FULFILLMENT))
        assert model.data(model.index(row, Model.PAYMENT), STATUS_ROLE) == order.payment_status
        if order.payment_status == "PAID":
            assert payment == "Settled"
        if order.fulfillment_status == "CUSTOM_FULFILLMENT_STATUS_1":
            assert fulfillment == "Packed by Anna"
        if order.fulfillment_status == "READY_FOR_PICKUP":  # not named: title-cased
            assert fulfillment == "Ready for pickup"
        moment = QDateTime.fromSecsSinceEpoch(int(order.created.timestamp())).toLocalTime()
        assert model.data(model.index(row, Model.DATE)) == locale.toString(
            moment, QLocale.FormatType.ShortFormat
        )
    statuses = {model.data(model.index(row, Model.FULFILLMENT)) for row in range(291)}
    assert {"Packed by Anna", "Ready for pickup", "Awaiting processing"} <= statuses
    assert model.status_name("CUSTOM_PAYMENT_STATUS_3") == "Custom payment status 3"
    assert model.status_name("") == ""
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(model.index(0, Model.TOTAL), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(0, Model.ITEMS), Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.data(model.index(0, Model.CUSTOMER), Qt.ItemDataRole.TextAlignmentRole) != right


def test_currency_symbols(model):
    first = model.data(model.index(0, 0), ROW_ROLE)
    for currency, symbol in (("USD", "$"), ("GBP", "£"), ("€", "€"), ("XYZ", "XYZ")):
        model.set_store_display(currency, {})
        expected = display_locale().toCurrencyString(float(first.total), symbol, 2)
        assert model.data(model.index(0, Model.TOTAL)) == expected
    model.set_store_display(None, {})
    assert model.data(model.index(0, Model.TOTAL)) == display_locale().toCurrencyString(
        float(first.total), "", 2
    )


def test_outbox_state_column(model, cache):
    key = model.key_at(2)
    assert model.data(model.index(2, Model.SYNC)) == ""
    tracking = model.data(model.index(2, Model.TRACKING))
    cache.set_marks({key: (severity_of(OutboxState.WAITING), False)})
    model.refresh()
    assert model.data(model.index(2, Model.SYNC)) == "Not sent yet"
    assert model.data(model.index(2, Model.SYNC), STATUS_ROLE) == "WAITING"
    assert model.data(model.index(2, Model.TRACKING)) == tracking  # the store's value
    assert "next sync" in model.data(model.index(2, Model.SYNC), Qt.ItemDataRole.ToolTipRole)
    cache.set_marks({key: (severity_of(OutboxState.CONFLICT), False)})
    model.refresh()
    assert model.data(model.index(2, Model.SYNC)) == "Conflict"
    model.set_query(OrderQuery(outbox_states=[OutboxState.CONFLICT]))
    assert shown_keys(model) == [key]


def test_keys_and_rows(model, cache):
    keys = cached_keys(cache, model.query)
    for row in (0, 1, 199, 200, 290):
        assert model.key_at(row) == keys[row]
        assert model.row_of(keys[row]) == row
        assert model.data(model.index(row, 0), ROW_ROLE).key == keys[row]
    assert model.key_at(291) is None and model.key_at(-1) is None
    unfinished = cached_keys(cache, OrderQuery(payment_status="INCOMPLETE"))[0]
    assert model.row_of(unfinished) is None  # in the cache, not in this query
    assert model.row_of("NO-SUCH-ORDER") is None
    model.sort(Model.TOTAL, Qt.SortOrder.AscendingOrder)
    assert model.row_of(keys[0]) == cached_keys(cache, model.query).index(keys[0])


def test_a_failed_read_is_reported(qtbot, model, cache):
    cache.close()
    with qtbot.waitSignal(model.readFailed) as failed:
        model.refresh()
    assert "closed" in failed.args[0]
    assert model.rowCount() == 0


def test_refresh_in_background_shows_what_the_cache_holds_now(qtbot, qt_loop, run_on_qt, tmp_path):
    from app.cache import OrderCache

    def visible(orders):
        return len([o for o in orders if o["paymentStatus"] != "INCOMPLETE"])

    seeded = seed_orders(120, 3, FIXED_NOW, 4870020)
    with OrderCache.open(tmp_path / "c.sqlite3") as cache:
        cache.upsert_orders(seeded[:100])
        model = CachedOrderTableModel()
        model.set_source(cache)
        assert model.rowCount() == visible(seeded[:100])
        cache.upsert_orders(seeded[100:])
        resets = []
        model.modelReset.connect(lambda: resets.append(model.rowCount()))
        run_on_qt(model.refresh_in_background())
        assert resets == [visible(seeded)]
        assert [model.key_at(row) for row in range(5)] == [
            r.key for r in cache.rows(model.query, 0, 5)
        ]
        # a query changed while the rows were read: the stale result is dropped
        task = qt_loop.create_task(model.refresh_in_background())
        model.set_query(model.query.model_copy(update={"text": "zzzz-no-such-order"}))
        qtbot.waitUntil(task.done, timeout=5_000)
        assert model.rowCount() == 0


def test_a_one_letter_search_shows_its_first_rows_then_counts_the_rest(
    qtbot, qt_loop, qtmodeltester, tmp_path, monkeypatch
):
    from app.cache import OrderCache, short_terms

    # every short word as common as "e" is in a large store (a rare one is counted
    # from the search index at once: app.cache.short_terms)
    monkeypatch.setattr(short_terms, "RARE_DOCS", -1)
    seeded = seed_orders(600, 5, FIXED_NOW, 4870020)
    with OrderCache.open(tmp_path / "c.sqlite3") as cache:
        cache.upsert_orders(seeded)
        query = OrderQuery(text="e")  # in nearly every order: counted by scanning the text
        assert cache.counts_slowly(query) and not cache.counts_slowly(OrderQuery(text="emma"))
        expected = cache.count(query)
        assert expected > 200
        assert [r.key for r in cache.first_rows(query, 200)] == [
            r.key for r in cache.rows(query, 0, 200)
        ]
        model = CachedOrderTableModel()
        model.set_source(cache)
        inserted, counting = [], []
        model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
        model.countingChanged.connect(counting.append)
        model.set_query(query)
        assert model.rowCount() == FIRST_ROWS and model.counting  # the first screen at once
        qtbot.waitUntil(lambda: not model.counting, timeout=5_000)
        assert counting == [True, False]
        assert model.rowCount() == expected
        assert inserted == [(FIRST_ROWS, expected - 1)]
        assert model.key_at(expected - 1) == cache.rows(query, expected - 1, 1)[0].key
        # the rest of the first block, then the others, in the query's order
        assert shown_keys(model) == [r.key for r in cache.rows(query, 0, expected)]
        qtmodeltester.check(model)

        # a newer query while counting: the old count never lands
        model.set_query(OrderQuery(text="a"))
        model.set_query(OrderQuery(text="zzzz-none"))
        qtbot.wait(200)
        assert model.rowCount() == 0 and not model.counting


def test_a_count_that_adds_no_rows_still_says_it_is_done(qtbot, qt_loop, tmp_path, monkeypatch):
    """Exactly a first screen of matches: the count inserts no rows, yet the window
    must stop saying "counting…" (countingChanged(False))."""
    from app.cache import OrderCache, short_terms
    from app.domain.raw_orders import raw_order_key

    # "e" as common as in a large store (a rare short word is counted from the
    # search index at once: app.cache.short_terms)
    monkeypatch.setattr(short_terms, "RARE_DOCS", -1)
    seeded = seed_orders(3 * FIRST_ROWS, 5, FIXED_NOW, 4870020)
    query = OrderQuery(text="e")
    with OrderCache.open(tmp_path / "all.sqlite3") as everything:
        everything.upsert_orders(seeded)
        matching = {row.key for row in everything.rows(query, 0, len(seeded))}
    assert len(matching) > FIRST_ROWS
    keep = [o for o in seeded if raw_order_key(o) in matching][:FIRST_ROWS]
    with OrderCache.open(tmp_path / "page.sqlite3") as cache:
        cache.upsert_orders(keep)
        assert cache.count(query) == FIRST_ROWS and cache.counts_slowly(query)
        model = CachedOrderTableModel()
        model.set_source(cache)
        counting: list[bool] = []
        model.countingChanged.connect(counting.append)
        model.set_query(query)
        assert model.counting and model.rowCount() == FIRST_ROWS
        qtbot.waitUntil(lambda: counting == [True, False], timeout=5_000)
        assert not model.counting and model.rowCount() == FIRST_ROWS

"""Search words of one or two characters mean what they always meant —
substrings of the search text, in every column, at the start or the end of
a value — whether the cache answers them from the trigram index (a rare
word) or by scanning the text (a common one, or any while the index is
incomplete); and counting a common one never holds the table's pages up."""

from __future__ import annotations

import threading

import pytest

from app.cache import OrderCache, short_terms
from app.domain.queries import OrderQuery, SortKey
from tests.app.cache import support as ref


def _words(orders) -> list[str]:
    """One- and two-character words taken from every kind of text, at the
    start and at the very end of values (where the index's end marks matter)."""
    found = ["ü", "ł", "-", "@", "1", "0", "99", "zz", "qx", "é", "a", "e"]
    for order in orders[::75]:
        for value in ref.text_values(order):
            folded = ref.fold(value).strip()
            if len(folded) >= 2:
                found += [folded[-1], folded[-2:], folded[:2], folded[0]]
    return [word for word in dict.fromkeys(found) if word.strip() and " " not in word]


def _expected(orders, words: list[str], values) -> set[str]:
    return {
        ref.key_of(o)
        for o in orders
        if o["paymentStatus"] != "INCOMPLETE" and all(ref.contains(values(o), w) for w in words)
    }


@pytest.fixture(params=["rare", "common"])
def regime(request, monkeypatch, filled):
    """Every short word answered from the index ("rare"), or by scanning ("common")."""
    if request.param == "rare":
        monkeypatch.setattr(short_terms, "RARE_DOCS", 10**9)
        monkeypatch.setattr(short_terms, "RARE_TERMS", 10**9)
    else:
        monkeypatch.setattr(short_terms, "RARE_DOCS", -1)
    filled._resolved.clear()
    filled._counts.clear()
    yield request.param
    filled._resolved.clear()
    filled._counts.clear()


def test_short_words_are_substrings_however_they_are_answered(filled, orders, regime):
    words = _words(orders)
    assert len(words) > 25
    for word in words:
        query = OrderQuery(text=word)
        wanted = _expected(orders, [word], ref.text_values)
        assert {row.key for row in filled.rows(query, limit=100_000)} == wanted, word
        assert filled.count(query) == len(wanted), word
        scanned = regime == "common" or filled.filling
        assert filled.counts_slowly(query) == scanned, word
    # with a long word, and in the filters that search fewer columns
    both = OrderQuery(text="mug 1")
    assert filled.count(both) == len(_expected(orders, ["mug", "1"], ref.text_values))
    for word in ("ok", "a", "z", "1"):
        query = OrderQuery(keywords=word, customer=word)
        wanted = _expected(orders, [word], lambda o: ref.keyword_values(o)) & _expected(
            orders, [word], ref.customer_values
        )
        assert {row.key for row in filled.rows(query, limit=100_000)} == wanted, word


def test_the_first_rows_of_a_short_word_are_the_first_rows(filled, regime):
    for sort in (SortKey.CREATED, SortKey.CUSTOMER, SortKey.TOTAL):
        for word in ("a", "zz", "ok", "7"):
            query = OrderQuery(text=word, sort=sort)
            assert filled.first_rows(query, 50) == filled.rows(query, 0, 50), (word, sort)
            assert filled.rows(query, 50, 50) == filled.rows(query, 0, 100)[50:], (word, sort)


def test_a_word_no_order_holds_matches_nothing_at_once(filled):
    filled._resolved.clear()
    query = OrderQuery(text="ψ")
    assert filled.rows(query) == [] and filled.count(query) == 0
    assert filled.counts_slowly(query) == filled.filling


def test_a_slow_count_leaves_the_table_free(tmp_path, orders, monkeypatch):
    """A common short word is counted on a connection of its own: the pages of
    the table are read meanwhile (here: while the count's connection is held)."""
    monkeypatch.setattr(short_terms, "RARE_DOCS", -1)
    with OrderCache.open(tmp_path / "orders.sqlite3") as cache:
        cache.upsert_orders(orders)
        query = OrderQuery(text="a")
        assert cache.counts_slowly(query)
        with cache._side_lock:  # a count in progress holds the second connection
            done = threading.Event()
            rows: list = []

            def page() -> None:
                rows.extend(cache.rows(query, 0, 10))
                done.set()

            reader = threading.Thread(target=page)
            reader.start()
            assert done.wait(10)
            reader.join()
        assert len(rows) == 10
        assert cache.count(query) == len(_expected(orders, ["a"], ref.text_values))


def test_a_dense_short_word_s_first_screen_is_matched_as_the_walk_meets_it(
    cache, orders, monkeypatch
):
    """The first screen of a short word that many orders hold is read along
    the sort index, each order's text matched as the walk meets it: through
    the index, every trigram the word begins is read first (20 ms a store of
    300,000 for a word in a tenth of the orders). A word few orders hold is
    still found through the index: its matches, read as it was counted, are
    sorted. The rows are the same either way."""
    monkeypatch.setattr(short_terms, "RARE_DOCS", 10**9)  # every short word resolved
    monkeypatch.setattr(short_terms, "RARE_TERMS", 10**9)
    cache.upsert_orders(orders, generation=1)
    cache.delete_unseen(1)  # (the first sync's end: the search index is built)
    conn = cache._live()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        total = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
        for word, dense in (("a", True), ("zz", False)):
            query = OrderQuery(text=word)
            assert cache.count(query) > 0  # (the word resolved)
            assert short_terms.dense(cache._resolved[word], total) is dense, word
            statements.clear()
            first = cache.first_rows(query, 20)
            (page,) = [s for s in statements if " OFFSET " in s]  # (the page, not the pins)
            if dense:  # walked, the text matched order by order
                assert "INDEXED BY orders_created" in page and "MATCH" not in page, page
            else:  # its few matches, known from its count (app.cache.planner.Matched)
                assert "json_each" in page and "INDEXED BY" not in page, page
            assert first == cache.rows(query, 0, 20), word
    finally:
        conn.set_trace_callback(None)


def test_a_short_word_the_vocabulary_shows_to_be_common_counts_slowly_uncounted(
    cache, orders, monkeypatch
):
    """When one trigram a short word begins is in at least COUNT_CAP orders,
    the word's count is known to read that many without counting them: its
    first screen comes at once and the count in the background, right."""
    from app.cache import order_cache as cache_module

    monkeypatch.setattr(short_terms, "RARE_DOCS", 10**9)  # every short word resolved
    monkeypatch.setattr(short_terms, "RARE_TERMS", 10**9)
    cache.upsert_orders(orders, generation=1)
    cache.delete_unseen(1)
    query = OrderQuery(text="a", include_incomplete=True)
    expected = cache.count(query)
    cap = cache._resolved["a"].at_least  # (the most orders one of its trigrams is in)
    assert 0 < cap <= expected
    monkeypatch.setattr(cache_module, "COUNT_CAP", cap)
    cache._counts.clear()
    conn = cache._live()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert cache.counts_slowly(query)
        assert not [s for s in statements if "count(" in s], statements
    finally:
        conn.set_trace_callback(None)
    assert cache.count(query) == expected
    # with a filter beside it, counted: it may leave few (a walk would look long for them)
    refunded = OrderQuery(text="a", include_incomplete=True, payment_status=["REFUNDED"])
    few = cache.count(refunded)
    cache._counts.clear()
    assert 0 < few < cap and not cache.counts_slowly(refunded)
    monkeypatch.setattr(cache_module, "COUNT_CAP", cap + 1)
    cache._counts.clear()
    assert cache.counts_slowly(query) is (expected >= cap + 1)  # (counted up to the cap)

"""How much memory a cache's connection keeps for pages: one store keeps
32 MB a connection; stores open together (*All stores*) share it, so three
stores take about the memory of one; the whole-file check reads every page
with a small cache (as fast, without filling 32 MB)."""

from __future__ import annotations

from app.cache import OrderCache
from app.cache.cache_file import CACHE_SIZE_KIB, CHECK_CACHE_KIB, SHARED_CACHE_MIN_KIB


def _cache_kib(cache: OrderCache) -> int:
    with cache._raw_connection() as conn:
        return -conn.execute("PRAGMA cache_size").fetchone()[0]


def test_stores_open_together_share_one_stores_page_cache(cache):
    assert _cache_kib(cache) == CACHE_SIZE_KIB
    cache.share_page_cache(3)
    assert _cache_kib(cache) == CACHE_SIZE_KIB // 3  # (applied at the next use)
    cache.share_page_cache(50)
    assert _cache_kib(cache) == SHARED_CACHE_MIN_KIB  # never below a floor
    cache.share_page_cache(1)
    assert _cache_kib(cache) == CACHE_SIZE_KIB


def test_the_check_reads_with_a_small_cache_and_gives_the_size_back(cache):
    statements: list[str] = []
    with cache._raw_connection() as conn:
        conn.set_trace_callback(statements.append)
    try:
        cache.check_integrity()
    finally:
        with cache._raw_connection() as conn:
            conn.set_trace_callback(None)
    check = statements.index("PRAGMA quick_check")
    assert statements[check - 1] == f"PRAGMA cache_size = -{CHECK_CACHE_KIB}"
    assert statements[check + 1] == f"PRAGMA cache_size = -{CACHE_SIZE_KIB}"
    assert _cache_kib(cache) == CACHE_SIZE_KIB

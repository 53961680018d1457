"""The local SQLite cache of a store's orders: the order table reads from it
and sync writes into it. It is disposable: a sync rebuilds it.

    from app.cache import OrderCache, OrderQuery, SortKey

    with OrderCache.open(path) as cache:
        cache.upsert_orders(page_of_raw_orders, generation=7)
        rows = cache.rows(OrderQuery(payment_status=["PAID"], text="okafor"), limit=200)
"""

from app.cache.errors import CacheCorruptError, CacheError
from app.cache.order_cache import OrderCache
from app.cache.query import OrderQuery, SortKey
from app.cache.rows import CachedOrderRow, UpsertResult
from app.domain.outbox import OutboxState

__all__ = [
    "CacheCorruptError",
    "CacheError",
    "CachedOrderRow",
    "OrderCache",
    "OrderQuery",
    "OutboxState",
    "SortKey",
    "UpsertResult",
]

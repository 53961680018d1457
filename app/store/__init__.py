"""The local SQLite cache of a store's orders: the order table reads from it
and sync writes into it. It is disposable: a sync rebuilds it.

    from app.store import OrderCache, OrderQuery, SortKey

    with OrderCache.open(path) as cache:
        cache.upsert_orders(page_of_raw_orders, generation=7)
        rows = cache.rows(OrderQuery(payment_status=["PAID"], text="okafor"), limit=200)
"""

from app.domain.outbox import OutboxState
from app.store.cache import OrderCache
from app.store.errors import CacheCorruptError, CacheError
from app.store.query import OrderQuery, SortKey
from app.store.rows import CachedOrderRow, UpsertResult

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

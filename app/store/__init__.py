"""The local SQLite cache of a store's orders: the order table reads from it,
sync writes into it, and every change the user makes waits in its outbox.

    from app.store import OrderCache, OrderQuery, SortKey

    with OrderCache.open(path) as cache:
        cache.upsert_orders(page_of_raw_orders, generation=7)
        rows = cache.rows(OrderQuery(payment_status=["PAID"], text="okafor"), limit=200)
"""

from app.store.cache import OrderCache
from app.store.errors import CacheCorruptError, CacheError
from app.store.outbox import OutboxEntry, OutboxState
from app.store.query import OrderQuery, SortKey
from app.store.rows import CachedOrderRow, UpsertResult

__all__ = [
    "CacheCorruptError",
    "CacheError",
    "CachedOrderRow",
    "OrderCache",
    "OrderQuery",
    "OutboxEntry",
    "OutboxState",
    "SortKey",
    "UpsertResult",
]

"""The local SQLite cache of a store's orders: the order table reads from it
and sync writes into it. It is disposable: a sync rebuilds it. It imports
nothing of the project but the shared vocabulary (:mod:`app.domain`), whose
:class:`~app.domain.queries.OrderQuery` says which orders to read.

    from app.cache import OrderCache
    from app.domain.queries import OrderQuery, SortKey

    with OrderCache.open(path) as cache:
        cache.upsert_orders(page_of_raw_orders, generation=7)
        rows = cache.rows(OrderQuery(payment_status=["PAID"], text="okafor"), limit=200)
"""

from .errors import CacheCorruptError, CacheError
from .order_cache import OrderCache
from .rows import CachedOrderRow, UpsertResult

__all__ = [
    "CacheCorruptError",
    "CacheError",
    "CachedOrderRow",
    "OrderCache",
    "UpsertResult",
]

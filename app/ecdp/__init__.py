"""The ECDP (ExpertSender CDP) Orders API layer: models, the async client, and
the mapping of Ecwid orders to ECDP orders.

    from app.ecdp import EcdpClient, EcdpError, EcdpOrder

    async with EcdpClient(api_key, base_url="https://api.ecdp.app") as client:
        await client.add_orders(orders, mode="AddOrReplace")  # batches
        order = await client.get_order(order_id)
        await client.set_status(order_id, "paid", website_id=None)
        order = await client.delete_order(order_id)  # marks IsDeleted, returns the order
"""

from app.ecdp.client import (
    DEFAULT_BASE_URL,
    DEFAULT_BATCH_SIZE,
    EcdpBatchResult,
    EcdpClient,
)
from app.ecdp.errors import (
    EcdpBadRequestError,
    EcdpConflictError,
    EcdpError,
    EcdpNetworkError,
    EcdpNotFoundError,
    EcdpProtocolError,
    EcdpRateLimitedError,
    EcdpServerError,
    EcdpUnauthorizedError,
    EcdpValidationError,
)
from app.ecdp.mapping import MappingError, UnmatchableCustomerError, map_order, map_status
from app.ecdp.models import (
    INT32_MAX,
    MODES,
    EcdpAttribute,
    EcdpCustomer,
    EcdpOrder,
    EcdpOrderRecord,
    EcdpProduct,
    EcdpStatus,
    Mode,
)
from app.ecdp.validation import validate_order, validate_orders
from app.http_transport import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_BATCH_SIZE",
    "INT32_MAX",
    "MODES",
    "EcdpAttribute",
    "EcdpBadRequestError",
    "EcdpBatchResult",
    "EcdpClient",
    "EcdpConflictError",
    "EcdpCustomer",
    "EcdpError",
    "EcdpNetworkError",
    "EcdpNotFoundError",
    "EcdpOrder",
    "EcdpOrderRecord",
    "EcdpProduct",
    "EcdpProtocolError",
    "EcdpRateLimitedError",
    "EcdpServerError",
    "EcdpStatus",
    "EcdpUnauthorizedError",
    "EcdpValidationError",
    "MappingError",
    "Mode",
    "RetryPolicy",
    "UnmatchableCustomerError",
    "map_status",
    "map_order",
    "validate_order",
    "validate_orders",
]

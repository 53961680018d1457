"""The Ecwid REST API v3 orders layer: models and the async client.

Each name is loaded from its own module when first asked for (see
:func:`__getattr__`), so importing an error does not import the client.

from app.ecwid import EcwidClient, EcwidError, Order, OrderFilters
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ecwid.client import DEFAULT_BASE_URL, EcwidClient
    from app.ecwid.enums import OptionType
    from app.ecwid.errors import (
        EcwidBadRequestError,
        EcwidConflictError,
        EcwidError,
        EcwidFileTooLargeError,
        EcwidMethodNotAllowedError,
        EcwidNetworkError,
        EcwidNotFoundError,
        EcwidPaymentRequiredError,
        EcwidProtocolError,
        EcwidRateLimitedError,
        EcwidScopeError,
        EcwidServerError,
        EcwidUnauthorizedError,
        EcwidUnfinishedOrderError,
        EcwidUnsupportedMediaError,
    )
    from app.ecwid.filters import OrderFilters
    from app.ecwid.limits import MAX_UPLOAD_BYTES
    from app.ecwid.models import (
        CreateStatus,
        CreditCardStatus,
        DeletedOrder,
        DeletedOrdersResult,
        DeleteStatus,
        DiscountCouponCatalogLimit,
        DiscountCouponInfo,
        DiscountInfo,
        HandlingFeeInfo,
        Order,
        OrderItem,
        OrderItemOption,
        OrderItemOptionFile,
        OrderItemProductFile,
        OrderItemTax,
        OrderStatusSetting,
        PersonInfo,
        PredictedPackage,
        ProductDimensions,
        SearchResult,
        ShippingOptionInfo,
        UpdateStatus,
        UploadStatus,
    )
    from app.ecwid.paging import RawOrderPage
    from app.ecwid.stamps import OrderStamp, StampPage
    from app.ecwid.transport import RetryPolicy

__all__ = [
    "CreateStatus",
    "CreditCardStatus",
    "DEFAULT_BASE_URL",
    "DeleteStatus",
    "DeletedOrder",
    "DeletedOrdersResult",
    "DiscountCouponCatalogLimit",
    "DiscountCouponInfo",
    "DiscountInfo",
    "EcwidBadRequestError",
    "EcwidClient",
    "EcwidConflictError",
    "EcwidError",
    "EcwidFileTooLargeError",
    "EcwidMethodNotAllowedError",
    "EcwidNetworkError",
    "EcwidNotFoundError",
    "EcwidPaymentRequiredError",
    "EcwidProtocolError",
    "EcwidRateLimitedError",
    "EcwidScopeError",
    "EcwidServerError",
    "EcwidUnauthorizedError",
    "EcwidUnfinishedOrderError",
    "EcwidUnsupportedMediaError",
    "HandlingFeeInfo",
    "MAX_UPLOAD_BYTES",
    "OptionType",
    "Order",
    "OrderFilters",
    "OrderItem",
    "OrderItemOption",
    "OrderItemOptionFile",
    "OrderItemProductFile",
    "OrderItemTax",
    "OrderStamp",
    "OrderStatusSetting",
    "PersonInfo",
    "PredictedPackage",
    "ProductDimensions",
    "RawOrderPage",
    "RetryPolicy",
    "SearchResult",
    "ShippingOptionInfo",
    "StampPage",
    "UpdateStatus",
    "UploadStatus",
]

_EXPORTS = {  # each name and the module that defines it, loaded when first asked for
    "DEFAULT_BASE_URL": "app.ecwid.client",
    "EcwidClient": "app.ecwid.client",
    "MAX_UPLOAD_BYTES": "app.ecwid.limits",
    "OptionType": "app.ecwid.enums",
    "EcwidBadRequestError": "app.ecwid.errors",
    "EcwidConflictError": "app.ecwid.errors",
    "EcwidError": "app.ecwid.errors",
    "EcwidFileTooLargeError": "app.ecwid.errors",
    "EcwidMethodNotAllowedError": "app.ecwid.errors",
    "EcwidNetworkError": "app.ecwid.errors",
    "EcwidNotFoundError": "app.ecwid.errors",
    "EcwidPaymentRequiredError": "app.ecwid.errors",
    "EcwidProtocolError": "app.ecwid.errors",
    "EcwidRateLimitedError": "app.ecwid.errors",
    "EcwidScopeError": "app.ecwid.errors",
    "EcwidServerError": "app.ecwid.errors",
    "EcwidUnauthorizedError": "app.ecwid.errors",
    "EcwidUnfinishedOrderError": "app.ecwid.errors",
    "EcwidUnsupportedMediaError": "app.ecwid.errors",
    "OrderFilters": "app.ecwid.filters",
    "CreateStatus": "app.ecwid.models",
    "CreditCardStatus": "app.ecwid.models",
    "DeleteStatus": "app.ecwid.models",
    "DeletedOrder": "app.ecwid.models",
    "DeletedOrdersResult": "app.ecwid.models",
    "DiscountCouponCatalogLimit": "app.ecwid.models",
    "DiscountCouponInfo": "app.ecwid.models",
    "DiscountInfo": "app.ecwid.models",
    "HandlingFeeInfo": "app.ecwid.models",
    "Order": "app.ecwid.models",
    "OrderItem": "app.ecwid.models",
    "OrderItemOption": "app.ecwid.models",
    "OrderItemOptionFile": "app.ecwid.models",
    "OrderItemProductFile": "app.ecwid.models",
    "OrderItemTax": "app.ecwid.models",
    "OrderStatusSetting": "app.ecwid.models",
    "PersonInfo": "app.ecwid.models",
    "PredictedPackage": "app.ecwid.models",
    "ProductDimensions": "app.ecwid.models",
    "SearchResult": "app.ecwid.models",
    "ShippingOptionInfo": "app.ecwid.models",
    "UpdateStatus": "app.ecwid.models",
    "UploadStatus": "app.ecwid.models",
    "RawOrderPage": "app.ecwid.paging",
    "OrderStamp": "app.ecwid.stamps",
    "StampPage": "app.ecwid.stamps",
    "RetryPolicy": "app.ecwid.transport",
}


def __getattr__(name: str) -> Any:
    """``from app.ecwid import X`` loads only X's own module: the errors are
    light, the client brings httpx and the models pydantic (~0.1 s together),
    which a window showing its cached orders does not need yet."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_load(module), name)
    globals()[name] = value
    return value


def _load(module: str) -> ModuleType:
    # plain imports, one per module (the layering test reads them)
    match module:
        case "app.ecwid.client":
            import app.ecwid.client

            return app.ecwid.client
        case "app.ecwid.enums":
            import app.ecwid.enums

            return app.ecwid.enums
        case "app.ecwid.errors":
            import app.ecwid.errors

            return app.ecwid.errors
        case "app.ecwid.filters":
            import app.ecwid.filters

            return app.ecwid.filters
        case "app.ecwid.limits":
            import app.ecwid.limits

            return app.ecwid.limits
        case "app.ecwid.models":
            import app.ecwid.models

            return app.ecwid.models
        case "app.ecwid.paging":
            import app.ecwid.paging

            return app.ecwid.paging
        case "app.ecwid.stamps":
            import app.ecwid.stamps

            return app.ecwid.stamps
        case "app.ecwid.transport":
            import app.ecwid.transport

            return app.ecwid.transport
        case _:
            raise ModuleNotFoundError(module)

"""Shared bits of the ECDP tests: a client for the demo store's ECDP side,
a valid order (the reference page's own example), and what the demo store
received."""

from __future__ import annotations

import copy
from typing import Any

from app.ecdp import EcdpClient
from app.sandbox import SandboxServer
from tests.helpers.sandbox import FAST_RETRY

# The request body example of the reference page ("Request body syntax").
REFERENCE_ORDER: dict[str, Any] = {
    "id": "12345",
    "date": "2024-11-06T10:10:00.055Z",
    "timeZone": "Pacific Standard Time",
    "websiteId": 1,
    "status": "Completed",
    "currency": "USD",
    "totalValue": 150.00,
    "returnsValue": 0,
    "customer": {"email": "customer@example.com", "phone": "+15551234567", "crmId": "67890"},
    "products": [
        {
            "id": "p001",
            "name": "Wireless Earbuds",
            "price": 75.00,
            "quantity": 2,
            "returned": 0,
            "url": "https://example.com/products/wireless-earbuds",
            "imageUrl": "https://example.com/images/wireless-earbuds.jpg",
            "category": "Electronics",
            "productAttributes": [
                {"name": "Color", "value": "Black"},
                {"name": "Warranty", "value": "1 Year"},
            ],
        }
    ],
    "orderAttributes": [
        {"name": "Shipping Method", "value": "Express"},
        {"name": "Gift Wrap", "value": "Yes"},
    ],
}


def an_order(order_id: str = "12345", **changes: Any) -> dict[str, Any]:
    """A fresh copy of the reference's order with ``id`` and top-level ``changes``."""
    order = copy.deepcopy(REFERENCE_ORDER)
    order["id"] = order_id
    order.update(changes)
    return order


def ecdp_client_for(server: SandboxServer, **kwargs: Any) -> EcdpClient:
    """A client for ``server``'s ECDP side with fast retries."""
    kwargs.setdefault("retry", FAST_RETRY)
    return EcdpClient(server.ecdp_key, base_url=server.ecdp_url, **kwargs)


def ecdp_requests(server: SandboxServer) -> list[tuple[str, str, dict[str, str]]]:
    """The requests ``server`` got on its ECDP side, in order."""
    return [entry for entry in server.request_log if entry[1].startswith("/ecdp/")]

"""The async ECDP Orders client: one method per endpoint of the Orders API.

    async with EcdpClient(api_key, base_url="https://api.ecdp.app") as client:
        results = await client.add_orders(orders, mode="AddOrReplace")  # in batches
        order = await client.get_order("DEMO-X8UYE")
        await client.set_status("DEMO-X8UYE", "paid", website_id=None)
        order = await client.delete_order("DEMO-X8UYE")  # marked IsDeleted, returned

Everything is checked against the reference before a byte is sent (an
:class:`~app.ecdp.errors.EcdpValidationError` names each order and field);
every failure after that is an :class:`~app.ecdp.errors.EcdpError` subclass.
See :mod:`app.ecdp.transport` for the key, retries and the request budget.

``add_orders`` sends :data:`DEFAULT_BATCH_SIZE` orders per request: the
reference names no maximum, and 100 orders (~150 KB of JSON) keep a request
small enough to retry cheaply while 1,000 orders still take only 10 requests.
A batch ECDP refuses (400: a field, an ``Add`` of an order it already has, a
``Replace`` of one it has not) is reported and the next batch goes on; after
a failure of the service itself (key refused, 429 beyond the retries, 5xx or
no connection after the retries, an unreadable answer) the remaining batches
are not sent. ``mode="Add"`` is never retried after a failure that may have
reached the server; ``AddOrReplace`` and ``Replace`` are, since repeating
them changes nothing. Deletes are retried too: marking an order deleted
twice leaves it marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from app.ecdp.errors import (
    EcdpError,
    EcdpNetworkError,
    EcdpNotFoundError,
    EcdpProtocolError,
    EcdpRateLimitedError,
    EcdpServerError,
    EcdpUnauthorizedError,
    EcdpValidationError,
    unreadable_response,
)
from app.ecdp.models import (
    INT32_MAX,
    EcdpOrder,
    EcdpOrderRecord,
    EcdpStatus,
    Mode,
    parse_mode,
)
from app.ecdp.transport import EcdpTransport
from app.ecdp.validation import validate_orders
from app.http_transport import ApiClient, RetryPolicy

DEFAULT_BASE_URL = "https://api.ecdp.app"
DEFAULT_BATCH_SIZE = 100
KEY_CHECK_ORDER_ID = "backroom-key-check"
STOPPING_ERRORS = (
    EcdpUnauthorizedError,
    EcdpRateLimitedError,
    EcdpServerError,
    EcdpNetworkError,
    EcdpProtocolError,
)
"""Failures of the service or the key, after which further batches are not sent."""


@dataclass(frozen=True)
class EcdpBatchResult:
    """What became of one batch of ``add_orders``: confirmed (``error`` is
    None), refused (``error`` says why), or not sent because an earlier
    batch hit a failure of the service (``sent`` is False)."""

    order_ids: tuple[str, ...]
    error: EcdpError | None = None
    sent: bool = True

    @property
    def ok(self) -> bool:
        return self.error is None


def _segment(value: str) -> str:
    """One path segment, percent-encoded (slashes, spaces, ``#``…)."""
    return quote(value, safe="")


def _order_id(order_id: str) -> str:
    text = str(order_id).strip()
    if not 1 <= len(text) <= 128:
        raise EcdpValidationError(
            f"An ECDP order id has 1 to 128 characters; {order_id!r} has {len(text)}",
            errors={"id": ["must have 1 to 128 characters"]},
        )
    return text


class EcdpClient(ApiClient):
    """Async client for one ECDP business unit's orders. Use as an async context manager."""

    _transport: EcdpTransport

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        requests_per_minute: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._transport = EcdpTransport(
            api_key,
            base_url,
            requests_per_minute=requests_per_minute,
            retry=retry,
            timeout=timeout,
        )

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    def __repr__(self) -> str:
        return f"EcdpClient(base_url={self.base_url!r})"

    # -- orders ------------------------------------------------------------------

    async def add_orders(
        self,
        orders: Iterable[EcdpOrder | Mapping[str, Any]],
        mode: Mode | str = "AddOrReplace",
        *,
        batch_size: int | None = None,
    ) -> list[EcdpBatchResult]:
        """Send ``orders`` with ``POST /orders`` in batches; one result per batch.

        Raises :class:`EcdpValidationError` (nothing sent) when an order breaks
        a rule of the reference or an id comes twice, and ValueError for an
        unknown ``mode``."""
        checked_mode = parse_mode(mode)
        checked = validate_orders(orders)
        size = batch_size or self.batch_size
        if size < 1:
            raise ValueError("batch_size must be at least 1")
        batches = [checked[start : start + size] for start in range(0, len(checked), size)]
        results: list[EcdpBatchResult] = []
        stopped: EcdpError | None = None
        for batch in batches:
            ids = tuple(order.id for order in batch)
            if stopped is not None:
                results.append(EcdpBatchResult(ids, stopped, sent=False))
                continue
            body = {"mode": checked_mode, "data": [order.to_api() for order in batch]}
            try:
                await self._transport.request(
                    "POST", "/orders", json=body, idempotent=checked_mode != "Add"
                )
            except EcdpError as error:
                results.append(EcdpBatchResult(ids, error))
                if isinstance(error, STOPPING_ERRORS):
                    stopped = error
                continue
            results.append(EcdpBatchResult(ids))
        return results

    async def get_order(self, order_id: str) -> EcdpOrderRecord:
        """The order as ECDP has it (:class:`EcdpNotFoundError` if it has none)."""
        response = await self._transport.request("GET", f"/orders/{_segment(_order_id(order_id))}")
        return self._record(response, "an order")

    async def set_status(
        self, order_id: str, status: EcdpStatus | str, website_id: int | None = None
    ) -> EcdpOrderRecord | None:
        """Set an order's status (placed, paid, completed or canceled, any case;
        sent in lower case). Returns the order when ECDP's answer carries it."""
        try:
            checked = EcdpStatus(status)
        except ValueError:
            raise EcdpValidationError(
                f"An ECDP status is one of {', '.join(s.value for s in EcdpStatus)}, "
                f"not {status!r}",
                errors={"orderStatus": ["must be placed, paid, completed or canceled"]},
            ) from None
        body: dict[str, Any] = {"orderId": _order_id(order_id), "orderStatus": checked.value}
        if website_id is not None:
            if isinstance(website_id, bool) or not 0 <= int(website_id) <= INT32_MAX:
                raise EcdpValidationError(
                    f"websiteId must be a whole number from 0 to {INT32_MAX}",
                    errors={"websiteId": ["must be a 32-bit whole number, 0 or more"]},
                )
            body["websiteId"] = int(website_id)
        response = await self._transport.request("PUT", "/orders/status", json=body)
        if not response.content.strip():
            return None
        try:
            return self._record(response, "a status answer")
        except EcdpProtocolError:
            return None  # the status was set; the answer just carries no order

    async def delete_order(self, order_id: str) -> EcdpOrderRecord:
        """Mark the order deleted (ECDP keeps it, flagged IsDeleted); returns it."""
        response = await self._transport.request(
            "DELETE", f"/orders/{_segment(_order_id(order_id))}"
        )
        return self._record(response, "a deleted order")

    async def check_key(self) -> None:
        """Check the key with one cheap request (a lookup of an order that does
        not exist): returns when ECDP accepts it, raises EcdpUnauthorizedError
        when it does not, or another EcdpError when ECDP cannot be reached."""
        try:
            await self._transport.request("GET", f"/orders/{KEY_CHECK_ORDER_ID}")
        except EcdpNotFoundError:
            return

    # -- parsing -----------------------------------------------------------------

    @staticmethod
    def _record(response: httpx.Response, what: str) -> EcdpOrderRecord:
        """The order in an answer: ``{"status": …, "data": {order}}`` (or the order itself)."""
        try:
            payload = response.json()
        except ValueError as exc:
            raise unreadable_response(what, exc) from None
        data = payload.get("data", payload) if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise unreadable_response(what, TypeError("no order object in the answer"))
        try:
            return EcdpOrderRecord.model_validate(data)
        except ValidationError as exc:
            raise unreadable_response(what, exc) from None

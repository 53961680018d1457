"""The async Ecwid orders client: one method per endpoint of the orders API.

    async with EcwidClient(store_id, token) as client:
        async for order in client.iter_orders(OrderFilters(payment_status=["PAID"])):
            ...

Every failure is an :class:`~app.ecwid.errors.EcwidError` subclass; see
:mod:`app.ecwid.transport` for authentication, rate limiting and retries.
Orders are read as real stores send them (one odd order never fails its
page, see :mod:`app.ecwid.model_base`), with the credentials inside their
URLs removed (:mod:`app.domain.url_credentials`).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from app.domain.dates import to_filter_value
from app.domain.raw_orders import RawOrder, raw_order_key
from app.domain.url_credentials import might_carry_credentials, scrub_order
from app.ecwid.errors import EcwidFileTooLargeError, unreadable_response
from app.ecwid.filters import OrderFilters
from app.ecwid.limits import MAX_UPLOAD_BYTES, PAGE_LIMIT
from app.ecwid.models import (
    CreateStatus,
    DeletedOrder,
    DeletedOrdersResult,
    DeleteStatus,
    Order,
    OrderStatusSetting,
    SearchResult,
    UpdateStatus,
    UploadStatus,
)
from app.ecwid.paging import RawOrderPage, distinct_pages, parse_raw_page
from app.ecwid.stamps import STAMP_FIELDS, OrderStamp, StampPage, parse_stamp_page
from app.ecwid.transport import ECWID_REQUESTS_PER_MINUTE, EcwidTransport
from app.http_transport import ApiClient, RetryPolicy

DEFAULT_BASE_URL = "https://app.ecwid.com/api/v3"
UPLOAD_CHUNK = 256 * 1024

ModelT = TypeVar("ModelT", bound=BaseModel)
Progress = Callable[[int, int], Any]


def _model_key(order: Order) -> str | None:
    if order.id or order.order_number is not None or order.internal_id is not None:
        return order.key
    return None


def _stamp_key(stamp: OrderStamp) -> str | None:
    return stamp.key


def _with_orders(page: SearchResult, orders: list[Order]) -> SearchResult:
    """``page`` holding only ``orders`` (a copy: no validation again)."""
    return page.model_copy(update={"items": orders})


def _without_credentials(order: dict[str, Any]) -> dict[str, Any]:
    """A raw order with the credentials inside its URLs removed: the same
    object (its JSON text kept) when it carries none, else a plain dict."""
    source = order.source if isinstance(order, RawOrder) else json.dumps(order)
    if not might_carry_credentials(source):
        return order
    cleaned, _ = scrub_order(order)
    return cleaned


def _segment(value: object) -> str:
    """One path segment, percent-encoded (spaces, slashes, ``+``, ``#``…).
    A blank one raises :class:`ValueError`: ``/orders/`` is the order
    *list*, so a blank id must never reach a URL."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise ValueError("An order, item or option must be named: the reference is empty.")
    return quote(text, safe="")


class EcwidClient(ApiClient):
    """Async client for one Ecwid store's orders. Use as an async context manager."""

    _transport: EcwidTransport

    def __init__(
        self,
        store_id: int | str,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        requests_per_minute: int | None = ECWID_REQUESTS_PER_MINUTE,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        pages_in_flight: int = 8,
    ):
        self.pages_in_flight = max(1, pages_in_flight)
        self._transport = EcwidTransport(
            store_id,
            token,
            base_url,
            requests_per_minute=requests_per_minute,
            retry=retry,
            timeout=timeout,
            max_connections=self.pages_in_flight + 2,
        )

    @property
    def store_id(self) -> str:
        return self._transport.store_id

    def __repr__(self) -> str:
        return f"EcwidClient(store_id={self.store_id!r})"

    # -- reading ---------------------------------------------------------------

    async def search_orders(
        self, filters: OrderFilters | None = None, offset: int = 0, limit: int = PAGE_LIMIT
    ) -> SearchResult:
        """One page of orders matching ``filters`` (``limit`` is always sent, ≤ 100)."""
        response = await self._search(filters, offset, limit)
        return self._parse_orders(response, SearchResult, "an order list")

    async def search_orders_raw(
        self, filters: OrderFilters | None = None, offset: int = 0, limit: int = PAGE_LIMIT
    ) -> RawOrderPage:
        """Like :meth:`search_orders`, but the orders stay the JSON objects Ecwid
        sent (for storing as-is; parse one with ``Order.model_validate``),
        but for credentials inside their URLs, which are removed."""
        page = parse_raw_page(await self.search_orders_content(filters, offset, limit))
        page.items = [_without_credentials(order) for order in page.items]
        return page

    async def search_orders_content(
        self, filters: OrderFilters | None = None, offset: int = 0, limit: int = PAGE_LIMIT
    ) -> bytes:
        """Like :meth:`search_orders_raw`, but the answer's bytes, unread (for
        parsing elsewhere, e.g. :func:`app.cache.prepared.prepare_page`, which
        removes the credentials inside URLs before anything is stored)."""
        return (await self._search(filters, offset, limit)).content

    async def search_order_stamps(
        self, filters: OrderFilters | None = None, offset: int = 0, limit: int = PAGE_LIMIT
    ) -> StampPage:
        """Like :meth:`search_orders`, but only each order's identity and last
        change (``responseFields``, see :mod:`app.ecwid.stamps`), and the
        server's clock at the answer."""
        response = await self._search(filters, offset, limit, response_fields=STAMP_FIELDS)
        payload = self._json(response, "a list of changed orders")
        return parse_stamp_page(payload, max(0, offset), response.headers.get("date"))

    def iter_order_stamps(self, filters: OrderFilters | None = None) -> AsyncGenerator[StampPage]:
        """Every page of :meth:`search_order_stamps`, in order, each order once
        (pages in flight as in :meth:`iter_pages`)."""
        return distinct_pages(
            lambda offset: self.search_order_stamps(filters, offset, PAGE_LIMIT),
            PAGE_LIMIT,
            self.pages_in_flight,
            _stamp_key,
        )

    async def _search(
        self,
        filters: OrderFilters | None,
        offset: int,
        limit: int,
        *,
        response_fields: str | None = None,
    ) -> httpx.Response:
        if not 1 <= limit <= PAGE_LIMIT:
            raise ValueError(f"limit must be between 1 and {PAGE_LIMIT}")
        params = filters.to_params() if filters else {}
        params.update(offset=str(max(0, offset)), limit=str(limit))
        if response_fields:
            params["responseFields"] = response_fields
        return await self._transport.request("GET", "/orders", params=params)

    def iter_pages(
        self, filters: OrderFilters | None = None, *, page_size: int = PAGE_LIMIT
    ) -> AsyncGenerator[SearchResult, None]:
        """Every page of the search, in order, with orders already seen on an
        earlier page removed (paging can shift while orders are added).

        Several pages are kept in flight (``pages_in_flight``, within the
        request budget) while earlier pages are consumed. Stopping early
        cancels the pages still in flight.
        """
        return distinct_pages(
            lambda offset: self.search_orders(filters, offset, page_size),
            page_size,
            self.pages_in_flight,
            _model_key,
            with_items=_with_orders,
        )

    def iter_raw_pages(
        self,
        filters: OrderFilters | None = None,
        *,
        page_size: int = PAGE_LIMIT,
        start_offset: int = 0,
    ) -> AsyncGenerator[RawOrderPage, None]:
        """:meth:`iter_pages` with the orders kept as the JSON objects Ecwid
        sent, optionally resuming at ``start_offset``."""
        return distinct_pages(
            lambda offset: self.search_orders_raw(filters, offset, page_size),
            page_size,
            self.pages_in_flight,
            raw_order_key,
            start=start_offset,
        )

    async def iter_orders(
        self, filters: OrderFilters | None = None, *, page_size: int = PAGE_LIMIT
    ) -> AsyncGenerator[Order, None]:
        """Every order matching ``filters``, in the server's order, each once."""
        async with aclosing(self.iter_pages(filters, page_size=page_size)) as pages:
            async for page in pages:
                for order in page.items:
                    yield order

    async def get_order(self, order_id: str | int) -> Order:
        """One order by its id (a number for old stores) or its order number."""
        response = await self._transport.request("GET", f"/orders/{_segment(order_id)}")
        return self._parse_orders(response, Order, "an order")

    async def get_order_raw(self, order_id: str | int) -> dict[str, Any]:
        """The order exactly as Ecwid sent it (a JSON object; a
        :class:`~app.domain.raw_orders.RawOrder` keeping its text, so the cache
        stores it as a sync would), but for credentials inside its URLs,
        which are removed."""
        response = await self._transport.request("GET", f"/orders/{_segment(order_id)}")
        payload = self._json(response, "an order")
        if not isinstance(payload, dict):
            raise unreadable_response("an order", TypeError("not a JSON object"))
        return _without_credentials(RawOrder(payload, response.text.strip()))

    async def get_invoice(self, order_id: str | int) -> str:
        """The store's own invoice HTML for the order (untrusted content)."""
        response = await self._transport.request(
            "GET", f"/orders/{_segment(order_id)}/invoice", headers={"Accept": "text/html"}
        )
        return response.text

    async def deleted_orders(
        self, since: datetime | int | str, until: datetime | int | str | None = None
    ) -> list[DeletedOrder]:
        """Orders deleted since ``since`` (and before ``until``), every page."""
        params = {"from_date": to_filter_value(since)}
        if until is not None:
            params["to_date"] = to_filter_value(until)
        found: list[DeletedOrder] = []
        offset = 0
        while True:
            params.update(offset=str(offset), limit=str(PAGE_LIMIT))
            response = await self._transport.request("GET", "/orders/deleted", params=params)
            page = self._parse(response, DeletedOrdersResult, "a deleted-order list")
            found.extend(page.items)
            offset += PAGE_LIMIT
            if not page.items or offset >= page.total:
                return found

    async def order_statuses(self) -> list[OrderStatusSetting]:
        """The store's status names, which are enabled, and which email the customer."""
        response = await self._transport.request("GET", "/profile/order_statuses")
        payload = self._json(response, "the order statuses")
        try:
            return [OrderStatusSetting.model_validate(item) for item in payload["items"]]
        except (KeyError, TypeError, ValidationError) as exc:
            raise unreadable_response("the order statuses", exc) from None

    async def get_profile(self) -> dict[str, Any]:
        """The store profile as sent (name, currency, time zone…)."""
        response = await self._transport.request("GET", "/profile")
        payload = self._json(response, "the store profile")
        if not isinstance(payload, dict):
            raise unreadable_response("the store profile", TypeError("not an object"))
        return payload

    # -- writing ---------------------------------------------------------------

    async def update_order(self, order_id: str | int, changes: dict[str, Any] | Order) -> int:
        """Partial update: fields left out are kept. An ``items`` list replaces
        all items (left-out items are deleted). Returns ``updateCount``."""
        body = changes.to_api() if isinstance(changes, Order) else dict(changes)
        response = await self._transport.request("PUT", f"/orders/{_segment(order_id)}", json=body)
        return self._parse(response, UpdateStatus, "an update result").update_count

    async def delete_order(self, order_id: str | int) -> int:
        response = await self._transport.request(
            "DELETE", f"/orders/{_segment(order_id)}", idempotent=False
        )
        return self._parse(response, DeleteStatus, "a delete result").delete_count

    async def create_order(self, order: Order | dict[str, Any]) -> CreateStatus:
        """Create an order; ``.id`` is its number, ``.orderid`` its string id.
        Never retried after a failure that may have reached the server."""
        body = order.to_api() if isinstance(order, Order) else dict(order)
        response = await self._transport.request("POST", "/orders", json=body, idempotent=False)
        return self._parse(response, CreateStatus, "a create result")

    async def upload_item_option_file(
        self,
        order_id: str | int,
        item_id: int,
        option_name: str,
        source: str | os.PathLike[str] | bytes | None = None,
        *,
        file_name: str | None = None,
        progress: Progress | None = None,
        external_url: str | None = None,
    ) -> int:
        """Attach a file to an item's FILES option; returns the new file id.

        ``source`` is a path (streamed from disk) or bytes; or give
        ``external_url`` and no source to let Ecwid fetch the file.
        ``progress(sent, total)`` is called after each chunk. Files over
        100 MB are refused before a byte is sent.
        """
        path = (
            f"/orders/{_segment(order_id)}/items/{_segment(item_id)}"
            f"/options/{_segment(option_name)}"
        )
        params: dict[str, str] = {}
        if external_url is not None:
            if source is not None:
                raise ValueError("give either a file or an external URL, not both")
            params["externalUrl"] = external_url
            if file_name:
                params["fileName"] = file_name
            response = await self._transport.request("POST", path, params=params, idempotent=False)
            return self._parse(response, UploadStatus, "an upload result").id
        if source is None:
            raise ValueError("nothing to upload: give a file path, bytes or external_url")
        if isinstance(source, bytes | bytearray):
            size = len(source)
            name = file_name or "file"
        else:
            file_path = Path(source)
            size = file_path.stat().st_size
            name = file_name or file_path.name
        if size > MAX_UPLOAD_BYTES:
            raise EcwidFileTooLargeError(
                f"{name} is {size / 1024 / 1024:.1f} MB; Ecwid accepts files up to 100 MB"
            )
        params["fileName"] = name

        def body() -> Any:
            if isinstance(source, bytes | bytearray):
                return _stream_bytes(bytes(source), progress)
            return _stream_file(Path(source), size, progress)

        response = await self._transport.request(
            "POST",
            path,
            params=params,
            body=body,
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
            idempotent=False,
        )
        return self._parse(response, UploadStatus, "an upload result").id

    async def delete_item_option_file(
        self, order_id: str | int, item_id: int, option_name: str, file_id: int
    ) -> int:
        path = (
            f"/orders/{_segment(order_id)}/items/{_segment(item_id)}"
            f"/options/{_segment(option_name)}/files/{_segment(file_id)}"
        )
        response = await self._transport.request("DELETE", path, idempotent=False)
        return self._parse(response, DeleteStatus, "a delete result").delete_count

    async def delete_item_option_files(
        self, order_id: str | int, item_id: int, option_name: str
    ) -> int:
        path = (
            f"/orders/{_segment(order_id)}/items/{_segment(item_id)}"
            f"/options/{_segment(option_name)}/files"
        )
        response = await self._transport.request("DELETE", path, idempotent=False)
        return self._parse(response, DeleteStatus, "a delete result").delete_count

    # -- parsing ---------------------------------------------------------------

    @staticmethod
    def _parse(response: httpx.Response, model: type[ModelT], what: str) -> ModelT:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise unreadable_response(what, exc) from None

    @classmethod
    def _parse_orders(cls, response: httpx.Response, model: type[ModelT], what: str) -> ModelT:
        """:meth:`_parse` for answers holding orders. They are read with the
        standard :mod:`json` module, as the sync reads them (it takes what
        pydantic's own parser refuses, e.g. an escaped lone surrogate, so no
        order fails its page there either), and credentials inside their
        URLs are removed first (store data never carries them further)."""
        payload = cls._json(response, what)
        if might_carry_credentials(response.content):
            payload, _ = scrub_order(payload)
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            raise unreadable_response(what, exc) from None

    @staticmethod
    def _json(response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise unreadable_response(what, exc) from None


async def _stream_file(path: Path, size: int, progress: Progress | None) -> AsyncIterator[bytes]:
    sent = 0
    with path.open("rb") as handle:
        while chunk := await asyncio.to_thread(handle.read, UPLOAD_CHUNK):
            sent += len(chunk)
            await _report(progress, sent, size)
            yield chunk


async def _stream_bytes(data: bytes, progress: Progress | None) -> AsyncIterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), UPLOAD_CHUNK):
        chunk = bytes(view[start : start + UPLOAD_CHUNK])
        await _report(progress, start + len(chunk), len(data))
        yield chunk


async def _report(progress: Progress | None, sent: int, total: int) -> None:
    if progress is not None:
        result = progress(sent, total)
        if isinstance(result, Awaitable):
            await result

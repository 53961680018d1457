"""The demo store's ECDP Orders API, served under ``/ecdp`` beside the Ecwid API.

- ``POST /orders`` ``{"mode", "data": [orders]}``: ``Add`` (an id ECDP has
  already is an error), ``AddOrReplace``, ``Replace`` (an id it does not
  have is an error); all or nothing; 201.
- ``GET /orders/{id}``: ``{"status": 0, "data": order}``, 404 if unknown.
- ``PUT /orders/status`` ``{"orderId", "orderStatus"[, "websiteId"]}``:
  placed, paid, completed or canceled, any case (stored in lower case); 200
  with the order.
- ``DELETE /orders/{id}``: marks the order ``isDeleted`` (it is kept and
  still found by GET) and answers it; 404 if unknown.

Every request needs the ``x-api-key`` header (401 otherwise; a key anywhere
else does not count). Errors are RFC 7807 problem details plus ``substatus``
and ``errors`` (field -> messages, e.g. ``data[0].customer.email``), with
``Content-Type: application/problem+json``. Every rule of the reference is
checked here on its own, on plain JSON, independently of the client's models.

Faults come from the sandbox's :class:`~app.sandbox.faults.Faults`: the
``*_every`` faults and latency count ECDP requests too (a 429 or 500 is
answered as problem details), and ``fail_orders`` makes any request naming
one of its order ids (a ``POST`` whose batch holds it, or GET/PUT/DELETE of
it) answer that status.
"""

from __future__ import annotations

import hmac
import json
import re
import urllib.parse
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.sandbox.ecdp_storage import ConflictingIds, EcdpStore
from app.sandbox.errors import ApiError
from app.sandbox.faults import Faults
from app.sandbox.httpio import Request, Response, json_response

ECDP_PREFIX = "/ecdp"
PROBLEM_TYPE = "application/problem+json; charset=utf-8"
INT32_MAX = 2_147_483_647
MODES = ("Add", "AddOrReplace", "Replace")
STATUSES = ("placed", "paid", "completed", "canceled")
_RFC = "https://tools.ietf.org/html/rfc9110#section-"
_KINDS = {
    400: ("Bad Request", "15.5.1"),
    401: ("Unauthorized", "15.5.2"),
    403: ("Forbidden", "15.5.4"),
    404: ("Not Found", "15.5.5"),
    405: ("Method Not Allowed", "15.5.6"),
    409: ("Conflict", "15.5.10"),
    413: ("Content Too Large", "15.5.14"),
    415: ("Unsupported Media Type", "15.5.16"),
    429: ("Too Many Requests", "15.5"),
    500: ("Internal Server Error", "15.6.1"),
    503: ("Service Unavailable", "15.6.4"),
}
_ORDER = re.compile(r"^/orders/([^/]+)$")
_VALIDATION = "One or more validation errors occurred."


class Problem(Exception):
    """An error answer in the problem-details shape."""

    def __init__(self, status: int, title: str | None = None, **fields: Any) -> None:
        super().__init__(title)
        self.status = status
        self.title = title or _KINDS.get(status, ("Error", ""))[0]
        self.headers: dict[str, str] = fields.pop("headers", None) or {}
        self.fields = {name: value for name, value in fields.items() if value is not None}

    def response(self, instance: str) -> Response:
        kind = _KINDS.get(self.status, ("", "15"))[1]
        body = {"type": _RFC + kind, "title": self.title, "status": self.status}
        body.update(self.fields)
        body["instance"] = instance
        data = json.dumps(body, separators=(",", ":")).encode()
        return Response(self.status, data, PROBLEM_TYPE, dict(self.headers))


class _Checks:
    """Collects field -> messages, worded like the service's model validation."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def text(self, obj: dict, name: str, path: str, high: int | None, low: int = 0) -> None:
        value = obj.get(name)
        where = f"{path}.{name}" if path else name
        if value is None:
            if low:
                self.add(where, f"The {name} field is required.")
        elif not isinstance(value, str):
            self.add(where, f"The field {name} must be a string.")
        elif len(value) < low or (high is not None and len(value) > high):
            self.add(where, f"The field {name} must have {low} to {high} characters.")

    def number(self, obj: dict, name: str, path: str, required: bool) -> None:
        value = obj.get(name)
        where = f"{path}.{name}" if path else name
        if value is None:
            if required:
                self.add(where, f"The {name} field is required.")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.add(where, f"The field {name} must be a number, 0 or more.")

    def integer(self, obj: dict, name: str, path: str, low: int | None, required: bool) -> None:
        value = obj.get(name)
        where = f"{path}.{name}" if path else name
        if value is None:
            if required:
                self.add(where, f"The {name} field is required.")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.add(where, f"The field {name} must be a whole number.")
        elif not (low if low is not None else -INT32_MAX - 1) <= value <= INT32_MAX:
            self.add(where, f"The field {name} must be between {low} and {INT32_MAX}.")

    def attributes(self, obj: dict, name: str, path: str) -> None:
        value = obj.get(name)
        if value is None:
            return
        if not isinstance(value, list):
            self.add(f"{path}.{name}", f"The field {name} must be a list.")
            return
        for index, attribute in enumerate(value):
            where = f"{path}.{name}[{index}]"
            if not isinstance(attribute, dict):
                self.add(where, "An attribute must be an object.")
                continue
            if attribute.get("name") is None:
                self.add(f"{where}.name", "The name field is required.")
            self.text(attribute, "name", where, 256)
            self.text(attribute, "value", where, None)

    def order(self, order: Any, path: str) -> None:
        if not isinstance(order, dict):
            self.add(path, "An order must be an object.")
            return
        self.text(order, "id", path, 128, 1)
        date = order.get("date")
        if date is None:
            self.add(f"{path}.date", "The date field is required.")
        elif not _is_date_time(date):
            self.add(f"{path}.date", "The field date must be an ISO 8601 date and time.")
        self.text(order, "timeZone", path, 100)
        self.integer(order, "websiteId", path, None, False)
        status = order.get("status")
        if status is not None and (not isinstance(status, str) or status.lower() not in STATUSES):
            self.add(f"{path}.status", f"The field status must be one of {', '.join(STATUSES)}.")
        self.text(order, "currency", path, 3, 3 if order.get("currency") is not None else 0)
        self.number(order, "totalValue", path, True)
        self.number(order, "returnsValue", path, False)
        self.customer(order.get("customer"), f"{path}.customer")
        products = order.get("products")
        if not isinstance(products, list) or not products:
            self.add(f"{path}.products", "The products field is required (at least one).")
        else:
            for index, product in enumerate(products):
                self.product(product, f"{path}.products[{index}]")
        self.attributes(order, "orderAttributes", path)

    def customer(self, customer: Any, path: str) -> None:
        if not isinstance(customer, dict):
            self.add(path, "The customer field is required.")
            return
        for name, high in (("email", 320), ("phone", 20), ("crmId", 128)):
            self.text(customer, name, path, high)
        if not any(isinstance(customer.get(n), str) and customer[n] for n in _IDENTIFIERS):
            self.add(path, "At least one customer identifier (email, phone, crmId) is required.")

    def product(self, product: Any, path: str) -> None:
        if not isinstance(product, dict):
            self.add(path, "A product must be an object.")
            return
        self.text(product, "id", path, 128, 1)
        self.text(product, "name", path, 2048, 1)
        self.number(product, "price", path, True)
        self.integer(product, "quantity", path, 1, True)
        self.integer(product, "returned", path, 0, False)
        for name in ("url", "imageUrl", "category"):
            self.text(product, name, path, 2048)
        self.attributes(product, "productAttributes", path)


_IDENTIFIERS = ("email", "phone", "crmId")


def _is_date_time(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value.upper():
        return False
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


class EcdpApi:
    """The ECDP endpoints over one :class:`EcdpStore`, for one API key."""

    def __init__(self, store: EcdpStore, api_key: str, faults: Faults) -> None:
        self.store = store
        self.api_key = api_key
        self.faults = faults

    def handle(
        self, request: Request, path: str, inject_faults: Callable[[], Response | None]
    ) -> Response:
        """Answer one request to ``/ecdp{path}``; ``inject_faults`` is the router's."""
        try:
            injected = inject_faults()
        except ApiError as error:  # an injected 429 or 500, in ECDP's shape
            return Problem(error.status, detail=error.message, headers=error.headers).response(path)
        if injected is not None:
            return injected
        try:
            self._authenticate(request)
            if request.body.malformed:
                raise Problem(400, detail="Malformed Content-Length")
            return self._route(request, path)
        except ApiError as error:  # the body was not JSON, or too large
            response = Problem(error.status, detail=error.message).response(path)
            response.close = error.close
            return response
        except Problem as problem:
            return problem.response(path)

    def _authenticate(self, request: Request) -> None:
        key = (request.headers.get("x-api-key") or "").strip()
        if not key:
            raise Problem(401, substatus="ApiKeyMissing", detail="The x-api-key header is missing.")
        if not hmac.compare_digest(key.encode(), self.api_key.encode()):
            raise Problem(401, substatus="ApiKeyInvalid", detail="The API key is not valid.")

    def _route(self, request: Request, path: str) -> Response:
        method = request.method
        if path == "/orders":
            self._allow(method, "POST")
            return self._add(request)
        if path == "/orders/status" and method == "PUT":
            return self._set_status(request)
        found = _ORDER.match(path)
        if found is None:
            raise Problem(404, detail=f"Resource {path} is not found.")
        order_id = urllib.parse.unquote(found.group(1))
        self._allow(method, "GET", "DELETE")
        self._fail(order_id)
        if method == "GET":
            return json_response({"status": 0, "data": self._order(order_id)})
        self._order(order_id)
        return json_response({"status": 0, "data": self.store.update(order_id, isDeleted=True)})

    @staticmethod
    def _allow(method: str, *allowed: str) -> None:
        if method not in allowed:
            raise Problem(
                405,
                detail=f"Method {method} is not allowed here.",
                headers={"Allow": ", ".join(allowed)},
            )

    def _fail(self, *order_ids: Any) -> None:
        for order_id in order_ids:
            status = self.faults.fail_orders.get(order_id) if isinstance(order_id, str) else None
            if status is not None:
                raise Problem(int(status), detail=f"Order {order_id!r} cannot be processed now.")

    def _order(self, order_id: str) -> dict[str, Any]:
        order = self.store.get(order_id)
        if order is None:
            raise Problem(
                404, substatus="OrderNotFound", detail=f"Order '{order_id}' does not exist."
            )
        return order

    @staticmethod
    def _json(request: Request) -> Any:
        if "json" not in request.content_type():
            raise Problem(415, detail="Send the body as application/json.")
        return request.body.read_json()

    def _add(self, request: Request) -> Response:
        body = self._json(request)
        checks = _Checks()
        if not isinstance(body, dict):
            raise Problem(
                400,
                _VALIDATION,
                substatus="OrderInvalidModelState",
                errors={"": ["The request body must be an object."]},
            )
        mode = next((m for m in MODES if m.lower() == str(body.get("mode", "")).lower()), None)
        if mode is None:
            checks.add("mode", f"The field mode must be one of {', '.join(MODES)}.")
        data = body.get("data")
        if not isinstance(data, list) or not data:
            checks.add("data", "The data field is required (at least one order).")
            data = []
        seen: dict[str, int] = {}
        for index, order in enumerate(data):
            checks.order(order, f"data[{index}]")
            order_id = order.get("id") if isinstance(order, dict) else None
            if isinstance(order_id, str) and order_id in seen:
                checks.add(f"data[{index}].id", f"Order '{order_id}' appears twice in data.")
            elif isinstance(order_id, str):
                seen[order_id] = index
        ids: list[str | None] = [
            order.get("id") if isinstance(order, dict) else None for order in data
        ]
        if checks.errors or mode is None:  # (no mode is an error said above)
            self.store.log_received(mode, ids or [None], accepted=False)
            raise Problem(
                400, _VALIDATION, substatus="OrderInvalidModelState", errors=checks.errors
            )
        try:
            self._fail(*ids)
            self.store.add(mode, data)
        except ConflictingIds as conflict:
            self.store.log_received(mode, ids, accepted=False)
            raise _conflict_problem(conflict) from None
        except Problem:
            self.store.log_received(mode, ids, accepted=False)
            raise
        self.store.log_received(mode, ids, accepted=True)
        return Response(201, b"", "text/plain; charset=utf-8")

    def _set_status(self, request: Request) -> Response:
        body = self._json(request)
        if not isinstance(body, dict):
            body = {}
        checks = _Checks()
        checks.text(body, "orderId", "", 128, 1)
        status = body.get("orderStatus")
        if not isinstance(status, str) or status.lower() not in STATUSES:
            checks.add(
                "orderStatus", f"The field orderStatus must be one of {', '.join(STATUSES)}."
            )
        checks.integer(body, "websiteId", "", None, False)
        if checks.errors or not isinstance(status, str):  # (a wrong status is an error said above)
            raise Problem(
                400, _VALIDATION, substatus="OrderInvalidModelState", errors=checks.errors
            )
        order_id = body["orderId"]
        self._fail(order_id)
        order = self._order(order_id)
        website = body.get("websiteId")
        if website is not None and order.get("websiteId") != website:
            raise Problem(
                404,
                substatus="OrderNotFound",
                detail=f"Order '{order_id}' does not exist on website {website}.",
            )
        updated = self.store.update(order_id, status=status.lower())
        return json_response({"status": 0, "data": updated})


def _conflict_problem(conflict: ConflictingIds) -> Problem:
    exists = conflict.mode == "Add"
    wording = "already exists; use AddOrReplace or Replace" if exists else "does not exist"
    return Problem(
        400,
        "Some orders cannot be " + ("added." if exists else "replaced."),
        substatus="OrderAlreadyExists" if exists else "OrderNotFound",
        detail=f"{len(conflict.found)} order(s) of this {conflict.mode} request; nothing was saved",
        errors={
            f"data[{index}].id": [f"Order '{oid}' {wording}."] for index, oid in conflict.found
        },
    )

"""From a request line to a response: faults, auth, rate limit, routes.

Every API request (``/api/v3/...``) goes through, in this order: the
injected latency; the injected faults (dropped connection, 429, 500, 502
HTML, garbage JSON); authentication; the token's access scopes (403
``INSUFFICIENT_APP_SCOPE``, see :mod:`app.sandbox.scopes`); the
suspended-store switch (402); the rate limit (429 with ``Retry-After``); the
per-order fault of a ``PUT`` or ``DELETE`` of an order listed in
``faults.fail_orders``; then its route.

Authentication accepts only ``Authorization: Bearer <token>``. A ``token``
query parameter answers 403 even when it is right (the real service stopped
accepting it in March 2025). A missing or wrong token answers 403
``INVALID_API_TOKEN``, and so does a store id other than this store's: a
token belongs to one store, and the real service answers 403 when they do
not match.

A path that exists with another method answers 405 (with ``Allow``); an
unknown path 404.

Requests under ``/ecdp/`` go to the ECDP Orders API (:mod:`app.sandbox.ecdp_api`),
which checks its own ``x-api-key`` after the same injected latency and faults.
"""

from __future__ import annotations

import hmac
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from email.message import Message

from app.sandbox.ecdp_api import ECDP_PREFIX, EcdpApi
from app.sandbox.errors import ApiError
from app.sandbox.faults import FaultPlan, Faults, TokenBucket
from app.sandbox.files_api import FilesApi
from app.sandbox.httpio import Request, RequestBody, Response, json_response
from app.sandbox.orders_api import OrdersApi
from app.sandbox.profile import WALNUT, DemoProfile, store_profile
from app.sandbox.scopes import check_scope
from app.sandbox.statuses import order_statuses_profile

_API = re.compile(r"^/api/v3/([^/]+)(/.*)?$")
_ORDERFILE = re.compile(r"^/orderfile/\d+/(\d+)(?:/.*)?$")
_SEGMENT = r"([^/]+)"
_ORDER_PATH = re.compile(r"^/orders/([^/]+)$")
_FAILURES = {
    400: ("BAD_REQUEST", "The order cannot be changed: it is locked for review"),
    403: (
        "INSUFFICIENT_APP_SCOPE",
        "The token cannot change this order: it does not have the required scope: update_orders",
    ),
    404: ("ORDER_NOT_FOUND", "Order {ref} is not found"),
    409: ("CONFLICT", "The order is being changed by another request"),
    500: ("INTERNAL_SERVER_ERROR", "Internal server error"),
    503: ("SERVICE_UNAVAILABLE", "Service temporarily unavailable"),
}
_GARBAGE = b'{"total":3000,"count":100,"offset":0,"limit":100,"items":[{"id":"DEMO-X8UY'
_WRONG_SHAPE = b'{"total": "many", "items": {"id": "DEMO-X8UYE"}, "status": "ok"}'
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class DropConnection(Exception):
    """Close the connection without answering."""


class Router:
    def __init__(
        self,
        store_id: int,
        tokens: Mapping[str, frozenset[str]],
        faults: Faults,
        orders: OrdersApi,
        files: FilesApi,
        requests_per_minute: int | None,
        ecdp: EcdpApi | None = None,
        profile: DemoProfile = WALNUT,
    ) -> None:
        self.store_id = store_id
        self.profile = profile
        self.tokens = dict(tokens)  # token -> its access scopes
        self.faults = faults
        self.plan = FaultPlan(faults)
        self.bucket = TokenBucket(requests_per_minute) if requests_per_minute else None
        self.files = files
        self.orders = orders
        self.ecdp = ecdp  # the ECDP Orders API under /ecdp/, if served
        self._routes: list[tuple[re.Pattern[str], dict[str, Callable[..., Response]]]] = []
        # Path segments are percent-decoded; the option name (3rd argument of the
        # option routes) is form-decoded: "+" and "%20" are spaces, "%2B" a plus.
        for pattern, handlers in (
            ("/orders", {"GET": orders.search, "POST": orders.create}),
            ("/orders/deleted", {"GET": orders.deleted}),
            ("/orders/{}", {"GET": orders.get, "PUT": orders.update, "DELETE": orders.delete}),
            ("/orders/{}/invoice", {"GET": orders.invoice}),
            ("/orders/{}/items/{}/options/{}", {"POST": files.upload}),
            ("/orders/{}/items/{}/options/{}/files", {"DELETE": files.delete_all}),
            ("/orders/{}/items/{}/options/{}/files/{}", {"DELETE": files.delete_file}),
            ("/profile", {"GET": self._profile}),
            ("/profile/order_statuses", {"GET": self._order_statuses}),
        ):
            regex = re.compile("^" + re.escape(pattern).replace(r"\{\}", _SEGMENT) + "$")
            self._routes.append((regex, handlers))

    def handle(self, method: str, target: str, headers: Message, body: RequestBody) -> Response:
        parts = urllib.parse.urlsplit(target)
        params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        request = Request(method, params, headers, body)
        if self.ecdp is not None and parts.path.startswith(ECDP_PREFIX + "/"):
            return self.ecdp.handle(request, parts.path[len(ECDP_PREFIX) :], self._inject_faults)
        match = _API.match(parts.path)
        if match is None:
            file_match = _ORDERFILE.match(parts.path)
            if file_match and method == "GET":
                return self.files.download(file_match.group(1))
            raise ApiError(404, "NOT_FOUND", f"Resource {parts.path} is not found")
        injected = self._inject_faults()
        if injected is not None:
            return injected
        scopes = self._authenticate(request, match.group(1))
        path = match.group(2) or "/"
        check_scope(scopes, method, path)
        if self.faults.suspended:
            raise ApiError(402, "STORE_IS_SUSPENDED", "The store is suspended")
        if self.bucket is not None:
            wait = self.bucket.take()
            if wait:
                raise ApiError(
                    429,
                    "TOO_MANY_REQUESTS",
                    "Too many requests: the limit is exceeded, retry later",
                    headers={"Retry-After": str(wait)},
                )
        if body.malformed:
            raise ApiError(400, "INVALID_REQUEST", "Malformed Content-Length", close=True)
        self._fail_order(method, path)
        response = self._route(request, path)
        return self._after_write(method, path, response)

    def _after_write(self, method: str, path: str, response: Response) -> Response:
        """The write faults: another desk's write right after a ``PUT``; a garbled answer."""
        found = _ORDER_PATH.match(path) if method in ("PUT", "DELETE") else None
        if found is None:
            return response
        if method == "PUT" and self.faults.overwrite_after_update:
            ref = urllib.parse.unquote(found.group(1))
            self.orders.write_as_another_desk(ref, dict(self.faults.overwrite_after_update))
        if self.faults.garble_writes:
            return Response(200, _GARBAGE)
        return response

    def _fail_order(self, method: str, path: str) -> None:
        """Answer a ``PUT``/``DELETE`` of an order in ``faults.fail_orders`` with its status."""
        if method not in ("PUT", "DELETE") or not self.faults.fail_orders:
            return
        found = _ORDER_PATH.match(path)
        if found is None:
            return
        ref = urllib.parse.unquote(found.group(1))
        status = self.faults.fail_orders.get(ref)
        if status is None:
            return
        code, message = _FAILURES.get(int(status), ("ERROR", "The request failed"))
        raise ApiError(int(status), code, message.format(ref=ref))

    def _inject_faults(self) -> Response | None:
        if self.faults.latency > 0:
            time.sleep(self.faults.latency)
        fault = self.plan.next_fault()
        if fault == "drop_every":
            raise DropConnection
        if fault == "rate_limit_every":
            raise ApiError(
                429,
                "TOO_MANY_REQUESTS",
                "Too many requests: the limit is exceeded, retry later",
                headers={"Retry-After": str(self.faults.retry_after)},
            )
        if fault == "error_every":
            raise ApiError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
        if fault == "html_error_every":
            return Response(502, _HTML_502, "text/html")
        if fault == "garbage_every":
            return Response(200, _GARBAGE)
        if fault == "wrong_shape_every":
            return Response(200, _WRONG_SHAPE)
        return None

    def _authenticate(self, request: Request, store_ref: str) -> frozenset[str]:
        """The scopes of the request's token (403 when it has none that is valid here)."""
        if "token" in request.params:
            raise ApiError(
                403,
                "INVALID_API_TOKEN",
                "Passing the token in the query string is not supported; "
                "use the Authorization: Bearer header",
            )
        scheme, _, sent = (request.headers.get("Authorization") or "").partition(" ")
        scopes = None
        if scheme.lower() == "bearer":
            for token, granted in self.tokens.items():
                if hmac.compare_digest(sent.strip().encode(), token.encode()):
                    scopes = granted
        if scopes is None:
            raise ApiError(403, "INVALID_API_TOKEN", "API token is missing or invalid")
        if store_ref != str(self.store_id):
            raise ApiError(403, "INVALID_API_TOKEN", "The token does not match the store id")
        return scopes

    def _route(self, request: Request, path: str) -> Response:
        for regex, handlers in self._routes:
            match = regex.match(path)
            if match is None:
                continue
            handler = handlers.get(request.method)
            if handler is None:
                raise ApiError(
                    405,
                    "METHOD_NOT_ALLOWED",
                    f"Method {request.method} is not allowed here",
                    headers={"Allow": ", ".join(handlers)},
                )
            args = [urllib.parse.unquote(group) for group in match.groups()]
            if "/options/" in path:
                args[2] = urllib.parse.unquote_plus(match.group(3))
            return handler(request, *args)
        raise ApiError(404, "NOT_FOUND", f"Resource {path} is not found")

    def _profile(self, request: Request) -> Response:
        return json_response(store_profile(self.store_id, self.profile))

    def _order_statuses(self, request: Request) -> Response:
        return json_response({"items": order_statuses_profile()})

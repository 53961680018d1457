"""Access scopes of the demo store's tokens.

A real Ecwid token carries the scopes its app asked for. The demo store
issues two: its token (every scope) and an *orders-only* token, like a
custom app that asked only for the order scopes (no ``read_store_profile``).
A request outside a token's scopes answers what Ecwid answers:
``403 {"errorMessage": …, "errorCode": "INSUFFICIENT_APP_SCOPE"}``, the
message naming the scope.
"""

from __future__ import annotations

from app.sandbox.errors import ApiError

READ_ORDERS = "read_orders"
UPDATE_ORDERS = "update_orders"
CREATE_ORDERS = "create_orders"
READ_STORE_PROFILE = "read_store_profile"

ORDER_SCOPES = frozenset({READ_ORDERS, UPDATE_ORDERS, CREATE_ORDERS})
ALL_SCOPES = ORDER_SCOPES | {READ_STORE_PROFILE}
ORDERS_ONLY_SUFFIX = "_orders_only"  # the orders-only token is the store's token plus this


def required_scope(method: str, path: str) -> str:
    """The scope a request to ``path`` (below the store id) needs."""
    if path == "/profile" or path.startswith("/profile/"):
        return READ_STORE_PROFILE
    if method in ("GET", "HEAD"):
        return READ_ORDERS
    if method == "POST" and path == "/orders":
        return CREATE_ORDERS
    return UPDATE_ORDERS


def check_scope(scopes: frozenset[str], method: str, path: str) -> None:
    """Raise the 403 Ecwid answers when ``scopes`` lack what the request needs."""
    scope = required_scope(method, path)
    if scope not in scopes:
        raise ApiError(
            403,
            "INSUFFICIENT_APP_SCOPE",
            f"The access token does not have the required scope: {scope}",
        )

"""The built-in demo store: an Ecwid-compatible HTTP server on loopback.

It serves the Ecwid REST API v3 order endpoints over its own SQLite file,
seeded with realistic orders, and behaves like the real service (Bearer
tokens only, 100-order pages, ``INCOMPLETE`` orders hidden from plain
searches, partial updates, file uploads, Ecwid-style errors), with fault
injection for tests. It imports neither Qt nor ``app.ecwid``: it works on
plain JSON so the client is tested against an independent implementation.

    from app.sandbox import SandboxServer
    with SandboxServer(orders=300) as server:
        ...  # server.url, server.store_id, server.token, server.faults
"""

from typing import TYPE_CHECKING, Any

from app.sandbox.identity import DEFAULT_DEMO_ORDERS, DEMO_STORE_ID, DEMO_TOKEN

if TYPE_CHECKING:
    from app.sandbox.faults import Faults
    from app.sandbox.server import SandboxServer

__all__ = ["DEFAULT_DEMO_ORDERS", "DEMO_STORE_ID", "DEMO_TOKEN", "Faults", "SandboxServer"]


def __getattr__(name: str) -> Any:
    # The server (HTTP, SQLite, templates: ~90 ms of imports) loads when first
    # used, not whenever the demo store's id is needed (start-up of the window, CLI).
    if name == "SandboxServer":
        from app.sandbox.server import SandboxServer

        return SandboxServer
    if name == "Faults":
        from app.sandbox.faults import Faults

        return Faults
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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

from app.sandbox.faults import Faults
from app.sandbox.server import DEMO_STORE_ID, DEMO_TOKEN, SandboxServer

__all__ = ["DEMO_STORE_ID", "DEMO_TOKEN", "Faults", "SandboxServer"]

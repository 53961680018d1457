"""Run the demo store on its own: ``backroom sandbox --port N --orders N``.

:func:`run_standalone` starts the server, prints where it listens and with
which store id and token, and serves until Ctrl+C or SIGTERM (both stop it
cleanly: a temporary database is removed).
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

from app.sandbox.identity import DEMO_STORE_ID
from app.sandbox.profile import demo_profile
from app.sandbox.server import SandboxServer


def run_standalone(
    port: int = 8080,
    orders: int = 3000,
    db_path: str | Path | None = None,
    seed: int = 42,
    requests_per_minute: int | None = None,
    latency: float = 0.0,
    host: str = "127.0.0.1",
    stop_event: threading.Event | None = None,
    number: int = 0,
) -> None:
    """Serve the demo store (demo store ``number`` of several: its own store
    id and profile) until Ctrl+C, SIGTERM or ``stop_event`` is set."""
    started = time.perf_counter()
    server = SandboxServer(
        db_path=db_path,
        orders=orders,
        seed=seed,
        store_id=DEMO_STORE_ID + number,
        profile=demo_profile(number),
        host=host,
        port=port,
        requests_per_minute=requests_per_minute,
    )
    server.faults.latency = latency
    event = stop_event or threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: event.set())
    try:
        server.start()
        elapsed = time.perf_counter() - started
        print(
            f"Demo store at {server.url}  store id {server.store_id}  token {server.token}"
            f"  ({orders} orders, ready in {elapsed:.1f} s; Ctrl+C to stop)",
            flush=True,
        )
        print(f"  orders-only token {server.orders_only_token}  (no read_store_profile)")
        print(f"  ECDP at {server.ecdp_url}  key {server.ecdp_key}", flush=True)
        while not event.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping the demo store.", flush=True)
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)

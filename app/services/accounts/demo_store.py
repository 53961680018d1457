"""The built-in demo store as a service: start the sandbox on a free loopback
port over a database in Backroom's data directory, and hand out clients for it
(for its Ecwid side and for its ECDP side, :meth:`DemoStore.ecdp_account`).

The first start seeds the database (well under a second for the default
size); later starts reuse it, so edits made in the demo survive a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Account
from app.ecwid import EcwidClient
from app.platform.paths import data_dir
from app.sandbox import DEFAULT_DEMO_ORDERS, DEMO_STORE_ID, DEMO_TOKEN

if TYPE_CHECKING:
    from app.ecdp import EcdpClient
    from app.sandbox import SandboxServer

# The demo store lives on loopback: give its clients a far larger request
# budget than Ecwid's 600/minute so the demo shows the app, not the limit.
DEMO_REQUESTS_PER_MINUTE = 60_000
DEMO_ACCOUNT_NAME = "Backroom demo store"
DEMO_ECDP_ACCOUNT_NAME = "Backroom demo ECDP"
# What push records call the demo's ECDP side: fixed, while its port changes each start.
DEMO_ECDP_TARGET = "backroom demo ecdp@demo"


def demo_account() -> Account:
    """The demo store as an account (never saved with the user's accounts; its
    cache lives in the data directory like any other account's)."""
    return Account(name=DEMO_ACCOUNT_NAME, kind="ecwid", store_id=str(DEMO_STORE_ID))


@dataclass
class DemoStore:
    """A running demo store. Stop it with :meth:`stop`."""

    server: SandboxServer

    @classmethod
    def start(cls, orders: int = DEFAULT_DEMO_ORDERS, db_path: Path | None = None) -> DemoStore:
        """Start the demo store (blocking: seeds on first use; call it off the UI loop)."""
        if db_path is None:
            db_path = data_dir() / "demo" / f"demo-store-{orders}.sqlite3"
            db_path.parent.mkdir(parents=True, exist_ok=True)
        from app.sandbox import SandboxServer  # the server's modules load only when needed

        server = SandboxServer(db_path=db_path, orders=orders)
        server.start()
        return cls(server)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def store_id(self) -> int:
        return DEMO_STORE_ID

    def client(self) -> EcwidClient:
        return EcwidClient(
            DEMO_STORE_ID,
            DEMO_TOKEN,
            base_url=self.server.url,
            requests_per_minute=DEMO_REQUESTS_PER_MINUTE,
        )

    def ecdp_account(self) -> Account:
        """The demo store's ECDP side as an account: ready to push to, with no
        key to type (its key is the sandbox's, never saved anywhere)."""
        return Account(name=DEMO_ECDP_ACCOUNT_NAME, kind="ecdp", api_url=self.server.ecdp_url)

    def ecdp_client(self) -> EcdpClient:
        from app.ecdp import EcdpClient  # the ECDP client loads only when first used

        return EcdpClient(
            self.server.ecdp_key,
            base_url=self.server.ecdp_url,
            requests_per_minute=DEMO_REQUESTS_PER_MINUTE,
        )

    def stop(self) -> None:
        self.server.stop()


def serve_demo_store(
    *,
    port: int,
    orders: int,
    db_path: Path | None,
    seed: int,
    requests_per_minute: int | None,
    latency: float,
) -> None:
    """Serve the demo store alone until Ctrl+C or SIGTERM (``backroom sandbox``),
    saying where it listens and with which store id, token and ECDP key."""
    from app.sandbox.cli import run_standalone

    run_standalone(
        port=port,
        orders=orders,
        db_path=db_path,
        seed=seed,
        requests_per_minute=requests_per_minute,
        latency=latency,
    )

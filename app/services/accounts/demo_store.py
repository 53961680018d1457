"""The built-in demo store as a service: start the sandbox on a free loopback
port over a database in Backroom's data directory, and hand out clients for it
(for its Ecwid side and for its ECDP side, :meth:`DemoStore.ecdp_account`).

The first start seeds the database (well under a second for the default
size); later starts reuse it, so edits made in the demo survive a restart.

``backroom --demo --demo-stores 3`` runs several: demo store ``number`` 0 is
the one ``--demo`` shows alone; the others have their own store id, name,
company, currency (:data:`~app.sandbox.profile.DEMO_PROFILES`), orders
(another seed: their order numbers start at the same 1001, as a new store's
do) and ECDP side, each on its own port and database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Account
from app.platform.paths import data_dir
from app.sandbox import DEFAULT_DEMO_ORDERS, DEMO_STORE_ID, DEMO_TOKEN

if TYPE_CHECKING:
    from app.ecdp import EcdpClient
    from app.ecwid import EcwidClient
    from app.sandbox import SandboxServer

# The demo store lives on loopback: give its clients a far larger request
# budget than Ecwid's 600/minute so the demo shows the app, not the limit.
DEMO_REQUESTS_PER_MINUTE = 60_000
DEMO_ACCOUNT_NAME = "Backroom demo store"
DEMO_ECDP_ACCOUNT_NAME = "Backroom demo ECDP"
# What push records call the demo's ECDP side: fixed, while its port changes each start.
DEMO_ECDP_TARGET = "backroom demo ecdp@demo"


def demo_account_name(number: int = 0) -> str:
    """The account name of demo store ``number`` (0: the demo store)."""
    return DEMO_ACCOUNT_NAME if number == 0 else f"{DEMO_ACCOUNT_NAME} {number + 1}"


def demo_account(number: int = 0) -> Account:
    """Demo store ``number`` as an account (never saved with the user's
    accounts; its cache lives in the data directory like any other account's)."""
    return Account(
        name=demo_account_name(number), kind="ecwid", store_id=str(DEMO_STORE_ID + number)
    )


def is_demo_account(name: str) -> bool:
    """Whether ``name`` is the account name of a demo store."""
    return name == DEMO_ACCOUNT_NAME or (
        name.startswith(f"{DEMO_ACCOUNT_NAME} ") and name.rsplit(" ", 1)[-1].isdigit()
    )


@dataclass
class DemoStore:
    """A running demo store. Stop it with :meth:`stop`."""

    server: SandboxServer
    number: int = 0

    @classmethod
    def start(
        cls, orders: int = DEFAULT_DEMO_ORDERS, db_path: Path | None = None, *, number: int = 0
    ) -> DemoStore:
        """Start demo store ``number`` (blocking: seeds on first use; call it
        off the UI loop)."""
        if db_path is None:
            name = f"demo-store-{orders}" if number == 0 else f"demo-store-{number + 1}-{orders}"
            db_path = data_dir() / "demo" / f"{name}.sqlite3"
            db_path.parent.mkdir(parents=True, exist_ok=True)
        from app.sandbox import SandboxServer  # the server's modules load only when needed
        from app.sandbox.profile import demo_profile

        server = SandboxServer(
            db_path=db_path,
            orders=orders,
            seed=42 + number,
            store_id=DEMO_STORE_ID + number,
            profile=demo_profile(number),
        )
        server.start()
        return cls(server, number)

    @property
    def account(self) -> Account:
        return demo_account(self.number)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def store_id(self) -> int:
        return self.server.store_id

    def client(self) -> EcwidClient:
        from app.ecwid import EcwidClient  # (not before: the window shows All stores without it)

        return EcwidClient(
            self.server.store_id,
            DEMO_TOKEN,
            base_url=self.server.url,
            requests_per_minute=DEMO_REQUESTS_PER_MINUTE,
        )

    def ecdp_account(self) -> Account:
        """The demo store's ECDP side as an account: ready to push to, with no
        key to type (its key is the sandbox's, never saved anywhere)."""
        name = (
            DEMO_ECDP_ACCOUNT_NAME
            if self.number == 0
            else f"{DEMO_ECDP_ACCOUNT_NAME} {self.number + 1}"
        )
        return Account(name=name, kind="ecdp", api_url=self.server.ecdp_url)

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
    number: int = 0,
    requests_per_minute: int | None,
    latency: float,
) -> None:
    """Serve demo store ``number`` alone until Ctrl+C or SIGTERM (``backroom
    sandbox``), saying where it listens and with which store id, token and ECDP key."""
    from app.sandbox.cli import run_standalone

    run_standalone(
        port=port,
        orders=orders,
        db_path=db_path,
        seed=seed,
        number=number,
        requests_per_minute=requests_per_minute,
        latency=latency,
    )

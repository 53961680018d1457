"""The demo store server: an Ecwid-compatible HTTP API on loopback.

``SandboxServer`` owns the SQLite file (seeded on first use), the
``ThreadingHTTPServer`` and its thread. HTTP/1.1 keep-alive works (every
answer carries ``Content-Length``). Requests are logged with the
``logging`` module at DEBUG, with any ``token=`` value redacted and never
the ``Authorization`` header; ``request_log`` keeps every request for tests.

    with SandboxServer(orders=300, now=datetime(2025, 6, 1, tzinfo=UTC)) as server:
        httpx.get(f"{server.url}/{server.store_id}/orders",
                  headers={"Authorization": f"Bearer {server.token}"})
        httpx.get(f"{server.ecdp_url}/orders/DEMO-X8UYE",
                  headers={"x-api-key": server.ecdp_key})  # its ECDP side
"""

from __future__ import annotations

import logging
import re
import shutil
import socket
import tempfile
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from app.sandbox.dates import today_midnight_utc
from app.sandbox.ecdp_api import ECDP_PREFIX, EcdpApi
from app.sandbox.ecdp_storage import EcdpStore
from app.sandbox.errors import ApiError
from app.sandbox.faults import Faults
from app.sandbox.files_api import FilesApi
from app.sandbox.httpio import CHUNK, RequestBody, Response, error_response
from app.sandbox.identity import DEMO_ECDP_KEY, DEMO_STORE_ID, DEMO_TOKEN
from app.sandbox.orders_api import OrdersApi
from app.sandbox.profile import WALNUT, DemoProfile
from app.sandbox.router import DropConnection, Router
from app.sandbox.scopes import ALL_SCOPES, ORDER_SCOPES, ORDERS_ONLY_SUFFIX
from app.sandbox.seed import OrderSeeder
from app.sandbox.storage import OrderStore

REQUEST_LOG_LIMIT = 100_000
DRAIN_LIMIT = 100 * 1024 * 1024
LINGER_SECONDS = 2.0

log = logging.getLogger(__name__)
_TOKEN_IN_URL = re.compile(r"(?i)(token=)[^&#]*")


def redact(target: str) -> str:
    return _TOKEN_IN_URL.sub(r"\1***", target)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: SandboxServer

    def __init__(self, address: tuple[str, int], sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer is not news; keep stderr quiet.
        log.debug("sandbox: connection from %s failed", client_address, exc_info=True)

    def close_open_sockets(self) -> None:
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BackroomSandbox/1.0"
    timeout = 60  # idle keep-alive connections are closed after a minute
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        # Answers go out in one write; without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to small responses on keep-alive connections.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_GET

    def _handle(self) -> None:
        sandbox = self.server.sandbox
        sandbox.record(self.command, self.path, dict(self.headers.items()))
        body = RequestBody(self.rfile, self.headers)
        router = sandbox.router
        assert router is not None  # (set before the server takes requests)
        try:
            response = router.handle(self.command, self.path, self.headers, body)
        except DropConnection:
            self.close_connection = True
            return
        except ApiError as error:
            response = error_response(error)
        except ConnectionError:
            self.close_connection = True
            return
        except Exception:
            log.exception("sandbox: %s %s failed", self.command, redact(self.path))
            response = error_response(
                ApiError(500, "INTERNAL_SERVER_ERROR", "Internal server error")
            )
        if not response.close and not body.drain(DRAIN_LIMIT):
            response.close = True
        # Closing with the body unread: keep reading (and discarding) it for a
        # moment after answering, so the client finishes sending and sees the answer.
        self._linger = response.close and not body.consumed
        self._send(response)

    def _send(self, response: Response) -> None:
        length = response.file.stat().st_size if response.file else len(response.body)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(length))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        if self.command == "HEAD":
            self.end_headers()
            return
        if response.file is None:
            # headers + body: one write (the buffer send_header fills; typeshed leaves it out)
            self._headers_buffer.append(b"\r\n" + response.body)  # type: ignore[attr-defined]
            self.flush_headers()
            return
        self.end_headers()
        with response.file.open("rb") as source:
            while piece := source.read(CHUNK):
                self.wfile.write(piece)

    def finish(self) -> None:
        super().finish()
        if getattr(self, "_linger", False):
            self._linger = False
            try:
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(0.5)
                deadline = time.monotonic() + LINGER_SECONDS
                while time.monotonic() < deadline and self.connection.recv(CHUNK):
                    pass
            except OSError:
                pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("sandbox: %s %s -> %s", self.command, redact(self.path), code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox: " + format, *args)


class SandboxServer:
    """The built-in demo store. ``start()`` seeds (once) and serves in a daemon thread."""

    def __init__(
        self,
        db_path: str | Path | None = None,
        orders: int = 3000,
        seed: int = 42,
        store_id: int = DEMO_STORE_ID,
        token: str = DEMO_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        requests_per_minute: int | None = None,
        now: datetime | None = None,
        ecdp_key: str = DEMO_ECDP_KEY,
        profile: DemoProfile = WALNUT,
    ) -> None:
        self.store_id = store_id
        self.profile = profile  # who the store is: name, company, currency
        self.token = token
        self.ecdp_key = ecdp_key
        self.host = host
        self.port = port
        self.faults = Faults()
        self.request_log: list[tuple[str, str, dict[str, str]]] = []
        self._orders = orders
        self._seed = seed
        self._now = now
        self._requests_per_minute = requests_per_minute
        self._db_path = Path(db_path) if db_path is not None else None
        self._temp_dir: Path | None = None
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._log_lock = threading.Lock()
        self.store: OrderStore | None = None
        self.ecdp_store: EcdpStore | None = None  # what its ECDP side holds and received
        self.router: Router | None = None

    @property
    def orders_only_token(self) -> str:
        """A second token, like one of a custom app that asked only for the order
        scopes: ``/profile`` and ``/profile/order_statuses`` answer it 403
        ``INSUFFICIENT_APP_SCOPE`` (see :mod:`app.sandbox.scopes`)."""
        return self.token + ORDERS_ONLY_SUFFIX

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/api/v3"

    @property
    def ecdp_url(self) -> str:
        """The base address of its ECDP Orders API (``{ecdp_url}/orders``)."""
        return f"http://{self.host}:{self.port}{ECDP_PREFIX}"

    @property
    def db_path(self) -> Path | None:
        return self._db_path

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        if self._db_path is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="backroom-sandbox-"))
            self._db_path = self._temp_dir / "sandbox.sqlite"
        self._db_path.parent.mkdir(parents=True, exist_ok=True)
        self.store = OrderStore(self._db_path)
        if not self.store.is_seeded():
            seeder = OrderSeeder(
                self._orders, self._seed, self._now or today_midnight_utc(), self.store_id
            )
            self.store.seed(seeder, seeder)
        else:
            self.store.ensure_indexes()
        self.ecdp_store = EcdpStore(self.store)
        self._httpd = _HttpServer((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        files_dir = self._db_path.with_name(self._db_path.stem + "-files")
        origin = f"http://{self.host}:{self.port}"
        self.router = Router(
            self.store_id,
            {self.token: ALL_SCOPES, self.orders_only_token: ORDER_SCOPES},
            self.faults,
            OrdersApi(self.store, self.profile),
            FilesApi(self.store, self.store_id, files_dir, origin),
            self._requests_per_minute,
            ecdp=EcdpApi(self.ecdp_store, self.ecdp_key, self.faults),
            profile=self.profile,
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("sandbox: serving store %s at %s", self.store_id, self.url)
        return self

    def record(self, method: str, target: str, headers: dict[str, str]) -> None:
        with self._log_lock:
            self.request_log.append((method, target, headers))
            if len(self.request_log) > REQUEST_LOG_LIMIT:
                del self.request_log[: REQUEST_LOG_LIMIT // 2]

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.close_open_sockets()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.store is not None:
            self.store.close()
            self.store = None
            self.ecdp_store = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None
            self._db_path = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

"""The demo store over real HTTP: auth, routing, errors, faults, keep-alive, threads."""

from __future__ import annotations

import ast
import http.client
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from app.sandbox import DEMO_STORE_ID, DEMO_TOKEN, Faults, SandboxServer
from tests.app.sandbox.support import NOW, make_client

JSON = "application/json; charset=utf-8"


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert set(body) == {"errorMessage", "errorCode"}
    assert body["errorMessage"]
    if code is not None:
        assert body["errorCode"] == code
    return body


# -- API and lifecycle --------------------------------------------------------


def test_exports_and_defaults() -> None:
    assert DEMO_STORE_ID == 4870020
    assert DEMO_TOKEN == "secret_demo_backroom"
    assert Faults() == Faults(0.0, 0, "1", 0, 0, False, 0, 0)


def test_url_store_id_token_and_port(shared_server: SandboxServer) -> None:
    assert shared_server.url == f"http://127.0.0.1:{shared_server.port}/api/v3"
    assert shared_server.port > 0
    assert shared_server.store_id == DEMO_STORE_ID
    assert shared_server.token == DEMO_TOKEN


def test_temp_database_is_removed_on_stop() -> None:
    server = SandboxServer(orders=20, now=NOW).start()
    db_path = server.db_path
    assert db_path is not None and db_path.exists()
    server.stop()
    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_existing_database_is_reused_not_reseeded(tmp_path: Path) -> None:
    db_path = tmp_path / "demo.sqlite"
    with (
        SandboxServer(db_path=db_path, orders=30, now=NOW) as server,
        make_client(server) as client,
    ):
        created = client.post("/orders", json={"items": [{"name": "Kept", "quantity": 1}]})
        order_id = created.json()["orderid"]
    assert db_path.exists()
    with (
        SandboxServer(db_path=db_path, orders=500, now=NOW) as server,
        make_client(server) as client,
    ):
        assert client.get(f"/orders/{order_id}").json()["items"][0]["name"] == "Kept"
        assert (
            client.get("/orders", params={"paymentStatus": ",".join(ALL_PAYMENT)}).json()["total"]
            == 31
        )


ALL_PAYMENT = [
    "AWAITING_PAYMENT",
    "PAID",
    "CANCELLED",
    "REFUNDED",
    "PARTIALLY_REFUNDED",
    "INCOMPLETE",
    "CUSTOM_PAYMENT_STATUS_1",
    "CUSTOM_PAYMENT_STATUS_2",
    "CUSTOM_PAYMENT_STATUS_3",
]


def test_sandbox_imports_neither_qt_nor_the_client() -> None:
    package = Path(__file__).resolve().parents[3] / "app" / "sandbox"
    modules = sorted(package.glob("*.py"))
    assert len(modules) > 10
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path} has no module docstring"
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("PySide6", "PyQt", "app.ecwid")), (path, name)


# -- auth -----------------------------------------------------------------


def test_bearer_token_is_accepted(reader: httpx.Client) -> None:
    response = reader.get("/orders", params={"limit": 1})
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON


def test_token_in_query_string_is_refused_even_when_right(shared_server: SandboxServer) -> None:
    with httpx.Client(base_url=f"{shared_server.url}/{shared_server.store_id}") as anonymous:
        response = anonymous.get("/orders", params={"token": shared_server.token})
    body = assert_error(response, 403, "INVALID_API_TOKEN")
    assert "query string" in body["errorMessage"]
    with make_client(shared_server) as client:
        both = client.get("/orders", params={"token": shared_server.token})
    assert_error(both, 403, "INVALID_API_TOKEN")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {DEMO_TOKEN}"},
        {"Authorization": "Bearer"},
    ],
)
def test_missing_or_wrong_token_is_403(shared_server: SandboxServer, headers: dict) -> None:
    with httpx.Client(base_url=f"{shared_server.url}/{shared_server.store_id}") as anonymous:
        assert_error(anonymous.get("/orders", headers=headers), 403, "INVALID_API_TOKEN")


def test_other_store_id_is_403(shared_server: SandboxServer) -> None:
    response = httpx.get(
        f"{shared_server.url}/1234/orders",
        headers={"Authorization": f"Bearer {shared_server.token}"},
    )
    assert_error(response, 403, "INVALID_API_TOKEN")


def test_an_orders_only_token_reads_and_changes_orders_but_not_the_profile(
    server: SandboxServer,
) -> None:
    headers = {"Authorization": f"Bearer {server.orders_only_token}"}
    with httpx.Client(base_url=f"{server.url}/{server.store_id}", headers=headers) as limited:
        for path in ("/profile", "/profile/order_statuses"):
            body = assert_error(limited.get(path), 403, "INSUFFICIENT_APP_SCOPE")
            assert "read_store_profile" in body["errorMessage"]
        page = limited.get("/orders", params={"limit": 1})
        assert page.status_code == 200 and page.json()["count"] == 1
        order_id = page.json()["items"][0]["internalId"]
        changed = limited.put(f"/orders/{order_id}", json={"privateAdminNotes": "scoped"})
        assert changed.status_code == 200
    with make_client(server) as full:  # the store's own token has every scope
        assert full.get("/profile").status_code == 200
        assert full.get(f"/orders/{order_id}").json()["privateAdminNotes"] == "scoped"


def test_request_log_records_requests_and_the_token_never_in_urls(server: SandboxServer) -> None:
    with make_client(server) as client:
        client.get("/orders", params={"limit": 1})
        client.get("/profile")
    methods_paths = [(method, path) for method, path, _ in server.request_log]
    assert ("GET", f"/api/v3/{server.store_id}/orders?limit=1") in methods_paths
    assert all(server.token not in path for _, path, _ in server.request_log)
    headers = server.request_log[-1][2]
    assert headers["Authorization"] == f"Bearer {server.token}"


def test_logs_redact_token_and_never_show_the_header(
    shared_server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="app.sandbox"):
        httpx.get(
            f"{shared_server.url}/{shared_server.store_id}/orders?token={shared_server.token}"
        )
        with make_client(shared_server) as client:
            client.get("/orders", params={"limit": 1})
    assert any("/orders" in record.getMessage() for record in caplog.records)
    assert all(shared_server.token not in record.getMessage() for record in caplog.records)


# -- routing and errors -------------------------------------------------------


def test_unknown_paths_are_404(reader: httpx.Client, shared_server: SandboxServer) -> None:
    assert_error(reader.get("/nothing-here"), 404)
    assert_error(reader.get("/orders/1001/nothing"), 404)
    assert_error(httpx.get(f"http://127.0.0.1:{shared_server.port}/elsewhere"), 404)


def test_wrong_method_on_existing_path_is_405(reader: httpx.Client) -> None:
    response = reader.post("/orders/1001/invoice")
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET"
    assert_error(reader.post("/orders/1001", json={}), 405)
    assert_error(reader.delete("/profile"), 405)
    assert_error(reader.put("/orders/deleted", json={}), 405)


def test_profile(reader: httpx.Client) -> None:
    profile = reader.get("/profile").json()
    assert profile["generalInfo"]["storeId"] == DEMO_STORE_ID
    assert profile["generalInfo"]["storeUrl"]
    assert profile["account"]["accountName"]
    assert profile["settings"]["storeName"] == "Walnut & Linen (demo)"
    units = profile["formatsAndUnits"]
    assert (units["currency"], units["currencyPrefix"], units["timezone"]) == (
        "USD",
        "$",
        "Europe/Berlin",
    )


def test_order_statuses(reader: httpx.Client) -> None:
    items = reader.get("/profile/order_statuses").json()["items"]
    by_id = {item["statusId"]: item for item in items}
    for item in items:
        assert set(item) == {
            "statusId",
            "orderStatusType",
            "defaultStatus",
            "enabled",
            "sendNotificationWhenStatusIsAssigned",
            "name",
            "nameTranslated",
        }
    assert by_id["OUT_FOR_DELIVERY"]["orderStatusType"] == "FULFILLMENT"
    assert by_id["PAID"]["defaultStatus"] is True
    for n in (1, 2, 3):
        assert by_id[f"CUSTOM_PAYMENT_STATUS_{n}"]["orderStatusType"] == "PAYMENT"
        assert by_id[f"CUSTOM_FULFILLMENT_STATUS_{n}"]["defaultStatus"] is False
    assert by_id["CUSTOM_PAYMENT_STATUS_1"]["name"] == "Awaiting bank transfer"
    assert by_id["CUSTOM_FULFILLMENT_STATUS_1"]["name"] == "Gift wrapped"
    assert by_id["CUSTOM_PAYMENT_STATUS_1"]["enabled"] is True
    assert by_id["CUSTOM_PAYMENT_STATUS_3"]["enabled"] is False
    # every custom status has a name a shop owner would give it, never Ecwid's placeholder
    for status_id, item in by_id.items():
        if status_id.startswith("CUSTOM_"):
            assert not item["name"].lower().startswith("custom"), item["name"]
    assert len(items) == 6 + 8 + 6


# -- faults -----------------------------------------------------------------


def test_suspended_store_is_402(server: SandboxServer, client: httpx.Client) -> None:
    server.faults.suspended = True
    assert_error(client.get("/orders"), 402, "STORE_IS_SUSPENDED")
    server.faults.suspended = False
    assert client.get("/orders").status_code == 200


def test_rate_limit_every_nth_request_with_retry_after(
    server: SandboxServer, client: httpx.Client
) -> None:
    server.faults.rate_limit_every = 3
    server.faults.retry_after = "7"
    statuses = [client.get("/orders", params={"limit": 1}).status_code for _ in range(6)]
    assert statuses == [200, 200, 429, 200, 200, 429]
    server.faults.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT"
    client.get("/profile")
    client.get("/profile")
    response = client.get("/profile")
    assert_error(response, 429)
    assert response.headers["retry-after"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_token_bucket_rate_limit() -> None:
    with SandboxServer(orders=10, now=NOW, requests_per_minute=5) as server:
        with make_client(server) as client:
            statuses = [client.get("/profile").status_code for _ in range(7)]
            assert statuses[:5] == [200] * 5
            assert statuses[5:] == [429, 429]
            limited = client.get("/profile")
    assert_error(limited, 429, "TOO_MANY_REQUESTS")
    assert int(limited.headers["retry-after"]) >= 1


def test_error_every_nth_request_is_500(server: SandboxServer, client: httpx.Client) -> None:
    server.faults.error_every = 2
    assert client.get("/profile").status_code == 200
    assert_error(client.get("/profile"), 500, "INTERNAL_SERVER_ERROR")
    assert client.get("/profile").status_code == 200


def test_html_error_every_nth_request_is_502_html(
    server: SandboxServer, client: httpx.Client
) -> None:
    server.faults.html_error_every = 1
    response = client.get("/orders")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


def test_garbage_every_nth_request_is_malformed_json(
    server: SandboxServer, client: httpx.Client
) -> None:
    server.faults.garbage_every = 1
    response = client.get("/orders")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_wrong_shape_every_nth_request_is_json_of_another_shape(
    server: SandboxServer, client: httpx.Client
) -> None:
    server.faults.wrong_shape_every = 1
    response = client.get("/orders")
    assert response.status_code == 200
    assert isinstance(response.json()["items"], dict)


def test_drop_every_nth_request_closes_without_response(
    server: SandboxServer, client: httpx.Client
) -> None:
    server.faults.drop_every = 2
    assert client.get("/profile").status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/profile")
    assert client.get("/profile").status_code == 200


def test_latency_delays_every_request(server: SandboxServer, client: httpx.Client) -> None:
    server.faults.latency = 0.2
    started = time.perf_counter()
    client.get("/profile")
    assert time.perf_counter() - started >= 0.2


# -- HTTP behaviour -------------------------------------------------------------


def test_keep_alive_reuses_one_connection(shared_server: SandboxServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", shared_server.port, timeout=5)
    headers = {"Authorization": f"Bearer {shared_server.token}"}
    sockets = set()
    for path in ("/orders?limit=2", "/profile", "/orders/999999", "/orders/1001/invoice"):
        connection.request("GET", f"/api/v3/{shared_server.store_id}{path}", headers=headers)
        response = connection.getresponse()
        assert response.getheader("Content-Length") is not None
        response.read()
        sockets.add(id(connection.sock))
    assert len(sockets) == 1
    connection.close()


def test_concurrent_requests(server: SandboxServer) -> None:
    with make_client(server, limits=httpx.Limits(max_connections=16)) as client:
        first = client.get("/orders", params={"limit": 1}).json()["items"][0]
        target, stamp_before = first["orderNumber"], first.get("updateTimestamp", 0)

        def work(n: int) -> int:
            if n % 4 == 0:
                response = client.put(f"/orders/{target}", json={"privateAdminNotes": f"note {n}"})
            elif n % 4 == 1:
                response = client.post(
                    "/orders", json={"items": [{"name": f"n{n}", "quantity": 1}]}
                )
            else:
                response = client.get("/orders", params={"offset": n, "limit": 50})
            return response.status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(work, range(96)))
        assert statuses == [200] * 96
        created = client.get("/orders", params={"keywords": "n1"}).json()["total"]
        assert created >= 1
        stamp_after = client.get(f"/orders/{target}").json()["updateTimestamp"]
        assert stamp_after >= stamp_before + 24  # each of the 24 PUTs moved it forward

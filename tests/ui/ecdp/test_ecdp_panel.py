"""The ECDP panel against the demo store's ECDP side over loopback: look an
order up, change its status, mark it deleted after a confirmation naming it,
and ECDP's refusals in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.config import Account
from app.ecdp import EcdpClient
from app.services.ecdp.destinations import EcdpDestination
from tests.app.ecdp.support import an_order, ecdp_client_for
from tests.helpers.sandbox import FAST_RETRY
from ui.common.tasks import TaskRunner
from ui.ecdp.panel import EcdpPanel

pytestmark = pytest.mark.usefixtures("qt_loop")


@pytest.fixture
def held(sandbox, run_on_qt):
    """The demo ECDP holds order P-1 (the reference page's example)."""

    async def add():
        async with ecdp_client_for(sandbox) as client:
            await client.add_orders([an_order("P-1", status="placed")])

    run_on_qt(add())
    return sandbox


def _client(sandbox, key: str | None) -> EcdpClient:
    if key is None:
        return ecdp_client_for(sandbox)
    return EcdpClient(key, base_url=sandbox.ecdp_url, retry=FAST_RETRY)


def _panel(qtbot, sandbox, key: str | None = None, **options) -> EcdpPanel:
    account = Account(name="CDP", kind="ecdp", api_url=sandbox.ecdp_url)
    destination = EcdpDestination(account, "cdp@test", lambda: _client(sandbox, key))
    panel = EcdpPanel([destination], TaskRunner(), **options)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _look_up(qtbot, panel: EcdpPanel, order_id: str) -> None:
    panel.id_edit.setText(order_id)
    qtbot.mouseClick(panel.look_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)


def test_look_up_set_status_and_mark_deleted(qtbot, held):
    panel = _panel(qtbot, held)
    assert not panel.status_button.isEnabled() and not panel.delete_button.isEnabled()
    _look_up(qtbot, panel, "P-1")
    text = panel.details.toPlainText()
    for expected in ("P-1", "Placed", "customer@example.com", "Wireless Earbuds", "Express"):
        assert expected in text
    assert panel.status_combo.currentData() == "placed"

    panel.status_combo.setCurrentIndex(panel.status_combo.findData("paid"))
    qtbot.mouseClick(panel.status_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert held.ecdp_store.get("P-1")["status"] == "paid"
    assert "now paid" in panel.message.text()
    assert "Paid" in panel.details.toPlainText()

    asked = []
    panel._confirm_delete = lambda order_id: asked.append(order_id) or False
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert asked == ["P-1"] and not panel.busy  # declined: nothing sent
    assert not held.ecdp_store.get("P-1").get("isDeleted")
    panel._confirm_delete = lambda order_id: asked.append(order_id) or True
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert held.ecdp_store.get("P-1")["isDeleted"] is True
    assert "marked deleted" in panel.details.toPlainText()
    assert not panel.delete_button.isEnabled()


def test_refusals_are_said_in_ecdps_words(qtbot, held):
    panel = _panel(qtbot, held, order_id="P-1")
    qtbot.mouseClick(panel.look_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy and panel.order is not None, timeout=10_000)
    _look_up(qtbot, panel, "NOPE-9")
    assert "Order 'NOPE-9' does not exist" in panel.message.text()
    assert panel.order is None and panel.details.toPlainText() == ""
    assert not panel.status_button.isEnabled()

    held.faults.fail_orders = {"P-1": 409}
    _look_up(qtbot, panel, "P-1")
    assert "Order 'P-1' cannot be processed now" in panel.message.text()

    refused = _panel(qtbot, held, key="wrong-key")
    _look_up(qtbot, refused, "P-1")
    assert "ECDP refused the API key" in refused.message.text()
    assert "The API key is not valid" in refused.message.text()

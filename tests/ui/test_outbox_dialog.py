"""The outbox dialog lists each unconfirmed change of a real cache with its
state and the store's reason, and offers to send refused ones again."""

from __future__ import annotations

from app.services.outbox import stage_edit
from app.services.store_session import OutboxSummary
from app.store import OrderQuery, OutboxState
from ui.outbox_dialog import OutboxDialog


def test_lists_changes_and_retries_the_refused(qtbot, cache):
    first, second = (row.key for row in cache.rows(OrderQuery(), 0, 2))
    pending = stage_edit(cache, first, {"trackingNumber": "TRK-1"})
    refused = stage_edit(cache, second, {"paymentStatus": "PAID"})
    cache.mark_outbox(refused, OutboxState.FAILED, reason="Status PAID is not allowed")
    retried = []
    dialog = OutboxDialog(
        OutboxSummary(cache.outbox()), lambda: retried.append(1), lambda key: f"#{key}"
    )
    qtbot.addWidget(dialog)
    rows = [
        [dialog.model.item(r, c).text() for c in range(dialog.model.columnCount())]
        for r in range(dialog.model.rowCount())
    ]
    assert [row[:2] for row in rows] == [
        [f"#{first}", "trackingNumber → TRK-1"],
        [f"#{second}", "paymentStatus → PAID"],
    ]
    assert rows[1][4] == "Status PAID is not allowed"
    assert dialog.table.accessibleName() == "Changes waiting for the store"
    assert pending != refused
    assert dialog.retry_button.isEnabled()
    dialog.retry_button.click()
    assert retried == [1] and not dialog.retry_button.isEnabled()


def test_says_when_everything_is_confirmed(qtbot):
    dialog = OutboxDialog(OutboxSummary([]), lambda: None, str)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    assert "confirmed" in dialog.intro.text()
    assert not dialog.retry_button.isEnabled()

"""The outbox dialog on a real session and outbox: each edit in words with
its state and the store's reason, and Retry, Discard and Resolve per edit
and for all."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.outbox import OutboxState
from app.services.session import OutboxSummary
from tests.helpers.desks import stage
from tests.ui.editor import support
from tests.ui.editor.support import change_on_server
from ui.common.tasks import TaskRunner
from ui.outbox.outbox_dialog import OutboxDialog, intro_text
from ui.window.change_hub import ChangeHub
from ui.window.sync_controller import SyncController

session = support.session  # fixture


def _rows(dialog: OutboxDialog) -> list[list[str]]:
    return [
        [dialog.model.item(r, c).text() for c in range(dialog.model.columnCount())]
        for r in range(dialog.model.rowCount())
    ]


def _dialog(qtbot, session) -> tuple[OutboxDialog, SyncController]:
    sync = SyncController(session, TaskRunner())
    dialog = OutboxDialog(session, sync)
    hub = ChangeHub(parent=dialog)
    hub.follow(session)
    hub.changed.connect(dialog.on_changes)
    qtbot.addWidget(dialog)
    return dialog, sync


def _keys(session, count: int) -> list[str]:
    from app.domain.queries import OrderQuery

    rows = session.rows.rows(OrderQuery(payment_status=["PAID"]), limit=50)
    return [row.key for row in rows if not row.key.isdigit()][:count]


def test_lists_edits_in_words_and_retries_discards_and_resolves(
    qtbot,
    session,
    sandbox,
    run_on_qt,
):
    first, second, third = _keys(session, 3)
    waiting = run_on_qt(stage(session, first, {"fulfillmentStatus": "PROCESSING"}))
    refused = run_on_qt(stage(session, second, {"paymentStatus": "QUEUED"}))
    conflict = run_on_qt(stage(session, third, {"trackingNumber": "MINE"}))
    change_on_server(sandbox, third, {"trackingNumber": "THEIRS"}, run_on_qt)
    run_on_qt(session.send_entries([refused, conflict]))
    dialog, _sync = _dialog(qtbot, session)
    rows = _rows(dialog)
    assert [row[2] for row in rows] == ["Waiting to be sent", "Refused by the store", "Conflict"]
    assert rows[0][1].startswith("Fulfillment status: ") and rows[0][1].endswith("→ Processing")
    assert "fulfillmentStatus" not in rows[0][1] and "PROCESSING" not in rows[0][1]
    assert rows[1][5] == "Status QUEUED is deprecated, use AWAITING_PAYMENT instead"
    assert rows[2][3] == "Front desk"
    assert dialog.intro.text() == (
        "1 edit is on the way: sent at the next sync (the table shows the store's values "
        "until then). 2 edits need you: retry, discard or resolve them."
    )
    assert dialog.table.accessibleName() == "Edits waiting for the store"

    dialog.table.selectRow(2)  # the conflict: resolvable, not retriable
    assert dialog.resolve_button.isEnabled() and not dialog.retry_button.isEnabled()
    dialog.resolve_button.click()
    qtbot.waitUntil(lambda: dialog.resolver is not None and dialog.resolver.isVisible())
    dialog.resolver.take_server_button.click()
    qtbot.waitUntil(lambda: len(_rows(dialog)) == 2)

    dialog.table.selectRow(1)  # refused: retry sends it again (refused again)
    dialog.retry_button.click()
    qtbot.waitUntil(lambda: dialog.retry_button.isEnabled())
    assert [row[2] for row in _rows(dialog)] == ["Waiting to be sent", "Refused by the store"]

    def discard_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            next(b for b in box.buttons() if b.text() == "Discard").click()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, discard_when_asked)
    dialog.discard_all_button.click()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    assert dialog.intro.text() == "Every change has been confirmed by the store."
    assert session.outbox_summary().entries == []
    assert waiting != refused


def test_plurals_of_the_introduction():
    class _Edit:
        def __init__(self, state):
            self.state = state

    one = OutboxSummary([_Edit(OutboxState.CONFLICT)])  # type: ignore[list-item]
    assert intro_text(one) == "1 edit needs you: retry, discard or resolve it."
    assert intro_text(OutboxSummary([])) == "Every change has been confirmed by the store."

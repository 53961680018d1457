"""Telling the user that someone overwrote what this desk saved.

Ecwid cannot refuse a colleague's write, so after a sync finds a field this
desk wrote changed again (an *overwritten* edit), the window says so at once:
which orders, both values, and a way to put this desk's values back, to keep
theirs, or to look at it in the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from app.services.outbox import Edit
    from app.services.session import StoreSession

PUT_BACK = "Put mine back"
KEEP_THEIRS = "Keep theirs"
SHOW = "Show in outbox…"


def notice_text(edits: list[Edit]) -> tuple[str, str]:
    """The notice's headline and its details (each edit's reason names both values)."""
    if len(edits) == 1:
        head = f"Someone changed order #{edits[0].number} again after you saved it."
    else:
        head = f"Someone changed {len(edits)} orders again after you saved them."
    details = "\n".join(f"#{edit.number}: {edit.reason or ''}" for edit in edits)
    return head, details


def show_overwritten(
    parent: QWidget,
    session: StoreSession,
    edits: list[Edit],
    show_outbox: Callable[[int | None], None],
) -> QMessageBox:
    """Open (not modal) the notice about ``edits``; its buttons act through
    the window's sync controller (``parent.store.sync``)."""
    head, details = notice_text(edits)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Your change was overwritten")
    box.setText(head)
    box.setInformativeText(
        details + "\n\nEcwid cannot stop two people writing the same order at once; "
        "Backroom watches what you saved for a while and tells you."
    )
    put_back = box.addButton(PUT_BACK, QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton(KEEP_THEIRS, QMessageBox.ButtonRole.DestructiveRole)
    show = box.addButton(SHOW, QMessageBox.ButtonRole.HelpRole)
    box.setAccessibleName("Your change was overwritten")
    ids = [edit.id for edit in edits]
    sync = getattr(getattr(parent, "store", None), "sync", None)

    def on_clicked(button: object) -> None:
        if button is show:
            show_outbox(ids[0])
            return
        if sync is None:
            return
        if button is put_back:
            sync.run_outbox_action(lambda: _put_back(session, edits))
        elif button is keep:
            sync.run_outbox_action(lambda: session.discard_entries(ids))

    box.buttonClicked.connect(on_clicked)
    box.open()
    parent.overwritten_notice = box  # kept for tests and to avoid an early delete
    return box


async def _put_back(session: StoreSession, edits: list[Edit]) -> None:
    for edit in edits:
        fields = await session.conflict_fields(edit.id)
        kept = await session.resolve_conflict(edit.id, {f.name: "mine" for f in fields})
        if kept is not None:
            await session.send_entries([kept])

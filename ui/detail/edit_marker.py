"""The bar above an order's details when an edit of it is not settled: what
the edit does, where it stands, and a way to it in the outbox.

The details below always show the store's values; this bar says what this
desk asked for that the store does not hold (yet): waiting to be sent, or
refused, in conflict, overwritten — each leads to the edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.domain.outbox import NEEDS_ATTENTION, STATE_WORDS, OutboxState
from ui.common.notice_banner import NoticeBanner


@dataclass(frozen=True)
class EditNote:
    """One open edit of the order shown, in words."""

    edit_id: int
    state: OutboxState
    words: str  # "Tracking number: (empty) → 1Z999"
    reason: str | None


def marker_text(notes: list[EditNote]) -> str:
    """The bar's text: the worst edit first, the others counted."""
    worst = max(notes, key=lambda note: note.state in NEEDS_ATTENTION)
    state = STATE_WORDS.get(worst.state, worst.state.value)
    if worst.state in NEEDS_ATTENTION:
        text = f"⚠ {state}: {worst.words}. The store's values are shown."
    else:
        text = f"{state}: {worst.words}. The store's values are shown until it is sent."
    others = len(notes) - 1
    if others:
        text += f" (and {others} more edit{'s' if others > 1 else ''})"
    return text


class EditMarker(NoticeBanner):
    """Shown while the order has open edits (tinted amber when one needs the
    user, blue while it is on its way); *Show in outbox…* asks for the edit."""

    outboxRequested = Signal(int)  # noqa: N815 - the edit id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editMarker")
        self.action.setAccessibleName("Show this order's edit in the outbox")
        self.actionTriggered.connect(self._on_action)
        self._edit_id: int | None = None

    def show_notes(self, notes: list[EditNote]) -> None:
        if not notes:
            self._edit_id = None
            self.clear()
            return
        worst = max(notes, key=lambda note: note.state in NEEDS_ATTENTION)
        self._edit_id = worst.edit_id
        kind = "warning" if worst.state in NEEDS_ATTENTION else "info"
        self.show_notice(marker_text(notes), kind, "Show in outbox…")
        self.message.setToolTip(worst.reason or "")

    def _on_action(self) -> None:
        if self._edit_id is not None:
            self.outboxRequested.emit(self._edit_id)

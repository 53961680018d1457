"""The order editor: one order's editable fields in a calm, aligned form,
saved through the outbox, drafted to disk as the user types (the widgets are
laid out in :mod:`ui.editor.view`).

- Validation runs as the user types (debounced); problems show by their
  fields and Save stays disabled while a changed field has one. Nothing is
  sent for invalid input.
- Every change is written to the :class:`~app.services.orders.drafts.DraftStore`
  (debounced, and at once when the focus leaves a field or the editor
  hides); opening the order again restores it, and says so.
- Saving stages only what changed (:func:`changes_between`) and sends it
  through the session (:mod:`app.services.orders.saving`); a conflict opens
  :class:`ConflictDialog`. Edits of this order still waiting in the outbox
  are shown in the form (the banner says so) and a save carries them along.

Keys (:mod:`ui.editor.keys`): Ctrl+S save, Esc discard (asks),
Alt+Up/Alt+Down previous/next order, and the status shortcuts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QApplication, QWidget

from app.services.orders.changes import (
    EditInvalid,
    changes_between,
    editable_copy,
    validate,
    with_waiting_edits,
)
from app.services.orders.drafts import Draft, DraftStore
from ui.common.dates import display_locale
from ui.common.tasks import TaskRunner
from ui.detail.pane import OrderFormat
from ui.editor.conflict_dialog import ConflictDialog
from ui.editor.keys import STATUS_SHORTCUTS, add_shortcuts
from ui.editor.problems import EditorProblems
from ui.editor.state import (
    differs,
    order_title,
    rebased_copy,
    restored_copy,
    restored_notice,
    summary_line,
)
from ui.editor.view import OrderEditorView, ask_discard, ask_keep_or_discard, run_dialog

if TYPE_CHECKING:
    from app.services.orders.saving import SaveResult
    from app.services.outbox import Choice, ConflictField, Edit
    from app.services.session import StoreSession

log = logging.getLogger(__name__)

VALIDATE_DELAY_MS = 300
DRAFT_DELAY_MS = 500


class OrderEditor(OrderEditorView):
    """Edits one order of the open store; see the module docstring."""

    saved = Signal(str)  # key, after the outbox accepted the change (sent or queued)
    navigateRequested = Signal(int)  # noqa: N815 - -1 previous, +1 next
    closeRequested = Signal()  # noqa: N815

    def __init__(self, drafts: DraftStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafts = drafts
        self.session: StoreSession | None = None
        self.tasks = TaskRunner(on_error=self._on_task_error)
        self.key: str | None = None
        self._original: dict[str, Any] = {}  # the cached order the edit is measured against
        self._began_from: dict[str, Any] = {}  # the version the edit began from (conflict check)
        self._pristine: dict[str, Any] = {}  # its editable copy, untouched
        self._edited: dict[str, Any] = {}  # the working copy the fields write into
        self._base_ts: int | None = None
        self._fmt = OrderFormat(display_locale())
        self._overlaid: list[int] = []  # waiting edits of this order shown in the form
        self._waiting: list[Edit] = []  # the open edits of this order when it was loaded
        self._undecided: int | None = None  # a conflict the user left undecided
        self._draft_dirty = False
        self._saving = False
        self._focus_before_save: QWidget | None = None
        self.problems = EditorProblems(self)
        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self._on_validate_timeout)
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self._on_draft_timeout)
        self.conflict_dialog: ConflictDialog | None = None  # the one shown last
        self._connect()
        self.show_empty("No order is open.")

    # -- set-up ------------------------------------------------------------------------

    def _connect(self) -> None:
        self.banner.actionTriggered.connect(self._on_banner_action)
        for source in (self.items, self.form):
            source.edited.connect(self._on_edited)
            source.left.connect(self._flush_draft)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        bindings = [
            (QKeySequence(QKeySequence.StandardKey.Save), self._on_save_clicked),
            (QKeySequence(Qt.Key.Key_Escape), self._on_escape),
            (QKeySequence("Alt+Up"), lambda: self._navigate(-1)),
            (QKeySequence("Alt+Down"), lambda: self._navigate(1)),
        ]
        for keys, kind, status, _name in STATUS_SHORTCUTS:
            bindings.append(
                (QKeySequence(keys), lambda k=kind, s=status: self._on_status_shortcut(k, s))
            )
        self.shortcuts = add_shortcuts(self, bindings)

    # -- our API -----------------------------------------------------------------------

    def set_session(self, session: StoreSession | None) -> None:
        """The store whose orders are edited (None: none open)."""
        self._flush_draft()
        self.session = session
        self.key = None
        self._undecided = None
        self.show_empty("No order is open." if session else "No store is open.")

    async def open_order(self, key: str) -> None:
        """Open ``key`` for editing; a draft left of it is restored (the banner says so)."""
        self._flush_draft()
        session = self.session
        if session is None:
            return
        order = await session.order_json(key)
        waiting = await session.open_edits(key) if order is not None else []
        if session is not self.session:
            return
        if order is None:
            self.key = None
            self.show_empty("This order is not among the store's saved orders.")
            return
        self._load(key, order, draft=self._load_draft(session, key), waiting=waiting)

    def has_unsaved_changes(self) -> bool:
        return self.key is not None and differs(self._edited, self._pristine)

    def confirm_discard(self) -> bool:
        """Asks what to do with unsaved changes; True when it is fine to leave
        (they were kept as a draft or discarded, or there were none)."""
        self._flush_draft()
        if self._saving:
            self.set_status("Wait until the order is saved.")
            return False
        if not self.has_unsaved_changes():
            return True
        answer = ask_keep_or_discard(self, order_title(self._original))
        if answer == "discard":
            self.discard_changes()
        return answer is not None

    def take_store_version(self, key: str, fresh: dict[str, Any]) -> None:
        """Show ``fresh`` (order ``key`` as the store has it now, e.g. after a
        file upload) keeping the user's unsaved edits and the chosen item: the
        edit is rebased on ``fresh`` and measured from it from then on."""
        session = self.session
        if session is None or self.key != key or self._saving:
            return  # another order is shown, or saving re-reads the order anyway
        row = self.items.current_row()
        if not self.has_unsaved_changes():
            self._load(key, fresh, draft=None)
        else:
            rebased = rebased_copy(self._edited, self._pristine, fresh)
            updated = fresh.get("updateTimestamp")
            draft = Draft(session.account.name, key, updated, rebased, datetime.now(UTC))
            self._load(key, fresh, draft=draft)
            self.banner.clear()  # not a restored draft: the same edit, carried on
            self._draft_dirty = True
            self._flush_draft()  # the draft now starts from the fresh order
        if 0 <= row < self.items.model.rowCount():
            self.items.table.setCurrentIndex(self.items.model.index(row, 0))

    def discard_changes(self) -> None:
        """Forget the edit and its draft; the fields show the order as cached."""
        if self.key is None or self.session is None:
            return
        self.drafts.discard(self.session.account.name, self.key)
        self._drop_undecided()
        self._load(self.key, self._original, draft=None)
        self.set_status("Changes discarded.")

    async def save(self) -> bool:
        """Send the changes; True when they left the editor (sent or queued)."""
        session, key = self.session, self.key
        if session is None or key is None or self._saving:
            return False
        self._flush_draft()
        self._validate_now()
        if self.problems.blocking:
            self.set_status("Fix the problems shown before saving.")
            self.problems.focus_first()
            return False
        try:
            changes = changes_between(self._original, self._edited)
        except EditInvalid as invalid:
            self.problems.show(invalid.problems, self._edited, self._pristine)
            self.set_status("Fix the problems shown before saving.")
            self._update_buttons()
            return False
        if not changes and not self._overlaid:
            self._after_nothing_to_save()
            return True
        self._set_saving(True)
        try:
            undecided, self._undecided = self._undecided, None
            if undecided is not None:  # the user saves again: that conflict is replaced
                await session.discard_entries([undecided])
            if not changes:  # the waiting edits were all undone in the form
                await session.discard_entries(self._overlaid)
                self._overlaid = []
                self._after_nothing_to_save()
                return True
            result = await session.save_edit(
                key, changes, self._began_from, self._ask_conflict, supersedes=self._overlaid
            )
        finally:
            self._set_saving(False)
        await self._settle(session, key, result)
        return result.done

    # -- loading -----------------------------------------------------------------------

    def _load_draft(self, session: StoreSession, key: str) -> Draft | None:
        try:
            return self.drafts.load(session.account.name, key)
        except OSError as error:
            log.warning("draft of %s not read: %s", key, error)
            return None

    def _load(
        self,
        key: str,
        order: dict[str, Any],
        *,
        draft: Draft | None,
        waiting: list[Edit] | None = None,
    ) -> None:
        session = self.session
        assert session is not None
        if key != self.key:
            self._undecided = None
            self._waiting = []
        if waiting is not None:
            self._waiting = waiting
        self.key = key
        self._original = order
        self._began_from = order
        shown, self._overlaid = with_waiting_edits(order, self._waiting)
        self._pristine = editable_copy(shown)
        self._base_ts = order.get("updateTimestamp")
        self.problems.forget_store_problems()
        self._draft_dirty = False
        edited = editable_copy(shown)
        self.banner.clear()
        if self._overlaid:
            count = len(self._overlaid)
            self.banner.show_notice(
                f"{'An edit' if count == 1 else f'{count} edits'} of this order "
                f"{'waits' if count == 1 else 'wait'} to be sent; "
                f"{'it is' if count == 1 else 'they are'} shown here. Saving sends "
                "them with your changes.",
                "info",
            )
        if draft is not None:
            restored = restored_copy(draft, order)
            if differs(restored, self._pristine):
                edited = restored
                if draft.base_update_timestamp is not None:
                    self._base_ts = draft.base_update_timestamp  # saving checks for changes since
                if draft.base is not None:
                    self._began_from = draft.base  # the conflict check starts from there
                self.banner.show_notice(restored_notice(draft, order), "warning", "Discard draft")
            else:
                self.drafts.discard(session.account.name, key)
        self._edited = edited
        display = session.display
        names = display.status_names
        self._fmt = OrderFormat(display_locale(), display.currency_code or None, names)
        notifies = getattr(display, "status_notifies", {})
        self.form.load(
            edited,
            initial=self._pristine,
            status_names=names,
            status_notifies=notifies,
            status_disabled=display.status_disabled,
        )
        self.items.load(edited, self._fmt, original=order)
        self.show_page(order_title(order), summary_line(order, self._fmt))
        self.set_status("")
        self._validate_now()

    # -- validation --------------------------------------------------------------------

    def _validate_now(self) -> None:
        self._validate_timer.stop()
        self.problems.show(validate(self._edited), self._edited, self._pristine)
        self._update_buttons()

    # -- saving --------------------------------------------------------------------------

    async def _ask_conflict(self, fields: list[ConflictField]) -> dict[str, Choice] | None:
        dialog = ConflictDialog(order_title(self._original), fields, self, fmt=self._fmt)
        self.conflict_dialog = dialog
        await run_dialog(dialog)
        return dialog.choices() if dialog.decision() is not None else None

    async def _settle(self, session: StoreSession, key: str, result: SaveResult) -> None:
        if result.done:
            self.drafts.discard(session.account.name, key)
            fresh = await session.order_json(key)
            waiting = await session.open_edits(key)
            if session is self.session and key == self.key and fresh is not None:
                self._load(key, fresh, draft=None, waiting=waiting)
            self.set_status(result.message)
            self.saved.emit(key)
            return
        self._overlaid, self._waiting = [], []  # folded into the edit just sent
        if result.state == "conflict":
            self._undecided = result.edit_id
            self.banner.show_notice(
                f"Not saved. {result.message} Save again to choose what to keep.", "warning"
            )
            self.set_status("Not saved: the order changed in the store. Save again to choose.")
            return
        if result.state == "refused":
            if result.problem is not None:
                refusal = f"was refused by the store: {result.message}"
                self.problems.from_store[tuple(result.problem.path)] = refusal
                self._validate_now()
            else:
                self.banner.show_notice(f"The store refused the change: {result.message}", "error")
            self.set_status("Not saved: the store refused the change.")
            return
        self.banner.show_notice(result.message, "warning")
        self.set_status("Not saved.")

    def _drop_undecided(self) -> None:
        """Forget a conflict the user left undecided (the form still holds the edit)."""
        undecided, self._undecided = self._undecided, None
        session = self.session
        if undecided is not None and session is not None:
            self.tasks.run(session.discard_entries([undecided]), name="drop-conflict")

    def _after_nothing_to_save(self) -> None:
        if self.session is None or self.key is None:
            return
        self.drafts.discard(self.session.account.name, self.key)
        self._load(self.key, self._original, draft=None)
        self.set_status("Nothing to save.")

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        focus = QApplication.focusWidget()
        if saving:
            self._focus_before_save = focus if focus and self.isAncestorOf(focus) else None
            self.set_status("Saving…")
        self.content.setEnabled(not saving)
        if not saving and self._focus_before_save is not None:
            self._focus_before_save.setFocus(Qt.FocusReason.OtherFocusReason)
            self._focus_before_save = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        changed = self.has_unsaved_changes()
        blocking = self.problems.blocking
        ready = changed and not blocking and not self._saving and self.session is not None
        self.save_button.setEnabled(ready)
        self.discard_button.setEnabled(changed and not self._saving)
        items_changed = differs(self._edited.get("items"), self._pristine.get("items"))
        item_problems = any(p.path and p.path[0] == "items" for p in blocking)
        self.items.set_recalculate_enabled(items_changed and not item_problems)
        if changed and not self._saving and blocking:
            count = len(blocking)
            self.set_status(f"{count} problem{'s' if count > 1 else ''} to fix before saving.")

    # -- drafts --------------------------------------------------------------------------

    def _flush_draft(self) -> None:
        """Write the draft now if anything changed since it was last written."""
        self._draft_timer.stop()
        session, key = self.session, self.key
        if not self._draft_dirty or session is None or key is None:
            return
        self._draft_dirty = False
        try:
            if not self.has_unsaved_changes():
                self.drafts.discard(session.account.name, key)
                return
            draft = Draft(
                session.account.name,
                key,
                self._base_ts,
                self._edited,
                datetime.now(UTC),
                self._began_from,
            )
            self.drafts.save(draft)
        except (OSError, TypeError, ValueError) as error:
            log.warning("draft of %s not written: %s", key, error)
            self.set_status(f"Your changes could not be kept as a draft: {error}")

    # -- slots ---------------------------------------------------------------------------

    def _on_edited(self, path: tuple) -> None:
        self.problems.forget_store_problems(path)
        self.items.show_totals()
        self._draft_dirty = True
        self._draft_timer.start()
        self._validate_timer.start()
        if self.status_label.text() and not self.problems.blocking:
            self.set_status("")
        self._update_buttons()

    def _on_validate_timeout(self) -> None:
        self._validate_now()

    def _on_draft_timeout(self) -> None:
        self._flush_draft()

    def _on_save_clicked(self) -> None:
        if self.key is not None and not self._saving:
            self.tasks.run(self.save(), name="save")

    def _on_discard_clicked(self) -> None:
        if self.has_unsaved_changes() and ask_discard(self, order_title(self._original)):
            self.discard_changes()

    def _on_banner_action(self) -> None:
        self.discard_changes()

    def _on_escape(self) -> None:
        table = self.items.table
        if table.state() == QAbstractItemView.State.EditingState:
            editor = QApplication.focusWidget()
            if editor is not None:
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
            table.setFocus()
            return
        if self._saving:
            return
        if not self.has_unsaved_changes():
            self.closeRequested.emit()
            return
        if ask_discard(self, order_title(self._original)):
            self.discard_changes()
            self.closeRequested.emit()

    def _navigate(self, step: int) -> None:
        if self.confirm_discard():
            self.navigateRequested.emit(step)

    def _on_status_shortcut(self, kind: str, status: str) -> None:
        if self.key is not None and not self._saving:
            self.form.set_status(kind, status)

    def _on_task_error(self, error: BaseException) -> None:
        self.set_status(f"Something went wrong ({type(error).__name__}); it is logged.")

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._flush_draft()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._flush_draft()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.banner.isHidden():
            self.banner.retint()

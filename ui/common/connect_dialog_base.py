"""What the connect dialogs share (an Ecwid store, an ECDP account): a form
of account fields and one secret (a token, a key) typed hidden, with a Show
button; Connect checks the secret once with the service before anything is
saved, with a busy bar meanwhile that Cancel calls off; a failure is said
under the form and the next edit clears it. Once connected the secret field
is cleared, and when there is something to read first (the secret is kept
for this session only, say) the dialog shows it and closes on OK; closing
then still counts as connected.

A subclass builds its fields in :meth:`_setup_ui` (the secret's row with
:meth:`_secret_field`, the form with :meth:`_new_form`), then calls
:meth:`_build`, and says:

- :meth:`_validate`: whether the form is plausible (showing why not), ending
  with :meth:`_enable_connect`;
- :meth:`_account_to_check`: the account Connect sends, or None;
- :meth:`_connect`: check and save it; the result, or a failure in words;
- :meth:`_show_notices`: what to read before closing (False: nothing);
- :meth:`_announce`: emit its own signal with the result.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from html import escape
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts import AccountStore, SecretStore
from ui.common.appearance import paint_as_error
from ui.common.keys import add_close_keys
from ui.common.tasks import TaskRunner

CANCELLED_TEXT = "The check was cancelled; nothing was saved."


class ConnectDialogBase(QDialog):
    """A dialog that checks an account's secret with its service, then saves it."""

    checking_text: ClassVar[str]  # under the form while the check runs
    internal_error_text: ClassVar[str]  # when the check fails unexpectedly
    connected_title: ClassVar[str]  # the window title over the notices after connecting
    task_name: ClassVar[str]  # the check's task name (with the dialog's id)
    secret_word: ClassVar[str]  # "token" or "key", in the session-only notice

    def __init__(
        self,
        accounts: AccountStore,
        secrets: SecretStore,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        *,
        api_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._accounts = accounts
        self._secrets = secrets
        self._tasks = tasks
        self._check: asyncio.Task[Any] | None = None
        self._outcome: Any = None  # what _connect returned, once connected
        self._setup_ui(api_url)
        self._validate()

    # -- for subclasses: set-up ----------------------------------------------------

    def _secret_field(
        self, placeholder: str, name: str, tooltip: str
    ) -> tuple[QLineEdit, QToolButton, QHBoxLayout]:
        """The secret's hidden field, its Show button and the row holding both."""
        self._secret_edit = QLineEdit(placeholderText=placeholder)
        self._secret_edit.setAccessibleName(name)
        self._secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._show_secret_button = QToolButton(text="Show", checkable=True)
        self._show_secret_button.setToolTip(tooltip)
        self._show_secret_button.toggled.connect(self._on_show_secret_toggled)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self._secret_edit, 1)
        row.addWidget(self._show_secret_button)
        return self._secret_edit, self._show_secret_button, row

    @staticmethod
    def _new_form() -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _notice_box(self, pixmap: QStyle.StandardPixmap, label: QLabel) -> QWidget:
        """``label`` beside a standard icon (warning, information…)."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        row.addWidget(icon)
        row.addWidget(label, 1)
        return box

    def _build(
        self,
        intro_text: str,
        form: QFormLayout,
        *,
        below_form: Iterable[QWidget] = (),
        notices: Iterable[QWidget] = (),
    ) -> None:
        """Lay the dialog out: the intro and ``form``, then ``below_form``, the
        busy bar, the failure, the session-only notice and ``notices`` (hidden
        until :meth:`_show_notices` shows them), and the buttons."""
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        self.form_box = QWidget()
        form_layout = QVBoxLayout(self.form_box)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(intro)
        form_layout.addSpacing(4)
        form_layout.addLayout(form)

        self.progress = QProgressBar(textVisible=False, maximumHeight=8)
        self.progress.setRange(0, 0)  # busy
        self.progress_label = QLabel(self.checking_text)
        self.failure_label = QLabel(wordWrap=True)
        self.failure_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failure_label.setAccessibleName("Connection problem")
        paint_as_error(self.failure_label)
        self.session_label = QLabel(wordWrap=True)
        self.session_label.setAccessibleName(
            f"{self.secret_word.capitalize()} kept for this session only"
        )
        self.session_box = self._notice_box(
            QStyle.StandardPixmap.SP_MessageBoxWarning, self.session_label
        )

        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.ok_button.clicked.connect(self._finish)
        self.ok_button.hide()

        notices = list(notices)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form_box)
        for widget in (*below_form, self.progress_label, self.progress, self.failure_label):
            layout.addWidget(widget)
        for widget in (self.session_box, *notices):
            layout.addWidget(widget)
            widget.hide()
        layout.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self._set_busy(False)
        self.failure_label.hide()

    # -- for subclasses: what differs ------------------------------------------------

    def _setup_ui(self, api_url: str | None) -> None:
        """Build the fields and the form (``api_url``: the address to start
        with, if any), then call :meth:`_build`."""
        raise NotImplementedError

    def _validate(self) -> bool:
        """Show what is wrong with the form; enable Connect when it is plausible."""
        raise NotImplementedError

    def _account_to_check(self) -> Any | None:
        """The account Connect checks and saves, or None (the form says why)."""
        raise NotImplementedError

    async def _connect(self, account: Any, secret: str) -> Any:
        """Check ``secret`` with the service and save ``account``: the result
        (announced once the user has read the notices), or a failure in words."""
        raise NotImplementedError

    def _show_notices(self, outcome: Any) -> bool:
        """Fill and show what to read before closing; False when there is nothing."""
        raise NotImplementedError

    def _announce(self, outcome: Any) -> None:
        """Emit the subclass's signal with the result."""
        raise NotImplementedError

    # -- validation --------------------------------------------------------------------

    def _enable_connect(self, plausible: bool) -> None:
        self.connect_button.setEnabled(plausible and self._check is None)

    def _on_form_edited(self) -> None:
        self.failure_label.hide()
        self._validate()

    # -- checking ----------------------------------------------------------------------

    def _on_connect_clicked(self) -> None:
        account = self._account_to_check()
        if account is None or self._check is not None:
            return
        self.failure_label.hide()
        self._check = self._tasks.run(
            self._connect(account, self._secret_edit.text().strip()),
            name=f"{self.task_name}-{id(self)}",
        )
        self._check.add_done_callback(self._on_check_done)
        self._show_secret_button.setChecked(False)
        self._set_busy(True)

    def _on_check_done(self, task: asyncio.Task[Any]) -> None:
        if not shiboken6.isValid(self) or task is not self._check:
            return  # the dialog is gone, or this check was called off
        self._check = None
        self._set_busy(False)
        if task.cancelled():
            self._show_failure(CANCELLED_TEXT)
        elif task.exception() is not None:  # unexpected; the TaskRunner logs and reports it
            self._show_failure(self.internal_error_text)
        elif isinstance(outcome := task.result(), str):
            self._show_failure(outcome)
        else:
            self._on_connected(outcome)

    def _on_connected(self, outcome: Any) -> None:
        self._outcome = outcome
        self._secret_edit.clear()
        if not self._show_notices(outcome):
            self._finish()
            return
        self.setWindowTitle(self.connected_title)
        self.form_box.hide()
        self.failure_label.hide()
        self._fit_height()
        self.connect_button.hide()
        self.cancel_button.hide()
        self.ok_button.show()
        self.ok_button.setDefault(True)
        self.ok_button.setFocus()
        self.adjustSize()
        self._fit_height()

    def _show_session_notice(self, connected_to: str, message: str) -> None:
        """Say that the secret is kept for this session only, and why."""
        self.session_label.setText(
            f"<p><b>Connected to {escape(connected_to)}, but the {self.secret_word} is kept "
            f"for this session only.</b></p><p>{escape(message)}</p>"
        )
        self.session_box.show()

    def _finish(self) -> None:
        if self._outcome is None:
            return
        self._announce(self._outcome)
        super().accept()

    def _show_failure(self, text: str) -> None:
        self.failure_label.setText(text)
        self.failure_label.show()
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to fit wrapped messages (a window's minimum size ignores word wrap)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool) -> None:
        self.form_box.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress_label.setVisible(busy)
        if busy:
            self.connect_button.setEnabled(False)
            self.cancel_button.setFocus()
        else:
            self._validate()
        self._fit_height()

    @property
    def busy(self) -> bool:
        """Whether the secret is being checked right now."""
        return self._check is not None

    # -- closing -----------------------------------------------------------------------

    def _on_cancel_clicked(self) -> None:
        if self._check is not None:
            self._check.cancel()  # back to the form; _on_check_done says so
        else:
            self.reject()

    def reject(self) -> None:
        if self._outcome is not None:  # saved already: closing means OK
            self._finish()
            return
        if self._check is not None:
            self._check.cancel()
            self._check = None
        self._secret_edit.clear()
        super().reject()

    def _on_show_secret_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self._secret_edit.setEchoMode(mode)
        self._show_secret_button.setText("Hide" if shown else "Show")

"""File › Settings: what the user can set for the open store (sync interval,
new-order notifications, time zone, invoice paper, invoice prefetch, how long
a saved change is watched for being overwritten) and for the app
(appearance, this desk's name in the activity log). The store's settings are validated by
:class:`~app.services.accounts.AccountSettings`; a bad value is named under the form
and OK stays disabled, so nothing invalid is saved."""

from __future__ import annotations

import html
import zoneinfo

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.accounts import AccountSettings, default_desk_name, describe_validation_error
from ui.common.keys import add_close_keys

STORE_ZONE = "The store's own time zone"
SCHEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class SettingsDialog(QDialog):
    """Edits one account's settings (when a store is open) and the appearance."""

    def __init__(
        self,
        settings: AccountSettings | None,
        scheme: str,
        parent: QWidget | None = None,
        *,
        store_name: str = "",
        desk_name: str = "",
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.initial = settings
        self.store_name = store_name
        self.desk_name = desk_name
        self._result: AccountSettings | None = settings
        self._setup_ui(scheme)
        self._on_changed()

    def _setup_ui(self, scheme: str) -> None:
        self.setWindowTitle("Settings")
        layout = QVBoxLayout(self)

        self.store_box = QGroupBox(
            f"This store — {self.store_name.replace('&', '&&')}"
            if self.store_name
            else "This store"
        )
        form = QFormLayout(self.store_box)
        current = self.initial or AccountSettings()
        self.interval = QSpinBox()
        self.interval.setRange(1, 1440)
        self.interval.setSuffix(" min")
        self.interval.setValue(current.sync_interval_minutes)
        self.interval.setAccessibleName("Sync interval in minutes")
        form.addRow("Sync every:", self.interval)
        self.notify = QCheckBox("Notify me about new orders")
        self.notify.setChecked(current.notify_new_orders)
        self.sound = QCheckBox("Play a sound with the notification")
        self.sound.setChecked(current.notification_sound)
        form.addRow("", self.notify)
        form.addRow("", self.sound)
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.setAccessibleName("Time zone for dates")
        self.zone.addItem(STORE_ZONE, "")
        for name in sorted(zoneinfo.available_timezones()):
            self.zone.addItem(name, name)
        index = self.zone.findData(current.time_zone or "")
        self.zone.setCurrentIndex(max(index, 0))
        form.addRow("Show dates in:", self.zone)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText(current.invoice_paper)
        self.paper.setAccessibleName("Invoice paper size")
        form.addRow("Invoice paper:", self.paper)
        self.prefetch = QSpinBox()
        self.prefetch.setRange(0, 365)
        self.prefetch.setSpecialValueText("Off")
        self.prefetch.setSuffix(" days")
        self.prefetch.setValue(current.prefetch_invoices_days)
        self.prefetch.setAccessibleName("Keep invoices of the last days for offline use")
        form.addRow("Keep invoices offline for orders of the last:", self.prefetch)
        self.watch = QSpinBox()
        self.watch.setRange(0, 1440)
        self.watch.setSpecialValueText("Off")
        self.watch.setSuffix(" min")
        self.watch.setValue(current.overwrite_watch_minutes)
        self.watch.setAccessibleName("Minutes to watch a saved change for being overwritten")
        self.watch.setToolTip(
            "Ecwid cannot stop two people changing the same order at once. For this long "
            "after the store confirms your change, each sync checks that nobody changed it "
            "again, and tells you if someone did."
        )
        form.addRow("Tell me if someone overwrites my change within:", self.watch)
        self.store_box.setEnabled(self.initial is not None)
        if self.initial is None:
            self.store_box.setToolTip("Open a store to change its settings.")
        layout.addWidget(self.store_box)

        app_box = QGroupBox("Backroom")
        app_form = QFormLayout(app_box)
        self.scheme = QComboBox()
        for value, label in SCHEMES:
            self.scheme.addItem(label, value)
        self.scheme.setCurrentIndex(max(self.scheme.findData(scheme), 0))
        self.scheme.setAccessibleName("Appearance")
        app_form.addRow("Appearance:", self.scheme)
        self.desk = QLineEdit(self.desk_name)
        self.desk.setPlaceholderText(default_desk_name())
        self.desk.setMaxLength(60)
        self.desk.setAccessibleName("This desk's name")
        self.desk.setToolTip(
            "How this computer is named in the record of what was written to each order."
        )
        app_form.addRow("This desk's name:", self.desk)
        layout.addWidget(app_box)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem with the settings")
        self.problem.hide()
        layout.addWidget(self.problem)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.notify.toggled.connect(self._on_changed)
        self.zone.currentTextChanged.connect(self._on_changed)
        for spin in (self.interval, self.prefetch, self.watch):
            spin.valueChanged.connect(self._on_changed)

    def _zone_value(self) -> str | None:
        text = self.zone.currentText().strip()
        return None if not text or text == STORE_ZONE else text

    def _on_changed(self) -> None:
        self.sound.setEnabled(self.notify.isChecked())
        if self.initial is None:
            self._result = None
            return
        try:
            self._result = AccountSettings.model_validate(
                {
                    **self.initial.model_dump(),
                    "sync_interval_minutes": self.interval.value(),
                    "notify_new_orders": self.notify.isChecked(),
                    "notification_sound": self.sound.isChecked(),
                    "time_zone": self._zone_value(),
                    "invoice_paper": self.paper.currentText(),
                    "prefetch_invoices_days": self.prefetch.value(),
                    "overwrite_watch_minutes": self.watch.value(),
                }
            )
        except ValidationError as error:
            self._result = None
            reason = html.escape(describe_validation_error(error))
            self.problem.setText(f"<b>Not saved:</b> {reason}")
            self.problem.show()
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.problem.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def account_settings(self) -> AccountSettings | None:
        """The validated settings of the store (None when no store is open)."""
        self._on_changed()
        return self._result

    def color_scheme(self) -> str:
        return str(self.scheme.currentData())

    def chosen_desk_name(self) -> str:
        """The desk name typed ("" for the computer's name)."""
        return self.desk.text().strip()

"""The main window's preferences: the Settings dialog, the View menu's
notification switches and the colour scheme.

:class:`WindowPreferences` applies what the user chose at once and keeps it:
the colour scheme in the window's QSettings, the open store's settings
(notifications, sound, sync interval…) in its account, so they come back
with that store. It adds the Appearance menu itself; the window wires its
notification switches to the ``on_*_toggled`` slots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from ui.common.appearance import apply_color_scheme
from ui.common.icons import icon

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

COLOR_SCHEME_KEY = "ui/color_scheme"  # QSettings: "system", "light" or "dark"
COLOR_SCHEMES = (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"))


class WindowPreferences(QObject):
    """What the user set for one main window and the store it shows."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.scheme_actions = QActionGroup(window)

    def add_appearance_menu(self, menu: QMenu) -> None:
        """The Appearance submenu of ``menu``: one checkable action per colour scheme."""
        appearance = menu.addMenu("&Appearance")
        appearance.setIcon(icon("appearance"))
        current = self.color_scheme()
        for value, label in COLOR_SCHEMES:
            action = QAction(label, self.window, checkable=True, checked=value == current)
            action.setData(value)
            action.triggered.connect(lambda _checked=False, v=value: self._on_scheme_chosen(v))
            self.scheme_actions.addAction(action)
            appearance.addAction(action)

    def color_scheme(self) -> str:
        """The colour scheme chosen: "system", "light" or "dark"."""
        return str(self.window.settings.value(COLOR_SCHEME_KEY, "system") or "system")

    def show_settings(self) -> None:
        from ui.settings.settings_dialog import SettingsDialog

        window = self.window
        session = window.session
        dialog = SettingsDialog(
            session.account.settings if session is not None else None,
            self.color_scheme(),
            window,
            store_name=session.title if session is not None else "",
            desk_name=self._stored_desk_name(),
        )
        dialog.accepted.connect(lambda: self._on_settings_accepted(dialog))
        dialog.open()

    def _on_settings_accepted(self, dialog: object) -> None:
        from ui.settings.settings_dialog import SettingsDialog

        assert isinstance(dialog, SettingsDialog)
        window = self.window
        self._on_scheme_chosen(dialog.color_scheme())
        for action in self.scheme_actions.actions():
            action.setChecked(action.data() == dialog.color_scheme())
        self._save_desk_name(dialog.chosen_desk_name())
        chosen = dialog.account_settings()
        if chosen is None or window.session is None:
            return
        for name, value in chosen.model_dump().items():
            self._save_account_setting(name, value)
        window.notify_action.setChecked(chosen.notify_new_orders)
        window.sound_action.setChecked(chosen.notification_sound)
        if window.sync is not None:
            window.sync.set_interval_minutes(chosen.sync_interval_minutes)

    def _stored_desk_name(self) -> str:
        from app.services.accounts import default_desk_name

        accounts = self.window.accounts
        if accounts is None:
            return ""
        stored = accounts.desk_name
        return "" if stored == default_desk_name() else stored

    def _save_desk_name(self, name: str) -> None:
        from app.services.accounts import ConfigError

        window = self.window
        if window.accounts is None or name == self._stored_desk_name():
            return
        try:
            window.accounts.set_desk_name(name)
        except ConfigError as error:
            window.warn("The desk's name was not saved", str(error))
            return
        for session in window.store.sessions:  # every open store's edits name this desk
            session.outbox.desk = window.accounts.desk_name

    # -- slots of the View menu's actions --------------------------------------------------

    def _on_scheme_chosen(self, value: str) -> None:
        self.window.settings.setValue(COLOR_SCHEME_KEY, value)
        apply_color_scheme(value)

    def on_notify_toggled(self, on: bool) -> None:
        window = self.window
        window.notifier.enabled = on
        window.sound_action.setEnabled(on and window.session is not None)
        self._save_account_setting("notify_new_orders", on, shown=True)

    def on_sound_toggled(self, on: bool) -> None:
        self.window.notifier.sound = on
        self._save_account_setting("notification_sound", on, shown=True)

    # -- keeping a store's setting --------------------------------------------------------

    def _save_account_setting(self, name: str, value: object, *, shown: bool = False) -> None:
        """Keep a setting of the store in hand (``shown``: of every store
        shown, as the View menu's switches mean across stores)."""
        window = self.window
        sessions = window.shown.sessions if shown and window.shown is not None else None
        if sessions is None:
            sessions = [window.session] if window.session is not None else []
        for session in sessions:
            self._save_setting_of(session, name, value)

    def _save_setting_of(self, session: Any, name: str, value: object) -> None:
        from app.services.accounts import ConfigError

        window, accounts = self.window, self.window.accounts
        if accounts is None:
            return
        account = session.account
        if getattr(account.settings, name) == value:
            return
        updated = account.model_copy(
            update={"settings": account.settings.model_copy(update={name: value})}
        )
        session.account = updated
        if any(a.name == account.name for a in accounts.accounts()):
            try:
                accounts.update(updated)
            except ConfigError as error:
                window.warn("The setting could not be saved", str(error))

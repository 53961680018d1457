"""Keyboard shortcuts that work the same on Linux, Windows and macOS.

Qt's standard keys differ by platform, and some are empty: on Linux and
Windows there is no Preferences key, and Windows has no Quit key.
:func:`standard_keys` gives the platform's keys for a standard action and a
stated fallback where the platform has none (``Ctrl+,`` for Settings,
``Ctrl+Q`` for Quit), so every action has a key on every platform.

:func:`add_close_keys` makes a secondary window (a dialog, the editor's own
window) close with ``Ctrl+W`` and the platform's Close keys (``Ctrl+F4`` on
Windows, ``⌘W`` on macOS), and with ``Esc`` where the window does not give
``Esc`` a meaning of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

StandardKey = QKeySequence.StandardKey

FALLBACKS: dict[StandardKey, str] = {
    StandardKey.Preferences: "Ctrl+,",
    StandardKey.Quit: "Ctrl+Q",
    StandardKey.Close: "Ctrl+W",
}
"""The key a standard action gets where the platform has none for it."""


def standard_keys(key: StandardKey, fallback: str | None = None) -> list[QKeySequence]:
    """The platform's keys for ``key``, else ``fallback`` (or the one in
    :data:`FALLBACKS`); the first is the one menus show."""
    keys = [sequence for sequence in QKeySequence.keyBindings(key) if not sequence.isEmpty()]
    if keys:
        return keys
    fallback = fallback or FALLBACKS.get(key)
    return [QKeySequence(fallback)] if fallback else []


def close_keys() -> list[QKeySequence]:
    """The platform's Close keys, with ``Ctrl+W`` always among them."""
    keys = standard_keys(StandardKey.Close)
    ctrl_w = QKeySequence("Ctrl+W")
    return keys if ctrl_w in keys else [*keys, ctrl_w]


def add_close_keys(
    window: QWidget,
    close: Callable[[], object] | None = None,
    *,
    escape: bool = False,
) -> list[QShortcut]:
    """``Ctrl+W`` and the platform's Close keys call ``close`` (the window's
    own ``close()`` when not given: a dialog rejects, a window asks what its
    ``closeEvent`` asks); ``escape`` adds ``Esc`` (a dialog closes on ``Esc``
    by itself; the editor gives ``Esc`` its own meaning)."""
    action = close or window.close
    keys = close_keys() + ([QKeySequence(Qt.Key.Key_Escape)] if escape else [])
    shortcuts = []
    for sequence in keys:
        shortcut = QShortcut(sequence, window)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # whatever has the focus
        shortcut.activated.connect(action)
        shortcuts.append(shortcut)
    return shortcuts

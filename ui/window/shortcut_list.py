"""What Help › Keyboard shortcuts (F1) lists: read from the window's menus
themselves, so the list cannot drift from the keys the menus have, followed by
the keys that belong to no menu (the order list, the editor, dialogs).

Keys are in QKeySequence's portable text ("Ctrl+Shift+E"); the dialog writes
them as this platform does (⌘⇧E on macOS).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

Row = tuple[str, str]
"""``(keys, what they do)``; alternatives separated by " / "."""
Group = tuple[str, list[Row]]
"""``(heading, rows)``."""

ORDER_LIST_KEYS: list[Row] = [
    ("Down / Enter", "From the search box: to the first order found"),
    ("J / Down", "Next order"),
    ("K / Up", "Previous order"),
    ("Enter", "Open the order in its own window"),
    ("Menu", "The order's menu (as a right-click)"),
    ("Esc", "In the search box: clear the search"),
    ("Ctrl+Z", "Undo a change of selected orders while it counts down"),
]
"""Keys of the orders page that are no menu command. J and K move only while
the list has the focus: in the search box they are letters."""

WINDOW_KEYS: list[Row] = [
    ("Esc", "Close a dialog (the editor asks about unsaved changes first)"),
    ("Ctrl+W", "Close a dialog or an order's window"),
]


def plain_text(text: str) -> str:
    """A menu text without its mnemonic mark and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def menu_actions(menu: QMenu) -> list[tuple[str, QAction]]:
    """Every command of ``menu`` and its submenus, with its name as the menu
    shows it ("Copy › Order number"); separators and submenus themselves left out."""
    found: list[tuple[str, QAction]] = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            prefix = plain_text(action.text())
            found += [(f"{prefix} › {name}", sub) for name, sub in menu_actions(submenu)]
        else:
            found.append((plain_text(action.text()), action))
    return found


def menu_groups(bar: QMenuBar) -> list[Group]:
    """One group per menu of ``bar``: each command that has a key, with its
    first key (the one the menu shows)."""
    groups: list[Group] = []
    for top in bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = [
            (action.shortcut().toString(QKeySequence.SequenceFormat.PortableText), name)
            for name, action in menu_actions(menu)
            if not action.shortcut().isEmpty()
        ]
        if rows:
            groups.append((f"{plain_text(top.text())} menu", rows))
    return groups


def shortcut_groups(bar: QMenuBar) -> list[Group]:
    """Everything F1 lists: the menus' commands, then the other keys."""
    from ui.editor.keys import EDITOR_SHORTCUTS

    return [
        *menu_groups(bar),
        ("In the order list", ORDER_LIST_KEYS),
        ("In the order editor", EDITOR_SHORTCUTS),
        ("In dialogs and windows", WINDOW_KEYS),
    ]

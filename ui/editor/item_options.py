"""The options of the item chosen in the order editor's items table, under it.

Choice and text options are edited as text (``("items", row,
"selectedOptions", n, "value")`` in the working copy); other options are
shown as they are. Inside the order editor, an option of type FILES is a
:class:`~ui.attachments.option.FilesOptionView`: its files (opened in the
browser, removed), a drop target, "Add file…" and "Add from URL…", and the
uploads under way; each view lives as long as the panel, so uploads carry on
while another item or order is shown. Elsewhere the files are listed with
their names and sizes. Saving an item edit always sends the files back as the
store has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.services.attachments.files import OptionRef
from app.services.orders.changes import set_value
from ui.attachments.editor_link import EditorLink
from ui.attachments.option import FilesOptionView
from ui.editor.fields import FieldPath, LineField, MessageLabel
from ui.editor.items_model import file_text, option_text

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

EDITABLE_OPTION_TYPES = ("CHOICE", "TEXT")
FILES_KEPT = "files are kept as they are"


class ItemOptionsPanel(QWidget):
    """A heading and one row per option of one item; hidden when it has none."""

    edited = Signal(tuple)  # the path of the option value the user changed
    left = Signal()  # the focus left an option field
    rebuilt = Signal()  # the option fields were built anew (Tab order changes)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: list[LineField] = []
        self._order: dict[str, Any] = {}
        self._problems: Mapping[FieldPath, str] = {}
        self.file_views: dict[OptionRef, FilesOptionView] = {}
        self._setup_ui()
        self.hide()

    def _setup_ui(self) -> None:
        self.title = MessageLabel("muted", keep_space=True)
        self.title.setAccessibleName("Options of the chosen item")
        self.form = QFormLayout()
        self.form.setContentsMargins(16, 0, 0, 0)
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(6)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(self.form)

    def show_item(self, order: dict[str, Any], row: int, fmt: OrderFormat | None) -> None:
        """Show the options of item ``row`` of ``order`` (-1: none)."""
        self._order = order
        self._clear_rows()
        self.fields = []
        items = order.get("items") if isinstance(order.get("items"), list) else []
        item = items[row] if 0 <= row < len(items) and isinstance(items[row], Mapping) else {}
        options = [o for o in item.get("selectedOptions") or [] if isinstance(o, Mapping)]
        self.setVisible(bool(options))
        if options:
            self.title.setText(f"Options of “{item.get('name') or f'item {row + 1}'}”")
        for number, option in enumerate(options):
            label = str(option.get("name") or f"Option {number + 1}")
            if option.get("type") in EDITABLE_OPTION_TYPES and not option.get("files"):
                self.form.addRow(label, self._field(row, number, option, label))
            elif (view := self._files_view(item, option, label)) is not None:
                self.form.addRow(label, view)
                view.show()
            else:
                self.form.addRow(label, _read_only(option, label, fmt))
        self.rebuilt.emit()

    def _clear_rows(self) -> None:
        """Empty the form; the file views are kept (hidden) for their uploads."""
        kept = set(self.file_views.values())
        while self.form.rowCount():
            taken = self.form.takeRow(0)
            for part in (taken.labelItem, taken.fieldItem):
                widget = part.widget() if part is not None else None
                if widget is None:
                    continue
                widget.hide()
                if widget not in kept:
                    widget.setParent(None)
                    widget.deleteLater()

    def _files_view(
        self, item: Mapping[str, Any], option: Mapping[str, Any], label: str
    ) -> FilesOptionView | None:
        """The view of a FILES option of a saved item in the editor, else None."""
        link = EditorLink.around(self)
        if option.get("type") != "FILES" or link is None or item.get("id") is None:
            return None
        if link.session is None or link.key is None:
            return None
        for ref, old in list(self.file_views.items()):
            if old.session is not link.session and not old.busy:
                del self.file_views[ref]  # of a store no longer open
                old.setParent(None)
                old.deleteLater()
        ref = OptionRef(link.key, int(item["id"]), str(option.get("name")))
        view = self.file_views.get(ref)
        if view is None or view.session is not link.session:
            view = FilesOptionView(link, ref, f"“{label}”", self)
            self.file_views[ref] = view
        files = [f for f in option.get("files") or () if isinstance(f, Mapping)]
        view.show_files(files)
        return view

    def set_problems(self, problems: Mapping[FieldPath, str]) -> None:
        self._problems = dict(problems)
        for field in self.fields:
            field.set_problem(self._problems.get(field.path))

    def _field(self, row: int, number: int, option: Mapping[str, Any], label: str) -> LineField:
        path = ("items", row, "selectedOptions", number, "value")
        field = LineField(path, label)
        field.set_accessible_label(f"Option {label}")
        field.set_value(option.get("value"))
        field.set_problem(self._problems.get(path))
        field.edited.connect(lambda: self._on_field_edited(field))
        field.left.connect(self.left)
        self.fields.append(field)
        return field

    def _on_field_edited(self, field: LineField) -> None:
        set_value(self._order, field.path, field.value())
        self.edited.emit(field.path)


def _read_only(option: Mapping[str, Any], label: str, fmt: OrderFormat | None) -> QLabel:
    files = [file for file in option.get("files") or [] if isinstance(file, Mapping)]
    if files or option.get("type") == "FILES":
        names = ", ".join(file_text(file, fmt) for file in files) or "no files"
        text = f"{names} — {FILES_KEPT}"
    else:
        text = option_text(option, fmt).split(": ", 1)[-1]
    shown = QLabel(text)
    shown.setWordWrap(True)
    shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    shown.setAccessibleName(f"Option {label}")
    return shown

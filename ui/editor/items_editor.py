"""The Items part of the order editor: a table of the items (name, SKU,
quantity and price edited in place), the chosen item's options under it
(:mod:`ui.editor.item_options`), and the buttons to add and remove items and
to recalculate the totals (shown in :class:`~ui.editor.totals_dialog.TotalsDialog`
first, applied only on Apply). Removing an item that carries files asks first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.orders.changes import EditInvalid, apply_totals, propose_totals
from ui.common.icons import icon
from ui.editor.fields import FieldPath, LineField, MessageLabel, sentence
from ui.editor.item_options import ItemOptionsPanel
from ui.editor.items_model import OrderItemsModel
from ui.editor.totals_dialog import TotalsDialog

if TYPE_CHECKING:
    from ui.detail.pane import OrderFormat

MAX_VISIBLE_ROWS = 10  # more items scroll inside the table
ITEM_FIELD_NAMES = {"name": "name", "sku": "SKU", "quantity": "quantity", "price": "price"}


class OrderItemsEditor(QWidget):
    """Items table, options of the current item, and the item buttons."""

    edited = Signal(tuple)  # the path changed: ("items",) when items came or went
    left = Signal()  # the focus left an option field
    optionsChanged = Signal()  # noqa: N815 - the option fields were built anew

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OrderItemsModel(self)
        self._order: dict[str, Any] = {}
        self._original: Mapping[str, Any] = {}
        self._fmt: OrderFormat | None = None
        self.totals_dialog: TotalsDialog | None = None  # the one shown last
        self._setup_ui()
        self.model.itemEdited.connect(self._on_item_edited)
        self.model.rowsInserted.connect(self._fit_height)
        self.model.rowsRemoved.connect(self._fit_height)
        self.model.modelReset.connect(self._fit_height)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def _setup_ui(self) -> None:
        self.table = QTableView()
        self.table.setAccessibleName("Items")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(self.model.columnCount()):
            stretch = column in (OrderItemsModel.NAME, OrderItemsModel.OPTIONS)
            mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
        digits = self.fontMetrics().horizontalAdvance("0")
        for column, width in (
            (OrderItemsModel.SKU, 12),
            (OrderItemsModel.QUANTITY, 6),
            (OrderItemsModel.PRICE, 10),
            (OrderItemsModel.TOTAL, 12),
        ):
            self.table.setColumnWidth(column, digits * width + 16)

        self.problems_label = MessageLabel("error")
        self.problems_label.setAccessibleName("Item problems")

        self.add_button = QPushButton(icon("add"), "Add item")
        self.add_button.setAccessibleName("Add item")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(icon("remove"), "Remove item")
        self.remove_button.setAccessibleName("Remove item")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.recalculate_button = QPushButton(icon("calculate"), "Recalculate totals…")
        self.recalculate_button.setAccessibleName("Recalculate totals")
        self.recalculate_button.setEnabled(False)
        self.recalculate_button.clicked.connect(self._on_recalculate_clicked)
        self.totals_label = MessageLabel("muted")
        self.totals_label.setWordWrap(True)  # a narrow editor beside the table wraps it
        self.totals_label.setAccessibleName("Order totals")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        # the totals take the room left (right-aligned) and wrap only when it runs out
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.totals_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        buttons.addWidget(self.totals_label, 1)
        buttons.addWidget(self.recalculate_button)

        self.options = ItemOptionsPanel()
        self.options.edited.connect(self._on_option_edited)
        self.options.left.connect(self.left)
        self.options.rebuilt.connect(self.optionsChanged)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table)
        layout.addWidget(self.problems_label)
        layout.addLayout(buttons)
        layout.addWidget(self.options)

    # -- our API ------------------------------------------------------------------------

    def load(
        self,
        order: dict[str, Any],
        fmt: OrderFormat | None,
        *,
        original: Mapping[str, Any] | None = None,
    ) -> None:
        """Edit the items of ``order`` (in place); ``original`` is the order as the
        edit began (it lets recalculated taxes follow a changed quantity)."""
        self._order = order
        self._original = original if original is not None else order
        self._fmt = fmt
        self.model.set_order(order, fmt)
        self.show_problems({})
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._show_options(self.current_row())
        self.show_totals()

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def show_problems(self, problems: Mapping[FieldPath, str]) -> set[FieldPath]:
        """Show the problems of items and their options; returns the paths shown."""
        shown: set[FieldPath] = set()
        cells: dict[tuple[int, str], str] = {}
        lines = []
        for path, message in problems.items():
            if not path or path[0] != "items":
                continue
            shown.add(path)
            if len(path) >= 3 and isinstance(path[1], int) and path[2] in ITEM_FIELD_NAMES:
                cells[(path[1], str(path[2]))] = message
                what = ITEM_FIELD_NAMES[str(path[2])]
                lines.append(f"Item {path[1] + 1}: {sentence(f'{what} {message}')}")
            elif len(path) >= 2 and isinstance(path[1], int):
                what = "an option" if "selectedOptions" in path else "it"
                lines.append(f"Item {path[1] + 1}: {sentence(f'{what} {message}')}")
            else:
                lines.append(sentence(f"Items {message}"))
        self.model.set_problems(cells)
        self.problems_label.show_message("\n".join(lines))
        self.options.set_problems(problems)
        return shown

    def show_totals(self) -> None:
        """The order's subtotal, tax and total as the working copy has them."""
        fmt = self._fmt
        if fmt is None:
            self.totals_label.show_message(None)
            return
        parts = [
            f"{label} {fmt.money(self._order.get(key))}"
            for label, key in (("Subtotal", "subtotal"), ("Tax", "tax"), ("Total", "total"))
            if self._order.get(key) is not None
        ]
        self.totals_label.show_message("  ·  ".join(parts))

    @property
    def option_fields(self) -> list[LineField]:
        return self.options.fields

    def focus_widgets(self) -> list[QWidget]:
        """The widgets Tab visits, in the order they are shown."""
        buttons = [self.add_button, self.remove_button, self.recalculate_button]
        return [self.table, *buttons, *(field.input for field in self.option_fields)]

    def set_recalculate_enabled(self, enabled: bool) -> None:
        self.recalculate_button.setEnabled(enabled)

    # -- helpers ----------------------------------------------------------------------

    def _fit_height(self, *_args: object) -> None:
        rows = max(1, min(self.model.rowCount(), MAX_VISIBLE_ROWS))
        frame = self.table.frameWidth() * 2
        header = self.table.horizontalHeader().sizeHint().height()
        row = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row + frame)
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    def _show_options(self, row: int) -> None:
        self.options.show_item(self._order, row, self._fmt)

    def _has_files(self, row: int) -> int:
        options = self.model.item(row).get("selectedOptions") or []
        return sum(len(o.get("files") or []) for o in options if isinstance(o, Mapping))

    # -- slots ----------------------------------------------------------------------------

    def _on_item_edited(self, path: tuple) -> None:
        if len(path) >= 3 and path[2] == "name" and path[1] == self.current_row():
            self._show_options(path[1])
        self.edited.emit(path)

    def _on_option_edited(self, path: tuple) -> None:
        self.model.refresh_row(int(path[1]))
        self.edited.emit(path)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_options(current.row() if current.isValid() else -1)

    def _on_add_clicked(self) -> None:
        row = self.model.add_item()
        index = self.model.index(row, OrderItemsModel.NAME)
        self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.edit(index)

    def _on_remove_clicked(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        files = self._has_files(row)
        if files:
            name = self.model.item(row).get("name") or f"item {row + 1}"
            noun = "file" if files == 1 else "files"
            answer = QMessageBox.question(
                self,
                "Remove item",
                f"Remove “{name}”? Its {files} attached {noun} will be removed from the "
                "order too when you save.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.model.remove_item(row)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), 0))
        self._show_options(self.current_row())  # the rows after it moved up

    def _on_recalculate_clicked(self) -> None:
        try:
            proposal = propose_totals(self._order, original=self._original)
        except (EditInvalid, ValueError, ArithmeticError) as error:
            self.problems_label.show_message(f"The totals cannot be worked out: {error}")
            return
        current = {key: self._order.get(key) for key in ("subtotal", "tax", "total")}
        dialog = TotalsDialog(proposal, current, self, fmt=self._fmt)
        dialog.accepted.connect(lambda: self._on_totals_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.totals_dialog = dialog
        dialog.open()

    def _on_totals_accepted(self, dialog: TotalsDialog) -> None:
        apply_totals(self._order, dialog.proposal)
        self.show_totals()
        self.edited.emit(("total",))

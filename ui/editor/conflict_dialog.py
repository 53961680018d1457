"""The order changed in the store after the edit began: both versions, field
by field, and the user's choice — in a shop owner's words: fields by their
names ("Shipping address", never ``shippingPerson``), statuses by the store's
names, values as a person writes them (:mod:`ui.editor.conflict_values`).

A row per changed field: its name, the user's value and the store's (each
with a radio button), and the value the edit began from. Fields changed in
the store too are marked. "Keep mine" keeps every value of the user's,
"Take the store's" every value of the store's, "Merge" the choice made on
each row. Closing the dialog decides nothing (the change waits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from ui.common.keys import add_close_keys
from ui.editor.conflict_values import EMPTY, shortened, value_text
from ui.editor.fields import MessageLabel

if TYPE_CHECKING:
    from app.services.outbox import ConflictField
    from ui.detail.pane import OrderFormat

Choice = Literal["mine", "server"]
CHANGED_MARK = "Changed in the store"
FIELD, MINE, SERVER, BASE = range(4)


class ConflictDialog(QDialog):
    """Both versions of the conflicting fields; Keep mine, Take the store's, Merge."""

    def __init__(
        self,
        order_label: str,
        fields: list[ConflictField],
        parent: QWidget | None = None,
        *,
        fmt: OrderFormat | None = None,
        heading: str | None = None,
    ) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self.heading = heading
        self.order_label = order_label
        self.fields = list(fields)
        self._fmt = fmt
        self._groups: dict[str, QButtonGroup] = {}
        self.radios: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        self._decision: Choice | Literal["merge"] | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle(f"Conflict — {self.order_label}")
        self.setMinimumWidth(640)
        title = QLabel(
            self.heading or f"{self.order_label} changed in the store after you began editing"
        )
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        title.setWordWrap(True)
        intro = MessageLabel("normal")
        remote = sum(1 for field in self.fields if field.changed_remotely)
        intro.show_message(
            "Choose which version to keep. "
            + (
                f"{remote} of your changes met a change made there (marked)."
                if remote
                else "None of the fields you changed were changed there."
            )
        )

        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(10)
        for column, text in enumerate(("Field", "Yours", "In the store", "When you began")):
            header = MessageLabel("muted")
            header.show_message(text)
            grid.addWidget(header, 0, column)
        for row, field in enumerate(self.fields, start=1):
            self._add_row(grid, row, field)
        for column, stretch in ((MINE, 3), (SERVER, 3), (BASE, 2)):
            grid.setColumnStretch(column, stretch)
        mark_width = self.fontMetrics().horizontalAdvance(f"● {CHANGED_MARK}") + 8
        grid.setColumnMinimumWidth(FIELD, mark_width)
        grid.setRowStretch(len(self.fields) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_host)

        self.buttons = QDialogButtonBox()
        self.keep_mine_button = self._button("Keep mine", "mine")
        self.take_server_button = self._button("Take the store's", "server")
        self.merge_button = self._button("Merge", "merge")
        self.merge_button.setToolTip("Keep the version chosen on each row")
        self.merge_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        height = grid_host.sizeHint().height() + 140
        self.resize(760, min(max(height, 300), 640))

    def _add_row(self, grid: QGridLayout, row: int, field: ConflictField) -> None:
        name = QLabel(field.label)
        name.setWordWrap(True)
        if field.changed_remotely:
            font = name.font()
            font.setBold(True)
            name.setFont(font)
        cell = QWidget()
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.setSpacing(0)
        cell_layout.addWidget(name)
        if field.changed_remotely:
            mark = MessageLabel("error")
            mark.show_message(f"● {CHANGED_MARK}")
            mark.setAccessibleName(f"{field.label}: {CHANGED_MARK.lower()}")
            cell_layout.addWidget(mark)
        grid.addWidget(cell, row, FIELD, Qt.AlignmentFlag.AlignTop)

        group = QButtonGroup(self)
        mine = self._choice(field, field.mine, "Yours")
        server = self._choice(field, field.server, "In the store")
        group.addButton(mine, 0)
        group.addButton(server, 1)
        mine.setChecked(True)
        self._groups[field.name] = group
        self.radios[field.name] = (mine, server)
        grid.addWidget(mine, row, MINE, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(server, row, SERVER, Qt.AlignmentFlag.AlignTop)
        base = MessageLabel("muted")
        base.show_message(
            shortened(self._text(field.name, field.base)) if field.base is not None else "—"
        )
        base.setAccessibleName(f"{field.label} when you began")
        grid.addWidget(base, row, BASE, Qt.AlignmentFlag.AlignTop)

    def _choice(self, field: ConflictField, value: object, side: str) -> QRadioButton:
        text = self._text(field.name, value)
        radio = WrappingRadio(shortened(text))
        radio.setAccessibleName(f"{field.label}: {side.lower()}")
        radio.setAccessibleDescription(text)
        radio.setToolTip(text if len(text) > 60 else "")
        return radio

    def _button(self, text: str, decision: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setAccessibleName(text)
        button.clicked.connect(lambda: self._on_decided(decision))
        return button

    def _text(self, name: str, value: object) -> str:
        return value_text(name, value, self._fmt) or EMPTY

    # -- our API ---------------------------------------------------------------------

    def choose(self, name: str, choice: Choice) -> None:
        """Choose the version of one row (as clicking its radio button does)."""
        mine, server = self.radios[name]
        (mine if choice == "mine" else server).setChecked(True)

    def choices(self) -> dict[str, Choice]:
        """What to keep of each field; after Keep mine or Take the store's,
        the same for all, after Merge the row's choice."""
        if self._decision in ("mine", "server"):
            return {field.name: self._decision for field in self.fields}
        return {
            name: "server" if group.checkedId() == 1 else "mine"
            for name, group in self._groups.items()
        }

    def decision(self) -> str | None:
        """ "mine", "server", "merge", or None when the dialog was closed."""
        return self._decision

    # -- slots -----------------------------------------------------------------------

    def _on_decided(self, decision: str) -> None:
        self._decision = decision  # type: ignore[assignment]
        self.accept()


class WrappingRadio(QRadioButton):
    """A radio button whose long text wraps (a QRadioButton never wraps its own);
    the indicator sits beside the first line, and the whole text is clickable."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel(text, self)
        self._label.setWordWrap(True)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        metric = self.style().pixelMetric
        self._indicator = QSize(
            metric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None, self),
            metric(QStyle.PixelMetric.PM_ExclusiveIndicatorHeight, None, self),
        )
        self._indent = self._indicator.width() + 8

    def value_text(self) -> str:
        return self._label.text()

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self._indent + min(self._label.sizeHint().width(), 320), 120)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._indent + 60, self._indicator.height() + 2)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        text = self._label.heightForWidth(max(40, width - self._indent))
        return max(self._indicator.height(), text) + 4

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802
        return self.rect().contains(pos)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._label.setGeometry(self._indent, 2, self.width() - self._indent, self.height() - 4)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        line = self._label.fontMetrics().height()
        top = 2 + max(0, (line - self._indicator.height()) // 2)
        option.rect = QRect(QPoint(0, top), self._indicator)
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorRadioButton, option)
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = self._label.geometry().adjusted(-2, -1, 2, 1)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)

"""The range editors that open from the filter bar, and the pieces they share.

:class:`DateRangeEditor` (presets and a custom range of days) and
:class:`TotalRangeEditor` (lowest and highest order total) each sit in a
:class:`~ui.orders.filter_popup.FilterPopup`. Each editor checks what was typed and shows a
:class:`ValidationMessage` beside the field; a bad value is never dropped
silently and never raises. Dates become aware datetimes (the start or end
of the day) in the editor's ``zone`` (``None`` = the computer's own zone).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.appearance import paint_as_error
from ui.orders.filter_values import (
    DATE_PRESETS,
    day_end,
    day_of,
    day_start,
    parse_amount,
    preset_days,
    today_in,
)

# -- small widgets ----------------------------------------------------------------


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class ValidationMessage(QLabel):
    """A message shown beside a field while its value is wrong (hidden otherwise)."""

    def __init__(self, field: QWidget) -> None:
        super().__init__(wordWrap=True)
        self._field = field
        self.setAccessibleName("Problem")
        self.hide()

    def show_problem(self, text: str) -> None:
        paint_as_error(self)  # (and it follows a switch between light and dark)
        self.setText(text)
        self._field.setAccessibleDescription(text)
        self.show()

    def clear_problem(self) -> None:
        self.clear()
        self._field.setAccessibleDescription("")
        self.hide()


class OptionalDateEdit(QWidget):
    """A date that can be left out: a check box ("From", "To"…) and a date field."""

    def __init__(self, label: str, accessible_name: str) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.check.setAccessibleName(f"Use {accessible_name}")
        self.edit = QDateEdit(calendarPopup=True, displayFormat="d MMM yyyy")
        self.edit.setAccessibleName(accessible_name)
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.check)

    def day(self) -> date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None

    def set_day(self, day: date | None) -> None:
        self.check.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(QDate(day.year, day.month, day.day))


class DateRangeFields(QWidget):
    """ "From" and "To" days, checked to be in order."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.start = OptionalDateEdit("From", f"{what} from")
        self.end = OptionalDateEdit("To", f"{what} to")
        checks = (self.start.check, self.end.check)
        width = max(check.sizeHint().width() for check in checks)
        for check in checks:  # the two date fields one under the other
            check.setMinimumWidth(width)
        self.message = ValidationMessage(self.end.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.start, self.end, self.message):
            layout.addWidget(widget)

    def days(self) -> tuple[date | None, date | None] | None:
        """The range, or ``None`` (with a message shown) when it is backwards."""
        start, end = self.start.day(), self.end.day()
        if start is not None and end is not None and start > end:
            self.message.show_problem("“From” is after “To”; swap the two days.")
            return None
        self.message.clear_problem()
        return start, end

    def set_days(self, start: date | None, end: date | None) -> None:
        self.start.set_day(start)
        self.end.set_day(end)
        self.message.clear_problem()


# -- editors ----------------------------------------------------------------------


class DateRangeEditor(QWidget):
    """Presets (Any time, Today, Last 7 days…) and a custom range of days.

    ``chosen`` carries the new ``(from, to)`` datetimes (either may be ``None``)."""

    chosen = Signal(object, object)

    def __init__(self, what: str = "Created") -> None:
        super().__init__()
        self.zone: tzinfo | None = None
        self.fields = DateRangeFields(what)
        self._setup_ui()

    def _setup_ui(self) -> None:
        presets = QVBoxLayout()
        presets.setSpacing(2)
        for name in ("Any time", *DATE_PRESETS):
            button = QPushButton(name, flat=True)
            button.setStyleSheet("text-align: left; padding: 3px 8px;")
            button.clicked.connect(lambda _=False, n=name: self._on_preset_clicked(n))
            presets.addWidget(button)
        presets.addStretch(1)
        self.apply_button = QPushButton("Apply", default=True)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        custom = QVBoxLayout()
        custom.addWidget(QLabel("Custom range"))
        custom.addWidget(self.fields)
        custom.addStretch(1)
        custom.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(presets)
        separator = QFrame(frameShape=QFrame.Shape.VLine, frameShadow=QFrame.Shadow.Sunken)
        layout.addWidget(separator)
        layout.addLayout(custom)
        self.setFocusProxy(self.fields.start)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # Enter in a date applies
            self._on_apply_clicked()
            event.accept()
            return
        super().keyPressEvent(event)

    def set_range(self, start: datetime | None, end: datetime | None) -> None:
        self.fields.set_days(
            None if start is None else day_of(start, self.zone),
            None if end is None else day_of(end, self.zone),
        )

    def _on_preset_clicked(self, name: str) -> None:
        if name == "Any time":
            self.chosen.emit(None, None)
            return
        first, last = preset_days(name, today_in(self.zone))
        self.chosen.emit(day_start(first, self.zone), day_end(last, self.zone))

    def _on_apply_clicked(self) -> None:
        days = self.fields.days()
        if days is None:
            return
        start, end = days
        self.chosen.emit(
            None if start is None else day_start(start, self.zone),
            None if end is None else day_end(end, self.zone),
        )


class TotalRangeEditor(QWidget):
    """Lowest and highest order total; ``chosen`` carries ``(from, to)`` Decimals or ``None``."""

    chosen = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.low = QLineEdit(placeholderText="Any", accessibleName="Total from")
        self.high = QLineEdit(placeholderText="Any", accessibleName="Total to")
        self.message = ValidationMessage(self.low)
        self.apply_button = QPushButton("Apply", default=True)
        self.any_button = QPushButton("Any total")
        self._setup_ui()

    def _setup_ui(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(buddy_label("From", self.low), 0, 0)
        grid.addWidget(self.low, 0, 1)
        grid.addWidget(buddy_label("To", self.high), 1, 0)
        grid.addWidget(self.high, 1, 1)
        grid.addWidget(self.message, 2, 0, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.any_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        grid.addLayout(buttons, 3, 0, 1, 2)
        self.setMinimumWidth(240)
        for field in (self.low, self.high):
            field.returnPressed.connect(self._on_apply_clicked)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.any_button.clicked.connect(lambda: self.chosen.emit(None, None))
        self.setFocusProxy(self.low)

    def set_range(self, low: Decimal | None, high: Decimal | None) -> None:
        self.low.setText("" if low is None else str(low))
        self.high.setText("" if high is None else str(high))
        self.message.clear_problem()

    def _on_apply_clicked(self) -> None:
        try:
            low, high = parse_amount(self.low.text()), parse_amount(self.high.text())
        except ValueError as error:
            self.message.show_problem(str(error))
            return
        if low is not None and high is not None and low > high:
            self.message.show_problem("“From” is more than “To”; swap the two amounts.")
            return
        self.message.clear_problem()
        self.chosen.emit(low, high)

"""Help › About: the version, where Backroom keeps its files on this
computer (each with a button that opens the folder), and the licences of the
libraries it ships with."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.about import licences, locations, version
from ui.common.keys import add_close_keys
from ui.common.resources import app_icon


class AboutDialog(QDialog):
    """Version, file locations and licences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        add_close_keys(self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setWindowTitle("About Backroom")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(
            f"<b style='font-size:large'>Backroom {version()}</b><br>"
            "Orders of your Ecwid store, on your desktop, online or not."
        )
        title.setTextFormat(Qt.TextFormat.RichText)

        places = QGridLayout()
        places.setColumnStretch(1, 1)
        for row, location in enumerate(locations()):
            places.addWidget(QLabel(f"{location.label}:"), row, 0)
            path = QLabel(str(location.path))
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            places.addWidget(path, row, 1)
            open_button = QPushButton("Open")
            open_button.setAccessibleName(f"Open the folder of {location.label.lower()}")
            open_button.clicked.connect(
                lambda _checked=False, p=location.path: QDesktopServices.openUrl(
                    QUrl.fromLocalFile(str(p))
                )
            )
            places.addWidget(open_button, row, 2)

        found = licences()
        self.licence_table = QTableWidget(len(found), 3)
        self.licence_table.setAccessibleName("Licences of the bundled libraries")
        self.licence_table.setHorizontalHeaderLabels(["Library", "Version", "Licence"])
        self.licence_table.verticalHeader().hide()
        self.licence_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.licence_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.licence_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, item in enumerate(found):
            for column, text in enumerate((item.name, item.version, item.licence)):
                self.licence_table.setItem(row, column, QTableWidgetItem(text))
        header = self.licence_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        heading = QGridLayout()
        heading.addWidget(icon, 0, 0)
        heading.addWidget(title, 0, 1)
        heading.setColumnStretch(1, 1)
        layout.addLayout(heading)
        layout.addSpacing(8)
        layout.addWidget(QLabel("<b>Where your files are</b>"))
        layout.addLayout(places)
        layout.addSpacing(8)
        layout.addWidget(QLabel("<b>Libraries and their licences</b>"))
        layout.addWidget(self.licence_table, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)

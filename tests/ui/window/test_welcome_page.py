"""The first-run page: what Backroom is, and its two ways to start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from ui.window.welcome_page import HEADING, WelcomePage


def welcome_page(qtbot) -> WelcomePage:
    page = WelcomePage()
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    return page


def test_it_says_what_backroom_is_and_where_tokens_go(qtbot):
    page = welcome_page(qtbot)
    texts = [label.text() for label in page.findChildren(QLabel) if label.text()]
    assert page.heading.text() == HEADING == "Welcome to Backroom"
    assert any("Ecwid" in text and "orders" in text for text in texts)
    assert any("system keyring" in text for text in texts)
    icons = [label for label in page.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(icons) == 1 and icons[0].pixmap().width() >= 64
    buttons = {button.text() for button in page.findChildren(QPushButton)}
    assert buttons == {"Connect an Ecwid store", "Open the demo store"}


def test_connect_button_asks_to_connect(qtbot):
    page = welcome_page(qtbot)
    demo = []
    page.demoRequested.connect(lambda: demo.append(True))
    with qtbot.waitSignal(page.connectRequested, timeout=1_000):
        qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
    assert demo == []


def test_demo_button_asks_for_the_demo_store(qtbot):
    page = welcome_page(qtbot)
    connect = []
    page.connectRequested.connect(lambda: connect.append(True))
    with qtbot.waitSignal(page.demoRequested, timeout=1_000):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert connect == []


def test_the_buttons_work_from_the_keyboard(qtbot):
    page = welcome_page(qtbot)
    with qtbot.waitSignal(page.demoRequested, timeout=1_000):
        qtbot.keyClick(page.demo_button, Qt.Key.Key_Space)

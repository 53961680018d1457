"""Unsaved edits are drafted to disk as the user types and come back: after
reopening, after the order changed in the store meanwhile (saving checks),
and after the editor's process was killed (a real child process, SIGKILL)."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.editor import support
from tests.ui.editor.support import (
    ACCOUNT,
    answer_next_box,
    change_on_server,
    open_in,
    pick_order,
    press,
    three_items_and_a_file,
    type_into,
)
from ui.editor.editor import OrderEditor
from ui.editor.window import OrderEditorWindow

pytestmark = pytest.mark.usefixtures("qt_loop")
session, drafts, editor = support.session, support.drafts, support.editor  # fixtures

CHILD = Path(__file__).with_name("order_editor_crash_child.py")
REPO = Path(__file__).resolve().parents[3]


def _second_editor(qtbot, session, drafts) -> OrderEditor:
    other = OrderEditor(drafts)
    qtbot.addWidget(other)
    other.set_session(session)
    other.show()
    return other


def test_typing_is_drafted_and_reopening_restores_it(qtbot, editor, session, drafts, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    assert drafts.load(ACCOUNT, key) is None

    type_into(qtbot, editor.form.tracking.line, "DRAFTED-42")
    qtbot.waitUntil(lambda: drafts.load(ACCOUNT, key) is not None)  # debounced, no focus change
    draft = drafts.load(ACCOUNT, key)
    assert draft.edited["trackingNumber"] == "DRAFTED-42"
    assert draft.base_update_timestamp == order["updateTimestamp"]

    other = _second_editor(qtbot, session, drafts)
    open_in(other, key, run_on_qt)
    assert other.form.tracking.value() == "DRAFTED-42"
    assert other.banner.text().startswith("Restored unsaved changes from ")
    assert "changed in the store" not in other.banner.text()
    assert other.has_unsaved_changes()
    assert other.save_button.isEnabled()

    qtbot.mouseClick(other.banner.action, Qt.MouseButton.LeftButton)  # "Discard draft"
    assert other.banner.isHidden()
    assert other.form.tracking.value() == (order.get("trackingNumber") or "")
    assert not other.has_unsaved_changes()
    assert drafts.load(ACCOUNT, key) is None
    run_on_qt(other.tasks.shutdown())


def test_leaving_a_field_writes_the_draft_at_once(qtbot, editor, session, drafts, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    open_in(editor, order["id"], run_on_qt)
    type_into(qtbot, editor.form.email.line, "new@example.org")
    qtbot.keyClick(editor.form.email.line, Qt.Key.Key_Tab)  # no waiting after this
    assert drafts.load(ACCOUNT, order["id"]).edited["email"] == "new@example.org"

    notes = editor.form.field(("privateAdminNotes",))
    notes.setFocus()
    qtbot.keyClicks(notes.note, "Fragile")
    editor.hide()  # closing the editor writes it too
    assert drafts.load(ACCOUNT, order["id"]).edited["privateAdminNotes"].endswith("Fragile")


def test_a_draft_of_an_order_changed_since_says_so_and_saving_checks(
    qtbot, editor, session, drafts, sandbox, run_on_qt
):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    open_in(editor, key, run_on_qt)
    type_into(qtbot, editor.form.tracking.line, "MY-DRAFT")
    qtbot.keyClick(editor.form.tracking.line, Qt.Key.Key_Tab)
    change_on_server(sandbox, key, {"trackingNumber": "COLLEAGUE"}, run_on_qt)
    run_on_qt(session.sync())  # the cache now holds the colleague's version

    other = _second_editor(qtbot, session, drafts)
    open_in(other, key, run_on_qt)
    assert "changed in the store since then" in other.banner.text()
    assert other.form.tracking.value() == "MY-DRAFT"
    other.tasks.run(other.save(), name="save")
    qtbot.waitUntil(
        lambda: (
            getattr(other, "conflict_dialog", None) is not None
            and other.conflict_dialog.isVisible()
        ),
        timeout=20_000,
    )
    fields = {field.name: field for field in other.conflict_dialog.fields}
    assert fields["trackingNumber"].server == "COLLEAGUE"
    assert fields["trackingNumber"].mine == "MY-DRAFT"
    qtbot.keyClick(other.conflict_dialog, Qt.Key.Key_Escape)  # decide later: nothing overwritten
    qtbot.waitUntil(lambda: not other.tasks.is_running("save"), timeout=20_000)
    assert drafts.load(ACCOUNT, key) is not None
    run_on_qt(other.tasks.shutdown())


def test_the_editor_window_asks_before_closing_over_changes(qtbot, session, drafts, run_on_qt):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    window = OrderEditorWindow(drafts, session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.open_order(key).done)
    assert window.windowTitle() == f"Edit Order #{order['orderNumber']} — Backroom"
    steps: list[int] = []
    window.navigateRequested.connect(steps.append)
    press(qtbot, window.editor.form.email.line, "Alt+Down")
    assert steps == [1]

    type_into(qtbot, window.editor.form.tracking.line, "WINDOW-1")
    answer_next_box("Cancel")
    window.close()
    assert window.isVisible()  # stays open: nothing lost
    answer_next_box("Keep as draft")
    window.close()
    assert not window.isVisible()
    assert drafts.load(ACCOUNT, key).edited["trackingNumber"] == "WINDOW-1"

    window.show()  # reopened on the same order: Esc with nothing changed closes it
    qtbot.waitUntil(window.open_order(key).done)
    window.editor.discard_changes()
    press(qtbot, window.editor.form.email.line, Qt.Key.Key_Escape)
    assert not window.isVisible()
    run_on_qt(window.editor.tasks.shutdown())


def _copy_cache(session, target: Path) -> None:
    source = sqlite3.connect(session._reader.path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _first_line(stream) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines


@pytest.mark.slow
def test_a_killed_editor_leaves_a_draft_the_next_one_restores(
    qtbot, editor, session, drafts, sandbox, tmp_path, run_on_qt
):
    order = pick_order(session, three_items_and_a_file)
    key = order["id"]
    copied = tmp_path / "copy.sqlite3"
    _copy_cache(session, copied)
    text = "TYPED-BEFORE-THE-CRASH"
    argv = [
        str(copied),
        str(drafts.directory),
        ACCOUNT,
        key,
        text,
        str(sandbox.store_id),
        sandbox.token,
        sandbox.url,
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        try:
            line = _first_line(child.stdout).get(timeout=90)
        except queue.Empty:
            line = ""
        if line.strip() != "READY":
            child.kill()
            pytest.fail(f"the editor process did not get ready: {child.communicate()[1][-2000:]}")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    open_in(editor, key, run_on_qt)
    assert editor.form.tracking.value() == text
    assert editor.banner.text().startswith("Restored unsaved changes from ")
    assert editor.has_unsaved_changes()

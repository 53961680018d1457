"""Files of an item option in the order editor, against the demo store over
loopback: a simulated drop of two files, refusals before any byte is sent,
cancel mid-way, a 409 in words with Retry, files kept through an item edit
(saved and unsaved), removal with a confirmation, a file from a URL, and
file names and buttons that follow a switch between light and dark."""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.services.attachments.files import OptionRef, option_files
from tests.helpers.appearance import contrast, drawn_colours, scheme_switching, switch_to
from tests.ui.editor import support
from tests.ui.editor.support import (
    answer_next_box,
    edit_cell,
    has_files,
    open_in,
    pick_order,
    server_order,
)
from ui.attachments.editor_link import EditorLink
from ui.attachments.option import FilesOptionView
from ui.editor.items_model import OrderItemsModel

pytestmark = pytest.mark.usefixtures("qt_loop")
session, drafts, editor = support.session, support.drafts, support.editor  # fixtures

MB = 1024 * 1024


def _option_row(order: dict[str, Any], kind: str) -> tuple[int, dict, dict] | None:
    for row, item in enumerate(order.get("items") or []):
        for option in item.get("selectedOptions") or []:
            if option.get("type") == kind and item.get("id") is not None:
                return row, item, option
    return None


def open_files_option(editor, session, run_on_qt) -> tuple[FilesOptionView, OptionRef]:
    """Open an order with a FILES option in the editor, on that item; its view."""
    order = pick_order(
        session,
        lambda o: o.get("paymentStatus") != "INCOMPLETE" and _option_row(o, "FILES") is not None,
    )
    row, item, option = _option_row(order, "FILES")
    open_in(editor, order["id"], run_on_qt)
    editor.items.table.setCurrentIndex(editor.items.model.index(row, 0))
    ref = OptionRef(order["id"], int(item["id"]), option["name"])
    view = editor.items.options.file_views[ref]
    assert view.isVisible()
    return view, ref


def drop(view: FilesOptionView, paths: list[Path]) -> QDragEnterEvent:
    """Drag ``paths`` over ``view`` and drop them there, as the file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    action = Qt.DropAction.CopyAction
    with warnings.catch_warnings():  # PySide6 flags this (the only) constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(10, 10), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
    QApplication.sendEvent(view, enter)
    if enter.isAccepted():
        assert view.highlighted
        dropped = QDropEvent(
            QPointF(10, 10), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(view, dropped)
        assert not view.highlighted
    return enter


def files_on_server(sandbox, ref: OptionRef, run_on_qt) -> list[dict[str, Any]]:
    return option_files(server_order(sandbox, ref.order_key, run_on_qt), ref)


def shown_names(view: FilesOptionView) -> list[str]:
    return [str(row.file.get("name")) for row in view.file_rows]


def random_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


def test_two_dropped_files_reach_the_store_byte_for_byte(
    qtbot, editor, session, sandbox, run_on_qt, tmp_path
):
    view, ref = open_files_option(editor, session, run_on_qt)
    front = random_file(tmp_path / "front artwork.png", 3 * MB + 5)
    back = random_file(tmp_path / "back.pdf", 2 * MB)
    overall: list[int] = []
    view.overall_bar.valueChanged.connect(overall.append)

    assert drop(view, [front, back]).isAccepted()
    assert [row.name_label.text() for row in view.upload_rows.values()] == [front.name, back.name]
    qtbot.waitUntil(lambda: not view.busy and {front.name, back.name} <= set(shown_names(view)))

    assert any(0 < value < 1000 for value in overall)  # overall progress shown along the way
    assert view.upload_rows == {} and view.overall_bar.isHidden()
    stored = {f["name"]: f for f in files_on_server(sandbox, ref, run_on_qt)}
    for path in (front, back):
        assert stored[path.name]["size"] == path.stat().st_size
        assert httpx.get(stored[path.name]["url"]).content == path.read_bytes()
    # the editor shows the order as the store has it now, nothing left to save
    assert not editor.has_unsaved_changes()
    assert editor.items.options.file_views[ref] is view


def test_what_cannot_be_uploaded_is_refused_before_any_byte(
    qtbot, editor, session, sandbox, run_on_qt, tmp_path
):
    view, _ref = open_files_option(editor, session, run_on_qt)
    huge = tmp_path / "poster.tif"
    with huge.open("wb") as handle:
        handle.truncate(100 * MB + 1)  # sparse: nothing written
    folder = tmp_path / "photos"
    folder.mkdir()
    posts = len([m for m, *_ in sandbox.request_log if m == "POST"])
    sent = session._client.requests_sent

    enter = drop(view, [huge, folder])

    assert not enter.isAccepted() and not view.highlighted
    message = view.message_label.text()
    assert "“poster.tif” is larger than Ecwid accepts: files up to 100 MB." in message
    assert "“photos” is a folder" in message
    problems = view.add_files([huge])  # the same through "Add file…"
    assert [p.path for p in problems] == [huge]
    assert view.upload_rows == {} and not view.busy
    assert session._client.requests_sent == sent
    assert len([m for m, *_ in sandbox.request_log if m == "POST"]) == posts


def test_cancel_mid_way_leaves_no_file(qtbot, editor, session, sandbox, run_on_qt, tmp_path):
    view, ref = open_files_option(editor, session, run_on_qt)
    before = files_on_server(sandbox, ref, run_on_qt)
    big = random_file(tmp_path / "big.psd", 40 * MB)
    sandbox.faults.latency = 1.0  # the store reads the body late: the upload waits mid-way

    view.add_files([big])
    (row,) = view.upload_rows.values()
    qtbot.waitUntil(lambda: 0 < row.bar.value() < 1000)
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy, timeout=20_000)
    sandbox.faults.latency = 0

    assert row.state_label.text() == "cancelled" and row.retry_button.isVisibleTo(row)
    assert files_on_server(sandbox, ref, run_on_qt) == before
    assert big.name not in shown_names(view)


def test_a_refusal_is_shown_in_words_with_retry(
    qtbot, editor, session, sandbox, run_on_qt, tmp_path
):
    order = pick_order(
        session,
        lambda o: o.get("paymentStatus") != "INCOMPLETE" and _option_row(o, "CHOICE") is not None,
    )
    _row, item, option = _option_row(order, "CHOICE")
    open_in(editor, order["id"], run_on_qt)
    ref = OptionRef(order["id"], int(item["id"]), option["name"])
    view = FilesOptionView(EditorLink(editor), ref, f"“{option['name']}”")
    qtbot.addWidget(view)
    photo = random_file(tmp_path / "photo.jpg", 1000)

    view.add_files([photo])
    (row,) = view.upload_rows.values()
    qtbot.waitUntil(lambda: row.state_label.text() == "not uploaded")
    assert f"“{option['name']}” is not a file option" in row.error_label.text()
    assert "“photo.jpg”" in row.error_label.text()
    assert row.retry_button.isVisibleTo(row) and not row.cancel_button.isVisibleTo(row)

    qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy)
    assert row.state_label.text() == "not uploaded"  # refused again, still in words
    assert "is not a file option" in row.error_label.text()


def test_files_are_kept_through_item_edits_saved_and_unsaved(
    qtbot, editor, session, sandbox, run_on_qt, tmp_path
):
    view, ref = open_files_option(editor, session, run_on_qt)
    row = editor.items.current_row()
    old_quantity = editor.items.model.item(row).get("quantity")
    edit_cell(qtbot, editor, row, OrderItemsModel.QUANTITY, str(int(old_quantity) + 2))
    qtbot.waitUntil(editor.has_unsaved_changes)  # (the cell commits once Qt gets to it)

    sleeve = random_file(tmp_path / "sleeve.png", 50_000)
    view.add_files([sleeve])
    qtbot.waitUntil(lambda: not view.busy and sleeve.name in shown_names(view))
    # the unsaved quantity is still there, beside the new file
    assert editor.has_unsaved_changes()
    assert str(editor.items.model.item(row).get("quantity")) == str(int(old_quantity) + 2)
    assert editor.items.current_row() == row

    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.status_label.text() == "Saved."  # no conflict over our own upload
    stored = server_order(sandbox, ref.order_key, run_on_qt)
    item = next(i for i in stored["items"] if i["id"] == ref.item_id)
    assert item["quantity"] == int(old_quantity) + 2
    assert sleeve.name in [f["name"] for f in option_files(stored, ref)]

    edit_cell(qtbot, editor, row, OrderItemsModel.QUANTITY, str(old_quantity))
    qtbot.waitUntil(editor.save_button.isEnabled)
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert sleeve.name in [f["name"] for f in files_on_server(sandbox, ref, run_on_qt)]


def test_remove_one_then_all_after_a_confirmation(
    qtbot, editor, session, sandbox, run_on_qt, tmp_path
):
    view, ref = open_files_option(editor, session, run_on_qt)
    view.add_files([random_file(tmp_path / name, 1000) for name in ("a.txt", "b.txt")])
    qtbot.waitUntil(lambda: not view.busy and {"a.txt", "b.txt"} <= set(shown_names(view)))
    count = len(view.file_rows)
    a_row = next(r for r in view.file_rows if r.file["name"] == "a.txt")

    answer_next_box("Cancel")
    qtbot.mouseClick(a_row.remove_button, Qt.MouseButton.LeftButton)
    assert "Remove “a.txt” (1,000 bytes)" in view.confirmation.text()  # (the locale's digits)
    assert len(files_on_server(sandbox, ref, run_on_qt)) == count

    answer_next_box("Remove")
    qtbot.mouseClick(a_row.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "a.txt" not in shown_names(view))
    assert "a.txt" not in [f["name"] for f in files_on_server(sandbox, ref, run_on_qt)]
    assert len(view.file_rows) == count - 1

    answer_next_box("Remove")
    qtbot.mouseClick(view.remove_all_button, Qt.MouseButton.LeftButton)
    text = view.confirmation.text()
    assert "“b.txt”" in text and "“a.txt”" not in text and text.startswith("Remove")
    qtbot.waitUntil(lambda: view.file_rows == [])
    assert files_on_server(sandbox, ref, run_on_qt) == []
    assert view.empty_label.text() == "No files yet." and not view.remove_all_button.isEnabled()


def test_a_file_from_a_web_address(qtbot, editor, session, sandbox, run_on_qt):
    view, ref = open_files_option(editor, session, run_on_qt)
    view.add_url("ftp://example.org/x.pdf")
    assert "not a web address" in view.message_label.text() and not view.busy

    view.add_url("https://example.org/proofs/final%20proof.pdf")
    qtbot.waitUntil(lambda: not view.busy and "final proof.pdf" in shown_names(view))
    row = next(r for r in view.file_rows if r.file["name"] == "final proof.pdf")
    assert 'href="https://example.org/proofs/final%20proof.pdf"' in row.name_label.text()
    assert row.size_label.text() == "link"


def test_file_names_and_buttons_follow_a_switch_to_dark(
    qtbot, editor, session, run_on_qt, monkeypatch
):
    with scheme_switching(monkeypatch):
        order = pick_order(
            session,
            lambda o: (
                o.get("paymentStatus") != "INCOMPLETE"
                and any(has_files(item) for item in o.get("items") or [])
            ),
        )
        open_in(editor, order["id"], run_on_qt)
        row = next(n for n, item in enumerate(order["items"]) if has_files(item))
        editor.items.table.setCurrentIndex(editor.items.model.index(row, 0))
        view = next(v for v in editor.items.options.file_views.values() if v.file_rows)
        file_row = view.file_rows[0]
        shown = {
            "file name": file_row.name_label,
            "Remove": file_row.remove_button,
            "Add file": view.add_button,
            "Add from URL": view.url_button,
        }

        def check(dark: bool) -> None:
            editor.scroll.ensureWidgetVisible(view)
            for name, widget in shown.items():
                background, ink = drawn_colours(widget)
                assert (background.lightness() < 128) == dark, (name, background.name())
                assert contrast(background, ink) >= 4.5, (name, background.name(), ink.name())

        check(dark=False)
        switch_to(qtbot, "dark")
        check(dark=True)
        switch_to(qtbot, "light")
        check(dark=False)

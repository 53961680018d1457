"""Backroom's PySide6 GUI. It calls `app.services`; it never builds an HTTP
request or an SQL query itself.

Importing it loads PySide6 and stops PySide6's import hook reading the source
of every module imported after it (:mod:`ui.common.pyside_import_hook`)."""

from ui.common.pyside_import_hook import answer_without_reading_sources

answer_without_reading_sources()

"""Backroom's PySide6 GUI. It calls `app.services`; it never builds an HTTP
request or an SQL query itself."""

"""File sizes in one unit everywhere in the window, as the user's locale
writes them: "812 bytes", "2.4 kB", "7.5 MB", "100 MB" (de: "7,5 MB").

Kilobytes of 1024 bytes, written kB/MB/GB (QLocale's traditional format), as
Windows does and as Ecwid states its limit ("files up to 100 MB" is exactly
100 × 1024 × 1024 bytes), never "MiB" beside "MB". (The services write no
sizes of their own: the window formats every size it shows here.)
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from ui.common.dates import display_locale

TRADITIONAL = QLocale.DataSizeFormat.DataSizeTraditionalFormat


def data_size(size: int | None, locale: QLocale | None = None) -> str:
    """``size`` bytes for people; one decimal below 100 units, none above."""
    if size is None or size < 0:
        return "size unknown"
    if size == 1:
        return "1 byte"
    locale = locale or display_locale()
    if size < 1024:
        return f"{locale.toString(size)} bytes"
    scaled = float(size)
    while scaled >= 1024:
        scaled /= 1024
    return locale.formattedDataSize(size, 1 if round(scaled, 1) < 100 else 0, TRADITIONAL)

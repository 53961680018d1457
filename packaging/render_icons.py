"""Render the app icon (resources/icons/backroom.svg) to the PNG sizes the
desktops ask for: resources/icons/hicolor/<N>x<N>/apps/backroom.png, plus
backroom.ico (Windows) from the same pixels. Run it after changing the SVG:

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(images: list[QImage], target: Path) -> None:
    """An .ico holding PNG-compressed images (supported since Windows Vista)."""
    pngs = [png_bytes(image) for image in images]
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(pngs).to_bytes(2, "little")
    offset = 6 + 16 * len(pngs)
    entries = b""
    for image, png in zip(images, pngs, strict=True):
        side = image.width() if image.width() < 256 else 0
        planes, bits = (1).to_bytes(2, "little"), (32).to_bytes(2, "little")
        entries += bytes([side, side, 0, 0]) + planes + bits
        entries += len(png).to_bytes(4, "little") + offset.to_bytes(4, "little")
        offset += len(png)
    target.write_bytes(header + entries + b"".join(pngs))


def main() -> int:
    QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "backroom.svg"))
    if not renderer.isValid():
        print("the SVG icon could not be read", file=sys.stderr)
        return 1
    for size in SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "backroom.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        render(renderer, size).save(str(target), "PNG")
    write_ico([render(renderer, size) for size in ICO_SIZES], ICONS / "backroom.ico")
    print(f"wrote {len(SIZES)} PNG sizes and backroom.ico under {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Draw the PIA Desk application icon with QPainter: resources/icons/app.png and app.ico.

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

The design is original: a blue tile with a white sheet, a two-column change table
(before | after) and a red correction mark. The .ico holds PNG-compressed images
(Windows Vista and later) at the sizes Explorer and the task bar ask for.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """The icon at size × size pixels, drawn on a 256-unit canvas."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5fa8"))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    _sheet(p)
    _table(p)
    p.setPen(QPen(QColor("#d83a2e"), 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(150, 178), QPointF(204, 124))  # the correction stroke
    p.end()
    return image


def _sheet(p: QPainter) -> None:
    sheet = QPainterPath()
    sheet.moveTo(52, 36)
    sheet.lineTo(170, 36)
    sheet.lineTo(206, 72)
    sheet.lineTo(206, 220)
    sheet.lineTo(52, 220)
    sheet.closeSubpath()
    p.setBrush(QColor("white"))
    p.drawPath(sheet)
    p.setBrush(QColor("#c9d8ee"))
    p.drawPolygon([QPointF(170, 36), QPointF(170, 72), QPointF(206, 72)])


def _table(p: QPainter) -> None:
    p.setBrush(QColor("#9bb7dd"))
    p.drawRect(QRectF(70, 84, 118, 20))  # header row
    p.setPen(QPen(QColor("#1f5fa8"), 5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(70, 84, 118, 116))
    p.drawLine(QPointF(129, 84), QPointF(129, 200))
    for y in (104, 136, 168):
        p.drawLine(QPointF(70, y), QPointF(188, y))


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(images: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An ICO file of PNG entries: ICONDIR, one ICONDIRENTRY per image, then the data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    (ICON_DIR / "app.png").write_bytes(png_bytes(draw(256)))
    pngs = [png_bytes(draw(size)) for size in ICO_SIZES]
    (ICON_DIR / "app.ico").write_bytes(ico_bytes(pngs, ICO_SIZES))
    print(f"{ICON_DIR / 'app.png'}, {ICON_DIR / 'app.ico'} を作成しました。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

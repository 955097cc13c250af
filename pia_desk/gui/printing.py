"""Print, print preview and PDF of the 変更箇所 table with Qt, from the same table model.

The table is a QTextDocument table (header row repeated on every page) on A4
landscape. Pages are painted one by one so the footer can say `n / m`
(pitfalls.md §2.1). Fonts: a Japanese 明朝 that is installed, and the PDF's text
mapping is repaired so that searching or copying gives 見, not the radical ⾒.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRawFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTableFormat,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from pia_desk.domain.project import Project
from pia_desk.domain.textdiff import Span
from pia_desk.export.docx_writer import COLUMN_WIDTHS_MM, PAGE_MARGIN_MM
from pia_desk.export.pdf import repair_tounicode
from pia_desk.export.table import ChangeTable, TableRow
from pia_desk.gui import dialogs
from pia_desk.gui.table_range import TableFilter
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.project_file import write_atomic

__all__ = [
    "CHUNK_ROWS",
    "PRINT_FONT_FAMILIES",
    "PrintOptions",
    "TableFilter",
    "build_text_document",
    "export_pdf",
    "paint_pages",
    "print_font_family",
    "print_preview",
    "print_table",
    "set_a4_landscape",
    "write_pdf",
]

# Preferred fonts, 明朝 first; the first one installed is used.
PRINT_FONT_FAMILIES = (
    "Noto Serif CJK JP",
    "IPAexMincho",
    "IPAMincho",
    "Yu Mincho",
    "MS Mincho",
    "Noto Sans CJK JP",
    "IPAexGothic",
    "Yu Gothic",
    "MS Gothic",
)
FOOTER_PT = 20.0
BORDER_PT = 0.5
PADDING_PT = 2.0
HEADER_BACKGROUND = QColor("#d9d9d9")
PDF_RESOLUTION = 300
CHUNK_ROWS = 150  # rows per table when printing (see paint_pages)
UNITS_PER_PT = 10  # layout units per point: fine enough for exact font metrics


@dataclass(frozen=True)
class PrintOptions:
    font_family: str = ""  # empty: the first of PRINT_FONT_FAMILIES that is installed
    font_size: float = 9.0
    underline: bool = False


def print_font_family() -> str:
    """The first preferred Japanese font that is installed (else the default family)."""
    installed = set(QFontDatabase.families())
    return next((f for f in PRINT_FONT_FAMILIES if f in installed), QFont().family())


# -- the document ---------------------------------------------------------------------


def build_text_document(table: ChangeTable, options: PrintOptions | None = None) -> QTextDocument:
    """The title and the table as a QTextDocument whose header row repeats on every page."""
    options = options or PrintOptions()
    document = QTextDocument()
    font = QFont(options.font_family or print_font_family())
    font.setPointSizeF(options.font_size)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    cursor = QTextCursor(document)
    if table.title:
        title = QTextCharFormat()
        title.setFontPointSize(options.font_size + 2)
        cursor.insertText(table.title, title)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    text_table = cursor.insertTable(len(table.rows) + 1, len(table.headers), _table_format())
    header = QTextCharFormat()
    header.setBackground(QBrush(HEADER_BACKGROUND))
    centered = QTextBlockFormat()
    centered.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    for column, text in enumerate(table.headers):
        cell = text_table.cellAt(0, column)
        cell.setFormat(header)
        cell_cursor = cell.firstCursorPosition()
        cell_cursor.setBlockFormat(centered)
        cell_cursor.insertText(text)
    for index, row in enumerate(table.rows, start=1):
        _fill_row(text_table, index, row, options.underline)
    return document


def _table_format() -> QTextTableFormat:
    fmt = QTextTableFormat()
    fmt.setHeaderRowCount(1)
    fmt.setBorderCollapse(True)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(QColor("black")))
    fmt.setCellSpacing(0)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    total = sum(COLUMN_WIDTHS_MM)
    fmt.setColumnWidthConstraints(
        [QTextLength(QTextLength.Type.PercentageLength, 100 * w / total) for w in COLUMN_WIDTHS_MM]
    )
    return fmt


def _fill_row(text_table, index: int, row: TableRow, underline: bool) -> None:
    spans: dict[int, list[Span]] = {}
    if underline:
        spans = {2: row.before_spans, 3: row.after_spans}
    plain = QTextCharFormat()
    marked = QTextCharFormat()
    marked.setFontUnderline(True)
    for column, text in enumerate(row.cells):
        cursor = text_table.cellAt(index, column).firstCursorPosition()
        position = 0
        for span in spans.get(column, []):
            cursor.insertText(text[position : span.start], plain)
            cursor.insertText(text[span.start : span.end], marked)
            position = span.end
        cursor.insertText(text[position:], plain)


# -- pages --------------------------------------------------------------------------


def set_a4_landscape(device: QPagedPaintDevice) -> None:
    margin = float(PAGE_MARGIN_MM)
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(margin, margin, margin, margin - 5),
            QPageLayout.Unit.Millimeter,
        )
    )


def paint_pages(
    table: ChangeTable, device: QPagedPaintDevice, options: PrintOptions | None = None
) -> int:
    """Paint the table page by page on `device` with `n / m` footers; returns m.

    The pages are laid out once in layout units (UNITS_PER_PT per point), with no
    paint device, so fonts, borders, padding and line breaks are the same at every
    resolution; the painter is scaled once to the device.

    Qt draws a table's repeated header rows by walking all of the table's pages for
    every page it paints, which is quadratic in the length of the table; so the rows
    are printed as tables of at most CHUNK_ROWS rows, each starting on a new page.
    """
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    footer_height = FOOTER_PT * UNITS_PER_PT
    body = QSizeF(rect.width() * UNITS_PER_PT, rect.height() * UNITS_PER_PT - footer_height)
    docs = [_laid_out(part, options, body) for part in _chunks(table)]
    count = sum(doc.pageCount() for doc in docs)
    footer_font = QFont(docs[0].defaultFont())
    footer = QRectF(0, body.height(), body.width(), footer_height)
    painter = QPainter(device)
    units = 72 * UNITS_PER_PT
    painter.scale(device.logicalDpiX() / units, device.logicalDpiY() / units)
    number = 0
    try:
        for doc in docs:
            for page in range(doc.pageCount()):
                if number:
                    device.newPage()
                number += 1
                _paint_page(painter, doc, page, body)
                painter.setFont(footer_font)
                painter.drawText(footer, Qt.AlignmentFlag.AlignCenter, f"{number} / {count}")
    finally:
        painter.end()
    return count


def _chunks(table: ChangeTable) -> list[ChangeTable]:
    """The table in parts of at most CHUNK_ROWS rows; only the first carries the title."""
    starts = range(0, max(len(table.rows), 1), CHUNK_ROWS)
    return [
        ChangeTable(table.title if i == 0 else "", table.rows[i : i + CHUNK_ROWS], table.headers)
        for i in starts
    ]


def _laid_out(table: ChangeTable, options: PrintOptions | None, body: QSizeF) -> QTextDocument:
    """A document of `table` laid out in layout units, independent of any device."""
    options = options or PrintOptions()
    doc = build_text_document(table, options)
    _to_layout_units(doc, options.font_size)
    doc.setUseDesignMetrics(True)
    doc.setPageSize(body)
    return doc


def _paint_page(painter: QPainter, doc: QTextDocument, page: int, body: QSizeF) -> None:
    painter.save()
    painter.translate(0, -page * body.height())
    clip = QRectF(0, page * body.height(), body.width(), body.height())
    painter.setClipRect(clip)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = clip
    doc.documentLayout().draw(painter, context)
    painter.restore()


def _to_layout_units(doc: QTextDocument, font_size: float) -> None:
    """Fonts, borders and padding of `doc` in layout units (no device dpi involved)."""
    font = QFont(doc.defaultFont())
    font.setPixelSize(round(font_size * UNITS_PER_PT))
    doc.setDefaultFont(font)
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        for fragment_range in block.textFormats():
            size = fragment_range.format.fontPointSize()
            if size > 0:
                cursor.setPosition(block.position() + fragment_range.start)
                cursor.setPosition(
                    block.position() + fragment_range.start + fragment_range.length,
                    QTextCursor.MoveMode.KeepAnchor,
                )
                pixels = QTextCharFormat()
                pixels.setProperty(QTextFormat.Property.FontPointSize, None)
                pixels.setProperty(QTextFormat.Property.FontPixelSize, round(size * UNITS_PER_PT))
                cursor.mergeCharFormat(pixels)
        block = block.next()
    for frame in doc.rootFrame().childFrames():
        fmt = frame.frameFormat()
        if fmt.isTableFormat():
            table_format = fmt.toTableFormat()
            table_format.setBorder(BORDER_PT * UNITS_PER_PT)
            table_format.setCellPadding(PADDING_PT * UNITS_PER_PT)
            frame.setFrameFormat(table_format)


# -- PDF ----------------------------------------------------------------------------


def write_pdf(table: ChangeTable, path: Path | str, options: PrintOptions | None = None) -> int:
    """The table as a PDF written atomically to `path`; returns the page count."""
    options = options or PrintOptions()
    family = options.font_family or print_font_family()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(table.title)
    writer.setCreator("PIA Desk")
    set_a4_landscape(writer)
    pages = paint_pages(table, writer, PrintOptions(family, options.font_size, options.underline))
    del writer  # flushes the PDF into the buffer
    data = bytes(buffer.data())
    buffer.close()
    write_atomic(Path(path), repair_tounicode(data, shared_glyph_code_points(family)))
    return pages


@cache
def shared_glyph_code_points(family: str) -> dict[int, int]:
    """Radicals (and control codes) that `family` draws with another character's glyph.

    Maps each to the character users type (⾒ → 見, ⻑ → 長, tab → space), so that
    the repaired PDF text is what was printed.
    """
    raw = QRawFont.fromFont(QFont(family))
    ideographs = [chr(c) for c in (*range(0x4E00, 0xA000), *range(0x3400, 0x4DC0))]
    by_glyph: dict[int, int] = {}
    for ch, glyph in zip(ideographs, raw.glyphIndexesForString("".join(ideographs)), strict=True):
        if glyph:
            by_glyph.setdefault(glyph, ord(ch))
    radicals = [chr(c) for c in range(0x2E80, 0x2FE0)]
    result: dict[int, int] = {}
    for ch, glyph in zip(radicals, raw.glyphIndexesForString("".join(radicals)), strict=True):
        target = by_glyph.get(glyph) if glyph else None
        normalized = unicodedata.normalize("NFKC", ch)
        if target is None and len(normalized) == 1 and normalized != ch:
            target = ord(normalized)
        if target is not None:
            result[ord(ch)] = target
    space = raw.glyphIndexesForString(" ")[0]
    controls = "".join(chr(c) for c in range(0x20))
    for ch, glyph in zip(controls, raw.glyphIndexesForString(controls), strict=True):
        if glyph and glyph == space:
            result[ord(ch)] = 0x20
    return result


# -- the editor's entry points ---------------------------------------------------------


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    set_a4_landscape(printer)
    return printer


def print_preview(
    parent: QWidget | None,
    project: Project,
    options: PrintOptions | None = None,
    table_filter: TableFilter | None = None,
) -> None:
    """Show the print preview of the table (印刷プレビュー); printing from it is possible."""
    table = (table_filter or TableFilter()).table(project)
    printer = _printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"印刷プレビュー - {table.title}")
    dialog.paintRequested.connect(lambda device: paint_pages(table, device, options))
    dialog.resize(1100, 800)
    dialog.exec()
    dialog.deleteLater()


def print_table(
    parent: QWidget | None,
    project: Project,
    options: PrintOptions | None = None,
    table_filter: TableFilter | None = None,
) -> bool:
    """Ask for a printer and print the table; True if it was sent to the printer."""
    table = (table_filter or TableFilter()).table(project)
    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("変更箇所の印刷")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        paint_pages(table, printer, options)
    finally:
        QApplication.restoreOverrideCursor()
    return True


def ask_pdf_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save the PDF (tests replace this)."""
    return dialogs.ask_save_path(parent, "PDF に出力", suggested, "PDF", ".pdf")


def export_pdf(
    parent: QWidget | None,
    project: Project,
    path: Path | str | None = None,
    options: PrintOptions | None = None,
    table_filter: TableFilter | None = None,
    project_path: Path | None = None,
) -> Path | None:
    """Write the table as PDF (asks for the file when `path` is None); the path or None.

    Never over the project (`project_path`) or another project file; an existing file
    only after asking.
    """
    table = (table_filter or TableFilter()).table(project)
    target = Path(path) if path else ask_pdf_path(parent, f"{table.title}.pdf")
    if target is None:
        return None
    refuse = partial(dialogs.show_error, parent)
    if not dialogs.approve_output(parent, target, ".pdf", project_path, refuse):
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write_pdf(table, target, options)
    except ProjectFileError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, "PDF に出力", f"PDF を保存できませんでした。\n{error}")
        return None
    QApplication.restoreOverrideCursor()
    return target

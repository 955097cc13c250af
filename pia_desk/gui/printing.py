"""Print, print preview and PDF of the 変更箇所 table with Qt, from the same table model.

The rows are put on pages by the same layout as the Word file (`layout.paginate`),
and each page is painted as a QTextDocument table with the Word file's widths,
exact line heights and cell margins (a QTextDocument alone cannot keep a row
whole). Pages are painted one by one so the footer can say `n / m` (pitfalls.md §2.1). Fonts: a Japanese 明朝 that is installed, and the PDF's text
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
    QTextFrameFormat,
    QTextLength,
    QTextTableCellFormat,
    QTextTableFormat,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from pia_desk.domain.project import Project
from pia_desk.domain.textdiff import Span
from pia_desk.export.layout import (
    BORDER_PT,
    CELL_MARGIN_X_TWIPS,
    CELL_MARGIN_Y_TWIPS,
    PAGE_MARGIN_MM,
    TableGeometry,
    paginate,
)
from pia_desk.export.pdf import repair_tounicode
from pia_desk.export.table import ChangeTable, TableRow
from pia_desk.gui import dialogs, output_defaults, screen_fit
from pia_desk.gui.table_range import TableFilter
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.project_file import write_atomic

__all__ = [
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
HEADER_BACKGROUND = QColor("#d9d9d9")
PDF_RESOLUTION = 300
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


def build_text_document(
    table: ChangeTable, options: PrintOptions | None = None, unit: float = 1.0
) -> QTextDocument:
    """The title and the table as a QTextDocument whose header row repeats on every page.

    Widths, line heights (set exactly) and cell margins are the Word file's
    (`TableGeometry`), in `unit`s per point: 1 gives a document in points, painting
    uses UNITS_PER_PT so that the layout does not depend on the device.
    """
    options = options or PrintOptions()
    geometry = TableGeometry(options.font_size)
    document = QTextDocument()
    font = QFont(options.font_family or print_font_family())
    _set_size(font, options.font_size, unit)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    cursor = QTextCursor(document)
    if table.title:
        title = QTextCharFormat()
        title_font = QFont(font)
        _set_size(title_font, geometry.title_size, unit)
        title.setFont(title_font)
        block = _exact_lines(geometry.title_line_twips / 20 * unit)
        block.setBottomMargin(geometry.title_after_twips / 20 * unit)
        cursor.setBlockFormat(block)
        cursor.insertText(table.title, title)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    text_table = cursor.insertTable(
        len(table.rows) + 1, len(table.headers), _table_format(geometry, unit)
    )
    lines = _exact_lines(geometry.line_pt * unit)
    centered = QTextBlockFormat(lines)
    centered.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    for column, text in enumerate(table.headers):
        cell = text_table.cellAt(0, column)
        cell.setFormat(_cell_format(unit, HEADER_BACKGROUND))
        cell_cursor = cell.firstCursorPosition()
        cell_cursor.setBlockFormat(centered)
        cell_cursor.insertText(text)
    for index, row in enumerate(table.rows, start=1):
        _fill_row(text_table, index, row, options.underline, lines, _cell_format(unit))
    return document


def _set_size(font: QFont, points: float, unit: float) -> None:
    if unit == 1.0:
        font.setPointSizeF(points)
    else:
        font.setPixelSize(round(points * unit))


def _exact_lines(height: float) -> QTextBlockFormat:
    block = QTextBlockFormat()
    block.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
    return block


def _table_format(geometry: TableGeometry, unit: float) -> QTextTableFormat:
    fmt = QTextTableFormat()
    fmt.setHeaderRowCount(1)
    fmt.setBorderCollapse(True)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(QBrush(QColor("black")))
    fmt.setBorder(BORDER_PT * unit)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(0)
    widths = [w / 20 * unit for w in geometry.column_twips]
    fmt.setWidth(QTextLength(QTextLength.Type.FixedLength, sum(widths)))
    fmt.setColumnWidthConstraints([QTextLength(QTextLength.Type.FixedLength, w) for w in widths])
    return fmt


def _cell_format(unit: float, background: QColor | None = None) -> QTextTableCellFormat:
    cell = QTextTableCellFormat()
    horizontal, vertical = CELL_MARGIN_X_TWIPS / 20 * unit, CELL_MARGIN_Y_TWIPS / 20 * unit
    cell.setLeftPadding(horizontal)
    cell.setRightPadding(horizontal)
    cell.setTopPadding(vertical)
    cell.setBottomPadding(vertical)
    if background is not None:
        cell.setBackground(QBrush(background))
    return cell


def _fill_row(
    text_table,
    index: int,
    row: TableRow,
    underline: bool,
    lines: QTextBlockFormat,
    cell_format: QTextTableCellFormat,
) -> None:
    spans: dict[int, list[Span]] = {}
    if underline:
        spans = {2: row.before_spans, 3: row.after_spans}
    plain = QTextCharFormat()
    marked = QTextCharFormat()
    marked.setFontUnderline(True)
    for column, text in enumerate(row.cells):
        cell = text_table.cellAt(index, column)
        cell.setFormat(cell_format)
        cursor = cell.firstCursorPosition()
        cursor.setBlockFormat(lines)
        position = 0
        for span in spans.get(column, []):
            cursor.insertText(text[position : span.start], plain)
            cursor.insertText(text[span.start : span.end], marked)
            position = span.end
        cursor.insertText(text[position:], plain)


# -- pages --------------------------------------------------------------------------


def set_a4_landscape(device: QPagedPaintDevice) -> None:
    """A4 landscape whose body (above the footer line) is the Word file's text area."""
    margin = float(PAGE_MARGIN_MM)
    bottom = margin - FOOTER_PT * 25.4 / 72
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(margin, margin, margin, bottom),
            QPageLayout.Unit.Millimeter,
        )
    )


def paint_pages(
    table: ChangeTable, device: QPagedPaintDevice, options: PrintOptions | None = None
) -> int:
    """Paint the table page by page on `device` with `n / m` footers; returns m.

    The rows go on pages as `layout.paginate` puts them for the Word file (rows kept
    whole, long ones cut at the page end into marked parts); each page is its own
    document, laid out once in layout units (UNITS_PER_PT per point) with no paint
    device, so fonts, borders, padding and line breaks are the same at every
    resolution; the painter is scaled once to the device. Should a page's rows not fit
    after all (a font much wider than estimated), they go on over one more page.
    """
    options = options or PrintOptions()
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    footer_height = FOOTER_PT * UNITS_PER_PT
    body = QSizeF(rect.width() * UNITS_PER_PT, rect.height() * UNITS_PER_PT - footer_height)
    geometry = TableGeometry(options.font_size)
    pages = paginate(table.rows, geometry, table.headers)
    docs = [
        _laid_out(
            ChangeTable(table.title if i == 0 else "", tuple(rows), table.headers), options, body
        )
        for i, rows in enumerate(pages)
    ]
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


def _laid_out(table: ChangeTable, options: PrintOptions, body: QSizeF) -> QTextDocument:
    """A document of `table` laid out in layout units, independent of any device."""
    doc = build_text_document(table, options, UNITS_PER_PT)
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
    screen_fit.fit_large_dialog(dialog)
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
    if not output_defaults.confirm_unset_rows(parent, table, "印刷"):
        return False
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
    """Write the table as PDF; the path or None.

    With `path` None the user is asked: first about rows without 提出時期, then for the
    file (named after the 評価書名 in the project's folder), and afterwards offered to
    open it. Never over the project (`project_path`) or another project file; an
    existing file only after asking.
    """
    table = (table_filter or TableFilter()).table(project)
    asked = path is None
    if asked and not output_defaults.confirm_unset_rows(parent, table):
        return None
    suggested = output_defaults.default_output_path(project, project_path, ".pdf")
    target = Path(path) if path else ask_pdf_path(parent, str(suggested))
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
    if asked:
        output_defaults.offer_to_open(
            parent, "PDF に出力", "変更箇所の表を PDF に出力しました。", target
        )
    return target

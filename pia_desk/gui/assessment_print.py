"""Print, print preview and PDF of the whole 評価書 with Qt, painted from the domain's
document model (the same one the .docx writer uses), not a layout of its own.

The body is a QTextDocument on A4 portrait: cover, 項目一覧, then each section as a
heading and a table of two label columns and a value column (first-level labels
merged down, headings spanning), each section on a new page. The 変更箇所 annex
follows on A4 landscape pages, painted by the change table's printing code. Every
page's footer carries 評価書名 and `n / m` over the whole document.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextTableCellFormat,
    QTextTableFormat,
)

from pia_desk.domain.assessment import AnnexBox, AssessmentDocument, Row, RowKind, Section
from pia_desk.export.assessment_docx import BODY_COLUMNS_MM, HEADING_FILL, LABEL_FILL
from pia_desk.export.layout import PAGE_MARGIN_MM, TableGeometry, paginate
from pia_desk.export.pdf import repair_tounicode
from pia_desk.export.table import ChangeTable
from pia_desk.gui import printing
from pia_desk.gui.printing import FOOTER_PT, PDF_RESOLUTION, UNITS_PER_PT, PrintOptions
from pia_desk.storage.project_file import write_atomic

__all__ = ["build_body_document", "paint_assessment", "write_assessment_pdf"]

BORDER_PT = 0.5
PADDING_PT = 2.0
INDENT_PT = 10.0


def _page_layout(landscape: bool) -> QPageLayout:
    margin = float(PAGE_MARGIN_MM)
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        orientation,
        QMarginsF(margin, margin, margin, margin - 5),
        QPageLayout.Unit.Millimeter,
    )


def set_a4_portrait(device: QPagedPaintDevice) -> None:
    device.setPageLayout(_page_layout(landscape=False))


# -- the body as a QTextDocument ------------------------------------------------------


class _BodyBuilder:
    """The model's cover, contents and parts as a QTextDocument in layout units."""

    def __init__(self, options: PrintOptions, width: float) -> None:
        self.unit = UNITS_PER_PT
        self.size = options.font_size
        self.doc = QTextDocument()
        self.doc.setUndoRedoEnabled(False)
        # Built without layout: Qt would lay the document out again on every cell
        # format; `laid_out` clones it into a document with the real layout once.
        self.doc.setDocumentLayout(_NoLayout(self.doc))
        font = QFont(options.font_family or printing.print_font_family())
        font.setPixelSize(round(self.size * self.unit))
        self.doc.setDefaultFont(font)
        self.doc.setDocumentMargin(0)
        self.doc.setUseDesignMetrics(True)
        self.cursor = QTextCursor(self.doc)
        self.width = width - 2 * BORDER_PT * self.unit  # the right border stays on the page
        self.first_block = True
        self.table_count = 0
        self.section_tables: list[tuple[int, tuple[Row, ...]]] = []  # (table index, rows)

    def _chars(self, points: float | None = None, bold: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if points:
            font = QFont(self.doc.defaultFont())
            font.setPixelSize(round(points * self.unit))
            fmt.setFont(font)
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        return fmt

    def paragraph(
        self,
        text: str,
        *,
        points: float | None = None,
        bold: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        page_break: bool = False,
        after: float = 0.0,
    ) -> None:
        block = QTextBlockFormat()
        block.setAlignment(align)
        block.setBottomMargin(after * self.unit)
        if page_break:
            block.setPageBreakPolicy(QTextFormat_PageBreak_AlwaysBefore)
        if self.first_block:
            self.cursor.setBlockFormat(block)
            self.first_block = False
        else:
            self.cursor.insertBlock(block, self._chars())
        self.cursor.insertText(text, self._chars(points, bold))

    def table(self, widths_mm: list[float], rows: int):
        fmt = QTextTableFormat()
        fmt.setBorderCollapse(True)
        fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        fmt.setBorderBrush(QBrush(QColor("black")))
        fmt.setBorder(BORDER_PT * self.unit)
        fmt.setCellSpacing(0)
        fmt.setCellPadding(PADDING_PT * self.unit)
        total = sum(widths_mm)
        widths = [self.width * w / total for w in widths_mm]
        fmt.setWidth(QTextLength(QTextLength.Type.FixedLength, self.width))
        fmt.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.FixedLength, w) for w in widths]
        )
        table = self.cursor.insertTable(rows, len(widths_mm), fmt)
        self.table_count += 1
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.first_block = False
        return table

    def fill(self, table, row: int, column: int, fill: str) -> None:
        fmt = QTextTableCellFormat()
        fmt.setBackground(QBrush(QColor(f"#{fill}")))
        table.cellAt(row, column).setFormat(fmt)

    def cell(
        self,
        table,
        row: int,
        column: int,
        lines,
        fill: str | None = None,
        indent: int = 0,
        bold: bool = False,
    ) -> None:
        if fill:
            self.fill(table, row, column, fill)
        cursor = table.cellAt(row, column).firstCursorPosition()
        if indent:
            block = QTextBlockFormat()
            block.setLeftMargin(indent * INDENT_PT * self.unit)
            cursor.setBlockFormat(block)
        cursor.insertText("\n".join(lines), self._chars(bold=bold))

    # -- the parts ------------------------------------------------------------------
    def cover(self, document: AssessmentDocument) -> None:
        cover = document.cover
        self.paragraph(cover.stamp, align=Qt.AlignmentFlag.AlignRight, after=self.size * 3)
        self.paragraph(
            cover.title,
            points=self.size + 7,
            bold=True,
            align=Qt.AlignmentFlag.AlignHCenter,
            after=self.size * 2,
        )
        for block in cover.blocks:
            fields = block.fields
            if block.kind == "pair":
                table = self.table([1] * len(fields), 2)
                for column, field in enumerate(fields):
                    self.cell(table, 0, column, [field.label], LABEL_FILL)
                    self.cell(table, 1, column, field.value)
            elif block.kind == "line":
                table = self.table(
                    [BODY_COLUMNS_MM[0] + BODY_COLUMNS_MM[1], BODY_COLUMNS_MM[2]], len(fields)
                )
                for row, field in enumerate(fields):
                    self.cell(table, row, 0, [field.label], LABEL_FILL)
                    self.cell(table, row, 1, field.value)
            else:
                table = self.table([1], 2 * len(fields))
                for index, field in enumerate(fields):
                    self.cell(table, 2 * index, 0, [field.label], LABEL_FILL)
                    self.cell(table, 2 * index + 1, 0, field.value or [""] * 4)
            self.paragraph("")

    def contents(self, document: AssessmentDocument) -> None:
        self.paragraph(
            document.contents_heading,
            points=self.size + 3,
            bold=True,
            page_break=True,
            after=self.size,
        )
        for line in document.contents:
            self.paragraph(line, after=self.size / 2)

    def section(self, section: Section) -> None:
        heading = f"{section.label}　{section.note}" if section.note else section.label
        self.paragraph(
            heading,
            points=self.size + 2,
            bold=True,
            page_break=section.page_break,
            after=self.size / 2,
        )
        if not section.rows:
            return
        table = self.table(list(BODY_COLUMNS_MM), len(section.rows))
        for index, row in enumerate(section.rows):  # merge first: filled cells would join
            if row.kind is RowKind.BLOCK:
                table.mergeCells(index, 0, 1, 3)
            elif row.outer is not None and row.label is None:
                table.mergeCells(index, 0, 1, 2)
            elif row.label is not None and row.value is None:
                table.mergeCells(index, 1, 1, 2)
        for start, length in _label_runs(section.rows):
            table.mergeCells(start, 0, length, 1)
        for index, row in enumerate(section.rows):  # shading while the cells are empty:
            self._shade(table, index, row)  # a cell format relays out the whole table
        for index, row in enumerate(section.rows):
            self._row(table, index, row)
        self.section_tables.append((self.table_count - 1, section.rows))

    def _shade(self, table, index: int, row: Row) -> None:
        if row.kind is RowKind.BLOCK:
            self.fill(table, index, 0, HEADING_FILL)
            return
        if row.outer is not None:
            self.fill(table, index, 0, LABEL_FILL)
        if row.label is not None:
            self.fill(table, index, 1, HEADING_FILL if row.value is None else LABEL_FILL)

    def _row(self, table, index: int, row: Row) -> None:
        if row.kind is RowKind.BLOCK:
            self.cell(table, index, 0, [row.outer or ""], bold=True)
            return
        if row.outer is not None:
            self.cell(table, index, 0, [row.outer])
        if row.label is not None:
            self.cell(table, index, 1, [row.label], indent=row.indent)
        if row.value is not None:
            self.cell(table, index, 2, row.value)

    def annex_box(self, box: AnnexBox) -> None:
        self.paragraph(
            box.label,
            points=self.size + 2,
            bold=True,
            page_break=box.page_break,
            after=self.size / 2,
        )
        table = self.table([1], 1)
        self.cell(table, 0, 0, box.value or [""] * 3)


QTextFormat_PageBreak_AlwaysBefore = QTextFrameFormat.PageBreakFlag.PageBreak_AlwaysBefore


def _label_runs(rows: tuple[Row, ...]) -> list[tuple[int, int]]:
    """(first row, row count) of each first-level label merged down over its sub-items."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, row in enumerate(rows):
        if row.outer is None:
            continue
        if start is not None and index - start > 1:
            runs.append((start, index - start))
        start = index if row.label is not None else None  # a group label (BLOCK: none)
    if start is not None and len(rows) - start > 1:
        runs.append((start, len(rows) - start))
    return runs


def build_body_document(
    document: AssessmentDocument, options: PrintOptions, page: QSizeF
) -> QTextDocument:
    """The body (cover to the last part) as a QTextDocument paginated on `page`
    (layout units), with no heading row left alone at the bottom of a page."""
    builder = _BodyBuilder(options, page.width())
    builder.cover(document)
    builder.contents(document)
    for part in document.parts:
        if isinstance(part, Section):
            builder.section(part)
        else:
            builder.annex_box(part)
    doc = _laid_out(builder.doc, page)
    tables = _tables(doc)
    pushes = [
        (index, row, push)
        for index, rows in builder.section_tables
        for row, push in _heading_pushes(doc, tables[index], rows, page.height())
    ]
    if not pushes:
        return doc
    built = _tables(builder.doc)
    for index, row, push in pushes:  # cheap on the document that is not laid out
        _pad_row(built[index], row, push)
    return _laid_out(builder.doc, page)


def _laid_out(built: QTextDocument, page: QSizeF) -> QTextDocument:
    """A copy of `built` with Qt's own layout, paginated on `page`."""
    doc = built.clone()
    doc.setParent(None)  # PySide: owned by Python (else deleted with the original)
    doc.setDefaultFont(built.defaultFont())
    doc.setDocumentMargin(0)
    doc.setUseDesignMetrics(True)
    doc.setUndoRedoEnabled(False)
    doc.setPageSize(page)
    return doc


def _tables(doc: QTextDocument) -> list:
    return [QTextCursor(frame).currentTable() for frame in doc.rootFrame().childFrames()]


class _NoLayout(QAbstractTextDocumentLayout):
    """A layout that lays nothing out, for building a document quickly."""

    def draw(self, painter, context) -> None:
        pass

    def hitTest(self, point, accuracy) -> int:
        return -1

    def pageCount(self) -> int:
        return 1

    def documentSize(self) -> QSizeF:
        return QSizeF()

    def frameBoundingRect(self, frame) -> QRectF:
        return QRectF()

    def blockBoundingRect(self, block) -> QRectF:
        return QRectF()

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        pass


def _row_top(doc: QTextDocument, table, row: int) -> float:
    """Top of a table row in document coordinates (its last column's first line)."""
    cell = table.cellAt(row, table.columns() - 1)
    return doc.documentLayout().blockBoundingRect(cell.firstCursorPosition().block()).top()


def _heading_pushes(
    doc: QTextDocument, table, rows: tuple[Row, ...], page: float
) -> list[tuple[int, float]]:
    """(row, top padding) that moves each heading row (システム１, リスク：…) that would
    end a page while its first item starts the next onto the next page: Qt tables have
    no keep-with-next. Rows further down move by the padding added above them."""
    pushes: list[tuple[int, float]] = []
    offset = 0.0
    for index, row in enumerate(rows[:-1]):
        if row.value is not None:
            continue
        top = _row_top(doc, table, index) + offset
        next_top = _row_top(doc, table, index + 1) + offset
        page_end = (top // page + 1) * page
        if next_top < page_end:
            continue
        push = page_end - top + PADDING_PT * UNITS_PER_PT
        pushes.append((index, push))
        offset += push
    return pushes


def _pad_row(table, index: int, push: float) -> None:
    for column in range(table.columns()):
        cell = table.cellAt(index, column)
        if cell.row() != index:
            continue  # a label merged down from a row above
        fmt = cell.format().toTableCellFormat()
        fmt.setTopPadding(fmt.topPadding() + push)
        cell.setFormat(fmt)


# -- pages --------------------------------------------------------------------------


def _body_size(device: QPagedPaintDevice) -> QSizeF:
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    return QSizeF(rect.width() * UNITS_PER_PT, (rect.height() - FOOTER_PT) * UNITS_PER_PT)


def paint_assessment(
    document: AssessmentDocument,
    annex: ChangeTable | None,
    device: QPagedPaintDevice,
    options: PrintOptions | None = None,
) -> int:
    """Paint the 評価書 on `device`: the body on A4 portrait, the annex on A4 landscape,
    footers with 評価書名 and `n / m`; returns the number of pages."""
    options = options or PrintOptions()
    family = options.font_family or printing.print_font_family()
    options = PrintOptions(family, options.font_size, options.underline)
    device.setPageLayout(_page_layout(landscape=False))
    portrait = _body_size(device)
    body = build_body_document(document, options, portrait)
    landscape_layout = _page_layout(landscape=True)
    rect = landscape_layout.paintRect(QPageLayout.Unit.Point)
    landscape = QSizeF(rect.width() * UNITS_PER_PT, (rect.height() - FOOTER_PT) * UNITS_PER_PT)
    annex_docs: list[QTextDocument] = []
    if annex is not None:
        pages = paginate(annex.rows, TableGeometry(options.font_size), annex.headers)
        annex_docs = [
            printing._laid_out(
                ChangeTable(annex.title if i == 0 else "", tuple(rows), annex.headers),
                options,
                landscape,
            )
            for i, rows in enumerate(pages)
        ]
    count = body.pageCount() + sum(doc.pageCount() for doc in annex_docs)
    painter = QPainter(device)
    units = 72 * UNITS_PER_PT
    painter.scale(device.logicalDpiX() / units, device.logicalDpiY() / units)
    footer_font = QFont(body.defaultFont())
    number = 0

    def footer(size: QSizeF) -> None:
        area = QRectF(0, size.height(), size.width(), FOOTER_PT * UNITS_PER_PT)
        painter.setFont(footer_font)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | middle, document.name)
        painter.drawText(area, Qt.AlignmentFlag.AlignRight | middle, f"{number} / {count}")

    try:
        for page in range(body.pageCount()):
            if number:
                device.newPage()
            number += 1
            printing._paint_page(painter, body, page, portrait)
            footer(portrait)
        if annex_docs:
            device.setPageLayout(landscape_layout)
        for doc in annex_docs:
            for page in range(doc.pageCount()):
                device.newPage()
                number += 1
                printing._paint_page(painter, doc, page, landscape)
                footer(landscape)
    finally:
        painter.end()
    return count


def write_assessment_pdf(
    document: AssessmentDocument,
    annex: ChangeTable | None,
    path: Path | str,
    options: PrintOptions | None = None,
) -> int:
    """The 評価書 as a PDF written atomically to `path`; returns the page count."""
    options = options or PrintOptions()
    family = options.font_family or printing.print_font_family()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(document.name)
    writer.setCreator("PIA Desk")
    pages = paint_assessment(
        document, annex, writer, PrintOptions(family, options.font_size, options.underline)
    )
    del writer  # flushes the PDF into the buffer
    data = bytes(buffer.data())
    buffer.close()
    write_atomic(Path(path), repair_tounicode(data, printing.shared_glyph_code_points(family)))
    return pages

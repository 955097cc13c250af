"""The 変更箇所 table as a Word document (.docx), from the table model.

A4 landscape, the title above a six-column table with fixed widths, a shaded header
row repeated on every page, Japanese fonts (no theme fonts), `n / m` page numbers,
clean document properties. Rows are written by deep-copying a prepared `<w:tr>`
(python-docx's `table.cell()` is quadratic, pitfalls.md §1). Saving goes through a
temporary file, so a failed export never leaves a half-written document.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from pia_desk import __version__
from pia_desk.domain.textdiff import Span
from pia_desk.export.docx_xml import (
    XML_SPACE,
    add_field,
    add_hidden_run,
    add_text_run,
    set_cell_shading,
    set_east_asian_fonts,
    set_font_size,
    set_language,
    set_row_header,
    set_table_layout,
    strip_theme_fonts,
    text_runs,
    xml_safe,
)
from pia_desk.export.table import CUT_INSIDE_PARAGRAPH, ChangeTable, TableRow, split_rows
from pia_desk.storage.project_file import write_atomic

__all__ = [
    "COLUMN_WIDTHS_MM",
    "DEFAULT_FONT",
    "DocxOptions",
    "Progress",
    "build_document",
    "text_column_em",
    "write_docx",
]

DEFAULT_FONT = "ＭＳ 明朝"
# 変更日 / 項目 / 変更前 / 変更後 / 提出時期 / 説明: 267 mm = A4 landscape minus margins.
COLUMN_WIDTHS_MM = (36, 36, 71, 71, 18, 35)
PAGE_MARGIN_MM = 15
FOOTER_DISTANCE_MM = 7
CELL_MARGIN_DXA = 85  # 1.5 mm left and right inside every cell
HEADER_FILL = "D9D9D9"
_TEXT_COLUMNS = (2, 3)  # 変更前の記載 / 変更後の記載: underlined when asked

Progress = Callable[[int, int], None]
"""progress(rows_done, rows_total); may raise to cancel the export."""


@dataclass(frozen=True)
class DocxOptions:
    font: str = DEFAULT_FONT  # East Asian font, also used for Latin text
    font_size: float = 9.0  # points; 10.5 is the other usual size
    underline: bool = False  # 傍線 the changed characters of both text columns
    split_lines: int | None = None  # cut rows longer than this many lines into parts
    author: str = ""  # 評価実施機関名

    def __post_init__(self) -> None:
        """Refuse what Word cannot use; the messages are for the user (Japanese)."""
        if not 6 <= self.font_size <= 16:
            raise ValueError(f"文字サイズは 6～16 ポイントで指定してください: {self.font_size:g}")
        if not self.font.strip() or len(self.font) >= 32:
            raise ValueError(f"フォント名は 1～31 文字で指定してください: 「{self.font}」")
        if self.split_lines is not None and self.split_lines < 3:
            raise ValueError(f"分割する行数は 3 以上で指定してください: {self.split_lines}")


def text_column_em(font_size: float) -> float:
    """Full-width characters per line of the 変更前/変更後 columns at `font_size`."""
    inner_pt = Mm(COLUMN_WIDTHS_MM[2]).pt - 2 * CELL_MARGIN_DXA / 20
    return inner_pt / font_size


def write_docx(
    table: ChangeTable,
    path: str | os.PathLike[str],
    options: DocxOptions | None = None,
    progress: Progress | None = None,
) -> None:
    """Write the table to `path` atomically: a failure leaves any old file as it was.

    Raises SaveError (a ProjectFileError, Japanese message) when the file cannot be written.
    """
    document = build_document(table, options or DocxOptions(), progress)
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(Path(path), buffer.getvalue())


def build_document(
    table: ChangeTable, options: DocxOptions, progress: Progress | None = None
) -> DocumentObject:
    rows = list(table.rows)
    if options.split_lines:
        rows = split_rows(rows, options.split_lines, text_column_em(options.font_size))
    document = Document()
    _set_page(document)
    _set_styles(document, options)
    _add_title(document, table.title, options)
    _add_table(document, table.headers, rows, options.underline, progress)
    _add_footer(document)
    _set_properties(document, table.title, options.author)
    return document


# -- page, styles, title, footer ---------------------------------------------------


def _set_page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    margin = Mm(PAGE_MARGIN_MM)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Mm(FOOTER_DISTANCE_MM)


def _set_styles(document: DocumentObject, options: DocxOptions) -> None:
    styles = document.styles.element
    strip_theme_fonts(styles)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_east_asian_fonts(rpr, options.font, options.font)
    set_font_size(rpr, options.font_size)
    set_language(rpr, "ja-JP")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    for attr, value in (("after", "0"), ("line", "240"), ("lineRule", "auto")):
        spacing.set(qn(f"w:{attr}"), value)
    normal = document.styles["Normal"]
    set_east_asian_fonts(normal.element.get_or_add_rPr(), options.font, options.font)
    normal.font.size = Pt(options.font_size)


def _add_title(document: DocumentObject, title: str, options: DocxOptions) -> None:
    paragraph = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    run = paragraph.add_run(title)
    run.font.size = Pt(options.font_size + 2)
    paragraph.paragraph_format.space_after = Pt(options.font_size / 2)


def _add_footer(document: DocumentObject) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = paragraph._p
    add_field(p, "PAGE", "1")
    add_text_run(p, " / ")
    add_field(p, "NUMPAGES", "1")


def _set_properties(document: DocumentObject, title: str, author: str) -> None:
    props = document.core_properties
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = now
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's picture of another document
            del package.rels[rel_id]
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _app_xml()


def _app_xml() -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(root, f"{{{ns}}}Application").text = f"PIA Desk {__version__}"
    etree.SubElement(root, f"{{{ns}}}DocSecurity").text = "0"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- the table ---------------------------------------------------------------------


def _add_table(
    document: DocumentObject,
    headers: tuple[str, ...],
    rows: list[TableRow],
    underline: bool,
    progress: Progress | None,
) -> None:
    table = document.add_table(rows=2, cols=len(headers))
    table.autofit = False
    widths = [Mm(w).twips for w in COLUMN_WIDTHS_MM]
    set_table_layout(table._tbl, widths, CELL_MARGIN_DXA)
    header, template = table.rows[0], table.rows[1]
    for cell, text in zip(header.cells, headers, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text_run(cell.paragraphs[0]._p, text)
        set_cell_shading(cell._tc, HEADER_FILL)
    set_row_header(header._tr)
    writer = _RowWriter(template._tr, underline)
    tbl = table._tbl
    tbl.remove(template._tr)
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        tbl.append(writer.tr(row))
        if progress is not None and (done % 50 == 0 or done == total):
            progress(done, total)


class _RowWriter:
    """Builds `<w:tr>` elements from prepared templates: copies and raw runs.

    lxml's `__copy__` copies a whole subtree without `copy.deepcopy`'s memo, which
    is most of the cost here; a plain line is one copy of a prepared `<w:p><w:r><w:t>`.
    """

    def __init__(self, template_tr: etree._Element, underline: bool) -> None:
        self.underline = underline
        self.tr_template = template_tr.__copy__()
        self.p_template = self.tr_template.find(qn("w:tc")).find(qn("w:p")).__copy__()
        for tc in self.tr_template.iterchildren(qn("w:tc")):
            for p in tc.findall(qn("w:p")):
                tc.remove(p)
        self.t = OxmlElement("w:t", {XML_SPACE: "preserve"})
        self.run = OxmlElement("w:r")
        self.run.append(self.t.__copy__())
        self.underlined_run = self.run.__copy__()
        rpr = OxmlElement("w:rPr")
        rpr.append(OxmlElement("w:u", {qn("w:val"): "single"}))
        self.underlined_run.insert(0, rpr)
        self.line_template = self.p_template.__copy__()
        self.line_template.append(self.run.__copy__())

    def tr(self, row: TableRow) -> etree._Element:
        tr = self.tr_template.__copy__()
        spans = {2: row.before_spans, 3: row.after_spans} if self.underline else {}
        cut_inside = dict(zip(_TEXT_COLUMNS, row.cut_inside, strict=True))
        for column, (tc, text) in enumerate(
            zip(tr.iterchildren(qn("w:tc")), row.cells, strict=True)
        ):
            self._fill(tc, text, spans.get(column) if column in _TEXT_COLUMNS else None)
            if cut_inside.get(column):
                _mark_cut_inside(tc)
        return tr

    def _fill(self, tc: etree._Element, text: str, spans: list[Span] | None) -> None:
        text = xml_safe(text)
        marks = _char_marks(len(text), spans) if spans else None
        offset = 0
        for line in text.split("\n"):
            line_marks = marks[offset : offset + len(line)] if marks else None
            offset += len(line) + 1
            if not (line_marks and any(line_marks)) and "\t" not in line:
                p = self.line_template.__copy__()  # the common case: one plain run
                p[-1][-1].text = line
            else:
                p = self.p_template.__copy__()
                for piece, underlined in text_runs(line, line_marks):
                    self._append_run(p, piece, underlined)
            tc.append(p)

    def _append_run(self, p: etree._Element, text: str, underlined: bool) -> None:
        run = (self.underlined_run if underlined else self.run).__copy__()
        parts = text.split("\t")
        run[-1].text = parts[0]
        for part in parts[1:]:  # a tab is a w:tab element, not a character of w:t
            run.append(OxmlElement("w:tab"))
            t = self.t.__copy__()
            t.text = part
            run.append(t)
        p.append(run)


def _mark_cut_inside(tc: etree._Element) -> None:
    """End the part's text (the line before （下段に続く）) with the hidden cut mark, so an
    import joins it to the next part without a line break; nothing shows on paper."""
    add_hidden_run(tc.findall(qn("w:p"))[-2], CUT_INSIDE_PARAGRAPH)


def _char_marks(length: int, spans: list[Span]) -> list[bool]:
    marks = [False] * length
    for span in spans:
        for i in range(span.start, min(span.end, length)):
            marks[i] = True
    return marks

"""The 変更箇所 table as a Word document (.docx), from the table model.

A4 landscape, the title above a six-column table with fixed widths, a shaded header
row repeated on every page, Japanese fonts (no theme fonts), `n / m` page numbers,
clean document properties. The package starts from PIA Desk's own minimal template
(resources/docx/table: five parts, compatibilityMode 15, no leftovers of other
documents). By default rows are laid out page by page (`layout.paginate`): rows
that fit are kept whole (`cantSplit`), longer ones are cut at the page end into
marked parts; `flow=True` lets rows break freely instead.

Rows are written by copying a prepared `<w:tr>` (python-docx's `table.cell()` is
quadratic, pitfalls.md §1). Saving goes through a temporary file, so a failed export
never leaves a half-written document.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from pia_desk import __version__
from pia_desk.domain.textdiff import Span
from pia_desk.export.docx_xml import (
    XML_SPACE,
    add_text_run,
    set_cant_split,
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
from pia_desk.export.layout import (
    CELL_MARGIN_X_TWIPS,
    CELL_MARGIN_Y_TWIPS,
    PAGE_MARGIN_MM,
    TableGeometry,
    paginate,
)
from pia_desk.export.table import CUT_INSIDE_STYLE, ChangeTable, TableRow, split_rows
from pia_desk.paths import resource_path
from pia_desk.storage.errors import shown
from pia_desk.storage.project_file import write_atomic

__all__ = [
    "DEFAULT_FONT",
    "PAGE_MARGIN_MM",
    "TEXT_STYLE",
    "DocxOptions",
    "Progress",
    "append_table",
    "build_document",
    "lay_out",
    "new_document",
    "set_document_fonts",
    "set_properties",
    "text_column_em",
    "write_docx",
]

DEFAULT_FONT = "ＭＳ 明朝"
TEMPLATE_DIR = resource_path("docx", "table")
TEXT_STYLE = "PiaDeskTableText"  # every paragraph of the table: exact line spacing
HEADER_FILL = "D9D9D9"
_TEXT_COLUMNS = (2, 3)  # 変更前の記載 / 変更後の記載: underlined when asked

Progress = Callable[[int, int], None]
"""progress(rows_done, rows_total); may raise to cancel the export."""


@dataclass(frozen=True)
class DocxOptions:
    font: str = DEFAULT_FONT  # East Asian font, also used for Latin text
    font_size: float = 9.0  # points; 10.5 is the other usual size
    underline: bool = False  # 傍線 the changed characters of both text columns
    split_lines: int | None = None  # also cut parts longer than this many lines
    author: str = ""  # 作成者 of the document properties (the user's name or section)
    flow: bool = False  # let rows break freely across pages (no page-aware layout)

    def __post_init__(self) -> None:
        """Refuse what Word cannot use; the messages are for the user (Japanese)."""
        if not 6 <= self.font_size <= 16:
            raise ValueError(f"文字サイズは 6～16 ポイントで指定してください: {self.font_size:g}")
        if not self.font.strip() or len(self.font) >= 32:
            raise ValueError(f"フォント名は 1～31 文字で指定してください: 「{shown(self.font)}」")
        if shown(self.font) != self.font:  # control characters cannot be written to XML
            raise ValueError(f"フォント名に制御文字が含まれています: 「{shown(self.font)}」")
        if self.split_lines is not None and self.split_lines < 3:
            raise ValueError(f"分割する行数は 3 以上で指定してください: {self.split_lines}")


def text_column_em(font_size: float) -> float:
    """Full-width characters per line of the 変更前/変更後 columns at `font_size`."""
    return TableGeometry(font_size).column_em[2]


def lay_out(table: ChangeTable, options: DocxOptions) -> list[list[TableRow]]:
    """The printed rows, page by page (one list holding every row with `flow`)."""
    geometry = TableGeometry(options.font_size)
    if options.flow:
        rows = list(table.rows)
        if options.split_lines:
            rows = split_rows(rows, options.split_lines, geometry.column_em[2])
        return [rows]
    return paginate(table.rows, geometry, table.headers, options.split_lines)


def write_docx(
    table: ChangeTable,
    path: str | os.PathLike[str],
    options: DocxOptions | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the table to `path` atomically: a failure leaves any old file as it was.

    Returns the number of printed rows (parts of split rows count one each).
    Raises SaveError (a ProjectFileError, Japanese message) when the file cannot be written.
    """
    options = options or DocxOptions()
    document = new_document(options)
    printed = append_table(document, table, options, progress)
    set_properties(document, table.title, options.author)
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(Path(path), buffer.getvalue())
    return printed


def build_document(
    table: ChangeTable, options: DocxOptions, progress: Progress | None = None
) -> DocumentObject:
    """The whole document of the table (not saved)."""
    document = new_document(options)
    append_table(document, table, options, progress)
    set_properties(document, table.title, options.author)
    return document


# -- template, styles, properties ----------------------------------------------------


@cache
def _template_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part in sorted(TEMPLATE_DIR.rglob("*")):
            if part.is_file():
                package.write(part, part.relative_to(TEMPLATE_DIR).as_posix())
    return buffer.getvalue()


def new_document(options: DocxOptions) -> DocumentObject:
    """An empty A4 landscape document from PIA Desk's template, in the chosen font."""
    document = Document(io.BytesIO(_template_bytes()))
    set_document_fonts(document, options)
    return document


def set_document_fonts(document: DocumentObject, options: DocxOptions) -> None:
    """The document's default and Normal font and size (no theme fonts), Japanese as its
    language, no space after paragraphs, single line spacing outside the table."""
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
    normal = document.styles["Normal"].element.get_or_add_rPr()
    set_east_asian_fonts(normal, options.font, options.font)
    set_font_size(normal, options.font_size)


def _ensure_styles(document: DocumentObject, geometry: TableGeometry) -> None:
    """The table's paragraph styles: exact line spacing, and the cut mark based on it."""
    styles = document.styles.element
    for style_id, name, based_on in (
        (TEXT_STYLE, "PIA Desk 表の本文", "Normal"),
        (CUT_INSIDE_STYLE, "PIA Desk 表の本文（段落の途中で分割）", TEXT_STYLE),
    ):
        for old in styles.xpath(f'w:style[@w:styleId="{style_id}"]'):
            styles.remove(old)
        style = OxmlElement("w:style", {qn("w:type"): "paragraph", qn("w:styleId"): style_id})
        style.append(OxmlElement("w:name", {qn("w:val"): name}))
        style.append(OxmlElement("w:basedOn", {qn("w:val"): based_on}))
        if style_id == TEXT_STYLE:
            # No extra space between Japanese and Latin text or digits (Word and
            # LibreOffice add about 1/4 em by default): widths stay what the layout
            # counted, and 「令和3年10月20日」 stays on one line of its column.
            ppr = OxmlElement("w:pPr")
            ppr.append(OxmlElement("w:autoSpaceDE", {qn("w:val"): "0"}))
            ppr.append(OxmlElement("w:autoSpaceDN", {qn("w:val"): "0"}))
            ppr.append(_exact_spacing(geometry.line_twips))
            style.append(ppr)
        styles.append(style)


def _exact_spacing(line_twips: int, after: int = 0) -> etree._Element:
    return OxmlElement(
        "w:spacing",
        {
            qn("w:after"): str(after),
            qn("w:line"): str(line_twips),
            qn("w:lineRule"): "exact",
        },
    )


def set_properties(document: DocumentObject, title: str, author: str) -> None:
    """Title and 作成者 of the document; no leftovers of a template's properties."""
    props = document.core_properties
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.title = title
    props.author = author
    props.last_modified_by = author
    for leftover in ("comments", "subject", "keywords", "category"):
        if getattr(props, leftover):  # e.g. python-docx's "generated by python-docx"
            setattr(props, leftover, "")
    props.revision = 1
    props.created = props.modified = now
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a template's picture of another document
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


# -- the title and the table ---------------------------------------------------------


def append_table(
    document: DocumentObject,
    table: ChangeTable,
    options: DocxOptions,
    progress: Progress | None = None,
) -> int:
    """Append the title, the table and a closing paragraph to the end of `document`
    (the whole-評価書 writer puts the annex into its own section this way).

    The layout assumes the page of this module's template (A4 landscape, 15 mm
    margins). Returns the number of printed rows (parts count one each).
    """
    geometry = TableGeometry(options.font_size)
    _ensure_styles(document, geometry)
    rows = [row for page in lay_out(table, options) for row in page]
    _add_title(document, table.title, geometry)
    _add_table(document, table.headers, rows, options, geometry, progress)
    _add_closing_paragraph(document)
    return len(rows)


def _add_title(document: DocumentObject, title: str, geometry: TableGeometry) -> None:
    paragraph = document.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(_exact_spacing(geometry.title_line_twips, geometry.title_after_twips))
    run = paragraph.add_run(title)
    set_font_size(run._r.get_or_add_rPr(), geometry.title_size)


def _add_closing_paragraph(document: DocumentObject) -> None:
    """Word needs a paragraph after a table; a 1 pt one never spills onto a blank page."""
    p = document.add_paragraph()._p
    ppr = p.get_or_add_pPr()
    ppr.append(_exact_spacing(20))
    rpr = OxmlElement("w:rPr")
    set_font_size(rpr, 1)
    ppr.append(rpr)


def _add_table(
    document: DocumentObject,
    headers: tuple[str, ...],
    rows: list[TableRow],
    options: DocxOptions,
    geometry: TableGeometry,
    progress: Progress | None,
) -> None:
    table = document.add_table(rows=2, cols=len(headers))
    table.autofit = False
    set_table_layout(table._tbl, geometry.column_twips, CELL_MARGIN_X_TWIPS, CELL_MARGIN_Y_TWIPS)
    header, template = table.rows[0], table.rows[1]
    for tr in (header._tr, template._tr):
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().insert(0, OxmlElement("w:pStyle", {qn("w:val"): TEXT_STYLE}))
        if not options.flow:
            set_cant_split(tr)
    for tc, text in zip(header._tr.iterchildren(qn("w:tc")), headers, strict=True):
        tc.get_or_add_tcPr().append(OxmlElement("w:vAlign", {qn("w:val"): "center"}))
        p = tc.find(qn("w:p"))
        p.get_or_add_pPr().append(OxmlElement("w:jc", {qn("w:val"): "center"}))
        add_text_run(p, text)
        set_cell_shading(tc, HEADER_FILL)
    set_row_header(header._tr)
    writer = _RowWriter(template._tr, options.underline)
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
    """Give the part's last line (the one before （下段に続く）) the cut style, so an import
    joins it to the next part without a line break; nothing shows on paper or in text."""
    p = tc.findall(qn("w:p"))[-2]
    p.find(qn("w:pPr")).find(qn("w:pStyle")).set(qn("w:val"), CUT_INSIDE_STYLE)


def _char_marks(length: int, spans: list[Span]) -> list[bool]:
    marks = [False] * length
    for span in spans:
        for i in range(span.start, min(span.end, length)):
            marks[i] = True
    return marks

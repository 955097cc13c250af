"""The whole 評価書 as a Word document (.docx), from the domain's document model.

Body in A4 portrait: the cover (stamp at the top right, title, 評価書番号 | 評価書名,
the boxes of the 宣言 and 特記事項, 評価実施機関名, 公表日), the 項目一覧, then each
section as a heading line and a bordered table of two label columns and a wide value
column (first-level labels merged down over their sub-items). The 変更箇所 annex
follows in its own A4 landscape section, written by the change-table writer, so one
file holds all. Fonts as in the table writer: the chosen East Asian font (ＭＳ 明朝 by
default) with no theme fonts, ja-JP; the footer carries 評価書名 and `n / m`.

Rows are written by copying prepared `<w:tr>` / `<w:p>` elements (python-docx's
cell API is quadratic, pitfalls.md §1). Heading rows never split and keep with the
next row, and short item rows never split, so a label never stands alone at the
bottom of a page; a long value may run on to the next page.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from pia_desk.domain.assessment import (
    AnnexBox,
    AssessmentDocument,
    Cover,
    Row,
    RowKind,
    Section,
)
from pia_desk.export import docx_writer
from pia_desk.export.docx_writer import DEFAULT_FONT, DocxOptions
from pia_desk.export.docx_xml import (
    XML_SPACE,
    add_field,
    add_text_run,
    set_table_layout,
    xml_safe,
)
from pia_desk.export.layout import CELL_MARGIN_X_TWIPS, CELL_MARGIN_Y_TWIPS
from pia_desk.export.table import ChangeTable
from pia_desk.storage.project_file import write_atomic

__all__ = [
    "BODY_COLUMNS_MM",
    "AssessmentOptions",
    "build_assessment_document",
    "write_assessment_docx",
]

# A4 portrait: 210 mm minus 15 mm margins = 180 mm for the label, sub-label and value.
BODY_COLUMNS_MM = (38, 42, 100)
PAGE_MARGIN_MM = 15
FOOTER_DISTANCE_MM = 7
HEADING_FILL = "D9D9D9"
LABEL_FILL = "F2F2F2"
INDENT_DXA = 200  # per level of a label inside column 2
# Item rows up to this many printed lines never split; longer values may.
KEEP_WHOLE_LINES = 12

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class AssessmentOptions:
    font: str = DEFAULT_FONT
    font_size: float = 9.0
    underline: bool = False  # 傍線 in the 変更箇所 annex

    def __post_init__(self) -> None:
        self.table_options()  # the same limits as the table writer (Japanese messages)

    def table_options(self, author: str = "") -> DocxOptions:
        return DocxOptions(
            font=self.font, font_size=self.font_size, underline=self.underline, author=author
        )


def write_assessment_docx(
    document: AssessmentDocument,
    annex: ChangeTable | None,
    path: str | os.PathLike[str],
    options: AssessmentOptions | None = None,
    progress: Progress | None = None,
    author: str = "",
) -> None:
    """Write the 評価書 to `path` atomically; raises SaveError (Japanese) on failure."""
    built = build_assessment_document(
        document, annex, options or AssessmentOptions(), progress, author
    )
    buffer = io.BytesIO()
    built.save(buffer)
    write_atomic(Path(path), buffer.getvalue())


def build_assessment_document(
    document: AssessmentDocument,
    annex: ChangeTable | None,
    options: AssessmentOptions,
    progress: Progress | None = None,
    author: str = "",
) -> DocumentObject:
    table_options = options.table_options(author)
    docx = docx_writer.new_document(table_options)  # PIA Desk's own minimal template
    _portrait(docx.sections[0])
    total = sum(len(p.rows) if isinstance(p, Section) else 1 for p in document.parts)
    total += len(annex.rows) if annex is not None else 0
    counter = _Counter(progress, total)
    writer = _BodyWriter(docx, options)
    writer.cover(document.cover)
    writer.contents(document.contents_heading, document.contents)
    for part in document.parts:
        if isinstance(part, Section):
            writer.section(part, counter)
        else:
            writer.annex_box(part)
            counter.add(1)
    _footer(docx.sections[0], document.name, _text_width(docx.sections[0]))
    if annex is not None and document.change_annex is not None:
        _change_annex(docx, document, annex, table_options, counter)
    # Word's core properties hold at most 255 characters each.
    docx_writer.set_properties(docx, document.name[:255], author[:255])
    return docx


class _Counter:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def add(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


# -- page set-up --------------------------------------------------------------------


def _portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    _margins(section)


def _margins(section) -> None:
    margin = Mm(PAGE_MARGIN_MM)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = Mm(FOOTER_DISTANCE_MM)


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _footer(section, title: str, width: int) -> None:
    """評価書名 at the left, `n / m` at the right of the footer."""
    section.footer.is_linked_to_previous = False
    footer = section.footer._element
    for old in list(footer):  # the template's centred `n / m`
        footer.remove(old)
    paragraph = section.footer.add_paragraph()
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    p = paragraph._p
    add_text_run(p, xml_safe(title))
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:tab"))
    p.append(run)
    add_field(p, "PAGE", "1")
    add_text_run(p, " / ")
    add_field(p, "NUMPAGES", "1")


def _change_annex(
    docx: DocumentObject,
    document: AssessmentDocument,
    annex: ChangeTable,
    options: DocxOptions,
    counter: _Counter,
) -> None:
    """The 変更箇所 table in its own A4 landscape section, by the table writer."""
    section = docx.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section)
    _footer(section, document.name, _text_width(section))
    start = counter.done

    def report(done: int, _total: int) -> None:
        counter.done = start
        counter.add(done)

    docx_writer.append_table(docx, annex, options, report)


# -- the body -----------------------------------------------------------------------


class _BodyWriter:
    """Appends paragraphs and tables to the body from prepared element templates."""

    def __init__(self, docx: DocumentObject, options: AssessmentOptions) -> None:
        self.docx = docx
        self.body = docx.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))
        self.options = options
        self.widths = [Mm(w).twips for w in BODY_COLUMNS_MM]
        self.value_chars = max(
            1, int((Mm(BODY_COLUMNS_MM[2]).pt - 2 * CELL_MARGIN_X_TWIPS / 20) / options.font_size)
        )
        t = OxmlElement("w:t", {XML_SPACE: "preserve"})
        self.t = t
        self.run = OxmlElement("w:r")
        self.run.append(t.__copy__())
        self.plain_p = _paragraph()
        self.keep_p = _paragraph(keep_next=True)
        self._label_templates: dict[int, etree._Element] = {}

    # -- generic pieces -------------------------------------------------------------
    def _append(self, element: etree._Element) -> None:
        self.sect_pr.addprevious(element)

    def paragraph(
        self,
        text: str,
        *,
        size: float | None = None,
        bold: bool = False,
        align: str | None = None,
        page_break: bool = False,
        keep_next: bool = False,
        space_after: float = 0,
    ) -> etree._Element:
        p = _paragraph(keep_next=keep_next, page_break=page_break, align=align)
        if space_after:
            ppr = p.find(qn("w:pPr"))
            spacing = OxmlElement("w:spacing", {qn("w:after"): str(round(space_after * 20))})
            jc = ppr.find(qn("w:jc"))  # CT_PPr order: …, spacing, ind, …, jc
            if jc is None:
                ppr.append(spacing)
            else:
                jc.addprevious(spacing)
        if text:
            run = self._run(text, p)
            rpr = OxmlElement("w:rPr")
            if bold:
                rpr.append(OxmlElement("w:b"))
            if size:
                half = str(round(size * 2))
                rpr.append(OxmlElement("w:sz", {qn("w:val"): half}))
                rpr.append(OxmlElement("w:szCs", {qn("w:val"): half}))
            if len(rpr):
                run.insert(0, rpr)
        self._append(p)
        return p

    def _run(self, text: str, p: etree._Element) -> etree._Element:
        """Runs of `text` appended to `p` (a tab is a w:tab); returns the first run."""
        run = self.run.__copy__()
        parts = xml_safe(text).split("\t")
        run[-1].text = parts[0]
        for part in parts[1:]:
            run.append(OxmlElement("w:tab"))
            t = self.t.__copy__()
            t.text = part
            run.append(t)
        p.append(run)
        return run

    def _lines(
        self,
        tc: etree._Element,
        lines: tuple[str, ...] | list[str],
        keep: bool = False,
        indent: int = 0,
    ) -> None:
        template = self._indented(indent, keep)
        for line in lines or ("",):
            p = template.__copy__()
            if line:
                self._run(line, p)
            tc.append(p)

    def _indented(self, indent: int, keep: bool) -> etree._Element:
        if not indent:
            return self.keep_p if keep else self.plain_p
        key = indent * 2 + keep
        if key not in self._label_templates:
            p = _paragraph(keep_next=keep)
            p.find(qn("w:pPr")).append(
                OxmlElement("w:ind", {qn("w:left"): str(indent * INDENT_DXA)})
            )
            self._label_templates[key] = p
        return self._label_templates[key]

    def _table(self, widths: list[int]) -> etree._Element:
        table = self.docx.add_table(rows=1, cols=len(widths))
        tbl = table._tbl
        set_table_layout(tbl, widths, CELL_MARGIN_X_TWIPS, CELL_MARGIN_Y_TWIPS)
        tbl.remove(tbl.find(qn("w:tr")))
        return tbl

    # -- cover ----------------------------------------------------------------------
    def cover(self, cover: Cover) -> None:
        size = self.options.font_size
        self.paragraph(cover.stamp, align="right", space_after=size * 3)
        self.paragraph(cover.title, size=size + 7, bold=True, align="center", space_after=size * 2)
        width = sum(self.widths)
        for block in cover.blocks:
            if block.kind == "pair":
                each = width // len(block.fields)
                tbl = self._table([each] * len(block.fields))
                tbl.append(self._cover_row([(f.label,) for f in block.fields], each, label=True))
                tbl.append(self._cover_row([f.value for f in block.fields], each))
            elif block.kind == "line":
                label_width = self.widths[0] + self.widths[1]
                tbl = self._table([label_width, width - label_width])
                for f in block.fields:
                    tr = _tr(cant_split=True)
                    tr.append(self._cell(label_width, [f.label], fill=LABEL_FILL))
                    tr.append(self._cell(width - label_width, f.value))
                    tbl.append(tr)
            else:
                tbl = self._table([width])
                for f in block.fields:
                    tbl.append(self._cover_row([(f.label,)], width, label=True))
                    tr = _tr(min_height=self._line_height() * 4)
                    tr.append(self._cell(width, f.value))
                    tbl.append(tr)
            self.paragraph("")

    def _cover_row(self, cells: list[tuple[str, ...]], width: int, label: bool = False):
        tr = _tr(cant_split=True)
        for lines in cells:
            tr.append(self._cell(width, lines, fill=LABEL_FILL if label else None, keep=label))
        return tr

    def _cell(
        self,
        width: int,
        lines: tuple[str, ...] | list[str],
        *,
        fill: str | None = None,
        span: int = 1,
        merge: str | None = None,
        keep: bool = False,
        indent: int = 0,
    ) -> etree._Element:
        tc = _tc(width, fill=fill, span=span, merge=merge)
        self._lines(tc, lines, keep=keep, indent=indent)
        return tc

    # -- 項目一覧 -----------------------------------------------------------------------
    def contents(self, heading: str, lines: tuple[str, ...]) -> None:
        size = self.options.font_size
        self.paragraph(heading, size=size + 3, bold=True, page_break=True, space_after=size)
        for line in lines:
            self.paragraph(line, space_after=size / 2)

    # -- sections -----------------------------------------------------------------------
    def section(self, section: Section, counter: _Counter) -> None:
        heading = f"{section.label}　{section.note}" if section.note else section.label
        size = self.options.font_size
        self.paragraph(
            heading,
            size=size + 2,
            bold=True,
            page_break=section.page_break,
            keep_next=True,
            space_after=size / 2,
        )
        tbl = self._table(self.widths)
        rows = section.rows
        for index, row in enumerate(rows):
            merge_down = index + 1 < len(rows) and rows[index + 1].outer is None
            tbl.append(self._row(row, merge_down))
            if index % 50 == 49:
                counter.add(50)
        counter.add(len(rows) % 50)

    def _row(self, row: Row, merge_down: bool) -> etree._Element:
        w1, w2, w3 = self.widths
        heading = row.kind is not RowKind.ITEM
        value = row.value or ()
        short = self._visual_lines(value) <= KEEP_WHOLE_LINES
        tr = _tr(cant_split=heading or short)
        if row.kind is RowKind.BLOCK:
            tr.append(
                self._cell(w1 + w2 + w3, [row.outer or ""], fill=HEADING_FILL, span=3, keep=True)
            )
            return tr
        if row.outer is not None:
            merge = "restart" if merge_down else None
            span = 2 if row.label is None else 1
            width = w1 + w2 if span == 2 else w1
            tr.append(
                self._cell(
                    width, [row.outer], fill=LABEL_FILL, span=span, merge=merge, keep=heading
                )
            )
        else:
            tr.append(_tc(w1, fill=LABEL_FILL, merge="continue", empty=True))
        if row.label is not None and row.value is None:  # a heading inside the table
            tr.append(
                self._cell(
                    w2 + w3, [row.label], fill=HEADING_FILL, span=2, keep=True, indent=row.indent
                )
            )
            return tr
        if row.label is not None:
            tr.append(self._cell(w2, [row.label], fill=LABEL_FILL, indent=row.indent))
        tr.append(self._cell(w3, value))
        return tr

    def _line_height(self) -> int:
        """One printed line in twips (an empty box is a few lines high, as in the form)."""
        return round(self.options.font_size * 20 * 1.2)

    def _visual_lines(self, lines: tuple[str, ...]) -> int:
        return sum(max(1, math.ceil(len(line) / self.value_chars)) for line in lines)

    # -- 別添１ and other items directly under the document -----------------------
    def annex_box(self, box: AnnexBox) -> None:
        size = self.options.font_size
        self.paragraph(
            box.label,
            size=size + 2,
            bold=True,
            page_break=box.page_break,
            keep_next=True,
            space_after=size / 2,
        )
        width = sum(self.widths)
        tbl = self._table([width])
        tr = _tr(
            cant_split=self._visual_lines(box.value) <= KEEP_WHOLE_LINES,
            min_height=self._line_height() * 3,
        )
        tr.append(self._cell(width, box.value))
        tbl.append(tr)


# -- element templates ----------------------------------------------------------------


def _paragraph(
    *, keep_next: bool = False, page_break: bool = False, align: str | None = None
) -> etree._Element:
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    # CT_PPr order: pStyle, keepNext, keepLines, pageBreakBefore, …, spacing, ind, …, jc
    if keep_next:
        ppr.append(OxmlElement("w:keepNext"))
    if page_break:
        ppr.append(OxmlElement("w:pageBreakBefore"))
    p.append(ppr)
    if align:
        ppr.append(OxmlElement("w:jc", {qn("w:val"): align}))
    return p


def _tr(cant_split: bool = False, min_height: int = 0) -> etree._Element:
    return _new_tr(cant_split, min_height).__copy__()


@cache
def _new_tr(cant_split: bool, min_height: int) -> etree._Element:
    """A prepared empty row, copied for every row (building elements is the slow part)."""
    tr = OxmlElement("w:tr")
    if cant_split or min_height:
        trpr = OxmlElement("w:trPr")  # CT_TrPr order: cantSplit, trHeight
        if cant_split:
            trpr.append(OxmlElement("w:cantSplit"))
        if min_height:
            trpr.append(
                OxmlElement("w:trHeight", {qn("w:val"): str(min_height), qn("w:hRule"): "atLeast"})
            )
        tr.append(trpr)
    return tr


def _tc(
    width: int,
    *,
    fill: str | None = None,
    span: int = 1,
    merge: str | None = None,
    empty: bool = False,
) -> etree._Element:
    return _new_tc(width, fill, span, merge, empty).__copy__()


@cache
def _new_tc(
    width: int, fill: str | None, span: int, merge: str | None, empty: bool
) -> etree._Element:
    """A prepared empty cell, copied for every cell."""
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcpr.append(OxmlElement("w:tcW", {qn("w:w"): str(width), qn("w:type"): "dxa"}))
    if span > 1:
        tcpr.append(OxmlElement("w:gridSpan", {qn("w:val"): str(span)}))
    if merge == "restart":
        tcpr.append(OxmlElement("w:vMerge", {qn("w:val"): "restart"}))
    elif merge == "continue":
        tcpr.append(OxmlElement("w:vMerge"))
    if fill:
        tcpr.append(
            OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
        )
    tc.append(tcpr)
    if empty:
        tc.append(OxmlElement("w:p"))
    return tc

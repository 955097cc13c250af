"""WordprocessingML pieces python-docx has no API for (pitfalls.md §1), built with lxml.

East Asian fonts without theme attributes, page-number fields, table widths that
Word and LibreOffice both honour, repeating header rows, and text runs with
optional underline. Every function returns or edits plain elements; nothing here
knows about the change table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from pia_desk.domain.values import XML_INVALID

__all__ = [
    "XML_SPACE",
    "add_field",
    "add_text_run",
    "set_cant_split",
    "set_cell_shading",
    "set_east_asian_fonts",
    "set_font_size",
    "set_language",
    "set_row_header",
    "set_table_layout",
    "strip_theme_fonts",
    "text_runs",
    "xml_safe",
]

THEME_FONT_ATTRS = tuple(
    qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
)
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Characters XML 1.0 cannot hold (C0 controls other than tab/newline/CR, surrogates).

# Children of w:rPr and w:trPr in schema order (CT_RPr / CT_TrPr), for inserting in place.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "u", "sz", "szCs", "lang")
_TRPR_ORDER = ("cantSplit", "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden")


def _insert_ordered(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Insert `child` before the first sibling that the schema puts after it."""
    name = etree.QName(child).localname
    rank = order.index(name)
    for i, existing in enumerate(parent):
        other = etree.QName(existing).localname
        if other in order and order.index(other) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def _child(parent: etree._Element, tag: str, order: tuple[str, ...]) -> etree._Element:
    """The child `w:tag` of `parent`, created in schema order when missing."""
    found = parent.find(qn(f"w:{tag}"))
    if found is None:
        found = OxmlElement(f"w:{tag}")
        _insert_ordered(parent, found, order)
    return found


def strip_theme_fonts(root: etree._Element) -> None:
    """Delete *Theme attributes of every w:rFonts below `root` (Word prefers them)."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRS:
            rfonts.attrib.pop(attr, None)


def set_east_asian_fonts(rpr: etree._Element, east_asian: str, latin: str) -> None:
    """Explicit fonts on a w:rPr: `east_asian` for Japanese, `latin` for the rest.

    The eastAsia hint makes characters of ambiguous width (※ ○ Ⅱ ⑤ “ ”) use the
    East Asian font, as they do in a Japanese Word document.
    """
    rfonts = _child(rpr, "rFonts", _RPR_ORDER)
    rfonts.set(qn("w:hint"), "eastAsia")
    for attr in THEME_FONT_ATTRS:
        rfonts.attrib.pop(attr, None)
    for attr, value in (
        ("ascii", latin),
        ("hAnsi", latin),
        ("eastAsia", east_asian),
        ("cs", latin),
    ):
        rfonts.set(qn(f"w:{attr}"), value)


def set_font_size(rpr: etree._Element, points: float) -> None:
    half_points = str(round(points * 2))
    _child(rpr, "sz", _RPR_ORDER).set(qn("w:val"), half_points)
    _child(rpr, "szCs", _RPR_ORDER).set(qn("w:val"), half_points)


def set_language(rpr: etree._Element, east_asian: str = "ja-JP") -> None:
    lang = _child(rpr, "lang", _RPR_ORDER)
    lang.set(qn("w:eastAsia"), east_asian)
    lang.set(qn("w:val"), lang.get(qn("w:val")) or "en-US")


def set_row_header(tr: etree._Element) -> None:
    """Mark a row as a header row repeated at the top of every page."""
    _child(_trpr(tr), "tblHeader", _TRPR_ORDER)


def set_cant_split(tr: etree._Element) -> None:
    """Keep a row whole on one page (Word and LibreOffice move it to the next page)."""
    _child(_trpr(tr), "cantSplit", _TRPR_ORDER)


def _trpr(tr: etree._Element) -> etree._Element:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        tblpr_ex = tr.find(qn("w:tblPrEx"))
        tr.insert(0 if tblpr_ex is None else 1, trpr)
    return trpr


def set_table_layout(
    tbl: etree._Element, widths_dxa: Iterable[int], margin_x_dxa: int, margin_y_dxa: int = 0
) -> None:
    """Fixed layout with widths in dxa on the table, the grid and every cell.

    LibreOffice reads gridCol, Word reads tcW; both need tblLayout fixed and a dxa
    tblW (pitfalls.md §1). Also sets single borders and left/right cell margins.
    """
    widths = list(widths_dxa)
    tblpr = tbl.tblPr
    for tag in ("tblW", "tblBorders", "tblLayout", "tblCellMar"):
        for old in tblpr.findall(qn(f"w:{tag}")):
            tblpr.remove(old)
    tblw = OxmlElement("w:tblW", {qn("w:w"): str(sum(widths)), qn("w:type"): "dxa"})
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(
            OxmlElement(
                f"w:{side}",
                {
                    qn("w:val"): "single",
                    qn("w:sz"): "4",
                    qn("w:space"): "0",
                    qn("w:color"): "000000",
                },
            )
        )
    layout = OxmlElement("w:tblLayout", {qn("w:type"): "fixed"})
    margins = OxmlElement("w:tblCellMar")
    sides = (("top", margin_y_dxa), ("left", margin_x_dxa))
    sides += (("bottom", margin_y_dxa), ("right", margin_x_dxa))
    for side, width in sides:
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): str(width), qn("w:type"): "dxa"}))
    # CT_TblPr order: tblStyle, …, tblW, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook
    anchor = tblpr.find(qn("w:tblStyle"))
    position = 0 if anchor is None else tblpr.index(anchor) + 1
    for element in (tblw, borders, layout, margins):
        tblpr.insert(position, element)
        position += 1
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in tbl.iterchildren(qn("w:tr")):
        for tc, width in zip(tr.iterchildren(qn("w:tc")), widths, strict=True):
            tcw = tc.get_or_add_tcPr().get_or_add_tcW()
            tcw.set(qn("w:w"), str(width))
            tcw.set(qn("w:type"), "dxa")


def set_cell_shading(tc: etree._Element, fill: str) -> None:
    tcpr = tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    # CT_TcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, textDirection, …
    after = [qn(f"w:{t}") for t in ("tcW", "gridSpan", "hMerge", "vMerge", "tcBorders")]
    index = sum(1 for child in tcpr if child.tag in after)
    tcpr.insert(index, shd)


def add_field(paragraph: etree._Element, instruction: str, cached: str) -> None:
    """A complex field (PAGE, NUMPAGES), each piece in its own run (pitfalls.md §1)."""
    pieces: list[etree._Element] = [
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}),
        OxmlElement("w:instrText", {XML_SPACE: "preserve"}),
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}),
        OxmlElement("w:t"),
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}),
    ]
    pieces[1].text = f" {instruction} "
    pieces[3].text = cached
    for piece in pieces:
        run = OxmlElement("w:r")
        run.append(piece)
        paragraph.append(run)


def add_text_run(paragraph: etree._Element, text: str) -> None:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t", {XML_SPACE: "preserve"})
    t.text = text
    run.append(t)
    paragraph.append(run)


def xml_safe(text: str) -> str:
    """`text` with characters XML cannot carry replaced by U+FFFD (never silently dropped)."""
    return XML_INVALID.sub("\ufffd", text)


def text_runs(line: str, marks: list[bool] | None) -> Iterator[tuple[str, bool]]:
    """(text, underlined) pieces of one line; `marks` flags each character (or None)."""
    if not marks or not any(marks):
        yield line, False
        return
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or marks[i] != marks[start]:
            yield line[start:i], marks[start]
            start = i

"""Read the change tables of a Word document (.docx) into raw rows.

The package is opened with zipfile and its main part parsed with lxml (no DTD, no
entities, no network), so a hostile or broken file gives a clear message. Every
top-level table whose header row reads 変更日 / 項目 / … is read; header rows
repeated inside a table (typed again on every page) are skipped. Cells merged
vertically (one 変更日 cell over several rows) give their text to every row.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pia_desk.domain.table_text import CUT_INSIDE_PARAGRAPH, CUT_INSIDE_STYLE
from pia_desk.importing.errors import UnreadableTableError, with_xml_cause
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, Package
from pia_desk.importing.raw import (
    RawRow,
    RawTable,
    header_columns,
    make_row,
)
from pia_desk.storage import limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_BODY, W_TBL, W_TR, W_TC, W_P = (f"{{{W}}}{t}" for t in ("body", "tbl", "tr", "tc", "p"))
W_R, W_T, W_TAB, W_BR, W_CR = (f"{{{W}}}{t}" for t in ("r", "t", "tab", "br", "cr"))
W_SDT, W_SDT_CONTENT = f"{{{W}}}sdt", f"{{{W}}}sdtContent"
W_VAL = f"{{{W}}}val"
W_TRPR, W_TCPR = f"{{{W}}}trPr", f"{{{W}}}tcPr"
W_GRID_BEFORE, W_GRID_SPAN, W_VMERGE = (f"{{{W}}}{t}" for t in ("gridBefore", "gridSpan", "vMerge"))
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

W_PSTYLE_PATH = f'{{{W}}}pPr/{{{W}}}pStyle[@{{{W}}}val="{CUT_INSIDE_STYLE}"]'

# Cells whose text a vertically merged cell passes down: 変更日, 提出時期, 説明.
_MERGE_DOWN = (0, 4, 5)


def read_docx(path: Path, data: bytes) -> RawTable:
    """The change tables of the document `data` (read from `path`, named in messages)."""
    with _open_package(data, path) as package:
        main = _main_part(package, path)
        root = _parse(package, main, path)
        result = RawTable(exact_markers=_written_by_pia_desk(package))
    body = root.find(W_BODY)
    if body is None:
        raise UnreadableTableError(
            "Word 文書の本文が見つかりません。ファイルが壊れています。", path
        )
    previous: _Found | None = None
    for number, tbl in enumerate(_top_level_tables(body), start=1):
        carried = previous if previous and previous.width == _grid_width(tbl) else None
        previous = _read_table(tbl, number, result, path, carried)
    return result


def _open_package(data: bytes, path: Path) -> Package:
    try:
        return Package(data, path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableTableError(
            "Word 文書（.docx）として読み込めません。ファイルが壊れている可能性があります。", path
        ) from None


def _read_xml(package: Package, name: str, path: Path) -> etree._Element:
    try:
        return package.parse(name)
    except UnreadableTableError:
        raise
    except DAMAGED_FILE_ERRORS as error:
        raise UnreadableTableError(
            with_xml_cause(
                "Word 文書の内容を読み取れません。ファイルが壊れている可能性があります。", error
            ),
            path,
        ) from None


def _main_part(package: Package, path: Path) -> str:
    rels = _read_xml(package, "_rels/.rels", path)
    for rel in rels.iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("Type", "").endswith(OFFICE_DOCUMENT):
            target = rel.get("Target", "").lstrip("/")
            return posixpath.normpath(target)
    raise UnreadableTableError("Word 文書（.docx）ではありません（本文が見つかりません）。", path)


def _parse(package: Package, name: str, path: Path) -> etree._Element:
    root = _read_xml(package, name, path)
    if root.tag != f"{{{W}}}document":
        raise UnreadableTableError("Word 文書（.docx）ではありません。", path)
    return root


def _written_by_pia_desk(package: Package) -> bool:
    if "docProps/app.xml" not in package.names:
        return False
    root = _read_xml(package, "docProps/app.xml", package.path)
    application = root.findtext(f"{{{EXTENDED_NS}}}Application") or ""
    return application.startswith("PIA Desk")


def _top_level_tables(body: etree._Element) -> Iterator[etree._Element]:
    for tbl in body.iter(W_TBL):
        if not any(a.tag == W_TC for a in tbl.iterancestors()):
            yield tbl


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, also those wrapped in content controls (w:sdt), in order;
    a loop, not recursion, however deep the controls are nested."""
    pending = [iter(parent)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                pending.append(iter(content))


@dataclass(frozen=True)
class _Found:
    """The header's columns of a change table, and its grid width."""

    columns: tuple[int, ...]
    width: int


def _grid_width(tbl: etree._Element) -> int:
    return len(tbl.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol"))


def _read_table(
    tbl: etree._Element, number: int, result: RawTable, path: Path, carried: _Found | None
) -> _Found | None:
    """Read one table; returns its header if it is a change table.

    A table without a header right after a change table of the same width is read as
    its continuation (a table cut in two by a page break or a paste).
    """
    rows = list(_children(tbl, W_TR))
    columns = None
    first_data = 0
    for index, tr in enumerate(rows):
        columns = header_columns(_grid_cells(tr)[0])
        if columns is not None:
            first_data = index + 1
            result.tables_found += 1
            break
    if columns is None and carried is not None and rows:
        columns = carried.columns
        result.notes.append(
            f"表{number}は見出し行がないため、直前の変更箇所の表の続きとして読みました。"
        )
    if columns is None:
        return None
    _read_rows(rows, first_data, columns, number, result, path)
    return _Found(columns, _grid_width(tbl))


def _read_rows(
    rows: list[etree._Element],
    start: int,
    columns: tuple[int, ...],
    number: int,
    result: RawTable,
    path: Path,
) -> None:
    merge_down = {columns[i] for i in _MERGE_DOWN}
    above: list[str] = []
    for index in range(start, len(rows)):
        cells, continued = _grid_cells(rows[index])
        for grid, text in enumerate(above):
            if grid < len(cells) and continued[grid] and grid in merge_down:
                cells[grid] = text
        above = cells
        row = make_row(f"表{number}の{index + 1}行目", cells, columns)
        result.add(row, path)


def _grid_cells(tr: etree._Element) -> tuple[list[str], list[bool]]:
    """Texts by grid column, and whether each continues a vertical merge; spans are
    cut at `limits.MAX_TABLE_COLUMNS` (cells beyond it are not read)."""
    width = limits.MAX_TABLE_COLUMNS
    before = min(_int_val(tr.find(W_TRPR), W_GRID_BEFORE), width)
    cells: list[str] = [""] * before
    continued: list[bool] = [False] * before
    for tc in _children(tr, W_TC):
        if len(cells) >= width:
            break
        props = tc.find(W_TCPR)
        span = min(max(1, _int_val(props, W_GRID_SPAN)), width - len(cells))
        merge = props is not None and _continues_merge(props)
        cells += [_cell_text(tc)] + [""] * (span - 1)
        continued += [merge] * span
    return cells, continued


def _int_val(props: etree._Element | None, tag: str) -> int:
    prop = props.find(tag) if props is not None else None
    try:
        return int(prop.get(W_VAL, "0")) if prop is not None else 0
    except ValueError:
        return 0


def _continues_merge(props: etree._Element) -> bool:
    merge = props.find(W_VMERGE)
    return merge is not None and merge.get(W_VAL, "continue") == "continue"


def _cell_text(tc: etree._Element) -> str:
    """Paragraphs joined by line breaks; w:br / w:cr are line breaks, w:tab a tab.

    A paragraph in PIA Desk's cut style (a part that ends inside a paragraph) ends
    with the in-memory CUT_INSIDE_PARAGRAPH mark, which the join of parts removes.
    """
    parts: list[str] = []
    paragraphs = 0
    cut = False
    for element in tc.iter(W_P, W_T, W_TAB, W_BR, W_CR):
        tag = element.tag
        if tag == W_T:
            parts.append(element.text or "")
        elif tag == W_P:
            if cut:
                parts.append(CUT_INSIDE_PARAGRAPH)
            if paragraphs:
                parts.append("\n")
            paragraphs += 1
            cut = element.find(W_PSTYLE_PATH) is not None
        elif tag == W_TAB:
            if element.getparent().tag == W_R:  # not a tab stop of the paragraph's style
                parts.append("\t")
        else:
            parts.append("\n")
    if cut:
        parts.append(CUT_INSIDE_PARAGRAPH)
    return "".join(parts)


__all__ = ["RawRow", "read_docx"]

"""Write the current values back into a copy of the city's own 評価書 (.docx / .xlsx).

The file is read as on import and its labels placed with the project's tree, which
tells for each item the cell or paragraphs its value is in (document_match). Only
the pieces whose item changed are rewritten (domain.document_writeback); every other
part of the package is copied byte for byte, and a file without changes comes out
as the same bytes. A paragraph or cell keeps its paragraph and first run formatting.
It lives beside the readers because it must find the pieces exactly as they did.
"""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from openpyxl.utils import get_column_letter

from pia_desk.domain.document_flow import TextFlow
from pia_desk.domain.document_match import match_document
from pia_desk.domain.document_writeback import WriteBack, plan_write_back
from pia_desk.domain.project import Project
from pia_desk.domain.values import Value
from pia_desk.importing.assessment_docx import (
    W_BODY,
    W_P,
    W_T,
    W_TC,
    W_TR,
    W,
    _blocks,
    _children,
    main_part_name,
    open_package,
    read_part,
)
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.assessment_reader import read_document

W_R, W_BR, W_PPR, W_RPR, W_TBL = (f"{{{W}}}{t}" for t in ("r", "br", "pPr", "rPr", "tbl"))
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WRITABLE = (".docx", ".xlsx")


@dataclass
class WriteBackResult:
    data: bytes
    plan: WriteBack
    flow: TextFlow

    def report_lines(self) -> list[str]:
        plan = self.plan
        lines = [
            f"書き込んだ項目: {len(plan.written)}",
            f"変更のない項目（元のまま）: {plan.unchanged}",
        ]
        if plan.not_written:
            lines.append(f"書き込めなかった項目: {len(plan.not_written)} 件")
            lines += [f"  ・{path}: {why}" for path, why in plan.not_written]
        return lines


def write_back(city: Path, project: Project, value_of: Callable[[str], Value]) -> WriteBackResult:
    """The city's file with `value_of(node)` written into each item's place."""
    city = Path(city)
    suffix = city.suffix.lower()
    if suffix not in WRITABLE:
        raise UnreadableDocumentError(
            "書き込めるのは Word 文書（.docx）と Excel ブック（.xlsx）です。", city
        )
    flow = read_document(city)
    match = match_document(flow, project.root, project.meta.annex_label)
    plan = plan_write_back(flow, match, list(project.items()), value_of)
    data = city.read_bytes()
    if not plan.pieces:
        return WriteBackResult(data, plan, flow)
    edits = {flow.segments[i].place: text for i, text in plan.pieces.items()}
    writer = _write_docx if suffix == ".docx" else _write_xlsx
    return WriteBackResult(writer(city, data, edits), plan, flow)


def _repack(data: bytes, path: Path, replaced: dict[str, bytes]) -> bytes:
    """The package with some parts replaced; every other part copied as it was."""
    out = io.BytesIO()
    with open_package(data, path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, replaced.get(info.filename) or source.read(info.filename))
    return out.getvalue()


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- Word ----------------------------------------------------------------------------------
def _write_docx(path: Path, data: bytes, edits: dict[tuple, str]) -> bytes:
    with open_package(data, path) as package:
        main = main_part_name(package, path)
        root = read_part(package, main, path)
    paragraphs: list[etree._Element] = []
    tables: list[etree._Element] = []
    for element in _blocks(root.find(W_BODY)):
        (paragraphs if element.tag == W_P else tables).append(element)
    for place, text in edits.items():
        if place[0] == "p":
            _set_paragraph(paragraphs[place[1]], text)
        elif place[0] == "tc":
            _, table, row, cell = place
            tr = list(_children(tables[table], W_TR))[row]
            _set_cell(list(_children(tr, W_TC))[cell], text, path)
    return _repack(data, path, {main: _serialize(root)})


def _run(r_pr: etree._Element | None, text: str) -> etree._Element:
    run = etree.Element(W_R)
    if r_pr is not None:
        run.append(copy.deepcopy(r_pr))
    t = etree.SubElement(run, W_T)
    t.set(XML_SPACE, "preserve")
    t.text = text
    return run


def _first_run_props(paragraph: etree._Element) -> etree._Element | None:
    return paragraph.find(f"{W_R}/{W_RPR}")


def _set_paragraph(paragraph: etree._Element, text: str) -> None:
    """The paragraph's text, line breaks as w:br; its own and its first run's formatting kept."""
    r_pr = _first_run_props(paragraph)
    for child in list(paragraph):
        if child.tag != W_PPR:
            paragraph.remove(child)
    for k, line in enumerate(text.split("\n")):
        run = _run(r_pr, line)
        if k:
            run.insert(1 if r_pr is not None else 0, etree.Element(W_BR))
        paragraph.append(run)


def _set_cell(tc: etree._Element, text: str, path: Path) -> None:
    """One paragraph per line, with the first paragraph's and first run's formatting."""
    if tc.find(f".//{W_TBL}") is not None:
        raise UnreadableDocumentError("表の中に表があるセルには書き込めません。", path)
    paragraphs = [c for c in tc if c.tag == W_P]
    first = paragraphs[0]
    p_pr, r_pr = first.find(W_PPR), _first_run_props(first)
    position = list(tc).index(first)
    for paragraph in paragraphs:
        tc.remove(paragraph)
    for k, line in enumerate(text.split("\n")):
        paragraph = etree.Element(W_P)
        if p_pr is not None:
            paragraph.append(copy.deepcopy(p_pr))
        paragraph.append(_run(r_pr, line))
        tc.insert(position + k, paragraph)


# -- Excel ---------------------------------------------------------------------------------
def _write_xlsx(path: Path, data: bytes, edits: dict[tuple, str]) -> bytes:
    with open_package(data, path) as package:
        parts = _sheet_parts(package, path)
        by_part: dict[str, list[tuple[int, int, str]]] = {}
        for (_, title, row, column), text in edits.items():
            by_part.setdefault(parts[title], []).append((row, column, text))
        replaced = {}
        for part, cells in by_part.items():
            root = read_part(package, part, path)
            for row, column, text in cells:
                _set_xlsx_cell(root, row, column, text, path)
            replaced[part] = _serialize(root)
    return _repack(data, path, replaced)


def _sheet_parts(package: zipfile.ZipFile, path: Path) -> dict[str, str]:
    workbook = read_part(package, "xl/workbook.xml", path)
    rels = read_part(package, "xl/_rels/workbook.xml.rels", path)
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{RELS_NS}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{S}}}sheet"):
        target = targets.get(sheet.get(f"{{{R_NS}}}id"), "")
        name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(name)
    return parts


def _set_xlsx_cell(root: etree._Element, row: int, column: int, text: str, path: Path) -> None:
    reference = f"{get_column_letter(column)}{row}"
    cell = next((c for c in root.iter(f"{{{S}}}c") if c.get("r") == reference), None)
    if cell is None:
        raise UnreadableDocumentError(f"セル {reference} が見つからないため書き込めません。", path)
    for child in list(cell):
        cell.remove(child)
    cell.set("t", "inlineStr")
    inline = etree.SubElement(cell, f"{{{S}}}is")
    t = etree.SubElement(inline, f"{{{S}}}t")
    t.set(XML_SPACE, "preserve")
    t.text = text

"""The text flow of a Word document (.docx): paragraphs and table cells in document order.

Every table cell is one piece (its paragraphs joined by line breaks), read left to
right, row by row; a cell merged across columns is read once, the covered part of a
vertically merged cell not at all. Tables inside a cell give their text to the cell.
Headers and footers are not read (they repeat on every page). Deleted text of tracked
changes and the fallback copy of text boxes are left out. Each piece remembers its
place (table, row, cell or paragraph), for writing a value back.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pia_desk.domain.document_flow import TextFlow
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.errors import with_xml_cause
from pia_desk.storage import limits
from pia_desk.storage.safe_xml import safe_parser

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W_BODY, W_TBL, W_TR, W_TC, W_P = (f"{{{W}}}{t}" for t in ("body", "tbl", "tr", "tc", "p"))
W_T, W_TAB, W_BR, W_CR = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr"))
W_SDT, W_SDT_CONTENT, W_TCPR, W_VMERGE, W_VAL = (
    f"{{{W}}}{t}" for t in ("sdt", "sdtContent", "tcPr", "vMerge", "val")
)
W_DOCUMENT = f"{{{W}}}document"
MC_FALLBACK = f"{{{MC}}}Fallback"


def main_part_name(package: zipfile.ZipFile, path: Path) -> str:
    rels = read_part(package, "_rels/.rels", path)
    for rel in rels.iter(f"{{{RELS_NS}}}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    raise UnreadableDocumentError(
        "Word 文書（.docx）ではありません（本文が見つかりません）。", path
    )


def read_part(package: zipfile.ZipFile, name: str, path: Path) -> etree._Element:
    """A part of the package, parsed without DTD, entities or network; a DOCTYPE is refused."""
    try:
        tree = etree.ElementTree(etree.fromstring(package.read(name), safe_parser()))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError) as error:
        if isinstance(error, etree.XMLSyntaxError):
            error.xml_part = name  # the message names the damaged part
        raise UnreadableDocumentError(
            with_xml_cause(
                "Word 文書の内容を読み取れません。ファイルが壊れている可能性があります。", error
            ),
            path,
        ) from None
    if tree.docinfo.doctype:
        raise UnreadableDocumentError(
            "文書型宣言（DOCTYPE）を含む文書は、安全のため読み込みません。", path
        )
    return tree.getroot()


def open_package(data: bytes, path: Path) -> zipfile.ZipFile:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableDocumentError(
            "Word 文書（.docx）として読み込めません。ファイルが壊れている可能性があります。", path
        ) from None
    if len(package.infolist()) > limits.MAX_PACKAGE_MEMBERS:
        raise UnreadableDocumentError("文書の部品が多すぎるため読み込みません。", path)
    return package


def read_docx_flow(path: Path, data: bytes) -> TextFlow:
    with open_package(data, path) as package:
        root = read_part(package, main_part_name(package, path), path)
    if root.tag != W_DOCUMENT or root.find(W_BODY) is None:
        raise UnreadableDocumentError("Word 文書（.docx）ではありません。", path)
    flow = TextFlow(kind="docx")
    paragraphs = tables = 0
    for element in _blocks(root.find(W_BODY)):
        if len(flow.segments) > limits.MAX_ASSESSMENT_PIECES:
            raise UnreadableDocumentError("段落や表のセルが多すぎるため読み込みません。", path)
        if element.tag == W_P:
            paragraphs += 1
            flow.add(paragraph_text(element), f"{paragraphs}番目の段落", ("p", paragraphs - 1))
        else:
            tables += 1
            _read_table(element, tables, flow)
    return flow


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """Body-level paragraphs and tables in order, also inside content controls."""
    for child in parent:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _read_table(tbl: etree._Element, number: int, flow: TextFlow) -> None:
    for r, tr in enumerate(_children(tbl, W_TR)):
        row = len(flow.segments)  # unique across the flow
        for c, tc in enumerate(_children(tr, W_TC)):
            if _continues_merge(tc):
                continue
            where = f"表{number}の{r + 1}行目{c + 1}番目のセル"
            flow.add(cell_text(tc), where, ("tc", number - 1, r, c), row)


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)


def _continues_merge(tc: etree._Element) -> bool:
    props = tc.find(W_TCPR)
    merge = props.find(W_VMERGE) if props is not None else None
    return merge is not None and merge.get(W_VAL, "continue") == "continue"


def cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """The paragraphs of a cell, nested tables' included, in order."""
    return [p for p in tc.iter(W_P) if not _in_fallback(p)]


def cell_text(tc: etree._Element) -> str:
    return "\n".join(paragraph_text(p) for p in cell_paragraphs(tc) if not _nested_paragraph(p))


def _nested_paragraph(p: etree._Element) -> bool:
    """A paragraph inside a text box of another paragraph (read with that paragraph)."""
    parent = p.getparent()
    while parent is not None and parent.tag != W_TC:
        if parent.tag == W_P:
            return True
        parent = parent.getparent()
    return False


def _in_fallback(element: etree._Element) -> bool:
    return any(a.tag == MC_FALLBACK for a in element.iterancestors())


def paragraph_text(p: etree._Element) -> str:
    parts: list[str] = []
    for element in p.iter(W_T, W_TAB, W_BR, W_CR):
        if _in_fallback(element):
            continue
        if element.tag == W_T:
            parts.append(element.text or "")
        elif element.tag == W_TAB:
            if element.getparent().tag != f"{{{W}}}tabs":
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)

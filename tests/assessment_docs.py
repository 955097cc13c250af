"""Assessment documents made the way offices make them (not by PIA Desk's writer).

A filled project (every item with its own text, choices and checks set, repeat groups
added) is printed into a Word document with bordered tables (group label merged down
the left, item label, value), into an Excel sheet per section (labels left, values in
merged cells right, one long value cut over two rows), or typed by hand as paragraphs.
Labels carry the variants real documents have: full-width spaces inside, ※ with and
without a space, half-width numbering, the typo ネットワーム, a label broken over two
lines.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Alignment

from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import Value
from pia_desk.domain.wareki import format_wareki
from pia_desk.storage.project_file import new_project

STAMP = "[平成30年5月 様式3]"
TITLES = {
    "juten": "特定個人情報保護評価書（重点項目評価書）",
    "zenkoumoku": "特定個人情報保護評価書（全項目評価書）",
    "kiso": "特定個人情報保護評価書（基礎項目評価書）",
}
STAMPS = {
    "juten": "[平成30年5月 様式3]",
    "zenkoumoku": "[平成30年5月 様式4]",
    "kiso": "[平成30年5月 様式2]",
}


# -- the content ------------------------------------------------------------------------
def filled_project(form: str = "juten", repeats: dict[str, int] | None = None) -> Project:
    """A project of `form` whose every item has a value of its own (baseline)."""
    project = new_project(form)
    for prototype_id, count in (repeats or {}).items():
        for _ in range(count - 1):
            project.add_repeat_instance(prototype_id)
    for index, node in enumerate(project.items()):
        project.set_value(node.id, _value_for(node, index))
    project.adopt_working_as_baseline()
    return project


def _value_for(node: Node, index: int) -> Value:
    if node.kind is NodeKind.CHOICE:
        return Value(text=node.options[index % len(node.options)]) if node.options else Value()
    if node.kind is NodeKind.CHECKS:
        ticked = tuple(o for k, o in enumerate(node.options) if (k + index) % 2 == 0)
        other = "独自の方法" if node.other_option in ticked else ""
        return Value(checked=ticked, other=other)
    if node.kind is NodeKind.DATE:
        return Value(text=date(2021, 4, 1 + index % 28).isoformat())
    if node.id == "cover.number":
        return Value(text="12")
    text = f"項目{index}の記載。当市では{node.label.strip('①②③④⑤⑥⑦⑧⑨⑩')}について、規程に基づき適切に取り扱う。"
    if index % 3 == 0:
        text += f"\n・第{index}号に定める手続による。\n・その他の措置の内容は別に定める。"
    if index % 7 == 0:
        text = "　" + text  # indented with a full-width space, as typed
    return Value(text=text)


def document_values(project: Project) -> dict[tuple[str, ...], Value]:
    """The values by 項目 path (ids of added repeat instances differ between projects)."""
    return {
        n.path_labels(): project.value(n.id)
        for n in project.items()
        if not project.value(n.id).is_empty
    }


# -- how a document prints values and labels -----------------------------------------------
def printed_value(node: Node, value: Value, style: int = 0) -> str:
    if node.kind is NodeKind.CHOICE:
        if not value.text:
            return ""
        options = " ".join(f"{k}) {o}" for k, o in enumerate(node.options, start=1))
        bracket = ("[ {} ]", "［{}］", "[{}]")[style % 3].format(value.text)
        return f"{bracket}\n＜選択肢＞\n{options}"
    if node.kind is NodeKind.CHECKS:
        lines = []
        for k, option in enumerate(node.options):
            mark = ("[ ○ ]", "[○]", "［〇］")[(k + style) % 3] if option in value.checked else "[ ]"
            line = f"{mark} {option}"
            if option == node.other_option and value.other:
                line += f" （ {value.other} ）"
            lines.append(line)
        return "\n".join(lines)
    if node.kind is NodeKind.DATE:
        return format_wareki(date.fromisoformat(value.text)) if value.text else ""
    return value.text


def printed_label(node: Node, index: int) -> str:
    """The label as an office typed it: the variants real documents have."""
    label = node.label
    if "ネットワーク" in label and index % 2 == 0:
        label = label.replace("ネットワーク", "ネットワーム", 1)
    if label.endswith("※"):
        label = label[:-1] + ("　※" if index % 2 else " ※")
    if label[:1] in "１２３４５６７８９" and index % 3 == 0:
        label = label.translate(str.maketrans("１２３４５６７８９０．", "1234567890."))
    if label.startswith(("①", "②", "③")) and index % 4 == 1:
        label = label[0] + "　" + label[1:]
    if len(label) > 40:
        label = label[:20] + "\n" + label[20:]  # broken over two lines in its cell
    return label


# -- Word: bordered tables --------------------------------------------------------------
def make_docx(project: Project, path: Path, *, header: str = "") -> Path:
    document = Document()
    section = document.sections[0]
    if header:  # a running header and a page number on every page
        section.header.paragraphs[0].text = header
        _page_number_footer(section.footer.paragraphs[0])
    form = project.meta.form
    document.add_paragraph(STAMPS[form])
    document.add_paragraph(TITLES[form])
    nodes = [n for n in project.root.children if not n.deleted]
    for count, section_node in enumerate(nodes):
        if section_node.id == "cover":
            _cover(document, project, section_node)
            continue
        document.add_paragraph(printed_label(section_node, count))
        if section_node.is_leaf_item:  # （別添１）… : a heading with its text
            for line in printed_value(section_node, project.value(section_node.id)).split("\n"):
                document.add_paragraph(line)
            continue
        table = document.add_table(rows=0, cols=3)
        table.style = "Table Grid"
        merge_from: tuple[object, object] | None = None  # (group, first cell)
        for group, label, text in _rows(project, section_node):
            cells = table.add_row().cells
            if label is None:  # a heading row of its own
                _set_text(cells[0].merge(cells[2]), group.label)
                merge_from = None
                continue
            if group is not None and merge_from is not None and merge_from[0] is group:
                merge_from[1].merge(cells[0])  # the group label merged down the left
            else:
                _set_text(cells[0], printed_label(group, 1) if group is not None else "")
                merge_from = (group, cells[0]) if group is not None else None
            _set_text(cells[1], label)
            _set_text(cells[2], text)
    document.add_paragraph(project.meta.annex_label)
    document.add_paragraph("変更日")
    document.save(path)
    return path


def _cover(document: Document, project: Project, cover: Node) -> None:
    items = [n for n in cover.children if n.is_leaf_item]
    first, rest = items[:2], items[2:]
    table = document.add_table(rows=2, cols=2)  # 評価書番号 | 評価書名, values below
    table.style = "Table Grid"
    for column, node in enumerate(first):
        _set_text(table.cell(0, column), node.label)
        _set_text(table.cell(1, column), printed_value(node, project.value(node.id)))
    for node in rest:
        document.add_paragraph(node.label)
        for line in printed_value(node, project.value(node.id)).split("\n"):
            document.add_paragraph(line)


def _rows(project: Project, parent: Node, index: int = 0):
    """(group, item label, printed value): group is merged down the left column; a
    group holding other groups gets a heading row (label None) instead."""
    for k, node in enumerate(c for c in parent.children if not c.deleted):
        if node.kind.is_container:
            if any(c.kind.is_container for c in node.children):
                yield node, None, ""
                yield from _rows(project, node, index + k)
            else:
                yield from _items(project, node, node, index + k)
            continue
        yield from _items(project, node, None, index + k, only=True)


def _items(project: Project, node: Node, group: Node | None, index: int, only: bool = False):
    nodes = [node] if only else [c for c in node.children if not c.deleted]
    for k, item in enumerate(nodes):
        for n in item.walk(include_deleted=False):
            yield (
                group,
                printed_label(n, index + k),
                printed_value(n, project.value(n.id), index + k),
            )


def _set_text(cell, text: str) -> None:
    """Paragraphs for lines, as typed with Enter."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _page_number_footer(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.text = text
        run._r.append(element)


# -- Word: typed by hand --------------------------------------------------------------------
def make_typed_docx(project: Project, path: Path) -> Path:
    """Paragraphs only: a label line, then the value's lines; line breaks by Shift+Enter."""
    document = Document()
    document.add_paragraph(TITLES[project.meta.form])
    for index, node in enumerate(project.root.walk(include_deleted=False)):
        if node is project.root or node.id == "cover":
            continue
        document.add_paragraph(printed_label(node, index).replace("\n", ""))
        if node.is_leaf_item:
            text = printed_value(node, project.value(node.id), index)
            paragraph = document.add_paragraph()
            for k, line in enumerate(text.split("\n")):
                run = paragraph.add_run(line)
                if k:
                    run._r.insert(0, OxmlElement("w:br"))
    document.save(path)
    return path


# -- Excel: a sheet per section -----------------------------------------------------------
def make_xlsx(project: Project, path: Path, *, cut: str | None = None) -> Path:
    """Labels in A (group) and B (item), values in C:F merged; the value of item `cut`
    goes on in the row below (its first line in one row, the rest in the next)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    form = project.meta.form
    for count, section in enumerate(c for c in project.root.children if not c.deleted):
        sheet = workbook.create_sheet(section.label[:30].replace("/", "・") or f"S{count}")
        row = 1
        if count == 0:
            sheet.cell(1, 6, STAMPS[form])
            sheet.cell(2, 1, TITLES[form])
            row = 3
        sheet.cell(row, 1, printed_label(section, count).replace("\n", ""))
        row += 1
        if section.is_leaf_item:
            row = _xlsx_item(sheet, row, "", section, project, cut)
            continue
        for group, label, node in _xlsx_rows(section):
            if node is None:
                sheet.cell(row, 1, label)
                sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
                row += 1
                continue
            row = _xlsx_item(sheet, row, group, node, project, cut, label)
    workbook.save(path)
    return path


def _xlsx_rows(parent: Node, depth: int = 0):
    for index, node in enumerate(c for c in parent.children if not c.deleted):
        if node.kind.is_container:
            yield "", printed_label(node, index + depth + 1), None
            yield from _xlsx_rows(node, depth + 1)
            continue
        yield "", printed_label(node, index + depth + 1), node
        if node.children:
            yield from _xlsx_rows(node, depth + 1)


def _xlsx_item(sheet, row, group, node, project, cut, label=None) -> int:
    text = printed_value(node, project.value(node.id), row)
    if group:
        sheet.cell(row, 1, group)
    if label is not None:
        sheet.cell(row, 2, label)
    parts = [text]
    if cut == node.id and "\n" in text:
        first, rest = text.split("\n", 1)
        parts = [first, rest]
    for part in parts:
        cell = sheet.cell(row, 3, part or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=6)
        row += 1
    return row


# -- PDF through LibreOffice -------------------------------------------------------------------
def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
            start_new_session=True,
        )
    return out_dir / (docx.stem + ".pdf")

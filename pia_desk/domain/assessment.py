"""The document model of the whole 評価書: one source for the .docx writer and printing.

`build_assessment` walks the project's tree in order and produces what is printed,
already rendered as text lines: the cover, the 項目一覧, every section as rows of a
table with two label columns and a value column, the items directly under the
document (（別添１）…) as a heading and a box, and the place of the 変更箇所 annex
(which the export layer fills from its table model). How each thing prints
(choice lists, check marks, the cover's boxes) is data: `resources/templates/layout/
FORM.json`, each rule marked confirmed or not, so that a rule seen wrong in an
official 様式 is a one-line fix and no form has its own code.

Table rows: column 1 holds the label of a first-level item (１．…), merged down over
the rows of its sub-items; column 2 holds a sub-item's label (①…), indented by its
depth; column 3 the value. A first-level item without sub-items spans columns 1–2;
a heading inside a table (システム１, リスク：…) spans columns 2–3; a repeat group
directly under a section (one block per 特定個人情報ファイル) spans all three and its
items start at the first level again, so a repeat level of files is just another
repeat group (a single file prints no block line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import cache

from pia_desk.domain.assessment_text import TextState, Unrebuilt
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node, NodeKind, repeat_siblings
from pia_desk.domain.values import Value, form_check_lines
from pia_desk.domain.wareki import DigitStyle, format_wareki
from pia_desk.paths import resource_path

__all__ = [
    "LAYOUT_NOTE",
    "AnnexBox",
    "AssessmentDocument",
    "ChangeAnnex",
    "Cover",
    "CoverBlock",
    "CoverField",
    "FormLayout",
    "Row",
    "RowKind",
    "Section",
    "build_assessment",
    "form_layout",
    "value_lines",
]


LAYOUT_NOTE = (
    "レイアウトは公表された評価書から分かる範囲で様式に合わせたもので、"
    "現行の公式様式と細部が異なる場合があります。"
)


class RowKind(StrEnum):
    ITEM = "item"  # label(s) and a value
    HEADING = "heading"  # a heading inside a table: columns 2–3 (システム１, リスク：…)
    BLOCK = "block"  # a repeat group directly under a section: all three columns


@dataclass(frozen=True)
class Row:
    """One table row. `outer` is column 1: its text where a merged cell starts, None
    where the row continues the merged cell above. `label` None: column 1 spans
    columns 1–2 (a first-level item). `value` None: the label spans to the right."""

    node_id: str
    kind: RowKind
    outer: str | None
    label: str | None
    value: tuple[str, ...] | None
    indent: int = 0  # depth of the label in column 2 (0: a direct sub-item)
    outer_id: str | None = None  # the node whose label starts in column 1 here


@dataclass(frozen=True)
class Section:
    node_id: str
    label: str
    note: str
    rows: tuple[Row, ...]
    page_break: bool


@dataclass(frozen=True)
class AnnexBox:
    """An item directly under the document, e.g. （別添１）特定個人情報ファイル記録項目."""

    node_id: str
    label: str
    value: tuple[str, ...]
    page_break: bool


@dataclass(frozen=True)
class ChangeAnnex:
    """Where the 変更箇所 table goes; the export layer renders it from its table model."""

    title: str


@dataclass(frozen=True)
class CoverField:
    node_id: str
    label: str
    value: tuple[str, ...]


@dataclass(frozen=True)
class CoverBlock:
    kind: str  # pair (labels above values, side by side) | box (label, then a box) | line
    fields: tuple[CoverField, ...]


@dataclass(frozen=True)
class Cover:
    stamp: str
    title: str  # 特定個人情報保護評価書（重点項目評価書）
    blocks: tuple[CoverBlock, ...]


@dataclass(frozen=True)
class AssessmentDocument:
    form: str
    name: str  # 評価書名 (its first line), also in the footer
    cover: Cover
    contents_heading: str
    contents: tuple[str, ...]  # 項目一覧: the sections and annexes in order
    parts: tuple[Section | AnnexBox, ...]
    change_annex: ChangeAnnex | None
    text_description: str  # which text: 現在の記載 / 提出済みの記載 / …
    unrebuilt: tuple[Unrebuilt, ...]

    def nodes_in_order(self) -> list[str]:
        """Node ids of everything printed, in print order (for checks and tests)."""
        ids = [f.node_id for block in self.cover.blocks for f in block.fields]
        for part in self.parts:
            ids.append(part.node_id)
            if isinstance(part, Section):
                for row in part.rows:
                    if row.outer_id and row.outer_id != row.node_id:
                        ids.append(row.outer_id)
                    ids.append(row.node_id)
        return ids


# -- layout data ------------------------------------------------------------------------


@dataclass(frozen=True)
class FormLayout:
    """The layout rules of one form (resources/templates/layout/FORM.json)."""

    data: dict

    def rule(self, name: str):
        return self.data["rules"][name]["value"]

    def confirmed(self, name: str) -> bool:
        return bool(self.data["rules"][name]["confirmed"])

    @property
    def title(self) -> str:
        return self.data["title"]["value"]

    @property
    def cover_section(self) -> str:
        return self.data["cover_section"]


@cache
def _layout_data(form: str) -> str:
    return resource_path("templates", "layout", f"{form}.json").read_text(encoding="utf-8")


def form_layout(form: str) -> FormLayout:
    """The shipped layout rules of `form` (juten | zenkoumoku | kiso)."""
    return FormLayout(json.loads(_layout_data(form)))


# -- values ----------------------------------------------------------------------------


def value_lines(
    node: Node, value: Value, layout: FormLayout, digits: DigitStyle = DigitStyle.HALF
) -> tuple[str, ...]:
    """The value as the form prints it, one string per printed line (paragraph).

    Free text is kept exactly (its own line breaks become lines); an empty item
    gives no lines (an empty box), except choices and checks, whose boxes and
    options the form always prints."""
    if node.kind is NodeKind.CHECKS:
        return tuple(
            form_check_lines(
                node,
                value,
                layout.rule("check_on"),
                layout.rule("check_off"),
                layout.rule("check_other"),
            )
        )
    if node.kind is NodeKind.CHOICE:
        return _choice_lines(node, value, layout)
    if node.kind is NodeKind.DATE:
        return (_date_text(value.text, digits),) if value.text else ()
    return tuple(value.text.split("\n")) if value.text else ()


def _choice_lines(node: Node, value: Value, layout: FormLayout) -> tuple[str, ...]:
    if not value.text:
        chosen = layout.rule("choice_empty")
    elif value.text == node.other_option and value.other:
        chosen = layout.rule("choice_other").format(option=value.text, other=value.other)
    else:
        chosen = layout.rule("choice_chosen").format(option=value.text)
    item = layout.rule("choice_list_item")
    options = [
        option if option.startswith(f"{n})") else item.format(n=n, option=option)
        for n, option in enumerate(node.options, start=1)
    ]
    heading = layout.rule("choice_list_heading")
    if layout.rule("choice_list_layout") == "one_line":
        return chosen, heading, layout.rule("choice_list_separator").join(options)
    return (chosen, heading, *options)


def _date_text(text: str, digits: DigitStyle) -> str:
    try:
        return format_wareki(date.fromisoformat(text), digits)
    except ValueError:
        return text  # not an ISO date (typed by hand or imported): printed as written


# -- building --------------------------------------------------------------------------


def build_assessment(
    project: Project,
    state: TextState,
    *,
    annex: bool = True,
    layout: FormLayout | None = None,
) -> AssessmentDocument:
    """The document of `project` with the text of `state` (see assessment_text)."""
    layout = layout or form_layout(project.meta.form)
    builder = _Builder(project, state, layout)
    cover_node = project.find_node(layout.cover_section)
    parts: list[Section | AnnexBox] = []
    for node in project.root.children:
        if node is cover_node or not state.includes(node):
            continue
        parts.append(builder.part(node))
    annex_title = project.meta.annex_label
    contents = [
        _heading_text(state.label(p_node), p_node.note)
        for p_node in _part_nodes(project, state, cover_node)
    ]
    if annex:
        contents.append(annex_title)
    return AssessmentDocument(
        form=project.meta.form,
        name=builder.cover_text("cover.title").split("\n")[0],
        cover=builder.cover(cover_node),
        contents_heading=layout.data["contents"]["value"],
        contents=tuple(contents),
        parts=tuple(parts),
        change_annex=ChangeAnnex(annex_title) if annex else None,
        text_description=state.description,
        unrebuilt=tuple(state.unrebuilt),
    )


def _part_nodes(project: Project, state: TextState, cover: Node | None) -> list[Node]:
    return [n for n in project.root.children if n is not cover and state.includes(n)]


def _heading_text(label: str, note: str) -> str:
    return f"{label}　{note}" if note else label


class _Builder:
    def __init__(self, project: Project, state: TextState, layout: FormLayout) -> None:
        self.project = project
        self.state = state
        self.layout = layout
        self.digits = project.meta.digit_style
        self.page_break = bool(layout.rule("section_page_break"))

    # -- cover ---------------------------------------------------------------------
    def cover(self, cover_node: Node | None) -> Cover:
        blocks: list[CoverBlock] = []
        placed: set[str] = set()
        for spec in self.layout.data["cover"]:
            fields = []
            for node_id in spec["ids"]:
                node = self.project.find_node(node_id)
                if node is None or not self.state.includes(node):
                    continue
                placed.add(node_id)
                label = spec.get("label") or self.state.label(node)
                fields.append(CoverField(node_id, label, self._cover_value(node)))
            if fields:
                blocks.append(CoverBlock(spec["kind"], tuple(fields)))
        if cover_node is not None:  # items the user added to the cover: never dropped
            for node in cover_node.walk():
                if node.is_leaf_item and node.id not in placed and self.state.includes(node):
                    field = CoverField(node.id, self.state.label(node), self._cover_value(node))
                    blocks.append(CoverBlock("box", (field,)))
        return Cover(self.project.meta.form_stamp, self.layout.title, tuple(blocks))

    def _cover_value(self, node: Node) -> tuple[str, ...]:
        lines = value_lines(node, self.state.value(node.id), self.layout, self.digits)
        if lines:
            return lines
        fallback = self.layout.data.get("fallback", {}).get(node.id)
        meta_value = getattr(self.project.meta, fallback, None) if fallback else None
        if isinstance(meta_value, date):
            return (format_wareki(meta_value, self.digits),)
        return (meta_value,) if meta_value else ()

    def cover_text(self, node_id: str) -> str:
        node = self.project.find_node(node_id)
        return "\n".join(self._cover_value(node)) if node is not None else ""

    # -- sections ----------------------------------------------------------------
    def part(self, node: Node) -> Section | AnnexBox:
        label = self.state.label(node)
        if node.is_leaf_item:
            return AnnexBox(node.id, label, self._value(node), self.page_break)
        rows: list[Row] = []
        for child in node.children:
            rows.extend(self._first_level(child))
        return Section(node.id, label, node.note, tuple(rows), self.page_break)

    def _value(self, node: Node) -> tuple[str, ...]:
        return value_lines(node, self.state.value(node.id), self.layout, self.digits)

    def _included(self, nodes: list[Node]) -> list[Node]:
        return [n for n in nodes if self.state.includes(n)]

    def _first_level(self, node: Node) -> list[Row]:
        if not self.state.includes(node):
            return []
        label = self.state.label(node)
        if node.kind is NodeKind.REPEAT:  # a block per file: its items are first-level
            # one file alone prints no line of its own, as in a single-file 評価書
            rows = [Row(node.id, RowKind.BLOCK, label, None, None, outer_id=node.id)]
            if len(self._included(repeat_siblings(node))) < 2:
                rows = []
            for child in self._included(node.children):
                rows.extend(self._first_level(child))
            return rows
        inner: list[Row] = []
        for child in self._included(node.children):
            inner.extend(self._inner(child, 0))
        if node.is_leaf_item:
            own = Row(node.id, RowKind.ITEM, label, "" if inner else None, self._value(node))
            return [replace(own, outer_id=node.id), *inner]
        if not inner:  # a heading without items: its label and empty cells
            return [Row(node.id, RowKind.ITEM, label, "", (), outer_id=node.id)]
        # the group prints only in column 1, merged down over its sub-items' rows
        return [replace(inner[0], outer=label, outer_id=node.id), *inner[1:]]

    def _inner(self, node: Node, indent: int) -> list[Row]:
        label = self.state.label(node)
        if node.kind.is_container:
            rows = [Row(node.id, RowKind.HEADING, None, label, None, indent)]
        else:
            rows = [Row(node.id, RowKind.ITEM, None, label, self._value(node), indent)]
        for child in self._included(node.children):
            rows.extend(self._inner(child, indent + 1))
        return rows

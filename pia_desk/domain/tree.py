"""The item tree of an assessment: the official form's sections, items and repeat groups.

A template is a tree of `Node`s; a project owns its own copy, which the user may
extend (add / rename / remove items and repeat groups). Nodes know their baseline
state (as last submitted) so that structural changes can be listed as change entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class NodeKind(StrEnum):
    ROOT = "root"
    SECTION = "section"  # Ⅰ基本情報 …
    GROUP = "group"  # １．… or any heading that holds other nodes
    REPEAT = "repeat"  # one instance of a repeatable group: システム１, 委託事項２ …
    TEXT = "text"
    CHOICE = "choice"  # one of `options`
    CHECKS = "checks"  # any of `options`; `other_option` carries free text
    DATE = "date"

    @property
    def is_container(self) -> bool:
        return self in (NodeKind.ROOT, NodeKind.SECTION, NodeKind.GROUP, NodeKind.REPEAT)


@dataclass(eq=False)
class Node:
    """One node of a form tree. Identity matters (a node is an object), not equality."""

    id: str
    label: str
    kind: NodeKind
    options: list[str] = field(default_factory=list)
    # Label of the option of a CHECKS/CHOICE item that carries free text (その他).
    other_option: str | None = None
    # ※ flag: True / False explicitly, None inherits from the parent.
    important: bool | None = None
    # Text shown next to the label but not part of item paths, e.g. ※（７．②を除く。）.
    note: str = ""
    # For REPEAT nodes: label pattern with {n}, e.g. "システム{n}".
    repeat_label: str | None = None
    children: list[Node] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)
    # Label as last submitted; None for a node added since then.
    baseline_label: str | None = None
    # Removed by the user since the last submission (kept until then for its entries).
    deleted: bool = False

    # -- structure ---------------------------------------------------------
    def add_child(self, child: Node, index: int | None = None) -> Node:
        child.parent = self
        if index is None:
            self.children.append(child)
        else:
            self.children.insert(index, child)
        return child

    def walk(self, include_deleted: bool = True) -> Iterator[Node]:
        """Pre-order traversal (tree order), self first."""
        if self.deleted and not include_deleted:
            return
        yield self
        for child in self.children:
            yield from child.walk(include_deleted)

    def ancestors(self) -> list[Node]:
        """From the top section down to the parent (the root excluded)."""
        chain: list[Node] = []
        node = self.parent
        while node is not None and node.kind is not NodeKind.ROOT:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def path_labels(self, baseline: bool = False) -> tuple[str, ...]:
        """The 項目 path: labels from the section down to this node (a 特定個人情報ファイル
        block's line only where `file_path_line` gives one)."""
        labels = []
        for node in [*self.ancestors(), self]:
            if is_file_block(node):
                line = file_path_line(node, baseline)
                if line is not None:
                    labels.append(line)
            elif baseline:
                labels.append(node.baseline_label or node.label)
            else:
                labels.append(node.label)
        return tuple(labels)

    @property
    def is_leaf_item(self) -> bool:
        return not self.kind.is_container

    @property
    def is_added(self) -> bool:
        return self.baseline_label is None

    @property
    def is_deleted(self) -> bool:
        """Deleted itself or inside a deleted group."""
        node: Node | None = self
        while node is not None:
            if node.deleted:
                return True
            node = node.parent
        return False

    def is_important(self) -> bool:
        node: Node | None = self
        while node is not None:
            if node.important is not None:
                return node.important
            node = node.parent
        return False

    def index_in_parent(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)

    def __repr__(self) -> str:  # short, for test output
        return f"Node({self.id!r}, {self.label!r}, {self.kind.value})"


@dataclass
class FormTemplate:
    """An official form: its code, names, stamp and item tree."""

    form: str  # juten | zenkoumoku | kiso
    name: str  # 重点項目評価書
    style: str  # 様式3
    stamp: str  # [平成26年4月 様式3]
    annex_label: str  # （別添２）変更箇所
    root: Node

    def find(self, node_id: str) -> Node | None:
        return next((n for n in self.root.walk() if n.id == node_id), None)


FORM_CODES = ("juten", "zenkoumoku", "kiso")

# -- several 特定個人情報ファイル ------------------------------------------------------------
# Ⅱ (and in 全項目 the per-file parts of Ⅲ) repeat once per file: each file's block is a
# repeat instance headed （１）…, （２）… and the file's name, like システムN.
FILE_REPEAT_LABEL = "（{n}）特定個人情報ファイル"
FILE_BLOCK_ID = "{section}.f1"  # the first file's block (every project has one)
FILE_SECTIONS = {"juten": ("II",), "zenkoumoku": ("II", "III"), "kiso": ()}


def is_file_block(node: Node) -> bool:
    return node.kind is NodeKind.REPEAT and node.repeat_label == FILE_REPEAT_LABEL


def file_blocks(section: Node, baseline: bool = False) -> list[Node]:
    """The file blocks of a section: as last submitted, or as now (deleted ones left out)."""
    return [
        c
        for c in section.children
        if is_file_block(c) and (c.baseline_label is not None if baseline else not c.deleted)
    ]


def file_path_line(block: Node, baseline: bool = False) -> str | None:
    """The line a file block adds to 項目 paths, or None.

    The convention (the file's line, e.g. （２）本人確認情報ファイル, right after the
    section line, and only when the project has more than one file, so single-file
    tables keep their paths) is NOT confirmed by a published table: change it here.
    "The project" counts the files of Ⅱ, the first section that has file blocks.
    """
    root = block.parent
    while root is not None and root.parent is not None:
        root = root.parent
    sections = root.children if root is not None else []
    counted = next((s for s in sections if any(is_file_block(c) for c in s.children)), None)
    if counted is None or len(file_blocks(counted, baseline)) < 2:
        return None
    return (block.baseline_label or block.label) if baseline else block.label


def add_file_level(section: Node) -> Node:
    """Put a section's items into the block of its first file (version-1 trees and
    templates have none); the items keep their ids, so values and entries still fit."""
    block = Node(
        id=FILE_BLOCK_ID.format(section=section.id),
        label=FILE_REPEAT_LABEL.format(n="１"),
        kind=NodeKind.REPEAT,
        repeat_label=FILE_REPEAT_LABEL,
        parent=section,
    )
    block.baseline_label = block.label
    block.children, section.children = section.children, [block]
    for child in block.children:
        child.parent = block
    return block


_REPEAT_NUMBER = re.compile(r"(\d+)$")
_LEADING_NUMBER = re.compile(r"^[（(](\d+)[）)]")


def node_from_dict(data: dict, parent: Node | None = None) -> Node:
    """Build a node tree from the template/project data form (see resources/templates)."""
    node = Node(
        id=str(data["id"]),
        label=str(data["label"]),
        kind=NodeKind(data.get("kind", "text")),
        options=[str(o) for o in data.get("options", [])],
        other_option=data.get("other_option"),
        important=data.get("important"),
        note=str(data.get("note", "")),
        repeat_label=data.get("repeat_label"),
        parent=parent,
    )
    node.baseline_label = data.get("baseline_label", node.label)
    node.deleted = bool(data.get("deleted", False))
    for child in data.get("children", []):
        node.children.append(node_from_dict(child, node))
    return node


def node_to_dict(node: Node, with_state: bool = False) -> dict:
    data: dict = {"id": node.id, "label": node.label, "kind": node.kind.value}
    if node.options:
        data["options"] = list(node.options)
    if node.other_option:
        data["other_option"] = node.other_option
    if node.important is not None:
        data["important"] = node.important
    if node.note:
        data["note"] = node.note
    if node.repeat_label:
        data["repeat_label"] = node.repeat_label
    if with_state:
        if node.baseline_label != node.label:
            data["baseline_label"] = node.baseline_label
        if node.deleted:
            data["deleted"] = True
    if node.children:
        data["children"] = [node_to_dict(c, with_state) for c in node.children]
    return data


def template_from_dict(data: dict) -> FormTemplate:
    root = node_from_dict({"id": "root", "label": data["name"], "kind": "root", **data["tree"]})
    return FormTemplate(
        form=data["form"],
        name=data["name"],
        style=data["style"],
        stamp=data["stamp"],
        annex_label=data["annex_label"],
        root=root,
    )


def copy_tree(node: Node, parent: Node | None = None) -> Node:
    """A deep copy of a subtree with the same ids and state."""
    clone = Node(
        id=node.id,
        label=node.label,
        kind=node.kind,
        options=list(node.options),
        other_option=node.other_option,
        important=node.important,
        note=node.note,
        repeat_label=node.repeat_label,
        parent=parent,
        baseline_label=node.baseline_label,
        deleted=node.deleted,
    )
    clone.children = [copy_tree(c, clone) for c in node.children]
    return clone


def repeat_siblings(node: Node) -> list[Node]:
    """The instances of the repeat group `node` belongs to (same pattern, same parent)."""
    if node.parent is None or node.repeat_label is None:
        return [node]
    return [c for c in node.parent.children if c.repeat_label == node.repeat_label]


def new_repeat_instance(prototype: Node, existing_ids: set[str]) -> Node:
    """A fresh, empty instance of `prototype`'s repeat group (e.g. システム６).

    Ids get a suffix that is unique in `existing_ids`; labels keep the form's numbering
    of sub-items; the instance number follows the highest existing one.
    """
    siblings = repeat_siblings(prototype)
    numbers = [_instance_number(s) for s in siblings]
    n = max(numbers, default=0) + 1
    assert prototype.repeat_label is not None
    suffix = _unique_suffix(f"{prototype.id}+{n}", existing_ids)
    instance = copy_tree(prototype)
    _drop_deleted(instance)
    if is_file_block(prototype):
        _drop_extra_instances(instance)  # a new file starts with システム１ only, etc.
    # The form's own sub-items are numbered below the prototype (I.2.sys1.2 -> …+2.2);
    # the first file's block has them below its section (II.3.5 -> II.f1+2.3.5).
    prefixes = [prototype.id]
    if is_file_block(prototype) and prototype.parent is not None:
        prefixes.append(prototype.parent.id)
    for node in instance.walk():
        own = next((p for p in prefixes if node.id.startswith(p + ".")), None)
        if node is instance:
            node.id = suffix
        elif own is not None:
            node.id = _unique_suffix(suffix + node.id[len(own) :], existing_ids)
        else:  # an item the user added to the group (u7): its own id in this instance
            node.id = _unique_suffix(f"{suffix}.{node.id}", existing_ids)
        node.baseline_label = None
        node.deleted = False
        existing_ids.add(node.id)
    instance.label = prototype.repeat_label.format(n=to_fullwidth_digits(str(n)))
    return instance


def _drop_extra_instances(node: Node) -> None:
    """Keep only the first instance of every repeat group below `node`."""
    seen: set[str] = set()
    kept = []
    for child in node.children:
        if child.kind is NodeKind.REPEAT and child.repeat_label:
            if child.repeat_label in seen:
                continue
            seen.add(child.repeat_label)
        kept.append(child)
    node.children = kept
    for child in kept:
        _drop_extra_instances(child)


def _drop_deleted(node: Node) -> None:
    node.children = [c for c in node.children if not c.deleted]
    for child in node.children:
        _drop_deleted(child)


def _instance_number(node: Node) -> int:
    digits = to_halfwidth_digits(node.label)
    match = _REPEAT_NUMBER.search(digits) or _LEADING_NUMBER.match(digits)
    return int(match.group(1)) if match else 0


def _unique_suffix(base: str, existing: set[str]) -> str:
    candidate, k = base, 1
    while candidate in existing:
        k += 1
        candidate = f"{base}.{k}"
    return candidate


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_HALFWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def to_fullwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)


def to_halfwidth_digits(text: str) -> str:
    return text.translate(_HALFWIDTH)

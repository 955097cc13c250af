"""Which text of the 評価書 to print: the working text, the text as last submitted,
or the text as submitted with a given revision, rebuilt from the change history.

The history holds, for every submitted revision, each changed item's 変更前 and
変更後 as the table printed them. Going back from the text as last submitted, each
later revision's rows are undone in reverse: an item's 変更前 becomes its text when
its 変更後 is exactly its current text. Rows that quoted only an excerpt, rows of
items that are no longer in the tree and rows whose 変更後 does not match break that
chain; such items are listed (`Unrebuilt`) and print the oldest text that could be
rebuilt, so nothing is printed as if it were certain when it is not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import EMPTY, Value, parse_value, render_value
from pia_desk.domain.wareki import format_wareki

__all__ = ["TextChoice", "TextState", "Unrebuilt", "text_state"]


@dataclass(frozen=True)
class Unrebuilt:
    """An item whose text of that time could not be rebuilt, and why (Japanese)."""

    path: tuple[str, ...]
    reason: str
    node_id: str | None = None


@dataclass(frozen=True)
class TextChoice:
    """working (default), submitted (--as-submitted), or the revision of 変更日 `on`."""

    kind: str = "working"  # working | submitted | revision
    on: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("working", "submitted", "revision"):
            raise ValueError(f"unknown text choice: {self.kind!r}")
        if (self.kind == "revision") != (self.on is not None):
            raise ValueError("a revision choice needs its date, the others none")


@dataclass
class TextState:
    """The values and labels to print, and which nodes exist at that time."""

    description: str
    values: dict[str, Value]
    labels: dict[str, str]
    absent: set[str] = field(default_factory=set)  # nodes that did not exist then
    unrebuilt: list[Unrebuilt] = field(default_factory=list)
    baseline: bool = False  # print nodes as last submitted (deleted ones included)

    def includes(self, node: Node) -> bool:
        if node.id in self.absent:
            return False
        if self.baseline:
            return node.baseline_label is not None
        return not node.deleted

    def label(self, node: Node) -> str:
        return self.labels.get(node.id, node.label)

    def value(self, node_id: str) -> Value:
        return self.values.get(node_id, EMPTY)


def text_state(project: Project, choice: TextChoice | None = None) -> TextState:
    """The text `choice` names; raises LookupError (Japanese) for an unknown revision."""
    choice = choice or TextChoice()
    if choice.kind == "working":
        return _working(project)
    if choice.kind == "submitted":
        return _submitted(project, "提出済みの記載（最後に提出した記載）")
    assert choice.on is not None
    revision = project.revision_on(choice.on)
    if revision is None:
        digits = project.meta.digit_style
        dates = "、".join(format_wareki(r.date, digits) for r in project.revisions) or "なし"
        raise LookupError(
            f"変更日が {format_wareki(choice.on, digits)} の改訂はありません（改訂の変更日: {dates}）。"
        )
    return _at_revision(project, revision)


def _working(project: Project) -> TextState:
    return TextState("現在の記載", dict(project.working), {})


def _submitted(project: Project, description: str) -> TextState:
    labels = {n.id: n.baseline_label for n in project.root.walk() if n.baseline_label}
    return TextState(description, dict(project.baseline), labels, baseline=True)


def _at_revision(project: Project, revision: Revision) -> TextState:
    digits = project.meta.digit_style
    when = format_wareki(revision.date, digits)
    if revision.is_draft:
        return TextState(
            f"作成中の改訂（変更日 {when}）の記載（現在の記載）", dict(project.working), {}
        )
    state = _submitted(project, f"変更日 {when} の改訂を提出したときの記載")
    index = project.revisions.index(revision)
    later = [r for r in project.revisions[index + 1 :] if not r.is_draft]
    texts = {
        nid: render_value(node, v)
        for nid, v in state.values.items()
        if (node := project.find_node(nid)) is not None
    }
    broken: dict[str, Unrebuilt] = {}
    for newer in reversed(later):
        for entry in reversed(newer.entries):
            node = project.find_node(entry.node_id)
            if node is None:
                key = entry.node_id or "/".join(entry.item_path)
                reason = _DELETED if entry.kind is EntryKind.DELETED else _NO_NODE
                broken.setdefault(key, Unrebuilt(entry.item_path, reason, entry.node_id))
                continue
            if node.id in broken or node.id in state.absent:
                continue
            if entry.kind is EntryKind.ADDED:
                state.absent.add(node.id)
                continue
            current = texts.get(node.id, "")
            older = parse_value(node, entry.before) if entry.before else EMPTY
            if _is_excerpt(entry) or entry.after != current or older is None:
                reason = _EXCERPT if _is_excerpt(entry) else _MISMATCH
                broken[node.id] = Unrebuilt(node.path_labels(baseline=True), reason, node.id)
                continue
            texts[node.id] = entry.before
            state.values[node.id] = older
    _hide_empty_added_groups(project, state)
    state.unrebuilt = list(broken.values())
    return state


def _is_excerpt(entry: ChangeEntry) -> bool:
    """A row that holds only part of the item's text (imported from an old table).
    Rows PIA Desk records keep the whole text even when the table quotes an excerpt."""
    return any(mark in entry.before or mark in entry.after for mark in _EXCERPT_MARKS)


def _hide_empty_added_groups(project: Project, state: TextState) -> None:
    """A group added later (システム３) did not exist either: an item added later makes
    each enclosing group absent whose items were all added later or empty then."""
    added = [project.node(node_id) for node_id in list(state.absent)]
    for item in added:
        group = item.parent
        while group is not None and group.kind in (NodeKind.GROUP, NodeKind.REPEAT):
            leaves = [n for n in group.walk() if n.is_leaf_item]
            if not all(n.id in state.absent or state.value(n.id).is_empty for n in leaves):
                break
            state.absent.update(n.id for n in group.walk())
            group = group.parent


_EXCERPT_MARKS = ("のみ抜粋）", "部分のみ抜粋", "（追加文）")
_NO_NODE = "この行の項目がプロジェクトの項目ツリーにないため、その時点の記載を復元できません。"
_DELETED = (
    "後の改訂で削除された項目のため、その時点の記載を出力できません"
    "（削除した項目はプロジェクトの項目ツリーに残っていません）。"
)
_EXCERPT = (
    "後の改訂の行が記載の一部だけを引用しているため（抜粋）、その時点の記載を復元できません。"
    "出力した記載は、復元できたうち最も古い時点のものです。"
)
_MISMATCH = (
    "後の改訂の行の変更後の記載が、次の時点の記載と一致しないため、その時点の記載を復元できません。"
    "出力した記載は、復元できたうち最も古い時点のものです。"
)

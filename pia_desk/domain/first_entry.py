"""First use: a city's current 評価書 taken in as the text as last submitted.

The plan of `match_document` (the tree as the document has it, and the values) is
put in place as the baseline: nothing it sets becomes a change row. The cover's
評価書番号, 評価書名, 評価実施機関名 and 公表日 and the document's form stamp go to the
project information too. Only a project without history may take a document in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pia_desk.domain.document_match import DocumentMatch
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.tree import Node, copy_tree
from pia_desk.domain.values import Value

# Cover labels -> ProjectMeta fields.
_COVER_META = {
    "評価書番号": "number",
    "評価書名": "title",
    "評価実施機関名": "org",
    "公表日": "published",
}
_AFFAIR_LABEL = "事務の名称"


@dataclass
class TakeInRecord:
    """What taking in changed, for undo."""

    content: tuple[Node, dict[str, Value], dict[str, Value]]
    meta: dict[str, object]


def history_problem(project: Project) -> str:
    """Why `project` may not take a document in ("" when it may)."""
    if project.submitted:
        return (
            "プロジェクトには提出済みの改訂（履歴）があります。評価書の取り込みは、"
            "履歴のないプロジェクトにだけ行えます。"
        )
    if any(r.entries for r in project.revisions):
        return (
            "プロジェクトには記録された変更箇所があります。評価書の取り込みは、"
            "変更箇所のないプロジェクトにだけ行えます。"
        )
    return ""


def take_in_document(project: Project, match: DocumentMatch) -> TakeInRecord:
    """Make the document's tree and values the project's text as last submitted."""
    problem = history_problem(project)
    if problem:
        raise DomainError(problem)
    tree = copy_tree(match.root)
    content = project.replace_content(tree, {}, match.values)
    meta = project.set_meta(**_meta_from(match, tree))
    project.adopt_working_as_baseline()  # labels and values as last submitted
    return TakeInRecord(content, meta)


def undo_take_in(project: Project, record: TakeInRecord) -> None:
    project.replace_content(*record.content)
    project.set_meta(**record.meta)


def _meta_from(match: DocumentMatch, tree: Node) -> dict[str, object]:
    changes: dict[str, object] = {}
    if match.stamp:
        changes["form_stamp"] = match.stamp
    cover = next((c for c in tree.children if c.id == "cover"), None)
    for node in cover.children if cover is not None else []:
        field = _COVER_META.get(node.label)
        value = match.values.get(node.id)
        if field is None or value is None:
            continue
        if field == "published":
            try:
                changes[field] = date.fromisoformat(value.text)
            except ValueError:
                continue
        else:
            changes[field] = value.text.strip()
    affair = next(
        (n for n in tree.walk() if n.is_leaf_item and n.label.lstrip("①") == _AFFAIR_LABEL), None
    )
    if affair is not None and affair.id in match.values:
        changes["affair"] = match.values[affair.id].text.strip()
    return changes

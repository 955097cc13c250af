"""First use: a city's current 評価書 taken in as the text as last submitted.

The plan of `match_document` (the tree as the document has it, and the values) is
put in place as the baseline: nothing it sets becomes a change row. The cover's items
are the project information's 評価書番号, 評価書名, 評価実施機関名 and 公表日 (one source);
the document's form stamp and 事務の名称 go to the project information too. Only a
project without history may take a document in; a project in 初回入力 stays in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia_desk.domain.document_match import DocumentMatch
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.tree import Node, copy_tree
from pia_desk.domain.values import Value

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
    initial_entry = project.initial_entry
    project.adopt_working_as_baseline()  # labels and values as last submitted
    project.initial_entry = initial_entry  # still entering: declared by the user
    return TakeInRecord(content, meta)


def undo_take_in(project: Project, record: TakeInRecord) -> None:
    project.replace_content(*record.content)
    project.set_meta(**record.meta)


def _meta_from(match: DocumentMatch, tree: Node) -> dict[str, object]:
    changes: dict[str, object] = {}
    if match.stamp:
        changes["form_stamp"] = match.stamp
    affair = next(
        (n for n in tree.walk() if n.is_leaf_item and n.label.lstrip("①") == _AFFAIR_LABEL), None
    )
    if affair is not None and affair.id in match.values:
        changes["affair"] = match.values[affair.id].text.strip()
    return changes

"""Project-wide find and replace of a term (e.g. 当市区町村 → 当市) in the working text.

Free text is searched: the text of text items and the その他 free text of choice and
checks items. Option labels (the form's own wording) and dates are left alone.
Replacing goes through `Project.set_value`, so change tracking gives every affected
item its entry in the draft; the classifier then recognises the consistent
replacement and suggests 事後 with 「OLD→NEW　に修正するもの。」.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import XML_INVALID, Value, normalize_text

PREVIEW_CONTEXT = 15  # characters shown on each side of the first occurrence


@dataclass(frozen=True)
class Occurrence:
    node_id: str
    item_path: tuple[str, ...]
    count: int
    preview: str  # …context【OLD】context…


@dataclass(frozen=True)
class PlannedChange:
    node_id: str
    item_path: tuple[str, ...]
    count: int
    before: Value
    after: Value


def _searchable(node: Node) -> bool:
    return node.kind in (NodeKind.TEXT, NodeKind.CHOICE, NodeKind.CHECKS)


def _free_texts(node: Node, value: Value) -> list[str]:
    """The free text of a value: its text (text items) and its その他 text."""
    texts = [value.text] if node.kind is NodeKind.TEXT else []
    return [*texts, value.other]


def _require_term(old: str) -> None:
    if not old:
        raise DomainError("検索する文字列を入力してください。")


def preview(text: str, old: str, context: int = PREVIEW_CONTEXT) -> str:
    """The first occurrence of `old` in `text` with a little context, on one line."""
    at = text.find(old)
    if at < 0:
        return ""
    start, end = max(0, at - context), min(len(text), at + len(old) + context)
    head = ("…" if start > 0 else "") + text[start:at]
    tail = text[at + len(old) : end] + ("…" if end < len(text) else "")
    return " ".join(f"{head}【{old}】{tail}".split())


def find_occurrences(project: Project, old: str) -> list[Occurrence]:
    """Every item whose working free text contains `old`, in tree order."""
    _require_term(old)
    found = []
    for node in project.items():
        if not _searchable(node):
            continue
        texts = _free_texts(node, project.value(node.id))
        count = sum(t.count(old) for t in texts)
        if count:
            first = next(t for t in texts if old in t)
            found.append(Occurrence(node.id, node.path_labels(), count, preview(first, old)))
    return found


def removed_characters(text: str) -> list[str]:
    """The characters a project cannot keep (control characters, undecodable bytes),
    each named once as U+XXXX, in order of appearance."""
    names = [f"U+{ord(ch):04X}" for ch in XML_INVALID.findall(text)]
    return list(dict.fromkeys(names))


def clean_replacement(new: str) -> str:
    """The replacement as it will be kept. A replacement that was typed but is nothing
    once cleaned would delete the term everywhere: refused (DomainError)."""
    cleaned = normalize_text(new)
    if new and not cleaned:
        raise DomainError(
            "置換後の文字列は、使えない文字（"
            + "、".join(removed_characters(new))
            + "）を取り除くと空になります。置換しませんでした。"
            '削除するときは、置換後の文字列を空（""）にしてください。'
        )
    return cleaned


def replace_plan(project: Project, old: str, new: str) -> list[PlannedChange]:
    """What `apply_replace` would do: each affected item's value before and after."""
    new = clean_replacement(new)
    if old == new:
        raise DomainError("置換前と置換後の文字列が同じです。")
    plan = []
    for occurrence in find_occurrences(project, old):
        node = project.node(occurrence.node_id)
        value = project.value(node.id)
        text = value.text.replace(old, new) if node.kind is NodeKind.TEXT else value.text
        after = Value(text=text, checked=value.checked, other=value.other.replace(old, new))
        plan.append(PlannedChange(node.id, occurrence.item_path, occurrence.count, value, after))
    return plan


def apply_replace(project: Project, old: str, new: str) -> list[str]:
    """Replace `old` by `new` in every item's working free text; the affected node ids."""
    plan = replace_plan(project, old, new)
    for change in plan:
        project.set_value(change.node_id, change.after)
    return [change.node_id for change in plan]

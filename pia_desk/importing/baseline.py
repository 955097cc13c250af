"""The text as last submitted, taken from imported history (`--set-baseline`).

After importing old tables into a new project its items are empty, so the first edit
would give rows with an empty 変更前. For every item the import matched, the latest
row of its history (the project's submitted revisions plus the rows being imported)
gives the item's text as last submitted, when that row quotes the whole item:

- not a deletion （削除）, not an excerpt (`（…のみ抜粋）`, a quoted heading such as
  ＜…追加措置＞ in 項目, or a row headed （追加文）);
- when the item has an earlier row, the latest 変更前 is that row's 変更後 (spacing
  and character width aside): a row quoting one sentence of a longer text without
  saying so does not pass;
- a choice / checks item: the `[ 選択肢 ]` / `[○]紙` lines name the item's options
  exactly as the form does; a date item: a readable date.

The values go through `Project.set_baseline_values`, which never overwrites an edit
that is pending.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from pia_desk.domain.entries import EntryKind
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node
from pia_desk.domain.values import DELETED_MARK, Value, parse_value
from pia_desk.importing.build import PlannedEntry
from pia_desk.importing.raw import text_key

_EXCERPT = re.compile(r"のみ抜粋[）)]")
_ADDED_ONLY = "(追加文)"  # text_key of （追加文）
_ADDED_UNDER_HEADING = re.compile(r"^[（(].+における追加文[）)]$")  # （＜…＞における追加文）

# Why an item did not get its text (for the report).
REASON_DELETED = "最新の行が（削除）のため"
REASON_EXCERPT = "最新の行が記載の一部（抜粋・追加文）のため"
REASON_PARTIAL = "最新の行の変更前が、その前の行の変更後と一致しない（記載の一部の引用）ため"
REASON_FORMAT = "記載が項目の選択肢・日付の形式と一致しないため"
REASON_PENDING = "編集中の変更があるため"


@dataclass(frozen=True)
class _Quote:
    """One row of an item's history."""

    day: date
    before: str
    after: str
    excerpt_label: str = ""
    deleted: bool = False


@dataclass
class BaselinePlan:
    values: dict[str, Value] = field(default_factory=dict)  # node id -> text as submitted
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (項目, why)


def plan_baseline(project: Project, planned: Sequence[PlannedEntry]) -> BaselinePlan:
    """The values to set for the items `planned` matched; reads, changes nothing."""
    node_ids = list(dict.fromkeys(p.node_id for p in planned if p.node_id))
    history = _history(project, planned, set(node_ids))
    plan = BaselinePlan()
    for node_id in node_ids:
        node = project.find_node(node_id)
        if node is None or not node.is_leaf_item or node.is_deleted:
            continue
        value, why = _baseline_of(node, history[node_id])
        if value is not None:
            plan.values[node_id] = value
        elif why:
            plan.skipped.append((_shown(node), why))
    return plan


def apply_baseline(project: Project, plan: BaselinePlan) -> dict[str, tuple[Value, Value]]:
    """Set the planned values; items with a pending edit are added to `plan.skipped`.

    Returns the old (baseline, working) values, for `Project.restore_baseline_values`.
    """
    old = project.set_baseline_values(plan.values)
    for node_id in plan.values:
        if node_id not in old:
            plan.skipped.append((_shown(project.node(node_id)), REASON_PENDING))
    return old


def _history(
    project: Project, planned: Sequence[PlannedEntry], node_ids: set[str]
) -> dict[str, list[_Quote]]:
    """Each item's rows in date order: submitted history first, then the new rows
    (which go after the entries a revision of the same date already has)."""
    rows: dict[str, list[tuple[date, int, _Quote]]] = {node_id: [] for node_id in node_ids}
    for revision in project.submitted:
        for entry in revision.entries:
            if entry.node_id in rows:
                day = revision.entry_date(entry)
                quote = _Quote(
                    day,
                    entry.before,
                    entry.after,
                    entry.excerpt_label,
                    entry.kind is EntryKind.DELETED,
                )
                rows[entry.node_id].append((day, 0, quote))
    for entry in planned:
        if entry.node_id in rows and not entry.duplicate:
            quote = _Quote(
                entry.day,
                entry.before,
                entry.after,
                entry.excerpt_label,
                entry.kind is EntryKind.DELETED,
            )
            rows[entry.node_id].append((entry.day, 1, quote))
    return {
        node_id: [q for _, _, q in sorted(found, key=lambda r: r[:2])]
        for node_id, found in rows.items()
    }


def _baseline_of(node: Node, quotes: list[_Quote]) -> tuple[Value | None, str]:
    """The value the latest row gives `node`, or None and why not ("" if no row)."""
    if not quotes:
        return None, ""
    latest = quotes[-1]
    if latest.deleted or latest.after.strip() == DELETED_MARK:
        return None, REASON_DELETED
    if _is_excerpt(latest):
        return None, REASON_EXCERPT
    if len(quotes) > 1 and text_key(latest.before) != text_key(quotes[-2].after):
        return None, REASON_PARTIAL
    value = parse_value(node, latest.after)
    return (value, "") if value is not None else (None, REASON_FORMAT)


def _is_excerpt(quote: _Quote) -> bool:
    first = next((line for line in quote.after.split("\n") if line.strip()), "")
    return (
        bool(quote.excerpt_label)
        or any(_EXCERPT.search(text) for text in (quote.before, quote.after))
        or text_key(first) == _ADDED_ONLY
        or bool(_ADDED_UNDER_HEADING.match(first.strip()))
    )


def _shown(node: Node) -> str:
    return " / ".join(node.path_labels())

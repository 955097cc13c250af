"""The 変更箇所 annex of a printed 評価書: the rows that belong to the chosen text.

The working text carries every row (the draft revision included); the text as last
submitted only the submitted revisions' rows; the text of a revision the rows up to
and including that revision. The rows themselves come from the one table model.
"""

from __future__ import annotations

from dataclasses import replace

from pia_desk.domain.assessment_text import TextChoice
from pia_desk.domain.project import Project
from pia_desk.export.table import ChangeTable, build_table

__all__ = ["annex_table"]


def annex_table(project: Project, choice: TextChoice | None = None) -> ChangeTable:
    choice = choice or TextChoice()
    table = build_table(project)
    if choice.kind == "working":
        return table
    revisions = project.submitted
    if choice.kind == "revision":
        target = project.revision_on(choice.on) if choice.on else None
        if target is not None:
            last = project.revisions.index(target)
            revisions = [r for r in project.revisions[: last + 1] if not r.is_draft or r is target]
    ids = {entry.id for revision in revisions for entry in revision.entries}
    return replace(table, rows=tuple(row for row in table.rows if row.entry_id in ids))

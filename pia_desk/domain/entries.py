"""Change entries (rows of the 変更箇所 table) and revisions that group them by date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Timing(StrEnum):
    """提出時期: 事前 (before the change) or 事後 (after it); empty while undecided."""

    UNSET = ""
    PRE = "事前"
    POST = "事後"


class EntryKind(StrEnum):
    CHANGED = "changed"
    ADDED = "added"
    DELETED = "deleted"


class QuoteMode(StrEnum):
    """How much of the item the table quotes."""

    WHOLE = "whole"
    CHANGED_PARAGRAPHS = "changed"


@dataclass(eq=False)
class ChangeEntry:
    """One row of the change table.

    `node_id` is None for rows without a node of the tree (imported history whose
    項目 could not be matched); `item_path` is the rendered 項目 path.
    """

    id: str
    item_path: tuple[str, ...]
    before: str
    after: str
    node_id: str | None = None
    kind: EntryKind = EntryKind.CHANGED
    timing: Timing = Timing.UNSET
    explanation: str = ""
    # Heading inside the item's text that the row quotes, e.g. ＜…における追加措置＞.
    excerpt_label: str = ""
    quote: QuoteMode = QuoteMode.WHOLE
    # Own 変更日 when it differs from its revision's (imported rows, user edits).
    date: date | None = None
    # False: recorded but left out of the exported table.
    include: bool = True

    @property
    def item_text(self) -> str:
        """The 項目 cell: one path component per line."""
        return "\n".join(self.item_path)


class RevisionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


@dataclass(eq=False)
class Revision:
    """The changes of one 変更日; a submitted revision is frozen."""

    id: str
    date: date
    status: RevisionStatus = RevisionStatus.DRAFT
    submitted_on: date | None = None
    entries: list[ChangeEntry] = field(default_factory=list)
    note: str = ""

    @property
    def is_draft(self) -> bool:
        return self.status is RevisionStatus.DRAFT

    def entry_for_node(self, node_id: str) -> ChangeEntry | None:
        return next((e for e in self.entries if e.node_id == node_id), None)

    def entry_date(self, entry: ChangeEntry) -> date:
        return entry.date or self.date

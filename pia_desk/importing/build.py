"""Turn joined table rows into change entries of a project's submitted revisions.

Planning reads nothing but the rows and the project (for item matching and for
duplicates) and changes nothing, so it can be previewed; applying adds the planned
entries, grouped by 変更日 into submitted revisions (an existing submitted revision
of the same date is reused; new ones go in date order, before any draft).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision, RevisionStatus, Timing
from pia_desk.domain.excerpt import quoted_texts
from pia_desk.domain.item_path import PathMatch, match_item_path
from pia_desk.domain.project import Project
from pia_desk.domain.values import DELETED_MARK
from pia_desk.domain.wareki import WarekiError, parse_date
from pia_desk.importing.raw import RawRow, text_key
from pia_desk.importing.report import ImportReport

_TRAILING_NUMBER = re.compile(r"(\d+)$")
_TIMINGS = (Timing.PRE, Timing.POST)

DuplicateKey = tuple[date, str, str, str]


@dataclass
class PlannedEntry:
    """A row as it will become a ChangeEntry; `duplicate` rows are not added."""

    where: str
    day: date
    item_path: tuple[str, ...]
    before: str
    after: str
    timing: Timing
    explanation: str
    node_id: str | None = None
    excerpt_label: str = ""
    duplicate: bool = False

    @property
    def kind(self) -> EntryKind:
        """（削除） rows are deletions; an empty 変更前 cell does not tell a new item from a
        value written into an existing one, so every other row is a change."""
        return EntryKind.DELETED if self.after.strip() == DELETED_MARK else EntryKind.CHANGED

    def to_entry(self, entry_id: str) -> ChangeEntry:
        return ChangeEntry(
            id=entry_id,
            item_path=self.item_path,
            before=self.before,
            after=self.after,
            node_id=self.node_id,
            kind=self.kind,
            timing=self.timing,
            explanation=self.explanation,
            excerpt_label=self.excerpt_label,
        )


def duplicate_key(day: date, item_path: Sequence[str], before: str, after: str) -> DuplicateKey:
    """Rows are the same when 変更日, 項目 (ignoring spacing and digit width), 変更前, 変更後 are."""
    item = "\n".join(text_key(c) for c in item_path)
    return day, item, before, after


def existing_keys(project: Project) -> set[DuplicateKey]:
    """Keys of the project's entries, as recorded and as the table prints them.

    A row quoting only its changed paragraphs (部分のみ抜粋) is printed as an excerpt,
    so re-importing an exported table must recognise the printed texts too.
    """
    keys: set[DuplicateKey] = set()
    for revision, entry in project.all_entries():
        day = revision.entry_date(entry)
        keys.add(duplicate_key(day, entry.item_path, entry.before, entry.after))
        before, after = quoted_texts(entry)
        keys.add(duplicate_key(day, entry.item_path, before, after))
    return keys


class _Planner:
    def __init__(self, project: Project, report: ImportReport) -> None:
        self.project = project
        self.report = report
        self.seen = existing_keys(project)
        self.matches: dict[tuple[str, ...], PathMatch | None] = {}
        self.last_day: date | None = None

    def plan(self, row: RawRow) -> PlannedEntry | None:
        day = self._day(row)
        if day is None:
            return None
        path = tuple(line.strip() for line in row.item.split("\n") if line.strip())
        node_id, excerpt = self._node(row.where, path)
        planned = PlannedEntry(
            where=row.where,
            day=day,
            item_path=path,
            before=row.before,
            after=row.after,
            timing=self._timing(row),
            explanation=row.explanation,
            node_id=node_id,
            excerpt_label=excerpt,
        )
        key = duplicate_key(day, path, row.before, row.after)
        if key in self.seen:
            planned.duplicate = True
            self.report.skipped.append(
                (row.where, "同じ変更日・項目・変更前・変更後の行が既にあるため")
            )
        self.seen.add(key)
        return planned

    def _day(self, row: RawRow) -> date | None:
        if row.date_value is not None:
            day: date | None = row.date_value
        elif not row.date.strip():
            day = self.last_day
            if day is None:
                self.report.skipped.append((row.where, "変更日が空欄のため"))
                return None
            self.report.warnings.append(
                f"{row.where}: 変更日が空欄のため、直前の行と同じ変更日としました。"
            )
        else:
            try:
                day = parse_date(row.date.strip())
            except WarekiError as error:
                self.report.skipped.append((row.where, f"変更日を読み取れないため（{error}）"))
                return None
        self.last_day = day
        return day

    def _timing(self, row: RawRow) -> Timing:
        text = text_key(row.timing)
        for timing in _TIMINGS:
            if text == timing.value:
                return timing
        if text:
            found = next((t for t in _TIMINGS if text.startswith(t.value)), Timing.UNSET)
            shown = f"「{found.value}」とします" if found else "未設定とします"
            self.report.warnings.append(f"{row.where}: 提出時期「{row.timing}」は{shown}。")
            return found
        return Timing.UNSET

    def _node(self, where: str, path: tuple[str, ...]) -> tuple[str | None, str]:
        if path not in self.matches:
            self.matches[path] = match_item_path(self.project.root, path) if path else None
        match = self.matches[path]
        shown = " / ".join(path) or "（項目が空欄）"
        if match is None:
            self.report.unmatched.append((where, shown))
            return None, ""
        missing = self._missing_instance(match, path)
        if missing is not None:
            # History describes the past: the tree is not changed to hold システム５.
            self.report.missing_repeats.append((where, shown, missing))
            return None, ""
        return match.node.id, match.excerpt_label or ""

    def _missing_instance(self, match: PathMatch, path: tuple[str, ...]) -> str | None:
        """The repeat instance written in `path` (システム５) that the tree lacks, resolved
        through its prototype (システム１); None when every instance exists."""
        for node_id, number in match.repeat:
            node = self.project.find_node(node_id)
            found = _TRAILING_NUMBER.search(_nfkc(node.label)) if node else None
            if found is None or int(found.group(1)) != number:
                return _written_instance(path, number, node.label if node else "")
        return None


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _written_instance(path: tuple[str, ...], number: int, prototype: str) -> str:
    """The component of `path` naming instance `number` of `prototype` (as written)."""
    stem = _TRAILING_NUMBER.sub("", _nfkc(prototype))
    for component in path:
        found = _TRAILING_NUMBER.search(_nfkc(component))
        if found and int(found.group(1)) == number and text_key(component).startswith(stem):
            return component
    return f"{stem}{number}"


def plan_entries(
    rows: Sequence[RawRow], project: Project, report: ImportReport
) -> list[PlannedEntry]:
    planner = _Planner(project, report)
    planned = [p for p in (planner.plan(row) for row in rows) if p is not None]
    report.entries_planned = sum(not p.duplicate for p in planned)
    return planned


def apply_entries(project: Project, planned: Sequence[PlannedEntry], note: str) -> tuple[int, int]:
    """Add the non-duplicate entries; returns (entries added, revisions created)."""
    by_day: dict[date, list[PlannedEntry]] = {}
    for entry in planned:
        if not entry.duplicate:
            by_day.setdefault(entry.day, []).append(entry)
    added = created = 0
    for day in sorted(by_day):
        revision = _submitted_on(project, day)
        if revision is None:
            # The table does not say when it was submitted: its 変更日 is the best known.
            revision = Revision(
                id=project.new_id("r"),
                date=day,
                status=RevisionStatus.SUBMITTED,
                submitted_on=day,
                note=note,
            )
            project.insert_revision(revision, _revision_index(project, day))
            created += 1
        for entry in by_day[day]:
            project.add_entry(revision, entry.to_entry(project.new_id("e")))
            added += 1
    return added, created


def _submitted_on(project: Project, day: date) -> Revision | None:
    """The submitted revision of 変更日 `day`; history never goes into the draft."""
    revision = project.revision_on(day)
    if revision is None or not revision.is_draft:
        return revision
    # The draft is the last revision, so revision_on finds it before a submitted one.
    return next((r for r in reversed(project.submitted) if r.date == day), None)


def _revision_index(project: Project, day: date) -> int:
    """Where a submitted revision of `day` goes: in date order, before any draft."""
    for index, revision in enumerate(project.revisions):
        if revision.is_draft or revision.date > day:
            return index
    return len(project.revisions)

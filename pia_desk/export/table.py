"""The one table model of the 変更箇所 annex, shared by .docx, printing, PDF and the screen.

Plain Python (no Qt, no python-docx): `build_table` picks the entries to output
(filter by revision or 変更日 range, include=False left out), orders them, and renders
each as a `TableRow` of the six cells exactly as they are printed:

- 変更日 in 和暦 with the project's digit style;
- 項目 one path component per line;
- 変更前 / 変更後 as recorded, （削除） for a deleted item, or, for an entry set to
  quote only its changed paragraphs, those paragraphs under their heading after a
  label such as `（＜…追加措置＞部分のみ抜粋）` in both columns;
- the changed characters of both text columns, for underlining (傍線), on demand.

`split_rows` cuts rows that are too long for a page into parts marked
（下段に続く） / （上段からの続き）, as Excel-made tables do; each part says which
text columns it cut inside a paragraph (`cut_inside`), which no printed layout can
show unambiguously, so that a .docx can carry it invisibly for a later import.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from itertools import groupby
from operator import itemgetter
from typing import Literal

from pia_desk.domain.entries import ChangeEntry, Revision
from pia_desk.domain.excerpt import excerpt_texts, quoted_texts
from pia_desk.domain.project import Project
from pia_desk.domain.table_text import (
    CONTINUED_FROM_ABOVE,
    CONTINUES_BELOW,
    CUT_INSIDE_PARAGRAPH,
    CUT_INSIDE_STYLE,
    HEADERS,
    NOTHING_BELOW,
    trim_blank_lines,
)
from pia_desk.domain.textdiff import Span, changed_spans
from pia_desk.domain.values import DELETED_MARK
from pia_desk.domain.wareki import format_wareki

__all__ = [
    "CONTINUED_FROM_ABOVE",
    "CONTINUES_BELOW",
    "CUT_INSIDE_PARAGRAPH",
    "CUT_INSIDE_STYLE",
    "HEADERS",
    "NOTHING_BELOW",
    "ChangeTable",
    "Order",
    "TableRow",
    "build_table",
    "excerpt_texts",
    "parts_from_pieces",
    "row_for_entry",
    "split_rows",
    "trim_blank_lines",
    "visual_lines",
    "wrap_paragraph",
]


Order = Literal["date", "tree", "user"]


@dataclass(frozen=True, eq=True)
class TableRow:
    """One printed row: the six cells as text ("\\n" separates lines/paragraphs)."""

    date_text: str
    item_text: str
    before: str
    after: str
    timing: str
    explanation: str
    entry_id: str = ""
    # For a part of a split row: its share of the whole row's changed characters.
    spans_source: Callable[[], tuple[list[Span], list[Span]]] | None = field(
        default=None, compare=False, repr=False
    )
    # For a part of a split row: whether 変更前 / 変更後 were cut inside a paragraph.
    cut_inside: tuple[bool, bool] = (False, False)

    @property
    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.date_text,
            self.item_text,
            self.before,
            self.after,
            self.timing,
            self.explanation,
        )

    @cached_property
    def _spans(self) -> tuple[list[Span], list[Span]]:
        if self.spans_source is not None:
            return self.spans_source()
        if self.after == DELETED_MARK:
            return ([Span(0, len(self.before))] if self.before else []), []
        return changed_spans(self.before, self.after)

    @property
    def before_spans(self) -> list[Span]:
        """Changed (deleted) characters of 変更前の記載, for underlining; diffed once, lazily."""
        return self._spans[0]

    @property
    def after_spans(self) -> list[Span]:
        """Changed (inserted) characters of 変更後の記載; （削除） itself is not marked."""
        return self._spans[1]


@dataclass(frozen=True)
class ChangeTable:
    title: str
    rows: tuple[TableRow, ...] = field(default_factory=tuple)
    headers: tuple[str, ...] = HEADERS

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[TableRow]:
        return iter(self.rows)


def build_table(
    project: Project,
    *,
    revision_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    order: Order = "date",
) -> ChangeTable:
    """The rows to output: included entries of the chosen revision / 変更日 range.

    order="date": by 変更日, then tree order (rows without a node keep their place
    among their date's rows); order="tree": by the item's place in the form, then
    変更日 (rows without a node last, by date); order="user": as arranged (revisions,
    then entries, in the project's order).
    """
    if order not in ("date", "tree", "user"):
        raise ValueError(f"unknown order: {order!r}")
    revisions = [project.revision(revision_id)] if revision_id else project.revisions
    picked = [
        (revision.entry_date(entry), entry)
        for revision in revisions
        for entry in revision.entries
        if entry.include and _in_range(revision.entry_date(entry), date_from, date_to)
    ]
    if order == "date":
        picked = _date_then_tree(picked, project.tree_order())
    elif order == "tree":
        tree = project.tree_order()
        unplaced = len(tree)
        picked.sort(key=lambda item: (tree.get(item[1].node_id or "", unplaced), item[0]))
    digits = project.meta.digit_style
    rows = tuple(_row(entry, format_wareki(day, digits)) for day, entry in picked)
    return ChangeTable(title=project.meta.annex_label, rows=rows)


def row_for_entry(project: Project, revision: Revision, entry: ChangeEntry) -> TableRow:
    """One entry as the table renders it (also used by the on-screen change list)."""
    return _row(entry, format_wareki(revision.entry_date(entry), project.meta.digit_style))


def _in_range(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def _date_then_tree(
    picked: list[tuple[date, ChangeEntry]], tree: dict[str, int]
) -> list[tuple[date, ChangeEntry]]:
    """Stable sort by date; within a date, rows with a node by tree order.

    Rows without a node (imported history) keep their slot: only the slots of rows
    with a node are refilled in tree order.
    """
    result: list[tuple[date, ChangeEntry]] = []
    for _, same_day in groupby(sorted(picked, key=itemgetter(0)), key=itemgetter(0)):
        group = list(same_day)
        slots = [i for i, (_, entry) in enumerate(group) if entry.node_id in tree]
        ordered = sorted((group[i] for i in slots), key=lambda item: tree[item[1].node_id or ""])
        for slot, item in zip(slots, ordered, strict=True):
            group[slot] = item
        result.extend(group)
    return result


def _row(entry: ChangeEntry, date_text: str) -> TableRow:
    before, after = quoted_texts(entry)
    return TableRow(
        date_text=date_text,
        item_text=entry.item_text,
        before=before,
        after=after,
        timing=entry.timing.value,
        explanation=entry.explanation,
        entry_id=entry.id,
    )


# -- split rows (下段に続く / 上段からの続き) ------------------------------------------


def _char_width(ch: str) -> float:
    """Width of a character in em: full-width 1, half-width 0.5."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def wrap_paragraph(paragraph: str, width: float) -> list[str]:
    """Break a paragraph into the lines a cell `width` em wide shows (no line is lost)."""
    lines: list[str] = []
    current, used = [], 0.0
    for ch in paragraph:
        w = _char_width(ch)
        if current and used + w > width:
            lines.append("".join(current))
            current, used = [], 0.0
        current.append(ch)
        used += w
    lines.append("".join(current))
    return lines


def visual_lines(text: str, width: float) -> int:
    """How many printed lines `text` takes in a cell `width` em wide."""
    return sum(max(1, math.ceil(sum(_char_width(c) for c in p) / width)) for p in text.split("\n"))


def _chunks(text: str, width: float, capacity: int) -> list[tuple[int, int]]:
    """`text` cut into pieces of at most `capacity` printed lines, as [start, end) offsets.

    Cuts fall between paragraphs where possible (the newline there is dropped) and
    inside a paragraph, at a wrap point, only when one paragraph is longer than a
    piece; so the pieces hold every character of `text`, in order.
    """
    pieces: list[tuple[int, int]] = []
    start: int | None = None
    end = used = position = 0
    for paragraph in text.split("\n"):
        lines = []
        for line in wrap_paragraph(paragraph, width):
            lines.append((position, position + len(line)))
            position += len(line)
        position += 1  # the newline
        if start is not None and used + len(lines) > capacity:
            pieces.append((start, end))
            start, used = None, 0
        while len(lines) > capacity:
            pieces.append((lines[0][0], lines[capacity - 1][1]))
            lines = lines[capacity:]
        if start is None:
            start = lines[0][0]
        end = lines[-1][1]
        used += len(lines)
    assert start is not None
    pieces.append((start, end))
    return pieces


def split_rows(rows: Iterable[TableRow], max_lines: int, width: float) -> list[TableRow]:
    """Rows whose 変更前/変更後 cells exceed `max_lines` printed lines, cut into parts.

    `width` is the text columns' width in em (full-width characters per line). Parts
    end with （下段に続く） and continue with （上段からの続き）; a column with no more
    text says （以下空欄）, a column without any text stays empty in every part. 変更日
    and 項目 stand on the first part, 提出時期 and its 説明 on the last. `max_lines`
    must leave room for the two marks (>= 3).
    """
    if max_lines < 3:
        raise ValueError("max_lines must be at least 3")
    result: list[TableRow] = []
    capacity = max_lines - 2
    for row in rows:
        if max(visual_lines(row.before, width), visual_lines(row.after, width)) <= max_lines:
            result.append(row)
            continue
        result.extend(_split_row(row, width, capacity))
    return result


def _split_row(row: TableRow, width: float, capacity: int) -> list[TableRow]:
    before = _column_chunks(row.before, width, capacity)
    after = _column_chunks(row.after, width, capacity)
    return parts_from_pieces(row, before, after)


def parts_from_pieces(
    row: TableRow, before: list[tuple[int, int]], after: list[tuple[int, int]]
) -> list[TableRow]:
    """The parts of `row` whose text columns hold the given [start, end) pieces.

    Part k holds piece k of each column between the marks; 変更日 and 項目 stand on the
    first part, 提出時期 and 説明 on the last; each part keeps its share of the changed
    characters (傍線) and says where it was cut inside a paragraph.
    """
    count = max(len(before), len(after))
    parts = []
    for k in range(count):
        first, last = k == 0, k == count - 1
        before_text, before_shift = _part(row.before, before, k, last)
        after_text, after_shift = _part(row.after, after, k, last)

        def spans(k=k, before_shift=before_shift, after_shift=after_shift):
            whole_before, whole_after = row.before_spans, row.after_spans
            return (
                _shift(whole_before, before, k, before_shift),
                _shift(whole_after, after, k, after_shift),
            )

        parts.append(
            replace(
                row,
                date_text=row.date_text if first else "",
                item_text=row.item_text if first else "",
                before=before_text,
                after=after_text,
                timing=row.timing if last else "",
                explanation=row.explanation if last else "",
                spans_source=spans,
                cut_inside=(_cut_inside(before, k), _cut_inside(after, k)),
            )
        )
    return parts


def _column_chunks(text: str, width: float, capacity: int) -> list[tuple[int, int]]:
    """The pieces of one column; none for a column without text, which stays empty in
    every part (no marks: there is nothing to continue)."""
    return _chunks(text, width, capacity) if text else []


def _cut_inside(pieces: list[tuple[int, int]], k: int) -> bool:
    """True if piece `k + 1` continues the paragraph piece `k` ends in (no newline between)."""
    return k + 1 < len(pieces) and pieces[k + 1][0] == pieces[k][1]


def _part(text: str, pieces: list[tuple[int, int]], k: int, last: bool) -> tuple[str, int]:
    """Part `k` of a column and how far its piece moved (marks before it, minus its start).

    The piece stands between the marks; a column that ran out says （以下空欄） once.
    """
    if k > len(pieces) or not pieces:
        return "", 0
    if k == len(pieces):
        return f"{CONTINUED_FROM_ABOVE}\n{NOTHING_BELOW}", 0
    start, end = pieces[k]
    prefix = "" if k == 0 else f"{CONTINUED_FROM_ABOVE}\n"
    suffix = "" if last else f"\n{CONTINUES_BELOW}"
    return f"{prefix}{text[start:end]}{suffix}", len(prefix) - start


def _shift(spans: list[Span], pieces: list[tuple[int, int]], k: int, shift: int) -> list[Span]:
    """The spans inside piece `k`, moved to where that piece stands in its part."""
    if k >= len(pieces):
        return []
    start, end = pieces[k]
    return [
        Span(max(s.start, start) + shift, min(s.end, end) + shift)
        for s in spans
        if s.start < end and s.end > start
    ]

"""Join rows that were split across pages back into one row each.

Tables made in Excel cut long rows by hand: a part ends with （下段に続く） in its text
columns, the next part starts with （上段からの続き）, a column with no more text says
（以下空欄）, and 提出時期 stands on the last part. The continuation may come after
other rows (matched by 変更日 + 項目 when it repeats them, else to the oldest row
still waiting), and may carry a label such as （上段からの続き、追加文）, which is
kept as （追加文）.

Two conventions for the blank lines beside the marks:
- tables typed by hand put blank lines around the marks for layout; they are dropped;
- PIA Desk (`exact=True`) puts each mark on its own line directly beside the text, so
  every other line, blank or not, is content and is kept; where it had to cut inside
  a paragraph, it ended the part with a hidden `CUT_INSIDE_PARAGRAPH` mark, and the
  parts are joined there without a line break.

Marks may also be glued to the text (`…の途中（下段に続く）`, `（上段からの続き）から続く…`),
with full- or half-width brackets: when both sides of a cut are glued, the row was cut
in the middle of a line and the parts are joined without a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pia_desk.domain.table_text import (  # the writer's own marks
    CONTINUED_FROM_ABOVE,
    CONTINUES_BELOW,
    CUT_INSIDE_PARAGRAPH,
    NOTHING_BELOW,
    trim_blank_lines,
)
from pia_desk.importing.raw import RawRow, RawTable, text_key

_SPACES = " \t\u3000"
# （上段からの続き） or （上段からの続き、追加文） at the start of a line, maybe glued to text.
_CONTINUED = re.compile(
    r"^[ \t\u3000]*[（(][ \u3000]*上段からの続き[ \u3000]*"
    r"(?:[、,，][ \u3000]*(?P<label>[^（()）\n]*?)[ \u3000]*)?[）)]"
)
_BELOW_KEY = "(下段に続く)"
_NOTHING_KEY = "(以下空欄)"
_TEXT_COLUMNS = ("before", "after")
_TAIL = 40  # characters at the end of a text that can hold a mark (with spacing)


@dataclass
class JoinResult:
    rows: list[RawRow] = field(default_factory=list)  # one per logical row, marks removed
    joined: int = 0  # continuation parts attached to an earlier part
    blank_rows: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Continued:
    """The （上段からの続き…） mark that starts a line, and what follows it on that line."""

    label: str  # the extra label (追加文), "" if none
    rest: str


def _continued_mark(line: str) -> _Continued | None:
    match = _CONTINUED.match(line)
    if match is None:
        return None
    return _Continued(text_key(match["label"] or ""), line[match.end() :].lstrip(" \t"))


def _is_continuation(row: RawRow) -> bool:
    return any(_continued_mark(_first_line(text)) is not None for text in (row.before, row.after))


def _first_line(text: str) -> str:
    return next((line for line in text.split("\n") if line.strip()), "")


def _continues_below(row: RawRow) -> bool:
    return any(text_key(text[-_TAIL:]).endswith(_BELOW_KEY) for text in (row.before, row.after))


def _is_filler(row: RawRow) -> bool:
    """A row that only says （以下空欄） (closing an unused part of a page)."""
    texts = [text_key(c) if len(c) <= _TAIL else c for c in row.cells if c.strip()]
    return row.date_value is None and bool(texts) and all(t == _NOTHING_KEY for t in texts)


class _Group:
    """The parts of one logical row, in order."""

    def __init__(self, first: RawRow) -> None:
        self.parts = [first]
        self.waiting = _continues_below(first)

    def add(self, part: RawRow) -> None:
        self.parts.append(part)
        self.waiting = _continues_below(part)

    def matches(self, row: RawRow) -> bool:
        first = self.parts[0]
        if row.date.strip() and text_key(row.date) != text_key(first.date):
            return False
        return not (row.item.strip() and text_key(row.item) != text_key(first.item))


def join_rows(table: RawTable) -> JoinResult:
    result = JoinResult()
    groups: list[_Group] = []
    waiting: list[_Group] = []  # groups whose last part ends with （下段に続く）, oldest first
    for row in table.rows:
        if row.is_blank or _is_filler(row):
            result.blank_rows += 1
            continue
        group = _target(row, waiting, result) if _is_continuation(row) else None
        if group is not None:
            group.add(row)
            result.joined += 1
            if not group.waiting:
                waiting.remove(group)
            continue
        group = _Group(row)
        groups.append(group)
        if group.waiting:
            waiting.append(group)
    exact = table.exact_markers
    for group in groups:
        if group.waiting:
            result.warnings.append(
                f"{group.parts[0].where}: （下段に続く）の続きの行が見つかりません。"
                "見つかった部分だけを取り込みます。"
            )
        result.rows.append(_joined(group, exact))
    return result


def _target(row: RawRow, waiting: list[_Group], result: JoinResult) -> _Group | None:
    if not waiting:
        result.warnings.append(
            f"{row.where}: （上段からの続き）の元の行が見つからないため、単独の行として取り込みます。"
        )
        return None
    candidates = [g for g in waiting if g.matches(row)]
    if not candidates:
        result.warnings.append(
            f"{row.where}: 変更日・項目が一致する（下段に続く）の行がないため、単独の行として取り込みます。"
        )
        return None
    identified = row.date.strip() or row.item.strip()
    if len(candidates) > 1 and not identified:
        result.warnings.append(
            f"{row.where}: 続きの行の変更日・項目が空欄のため、先に現れた"
            f"{candidates[0].parts[0].where}の続きとしました。"
        )
    return candidates[0]


def _joined(group: _Group, exact: bool) -> RawRow:
    """The group's first part with the texts of all parts joined, the marks removed."""
    parts = group.parts
    first = parts[0]
    texts = {name: join_column([getattr(p, name) for p in parts], exact) for name in _TEXT_COLUMNS}
    # 説明 stands on the last part only, without marks, whoever wrote the table.
    texts["explanation"] = join_column([p.explanation for p in parts])
    timing = next((p.timing for p in reversed(parts) if p.timing.strip()), "")
    return replace(
        first,
        date=next((p.date for p in parts if p.date.strip()), ""),
        item=next((p.item for p in parts if p.item.strip()), ""),
        timing=timing,
        date_value=next((p.date_value for p in parts if p.date_value), None),
        **texts,
    )


@dataclass(frozen=True)
class _Body:
    """One part of a column without its marks, and how it meets its neighbours."""

    text: str
    starts_glued: bool = False  # text followed （上段からの続き） on its line
    ends_glued: bool = False  # text preceded （下段に続く） on its line
    cut_inside: bool = False  # PIA Desk's hidden mark: the next part continues the paragraph

    def continues_into(self, following: _Body) -> bool:
        """Whether `following` goes on with this part's last line (no line break between)."""
        return self.cut_inside or (self.ends_glued and following.starts_glued)


def join_column(texts: list[str], exact: bool = False) -> str:
    """The text of one column from its parts, without the marks and without loss.

    Parts are joined with a line break, except after a part that PIA Desk marked as
    cut inside a paragraph (`CUT_INSIDE_PARAGRAPH`; also kept by Word when it saves
    the document again, which makes it no longer `exact`), and where the marks on both
    sides of the cut are glued to the text (a line cut in the middle).
    """
    joined = ""
    previous: _Body | None = None
    for body in _bodies(texts, exact):
        if previous is not None:
            joined += "" if previous.continues_into(body) else "\n"
        joined += body.text
        previous = body
    return joined


def _bodies(texts: list[str], exact: bool) -> list[_Body]:
    """The parts of one column without the marks, up to the one that closes it."""
    bodies: list[_Body] = []
    for text in texts:
        if exact and not text:
            continue  # PIA Desk leaves an empty column empty in every part
        body, closed = _strip_marks(text.split("\n"), exact)
        if body.text or not closed:  # a part that only says （以下空欄） adds nothing
            bodies.append(body)
        if closed:
            break
    return bodies if exact else [b for b in bodies if b.text.strip()]


def _strip_marks(lines: list[str], exact: bool) -> tuple[_Body, bool]:
    """One part without its marks, and whether it closed the column （以下空欄）."""
    if not exact:
        lines = trim_blank_lines(lines)
    starts_glued = False
    if lines:
        lines, starts_glued = _drop_first(lines, exact)
    lines, continues, ends_glued = _drop_last(lines, CONTINUES_BELOW, _BELOW_KEY, exact)
    cut_inside = continues and bool(lines) and lines[-1].endswith(CUT_INSIDE_PARAGRAPH)
    if cut_inside:
        lines = [*lines[:-1], lines[-1].removesuffix(CUT_INSIDE_PARAGRAPH)]
    lines, closed, _ = _drop_last(lines, NOTHING_BELOW, _NOTHING_KEY, exact)
    body = _Body("\n".join(lines), starts_glued, continues and ends_glued, cut_inside)
    return body, closed


def _drop_first(lines: list[str], exact: bool) -> tuple[list[str], bool]:
    """`lines` without （上段からの続き） at their start (a label such as 追加文 is kept
    as its own （追加文）); whether text followed the mark on its line."""
    if exact:
        return (lines[1:], False) if lines[0] == CONTINUED_FROM_ABOVE else (lines, False)
    mark = _continued_mark(lines[0])
    if mark is None:
        return lines, False
    if mark.label:
        return [f"（{mark.label}）{mark.rest}", *lines[1:]], False
    if mark.rest.strip():
        return [mark.rest, *lines[1:]], True
    return trim_blank_lines(lines[1:]), False


def _drop_last(lines: list[str], mark: str, key: str, exact: bool) -> tuple[list[str], bool, bool]:
    """`lines` without the mark at their end (own line, or end of the last line); whether
    it was found; whether text preceded it on its line."""
    if not lines:
        return lines, False, False
    last = lines[-1]
    if exact:
        return (lines[:-1], True, False) if last == mark else (lines, False, False)
    stripped = last.rstrip(_SPACES)
    if not stripped.endswith(("）", ")")) or not text_key(stripped[-_TAIL:]).endswith(key):
        return lines, False, False
    for cut in range(len(stripped) - 1, -1, -1):
        if text_key(stripped[cut:]) == key:
            before = stripped[:cut].rstrip(" \t")
            return trim_blank_lines([*lines[:-1], before]), True, bool(before.strip())
    return lines, False, False

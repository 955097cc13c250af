"""The printed geometry of the 変更箇所 table and its page-aware layout (plain Python).

One geometry serves the Word writer and Qt printing: A4 landscape, fixed column
widths derived from the font size, exact line spacing, fixed cell margins. From it
`paginate` computes which rows stand on which page, as offices lay such tables out
by hand:

- a row that fits on the rest of the page stays whole (the writer adds `cantSplit`);
- a row that does not fit is cut at the page end into parts marked （下段に続く） /
  （上段からの続き） in both text columns (（以下空欄） where one column has no more text),
  変更日 and 項目 on the first part, 提出時期 and 説明 on the last;
- a part never ends with a heading (＜…＞) whose body is on the next page, and the
  項目 column counts for the height of the first part;
- every page keeps SAFETY_LINES lines free, so that a renderer that sets a line a
  little differently (kinsoku, a stand-in font) still gets every row on its page.

Heights are estimated from East Asian widths (full-width 1 em, half-width 1/2 em)
with line-start/line-end rules (禁則) applied the way Word and LibreOffice do.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate

from pia_desk.domain.excerpt import is_heading
from pia_desk.export.table import TableRow, parts_from_pieces

__all__ = [
    "PAGE_HEIGHT_MM",
    "PAGE_MARGIN_MM",
    "PAGE_WIDTH_MM",
    "SAFETY_LINES",
    "TableGeometry",
    "char_width",
    "paginate",
    "wrap_lines",
]

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 297, 210
PAGE_MARGIN_MM = 15
FOOTER_DISTANCE_MM = 7
TWIPS_PER_PT = 20
TWIPS_PER_MM = 1440 / 25.4
CELL_MARGIN_X_TWIPS = 85  # 1.5 mm left and right inside every cell
CELL_MARGIN_Y_TWIPS = 30  # 1.5 pt above and below the text of every cell
BORDER_PT = 0.5
LINE_FACTOR = 1.4  # line pitch / font size, set exactly (w:lineRule="exact")
SAFETY_LINES = 2
MIN_PART_LINES = 2  # text lines a part carries at least (else the row starts a new page)

# Width in em of the fixed columns' text: 変更日 fits 「令和10年12月31日」 (8 em and six
# changes between digits and kanji) and no more, 項目 about 13 full-width characters,
# 提出時期 「事前」 and its header, 説明 about 10.
_FIXED_COLUMNS_EM = {0: 9.5, 1: 13.25, 4: 4.25, 5: 10.25}

# 禁則: characters that may not start a line (pushed back with the character before
# them) and that may not end one (moved to the next line). 、。，． hang instead.
_NO_LINE_START = frozenset(
    "）〕］｝〉》」』】〙〗）］｝!?！？‐゠–〜ー・：；ゝゞ々ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ")]}:;"
)
_HANGING = frozenset("、。，．,.")
_NO_LINE_END = frozenset("（〔［｛〈《「『【〘〖([{")


class _QuarterEms(dict[str, int]):
    """Width of each character in quarter ems (full-width 4, half-width 2), memoised."""

    def __missing__(self, ch: str) -> int:
        width = 4 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 2
        self[ch] = width
        return width


_QUARTER_EMS = _QuarterEms()
# Renderers put a little space between Japanese text and Latin letters or digits
# (LibreOffice always, about 1/5 em; Word unless autoSpaceDE/DN is off): a quarter em
# is counted at each such change.
_ALNUM = re.compile(r"[0-9A-Za-z]")
_SCRIPT_CHANGE = re.compile(r"(?<=[^\x00-\x7f])[0-9A-Za-z]|(?<=[0-9A-Za-z])[^\x00-\x7f]")


def char_width(ch: str) -> float:
    """Width of a character in em: full-width 1, half-width 0.5."""
    return _QUARTER_EMS[ch] / 4


def wrap_lines(paragraph: str, width: float) -> list[int]:
    """Lengths of the lines a cell `width` em wide breaks `paragraph` into (>= 1 line).

    Full lines break where the next character would overflow; a character that may not
    start a line takes the previous one with it, one that may not end a line moves on,
    and 、。 hang past the edge (Word's and LibreOffice's default for Japanese).
    """
    n = len(paragraph)
    limit = int(width * 4 + 1e-9)  # quarter ems per line
    if 5 * n <= limit:
        return [n]  # fits even if every character is full-width next to a Latin one
    widths = list(map(_QUARTER_EMS.__getitem__, paragraph))
    if _ALNUM.search(paragraph):
        for change in _SCRIPT_CHANGE.finditer(paragraph):
            widths[change.start()] += 1
    ends = list(accumulate(widths))
    if ends[-1] <= limit:
        return [n]
    lengths: list[int] = []
    start = used = 0
    while True:
        end = max(bisect_right(ends, used + limit, lo=start), start + 1)
        if end >= n:
            lengths.append(n - start)
            return lengths
        cut = end
        if paragraph[end] in _HANGING:
            cut = end + 1
        else:
            if paragraph[end] in _NO_LINE_START and cut - 1 > start:
                cut -= 1
            if paragraph[cut - 1] in _NO_LINE_END and cut - 1 > start:
                cut -= 1
        lengths.append(cut - start)
        if cut >= n:
            return lengths
        start, used = cut, ends[cut - 1]


@dataclass(frozen=True)
class TableGeometry:
    """Page, columns and lines of the printed table at one font size (points)."""

    font_size: float = 9.0

    @cached_property
    def column_twips(self) -> tuple[int, ...]:
        """Widths of the six columns; the text columns share what the others leave."""
        total = round((PAGE_WIDTH_MM - 2 * PAGE_MARGIN_MM) * TWIPS_PER_MM)
        fixed = {
            column: round(em * self.font_size * TWIPS_PER_PT) + 2 * CELL_MARGIN_X_TWIPS
            for column, em in _FIXED_COLUMNS_EM.items()
        }
        text = (total - sum(fixed.values())) // 2
        return tuple(fixed.get(column, text) for column in range(6))

    @cached_property
    def column_em(self) -> tuple[float, ...]:
        """Full-width characters per line of each column."""
        inner = (w - 2 * CELL_MARGIN_X_TWIPS for w in self.column_twips)
        return tuple(w / TWIPS_PER_PT / self.font_size for w in inner)

    @property
    def line_twips(self) -> int:
        return round(self.font_size * LINE_FACTOR * TWIPS_PER_PT)

    @property
    def line_pt(self) -> float:
        return self.line_twips / TWIPS_PER_PT

    @property
    def title_size(self) -> float:
        return self.font_size + 2

    @property
    def title_line_twips(self) -> int:
        return round(self.title_size * LINE_FACTOR * TWIPS_PER_PT)

    @property
    def title_after_twips(self) -> int:
        return round(self.font_size / 2 * TWIPS_PER_PT)

    @property
    def row_padding_pt(self) -> float:
        """Height of a row beyond its lines: cell margins and a border."""
        return 2 * CELL_MARGIN_Y_TWIPS / TWIPS_PER_PT + BORDER_PT

    @property
    def body_pt(self) -> float:
        return (PAGE_HEIGHT_MM - 2 * PAGE_MARGIN_MM) * 72 / 25.4

    def row_pt(self, lines: int) -> float:
        return lines * self.line_pt + self.row_padding_pt

    def cell_lines(self, text: str, column: int) -> int:
        width = self.column_em[column]
        return sum(len(wrap_lines(p, width)) for p in text.split("\n"))

    def header_pt(self, headers: Sequence[str]) -> float:
        return self.row_pt(max(self.cell_lines(h, c) for c, h in enumerate(headers)))

    def room_pt(self, headers: Sequence[str], first: bool) -> float:
        """Height rows may take on a page, below the repeated header and the safety lines."""
        title = (self.title_line_twips + self.title_after_twips) / TWIPS_PER_PT if first else 0
        safety = SAFETY_LINES * self.line_pt + BORDER_PT
        return self.body_pt - title - self.header_pt(headers) - safety

    def lines_in(self, room_pt: float) -> int:
        """Lines of one row that fit into `room_pt`."""
        return max(0, int((room_pt - self.row_padding_pt) // self.line_pt))


# -- cutting one text column ---------------------------------------------------------


@dataclass
class _Column:
    """The printed lines of one text column and the pieces taken from it so far."""

    text: str
    width: float
    lines: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, paragraph
    headings: set[int] = field(default_factory=set)
    pieces: list[tuple[int, int]] = field(default_factory=list)
    at: int = 0

    def __post_init__(self) -> None:
        if not self.text:
            return  # an empty column stays empty in every part
        position = 0
        for number, paragraph in enumerate(self.text.split("\n")):
            if is_heading(paragraph):
                self.headings.add(number)
            for length in wrap_lines(paragraph, self.width):
                self.lines.append((position, position + length, number))
                position += length
            position += 1

    @property
    def rest(self) -> int:
        return len(self.lines) - self.at

    def end_for(self, capacity: int) -> int:
        """Where a piece of at most `capacity` lines from here ends (a line index).

        A piece does not end with a heading whose text follows: the heading moves on.
        """
        end = min(self.at + max(capacity, 0), len(self.lines))
        if self.at < end < len(self.lines):
            paragraph = self.lines[end - 1][2]
            if paragraph in self.headings:
                heading_start = next(
                    i for i in range(self.at, end) if self.lines[i][2] == paragraph
                )
                if heading_start > self.at:
                    end = heading_start
        return end

    def only_heading(self, end: int) -> bool:
        return end < len(self.lines) and all(
            self.lines[i][2] in self.headings for i in range(self.at, end)
        )

    def take(self, end: int) -> None:
        if end > self.at:
            self.pieces.append((self.lines[self.at][0], self.lines[end - 1][1]))
        self.at = end

    def lines_to_end(self, k: int, lead: int) -> int:
        """Printed lines of part `k` if it took all the rest of this column."""
        if self.rest:
            return self.rest + lead
        return 2 if self.lines and k == len(self.pieces) else 0

    def shown_lines(self, k: int, lead: int) -> int:
        """Printed lines of this column in part `k` once its piece `k` was taken."""
        if not self.lines or k > len(self.pieces):
            return 0
        if k == len(self.pieces):
            return 2  # （上段からの続き） and （以下空欄）
        start, end = self.pieces[k]
        count = sum(1 for s, e, _ in self.lines if s >= start and e <= end)
        return count + lead


# -- pages ---------------------------------------------------------------------------


class _Pages:
    """Pages being filled: the rows given to each and the room left on the last."""

    def __init__(self, geometry: TableGeometry, headers: Sequence[str]) -> None:
        self.geometry = geometry
        self.pages: list[list[TableRow]] = [[]]
        self.room = geometry.room_pt(headers, first=True)
        self.full = geometry.room_pt(headers, first=False)
        self.fresh = True

    def lines_left(self) -> int:
        return self.geometry.lines_in(self.room)

    def new_page(self) -> None:
        self.pages.append([])
        self.room = self.full
        self.fresh = True

    def reserve(self, lines: int) -> int:
        """Take the height of a row of `lines` lines on the last page; its index."""
        self.room -= self.geometry.row_pt(lines)
        self.fresh = False
        return len(self.pages) - 1


def paginate(
    rows: Iterable[TableRow],
    geometry: TableGeometry,
    headers: Sequence[str],
    split_lines: int | None = None,
) -> list[list[TableRow]]:
    """The rows as pages of whole rows and parts (see the module's rules).

    `split_lines` (>= 3) also cuts parts longer than that many lines, wherever they stand.
    """
    pages = _Pages(geometry, headers)
    for row in rows:
        _place_row(row, pages, split_lines)
    return pages.pages


def _place_row(row: TableRow, pages: _Pages, split_lines: int | None) -> None:
    g = pages.geometry
    head = max(g.cell_lines(row.date_text, 0), g.cell_lines(row.item_text, 1))
    tail = max(g.cell_lines(row.timing, 4), g.cell_lines(row.explanation, 5))
    columns = [_Column(row.before, g.column_em[2]), _Column(row.after, g.column_em[3])]
    on_page: list[int] = []  # the page of each part
    while True:
        k = len(on_page)
        lead = 1 if k else 0
        available = pages.lines_left()
        limit = min(available, split_lines) if split_lines else available
        text = max(c.lines_to_end(k, lead) for c in columns)
        last = max(text, tail, head if k == 0 else 1)
        if last <= limit or (pages.fresh and text <= limit):
            for column in columns:
                column.take(len(column.lines))
            on_page.append(pages.reserve(last))
            break
        capacity = limit - lead - 1
        ends = [c.end_for(capacity) for c in columns]
        refused = (
            text <= limit  # only 項目 or 説明 is too tall here: the row moves on whole
            or capacity < MIN_PART_LINES
            or (k == 0 and head > limit)
            or any(c.only_heading(e) for c, e in zip(columns, ends, strict=True))
        )
        if refused and not pages.fresh:
            pages.new_page()
            continue
        for column, end in zip(columns, ends, strict=True):
            column.take(end)
        shown = max(c.shown_lines(k, lead) + 1 for c in columns)
        on_page.append(pages.reserve(max(shown, head if k == 0 else 1)))
    if len(on_page) == 1:
        pages.pages[on_page[0]].append(row)
        return
    parts = parts_from_pieces(row, columns[0].pieces, columns[1].pieces)
    for part, page in zip(parts, on_page, strict=True):
        pages.pages[page].append(part)

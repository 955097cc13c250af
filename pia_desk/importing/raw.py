"""Rows as read from a table file, before split rows are joined.

Readers (.docx, .xlsx, .csv) find the header row 変更日 / 項目 / 変更前の記載 /
変更後の記載 / 提出時期 / 提出時期に係る説明 (spacing and line breaks tolerated, extra
columns ignored) and turn every later row into a `RawRow` of those six cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pia_desk.domain.table_text import HEADERS
from pia_desk.domain.values import normalize_text
from pia_desk.importing.errors import UnreadableTableError
from pia_desk.storage import limits

# How far down a sheet or CSV the header row is looked for.
HEADER_SEARCH_ROWS = 200

_SPACE = re.compile(r"\s+")
_HEADER_MAX_CHARS = 40  # a header cell with spacing and line breaks is shorter than this


@dataclass(frozen=True)
class RawRow:
    """The six cells of one table row, as text; `where` locates it for the report."""

    where: str
    date: str
    item: str
    before: str
    after: str
    timing: str
    explanation: str
    # The 変更日 cell as a date when the source stores one (an Excel date cell).
    date_value: date | None = None

    @property
    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (self.date, self.item, self.before, self.after, self.timing, self.explanation)

    @property
    def is_blank(self) -> bool:
        return self.date_value is None and not any(c.strip() for c in self.cells)


@dataclass
class RawTable:
    """Rows read from one file; `exact_markers` when PIA Desk wrote the file.

    PIA Desk writes the split-row marks on their own lines next to the text, so a blank
    line beside a mark is content; tables typed by hand put blank lines around the
    marks for layout, which the joiner then drops.
    """

    rows: list[RawRow] = field(default_factory=list)
    tables_found: int = 0
    header_rows_skipped: int = 0
    blank_rows: int = 0
    exact_markers: bool = False
    notes: list[str] = field(default_factory=list)  # for the report
    rows_read: int = 0  # every row, for the limit

    def add(self, row: RawRow, path: Path) -> None:
        """Keep a data row; header copies and empty rows are only counted (all of them
        against `limits.MAX_TABLE_ROWS`)."""
        self.count_rows(1, path)
        if row.is_blank:
            self.blank_rows += 1
        elif is_header(row):
            self.header_rows_skipped += 1
        else:
            check_cells(row.where, row.cells, path)
            self.rows.append(row)

    def count_rows(self, count: int, path: Path) -> None:
        """Count rows read, refusing more than `limits.MAX_TABLE_ROWS` in all."""
        self.rows_read += count
        if self.rows_read > limits.MAX_TABLE_ROWS:
            raise UnreadableTableError(
                f"表の行数が多すぎます（上限 {limits.MAX_TABLE_ROWS:,} 行）。", path
            )


def check_cells(where: str, cells: Sequence[str], path: Path) -> None:
    """Refuse a cell longer than `limits.MAX_TEXT_CHARS` (a project could not keep it)."""
    longest = max((len(c) for c in cells), default=0)
    if longest > limits.MAX_TEXT_CHARS:
        raise UnreadableTableError(cell_too_long(where), path)


def cell_too_long(where: str) -> str:
    return f"{where}のセルの文字数が多すぎます（上限 {limits.MAX_TEXT_CHARS:,} 文字）。"


def text_key(text: str) -> str:
    """A comparison key that ignores spacing, line breaks and character width (NFKC)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


_HEADER_KEYS = tuple(text_key(h) for h in HEADERS)


def header_key(text: str) -> str:
    """The key of a header cell; long cells (text, not headers) are not normalized."""
    return "" if len(text) > _HEADER_MAX_CHARS else text_key(text)


def header_columns(cells: Sequence[str]) -> tuple[int, ...] | None:
    """Column indexes of the six headers if `cells` is a header row, else None."""
    keys = [header_key(c) for c in cells]
    columns = []
    for wanted in _HEADER_KEYS:
        if wanted not in keys:
            return None
        columns.append(keys.index(wanted))
    return tuple(columns)


def clean_cell(text: str) -> str:
    """Text as the project keeps it (values.normalize_text: LF breaks, soft breaks too);
    leading and trailing line breaks dropped, spaces kept."""
    return normalize_text(text).strip("\n")


def make_row(
    where: str, cells: Sequence[str], columns: Sequence[int], day: date | None = None
) -> RawRow:
    """A RawRow from a source row and the header's column indexes."""
    picked = [clean_cell(cells[i]) if i < len(cells) else "" for i in columns]
    return RawRow(where, *picked, date_value=day)  # type: ignore[arg-type]


def is_header(row: RawRow) -> bool:
    return header_columns(row.cells) is not None

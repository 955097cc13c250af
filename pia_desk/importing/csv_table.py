"""Read a change table saved as CSV (or tab-separated text) into raw rows.

Encodings as Excel on Japanese Windows writes them: UTF-8 with or without BOM,
Shift_JIS (CP932), and UTF-16 with BOM (Excel's Unicode text). Cells may hold line
breaks inside quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pia_desk.importing.errors import UnreadableTableError
from pia_desk.importing.raw import (
    HEADER_SEARCH_ROWS,
    RawTable,
    cell_too_long,
    header_columns,
    make_row,
)
from pia_desk.storage import limits


def decode_text(data: bytes, path: Path) -> str:
    """The file's text: BOM first, then UTF-8, then CP932 (Shift_JIS as Windows writes it)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        for encoding in ("utf-8", "cp932"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableTableError(
        "文字コードを判別できません。UTF-8 または Shift_JIS の CSV として保存し直してください。",
        path,
    )


def read_csv(path: Path, data: bytes) -> RawTable:
    text = decode_text(data, path)
    if "\x00" in text:
        raise UnreadableTableError("CSV ファイルではありません（バイナリデータを含みます）。", path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    result = RawTable()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with _field_limit(limits.MAX_TEXT_CHARS):
        try:
            _read_rows(reader, result, path)
        except csv.Error as error:
            # The csv module's message is English: only told apart, never shown.
            where = f"{reader.line_num}行目"
            if str(error).startswith("field larger than field limit"):
                raise UnreadableTableError(cell_too_long(where), path) from None
            raise UnreadableTableError(
                f'CSV の形式が正しくありません（{where}付近。引用符「"」の対応を確かめてください）。',
                path,
            ) from None
    return result


def _read_rows(reader: Iterator[list[str]], result: RawTable, path: Path) -> None:
    columns: tuple[int, ...] | None = None
    for number, cells in enumerate(reader, start=1):
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                break
            columns = header_columns(cells[: limits.MAX_TABLE_COLUMNS])
            if columns is not None:
                result.tables_found += 1
            continue
        result.add(make_row(f"{number}行目", cells, columns), path)


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module's field limit (131,072 by default, process-wide) raised to the
    import's own cell limit while one file is read."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)

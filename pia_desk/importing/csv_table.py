"""Read a change table saved as CSV (or tab-separated text) into raw rows.

Encodings as Excel on Japanese Windows writes them: UTF-8 with or without BOM,
Shift_JIS (CP932), and UTF-16 with BOM (Excel's Unicode text). Cells may hold line
breaks inside quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from pia_desk.importing.errors import UnreadableTableError
from pia_desk.importing.raw import (
    HEADER_SEARCH_ROWS,
    RawTable,
    header_columns,
    make_row,
)


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
    columns: tuple[int, ...] | None = None
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if columns is None:
                if number > HEADER_SEARCH_ROWS:
                    break
                columns = header_columns(cells)
                if columns is not None:
                    result.tables_found += 1
                continue
            row = make_row(f"{number}行目", cells, columns)
            result.add(row, path)
    except csv.Error as error:
        raise UnreadableTableError(f"CSV の形式が正しくありません（{error}）。", path) from None
    return result

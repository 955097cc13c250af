"""Read the change table of an Excel workbook (.xlsx) into raw rows.

openpyxl in read-only mode with cached formula results. Every sheet whose first
rows hold the header 変更日 / 項目 / … is read, in sheet order; later copies of the
header (typed again for every printed page) are skipped. A date cell keeps its
date; other values become text as Excel shows them.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pia_desk.importing.errors import UnreadableTableError
from pia_desk.importing.raw import (
    HEADER_SEARCH_ROWS,
    RawTable,
    header_columns,
    make_row,
)


def read_xlsx(path: Path, data: bytes) -> RawTable:
    """The change tables of the workbook `data` (read from `path`, named in messages)."""
    result = RawTable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableTableError(
            "Excel ブック（.xlsx）として読み込めません。ファイルが壊れている可能性があります。",
            path,
        ) from None
    try:
        for sheet in workbook.worksheets:
            _read_sheet(sheet.title, sheet.iter_rows(values_only=True), result, path)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UnreadableTableError(
            "Excel ブックの内容を読み取れません。ファイルが壊れている可能性があります。", path
        ) from None
    finally:
        workbook.close()
    return result


def _read_sheet(title: str, rows: Iterable[tuple], result: RawTable, path: Path) -> None:
    columns: tuple[int, ...] | None = None
    for number, values in enumerate(rows, start=1):
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                return
            columns = header_columns([_text(v) for v in values])
            if columns is not None:
                result.tables_found += 1
            continue
        cells = [_text(v) for v in values]
        day = _date(values[columns[0]]) if columns[0] < len(values) else None
        row = make_row(f"シート「{title}」の{number}行目", cells, columns, day)
        result.add(row, path)


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

"""Read the change table of an Excel workbook (.xlsx) into raw rows.

The package is first read once within the import limits (every XML part checked for
a DOCTYPE by lxml), then opened by openpyxl in read-only mode with cached formula
results. Every sheet whose first rows hold the header 変更日 / 項目 / … is read, in
sheet order; later copies of the header (typed again for every printed page) are
skipped. A date cell keeps its date; other values become text as Excel shows them.
Only the cells a sheet stores are read: its declared dimension (A1:XFD1048576) is
not trusted, and the rows it leaves out are not made up.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from pia_desk.importing.errors import UnreadableTableError, with_xml_cause
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, Package
from pia_desk.importing.raw import (
    HEADER_SEARCH_ROWS,
    RawTable,
    header_columns,
    make_row,
)
from pia_desk.storage import limits

Cells = list[object]


def read_xlsx(path: Path, data: bytes) -> RawTable:
    """The change tables of the workbook `data` (read from `path`, named in messages)."""
    result = RawTable()
    try:
        with Package(data, path) as package:
            package.check_xml_parts()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnreadableTableError:
        raise
    except (InvalidFileException, *DAMAGED_FILE_ERRORS) as error:
        raise UnreadableTableError(
            with_xml_cause(
                "Excel ブック（.xlsx）として読み込めません。ファイルが壊れている可能性があります。",
                error,
            ),
            path,
        ) from None
    try:
        for sheet in workbook.worksheets:
            _read_sheet(sheet.title, _stored_rows(sheet), result, path)
    except UnreadableTableError:
        raise
    except DAMAGED_FILE_ERRORS as error:
        raise UnreadableTableError(
            with_xml_cause(
                "Excel ブックの内容を読み取れません。ファイルが壊れている可能性があります。", error
            ),
            path,
        ) from None
    finally:
        workbook.close()
    return result


def _stored_rows(sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, Cells]]:
    """(row number, values by column) of the rows the sheet stores, the first
    `limits.MAX_TABLE_COLUMNS` columns only. openpyxl's own row iterator pads every row to
    the declared dimension and makes up the rows in between, which a hostile sheet
    turns into billions of cells; its sheet parser yields only what is there."""
    workbook = sheet.parent
    with sheet._get_source() as source:
        parser = _FirstColumnsParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, stored in parser.parse():
            cells: Cells = []
            for cell in stored:
                column = cell["column"]
                if 1 <= column <= limits.MAX_TABLE_COLUMNS:
                    cells += [None] * (column - len(cells))
                    cells[column - 1] = cell["value"]
            yield number, cells


class _FirstColumnsParser(WorkSheetParser):
    """openpyxl's sheet parser turning only the first `limits.MAX_TABLE_COLUMNS` cells of a
    row into values (a row of a million cells would otherwise become a million dicts;
    cells are stored in column order, so the first ones are those columns)."""

    def parse_row(self, row):  # type: ignore[no-untyped-def]
        if len(row) > limits.MAX_TABLE_COLUMNS:
            first = row.makeelement(row.tag, row.attrib)
            first.extend(row[: limits.MAX_TABLE_COLUMNS])
            row = first
        return super().parse_row(row)


def _read_sheet(
    title: str, rows: Iterable[tuple[int, Cells]], result: RawTable, path: Path
) -> None:
    columns: tuple[int, ...] | None = None
    for number, values in rows:
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

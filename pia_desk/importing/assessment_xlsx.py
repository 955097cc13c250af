"""The text flow of an Excel workbook (.xlsx): sheets in order, cells row by row.

The 様式 as Excel puts labels in the left columns and the value in a wide merged cell
on the right; a long value may go on in the cell below. Only cells that exist are
read (a sheet that declares A1:XFD1048576 costs nothing), a merged range is read
once from its top-left cell, values as Excel shows them (a date as a date). Each
piece remembers its sheet and cell, for writing a value back.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException

from pia_desk.domain.document_flow import TextFlow
from pia_desk.domain.wareki import format_wareki
from pia_desk.importing.assessment_errors import UnreadableDocumentError

MAX_CELLS = 300_000


def read_xlsx_flow(path: Path, data: bytes) -> TextFlow:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise UnreadableDocumentError(
            "Excel ブック（.xlsx）として読み込めません。ファイルが壊れている可能性があります。",
            path,
        ) from None
    flow = TextFlow(kind="xlsx")
    try:
        total = 0
        for sheet_number, sheet in enumerate(workbook.worksheets):
            cells = sheet._cells  # only the cells the file holds
            total += len(cells)
            if total > MAX_CELLS:
                raise UnreadableDocumentError("セルが多すぎるため読み込みません。", path)
            for (row, column), cell in sorted(cells.items()):
                if isinstance(cell, MergedCell) or cell.value is None:
                    continue
                text = _text(cell.value)
                if text.strip():
                    where = f"シート「{sheet.title}」の{cell.coordinate}"
                    key = sheet_number * 2_000_000 + row  # unique across the flow
                    flow.add(text, where, ("cell", sheet.title, row, column), key)
    finally:
        workbook.close()
    return flow


def _text(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_wareki(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

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
from datetime import date, datetime
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from pia_desk.domain.document_flow import TextFlow
from pia_desk.domain.wareki import format_wareki
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.errors import TableImportError, with_xml_cause
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, SAFE_PARSING, Package
from pia_desk.storage import limits

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _MERGE = (f"{{{_MAIN}}}{tag}" for tag in ("row", "c", "mergeCell"))
_SHEET_COLUMNS, _SHEET_ROWS = 16_384, 1_048_576


def read_xlsx_flow(path: Path, data: bytes) -> TextFlow:
    _refuse_too_many_cells(path, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, *DAMAGED_FILE_ERRORS) as error:  # expat's ParseError too
        raise UnreadableDocumentError(
            with_xml_cause(
                "Excel ブック（.xlsx）として読み込めません。ファイルが壊れている可能性があります。",
                error,
            ),
            path,
        ) from None
    flow = TextFlow(kind="xlsx")
    try:
        total = 0
        for sheet_number, sheet in enumerate(workbook.worksheets):
            cells = sheet._cells  # only the cells the file holds
            total += len(cells)
            if total > limits.MAX_ASSESSMENT_CELLS:
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


def _refuse_too_many_cells(path: Path, data: bytes) -> None:
    """Count the cells the sheets hold and merge before openpyxl builds an object for
    each of them (a row of a million empty cells, or one merged range A1:XFD1048576,
    would take gigabytes): a streaming count, each element freed once counted."""
    total = 0
    try:
        with Package(data, path) as package:
            for name in sorted(package.names):
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    total += _cells_of_sheet(package, name)
                    if total > limits.MAX_ASSESSMENT_CELLS:
                        raise UnreadableDocumentError("セルが多すぎるため読み込みません。", path)
    except TableImportError as error:
        raise UnreadableDocumentError(error.message, path) from None
    except DAMAGED_FILE_ERRORS as error:
        raise UnreadableDocumentError(
            with_xml_cause(
                "Excel ブック（.xlsx）として読み込めません。ファイルが壊れている可能性があります。",
                error,
            ),
            path,
        ) from None


def _cells_of_sheet(package: Package, name: str) -> int:
    parser = etree.XMLPullParser(events=("end",), tag=(_ROW, _CELL, _MERGE), **SAFE_PARSING)
    count = 0
    for chunk in package.chunks(name):
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError as error:
            error.xml_part = name  # the message names the damaged part
            raise
        for _event, element in parser.read_events():
            if element.tag == _CELL:
                count += 1
            elif element.tag == _MERGE:  # each cell of the range becomes an object
                count += _area(element.get("ref", ""))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
        if count > limits.MAX_ASSESSMENT_CELLS:
            break
    return count


def _area(ref: str) -> int:
    """Cells of a range such as B2:F9; whole columns or rows (A:A, 1:1) count whole."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    columns = (max_col or _SHEET_COLUMNS) - (min_col or 1) + 1
    rows = (max_row or _SHEET_ROWS) - (min_row or 1) + 1
    return columns * rows


def _text(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_wareki(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

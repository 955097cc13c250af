"""Import existing 変更箇所 tables (.docx, .xlsx, .csv) as a project's history.

`plan_import(path, project)` reads the table, joins split rows, matches 項目 paths
to the project's tree and finds duplicates, changing nothing (for a preview);
`apply_import(project, plan)` then adds the rows as submitted revisions and, with
`set_baseline=True`, gives the matched items their text as last submitted (see
importing.baseline). Every problem with the file raises TableImportError with a
Japanese message.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pia_desk.domain.project import Project
from pia_desk.importing.baseline import apply_baseline, plan_baseline
from pia_desk.importing.build import PlannedEntry, apply_entries, plan_entries
from pia_desk.importing.csv_table import read_csv
from pia_desk.importing.docx_table import read_docx
from pia_desk.importing.errors import (
    NoTableFoundError,
    TableImportError,
    UnreadableTableError,
    with_xml_cause,
)
from pia_desk.importing.join import join_rows
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, Package
from pia_desk.importing.raw import RawTable
from pia_desk.importing.report import ImportReport
from pia_desk.storage import limits
from pia_desk.storage.errors import UnreadableFileError
from pia_desk.storage.safe_xml import read_limited

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ImportPlan",
    "ImportReport",
    "NoTableFoundError",
    "TableImportError",
    "UnreadableTableError",
    "apply_import",
    "plan_import",
    "read_table",
]

SUPPORTED_SUFFIXES = (".docx", ".xlsx", ".csv")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also what an encrypted .docx/.xlsx is
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_KIND = {".docx": "Word 文書", ".xlsx": "Excel ブック", ".csv": "CSV ファイル"}


def _read_xlsx(path: Path, data: bytes) -> RawTable:
    # openpyxl takes half a second to import: only when a workbook is read.
    from pia_desk.importing.xlsx_table import read_xlsx

    return read_xlsx(path, data)


_READERS: dict[str, Callable[[Path, bytes], RawTable]] = {
    ".docx": read_docx,
    ".xlsx": _read_xlsx,
    ".csv": read_csv,
}
_MAIN_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_OLD_FORMAT = {".docx": "Word 97-2003 文書（.doc）", ".xlsx": "Excel 97-2003 ブック（.xls）"}


@dataclass
class ImportPlan:
    source: Path
    entries: list[PlannedEntry]
    report: ImportReport

    @property
    def new_entries(self) -> list[PlannedEntry]:
        return [e for e in self.entries if not e.duplicate]


def read_table(path: Path | str) -> RawTable:
    """The rows of every change table in the file (header copies already left out)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableTableError(
            "取り込めるのは Word 文書（.docx）、Excel ブック（.xlsx）、CSV（.csv）です。", path
        )
    data = _read_bytes(path)
    try:
        _check_format(path, suffix, data)
        table = _READERS[suffix](path, data)
    except TableImportError:
        raise
    except DAMAGED_FILE_ERRORS as error:  # what a reader did not foresee is still damage
        raise UnreadableTableError(
            with_xml_cause(
                f"{_KIND[suffix]}の内容を読み取れません。ファイルが壊れている可能性があります。",
                error,
            ),
            path,
        ) from None
    except MemoryError:
        raise UnreadableTableError(
            "メモリが足りないため読み込めません（ファイルが大きすぎるか、壊れています）。", path
        ) from None
    if table.tables_found == 0:
        raise NoTableFoundError(
            f"{_KIND[suffix]}に変更箇所の表が見つかりません（見出しが「変更日／項目／変更前の記載"
            "／変更後の記載／提出時期／提出時期に係る説明」の表を探しました）。",
            path,
        )
    return table


def _read_bytes(path: Path) -> bytes:
    try:
        return read_limited(path, limits.MAX_TABLE_FILE_BYTES)
    except UnreadableFileError as error:
        raise UnreadableTableError(error.message, path) from None


def _check_format(path: Path, suffix: str, data: bytes) -> None:
    """Refuse encrypted, old binary and mislabelled files before any parser sees them."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise UnreadableTableError(
                "パスワードで保護されたファイルは取り込めません。Word / Excel でパスワードを"
                "解除して保存し直してから取り込んでください。",
                path,
            )
        old = _OLD_FORMAT.get(suffix)
        raise UnreadableTableError(
            f"{old}の形式です。.docx / .xlsx 形式で保存し直してから取り込んでください。"
            if old
            else "CSV ファイルではありません（Office 文書の形式です）。",
            path,
        )
    if suffix in (".docx", ".xlsx") and not data.startswith(ZIP_MAGIC):
        raise UnreadableTableError(
            f"拡張子は {suffix} ですが、{_KIND[suffix]}ではありません（中身が別の形式です）。", path
        )
    if suffix in (".docx", ".xlsx"):
        _check_package(path, suffix, data)
    if suffix == ".csv" and data.startswith(ZIP_MAGIC):
        raise UnreadableTableError(
            "拡張子は .csv ですが、中身は Word / Excel の文書です。拡張子を確かめてください。", path
        )


def _check_package(path: Path, suffix: str, data: bytes) -> None:
    """Refuse packages beyond the limits before any part is read; a Word document
    named .xlsx (or the reverse) is told so."""
    try:
        with Package(data, path) as package:
            names = package.names
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # damaged: the reader says so
    found = next((s for s, part in _MAIN_PARTS.items() if part in names), None)
    if found is not None and found != suffix:
        raise UnreadableTableError(
            f"拡張子は {suffix} ですが、中身は{_KIND[found]}です。"
            f"拡張子を {found} にしてから取り込んでください。",
            path,
        )


def plan_import(path: Path | str, project: Project, *, set_baseline: bool = False) -> ImportPlan:
    """Read `path` and work out what importing it into `project` would add; changes nothing.

    With `set_baseline`, the report also counts the items that would get their text.
    """
    path = Path(path)
    table = read_table(path)
    joined = join_rows(table)
    report = ImportReport(
        source=path,
        tables_found=table.tables_found,
        rows_read=len(table.rows) - joined.blank_rows,
        header_rows_skipped=table.header_rows_skipped,
        blank_rows=table.blank_rows + joined.blank_rows,
        rows_joined=joined.joined,
        warnings=[*table.notes, *joined.warnings],
    )
    entries = plan_entries(joined.rows, project, report)
    if set_baseline:
        baseline = plan_baseline(project, entries)
        report.baseline_requested = True
        report.baseline_planned = len(baseline.values)
        report.baseline_skipped = baseline.skipped
    return ImportPlan(path, entries, report)


def apply_import(project: Project, plan: ImportPlan, *, set_baseline: bool = False) -> ImportReport:
    """Add the plan's new entries to `project`; returns the completed report.

    With `set_baseline`, every matched item whose latest row quotes its whole text gets
    that 変更後 as its text as last submitted (pending edits are kept); the old values
    are in `report.baseline_undo` for `Project.restore_baseline_values`.
    """
    baseline = plan_baseline(project, plan.entries) if set_baseline else None
    added, created = apply_entries(project, plan.entries, f"{plan.source.name} から取り込み")
    report = plan.report
    report.entries_created = added
    report.revisions_created = created
    if baseline is not None:
        report.baseline_undo = apply_baseline(project, baseline)
        report.baseline_requested = report.baseline_applied = True
        report.baseline_planned = len(baseline.values)
        report.baseline_set = len(report.baseline_undo)
        report.baseline_skipped = baseline.skipped
    return report

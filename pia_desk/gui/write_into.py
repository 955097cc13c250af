"""ファイル > 市の評価書ファイルに書き込む…: the current values into a copy of the city's
own Word or Excel 評価書 (the file taken in, kept beside the project, by default).

The same write-back as `export-assessment --into`: only the cells and paragraphs of
changed items are rewritten, everything else is copied as it was; items the file has
no place for are listed. The city's file itself is never changed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from pia_desk.domain.project import Project
from pia_desk.gui import dialogs
from pia_desk.importing.assessment_errors import AssessmentImportError
from pia_desk.importing.assessment_writeback import write_back
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.project_file import write_atomic

CITY_FILTER = "市の評価書 (*.docx *.xlsx);;Word 文書 (*.docx);;Excel ブック (*.xlsx)"


def kept_copies(project_path: Path | None) -> Path | None:
    """The folder where import-assessment kept the city's file (予防接種.piadesk.原本/)."""
    if project_path is None:
        return None
    folder = project_path.with_name(project_path.name + ".原本")
    return folder if folder.is_dir() else project_path.parent


def choose_city_file(parent: QWidget | None, folder: Path | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "書き込む市の評価書ファイル", str(folder or ""), CITY_FILTER
    )
    return Path(name) if name else None


def choose_output(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, "書き込んだ写しの保存先", str(suggested), f"*{suggested.suffix}"
    )
    return Path(name) if name else None


def write_into_city_file(
    parent: QWidget | None, project: Project, project_path: Path | None
) -> Path | None:
    """Ask for the city's file and where the copy goes, write it; the copy's path."""
    city = choose_city_file(parent, kept_copies(project_path))
    if city is None:
        return None
    out = choose_output(parent, city.with_name(f"{city.stem}_現在の記載{city.suffix}"))
    if out is None:
        return None
    if out.resolve() == city.resolve():
        dialogs.show_error(
            parent, "市の評価書ファイル自身には書き込みません。別の名前を指定してください。"
        )
        return None
    if not dialogs.approve_output(
        parent, out, city.suffix.lower(), project_path, lambda m: dialogs.show_error(parent, m)
    ):
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = write_back(city, project, project.value)
        write_atomic(out, result.data)
    except (AssessmentImportError, ProjectFileError) as error:
        dialogs.show_error(parent, str(error))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    dialogs.show_info(
        parent, f"{out.name} に書き込みました。\n\n" + "\n".join(result.report_lines())
    )
    return out

"""What the change table's Word export, printing and PDF output share.

- which rows: the draft revision's, or all rows when the user chose that last time
  (remembered in the settings);
- the file: named from the 評価書名 and the annex (「…評価書（別添２）変更箇所.docx」), in
  the project's own folder (for an untitled project the documents folder), never the
  program's folder;
- a question before rows whose 提出時期 is 未設定 are written;
- after writing, 開く / フォルダーを開く (the system's own application, a local file URL).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from pia_desk import paths
from pia_desk.domain.project import Project
from pia_desk.export.table import ChangeTable
from pia_desk.gui import dialogs
from pia_desk.gui.settings import Settings
from pia_desk.gui.table_range import RangeChooser

__all__ = [
    "ROWS_ALL",
    "ROWS_DRAFT",
    "confirm_unset_rows",
    "default_output_path",
    "draft_first",
    "offer_to_open",
    "output_file_name",
    "output_folder",
    "remember_rows",
    "unset_rows",
]

ROWS_DRAFT = "draft"  # the rows of the revision being prepared (the default)
ROWS_ALL = "all"
# Characters Windows refuses in file names, and control characters.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
OPEN_FILE, OPEN_FOLDER = 0, 1


def output_file_name(project: Project, project_path: Path | None, suffix: str) -> str:
    """「評価書名（別添２）変更箇所.docx」; the project file's name stands in for a missing
    評価書名, 「無題」 for both."""
    title = _clean(project.title) or (_clean(project_path.stem) if project_path else "")
    annex = _clean(project.meta.annex_label) or "変更箇所"
    if not title:
        title = "無題"
    joiner = "" if annex.startswith("（") else "_"
    return f"{title}{joiner}{annex}{suffix}"


def _clean(text: str) -> str:
    return _NOT_IN_NAMES.sub("", text).strip().rstrip(". ").strip()


def output_folder(project_path: Path | None) -> Path:
    """The project's folder; the documents folder for an untitled project or a project
    kept inside the program's own folder (which may be read-only, and is replaced by an
    update)."""
    if project_path is not None:
        folder = Path(project_path).resolve().parent
        if not any(folder.is_relative_to(p) for p in program_folders()):
            return folder
    return documents_folder()


def program_folders() -> list[Path]:
    """Where the program itself lives (the bundle or interpreter, the shipped data)."""
    return [Path(sys.executable).resolve().parent, paths.RESOURCES_DIR.resolve().parent]


def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def default_output_path(project: Project, project_path: Path | None, suffix: str) -> Path:
    return output_folder(project_path) / output_file_name(project, project_path, suffix)


def draft_first(settings: Settings | None) -> bool:
    """Whether the dialogs start on the draft revision's rows (unless all were chosen)."""
    return settings is None or settings.output_rows != ROWS_ALL


def remember_rows(settings: Settings | None, rows: RangeChooser) -> None:
    """Keep 「すべて」 or 「作成中の改訂」 as the next default of all three outputs."""
    preference = rows.rows_preference()
    if settings is not None and preference and preference != settings.output_rows:
        settings.output_rows = preference
        settings.save()


def unset_rows(table: ChangeTable) -> int:
    """How many rows have no 提出時期."""
    return sum(1 for row in table if not row.timing)


def confirm_unset_rows(parent: QWidget | None, table: ChangeTable, verb: str = "出力") -> bool:
    """Whether to go on when rows have no 提出時期 (the default answer is いいえ)."""
    count = unset_rows(table)
    return not count or dialogs.confirm(
        parent,
        f"提出時期が未設定の行が {count} 件あります。このまま{verb}しますか？",
        f"「いいえ」を選ぶと{verb}しません。変更箇所の一覧で提出時期（事前／事後）を"
        "決めてから、もう一度お試しください。",
    )


def ask_after_output(parent: QWidget | None, title: str, text: str) -> int:
    """開く (0), フォルダーを開く (1) or 閉じる (-1). Tests replace this."""
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    open_file = box.addButton("開く(&O)", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("フォルダーを開く(&F)", QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton("閉じる", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return {open_file: OPEN_FILE, open_folder: OPEN_FOLDER}.get(clicked, -1)


def offer_to_open(parent: QWidget | None, title: str, text: str, path: Path) -> None:
    """Say where the file went and open it, or its folder, when asked."""
    choice = ask_after_output(parent, title, f"{text}\n{path}")
    if choice not in (OPEN_FILE, OPEN_FOLDER):
        return
    target = path if choice == OPEN_FILE else path.parent
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        dialogs.show_error(parent, f"開けませんでした: {target}")

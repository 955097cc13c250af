"""File > 変更箇所の取り込み…: preview an existing change table, then add it as history.

`show_import_dialog(parent, project)` asks for the table file, shows every row as it
will be imported (rows already in the project marked 重複, 項目 not found in the
tree marked) with the report, and adds the rows to the open project only on OK, as
one step of the undo stack (ImportTableCommand: 元に戻す removes exactly those rows).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.domain.table_text import HEADERS
from pia_desk.domain.wareki import DigitStyle, format_wareki
from pia_desk.gui.commands import ImportTableCommand
from pia_desk.gui.file_preview_dialog import FilePreviewDialog, preview_text
from pia_desk.gui.ui_loader import child
from pia_desk.importing.build import PlannedEntry
from pia_desk.importing.table_reader import ImportPlan, TableImportError, plan_import

__all__ = ["ImportDialog", "ImportPreviewModel", "show_import_dialog"]

UI_FILE = "import_dialog.ui"
FILE_FILTER = (
    "変更箇所の表 (*.docx *.xlsx *.csv);;Word 文書 (*.docx);;Excel ブック (*.xlsx);;CSV (*.csv)"
)
_LONG_COLUMNS = (3, 4, 6)  # 変更前の記載, 変更後の記載, 提出時期に係る説明
STATUS_NEW, STATUS_FREE, STATUS_DUPLICATE = (
    "取り込む",
    "取り込む（項目名のみ）",
    "重複のため取り込まない",
)
_DUPLICATE_BRUSH = QBrush(QColor("#e0e0e0"))
_FREE_BRUSH = QBrush(QColor("#fff4d6"))

Index = QModelIndex | QPersistentModelIndex


class ImportPreviewModel(QAbstractTableModel):
    """The planned rows: 状態 and the six columns of the table, read-only."""

    COLUMNS = ("状態", *HEADERS)

    def __init__(self, entries: list[PlannedEntry], digits: DigitStyle, parent=None) -> None:
        super().__init__(parent)
        self.entries = entries
        self.digits = digits

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return section + 1

    def data(self, index: Index, role: int = 0) -> object:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(entry, index.column())
            return preview_text(text) if index.column() in _LONG_COLUMNS else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.where}\n\n{self.text(entry, index.column())}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if entry.duplicate:
                return _DUPLICATE_BRUSH
            return _FREE_BRUSH if entry.node_id is None else None
        return None

    def text(self, entry: PlannedEntry, column: int) -> str:
        values = (
            status_of(entry),
            format_wareki(entry.day, self.digits),
            "\n".join(entry.item_path),
            entry.before,
            entry.after,
            entry.timing.value,
            entry.explanation,
        )
        return values[column]


def status_of(entry: PlannedEntry) -> str:
    if entry.duplicate:
        return STATUS_DUPLICATE
    return STATUS_FREE if entry.node_id is None else STATUS_NEW


class ImportDialog(FilePreviewDialog):
    """Preview of one table file; OK adds its new rows to the project."""

    UI_FILE = UI_FILE
    CHOOSER_TITLE = "取り込む変更箇所の表"
    FILE_FILTER = FILE_FILTER

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        folder: Path | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(project, parent, folder, undo_stack)
        self.plan: ImportPlan | None = None
        self.baseline_check = child(self.form, QCheckBox, "baselineCheck")
        self._show_plan(None)

    def load_file(self, path: Path | str) -> bool:
        return self.load_table(path)

    def load_table(self, path: Path | str) -> bool:
        """Read `path` and show what importing it would add; False (and the message) on error."""
        path = Path(path)
        self.path_edit.setText(str(path))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = plan_import(path, self.project)
        except TableImportError as error:
            self._show_plan(None)
            self.error_label.setText(f"取り込めません: {error.message}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._show_plan(plan)
        if not plan.new_entries:
            self.error_label.setText("取り込む行がありません（すべてプロジェクトに既にあります）。")
        return True

    def _show_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        entries = plan.entries if plan else []
        model = ImportPreviewModel(entries, self.project.meta.digit_style, self.table)
        old = self.table.model()
        self.table.setModel(model)
        if old is not None:
            old.deleteLater()
        self._size_columns()
        self.report_text.setPlainText(plan.report.text() if plan else "")
        self.error_label.clear()
        self.ok_button.setEnabled(bool(plan and plan.new_entries))

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        for column, width in enumerate((130, 110, 200, 260, 260, 60, 160)):
            header.resizeSection(column, width)

    # -- applying --------------------------------------------------------------------
    def accept(self) -> None:
        if self.plan is None or not self.plan.new_entries:
            return
        command = ImportTableCommand(
            self.project, self.plan, set_baseline=self.baseline_check.isChecked()
        )
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()
        assert command.report is not None
        self.report_text.setPlainText(command.report.text())
        self.applied = True
        super().accept()


def show_import_dialog(
    parent: QWidget | None,
    project: Project,
    project_path: Path | None = None,
    undo_stack: QUndoStack | None = None,
) -> bool:
    """Ask for a table, preview it, import on OK; True if rows were added to `project`.

    `project_path` (the open project's file, if saved) is where the file chooser starts;
    the import becomes one step of `undo_stack`.
    """
    folder = Path(project_path).parent if project_path else None
    path = ImportDialog.choose_file(parent, folder)
    if path is None:
        return False
    dialog = ImportDialog(project, parent, folder, undo_stack)
    dialog.load_table(path)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    applied = accepted and dialog.applied
    dialog.deleteLater()
    return applied

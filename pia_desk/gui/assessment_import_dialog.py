"""File > 評価書の取り込み…: preview where a city's 評価書 puts its text, then take it in.

`show_assessment_import_dialog(parent, project, …)` asks for the document (.docx,
.xlsx, .pdf, .txt), shows every item side by side with the document's text that goes
into it (and items added from the document, items not found), with the report; only
OK writes, as one step of the undo stack (TakeInDocumentCommand). A project with
history is told why it cannot take a document in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QWidget,
)

from pia_desk.domain.document_match import DocumentMatch, path_text
from pia_desk.domain.first_entry import history_problem
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node
from pia_desk.domain.values import render_value
from pia_desk.gui.commands import TakeInDocumentCommand
from pia_desk.gui.file_preview_dialog import FilePreviewDialog, preview_text
from pia_desk.importing.assessment_errors import AssessmentImportError
from pia_desk.importing.assessment_import import AssessmentPlan, plan_assessment

__all__ = ["AssessmentImportDialog", "AssessmentPreviewModel", "show_assessment_import_dialog"]

UI_FILE = "assessment_import_dialog.ui"
FILE_FILTER = (
    "評価書 (*.docx *.xlsx *.pdf *.txt);;Word 文書 (*.docx);;Excel ブック (*.xlsx);;"
    "PDF (*.pdf);;テキスト (*.txt)"
)
STATUS_TAKEN, STATUS_ADDED, STATUS_MISSING = (
    "取り込む",
    "文書から追加",
    "文書に見つからない",
)
_MISSING_BRUSH = QBrush(QColor("#e0e0e0"))
_ADDED_BRUSH = QBrush(QColor("#fff4d6"))

Index = QModelIndex | QPersistentModelIndex


class AssessmentPreviewModel(QAbstractTableModel):
    """Every item of the planned tree: 状態, the document's text → 項目, the value taken."""

    COLUMNS = ("状態", "文書の記載", "→ 項目", "取り込む記載", "文書での位置")

    def __init__(self, match: DocumentMatch | None, parent=None) -> None:
        super().__init__(parent)
        self.match = match
        self.items: list[Node] = (
            [n for n in match.root.walk(include_deleted=False) if n.is_leaf_item] if match else []
        )
        self.added = {path for path, _ in match.added_items} if match else set()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return section + 1

    def data(self, index: Index, role: int = 0) -> object:
        if not index.isValid() or self.match is None:
            return None
        node = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(node, index.column())
            return preview_text(text) if index.column() in (1, 3) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text(node, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            status = self.status(node)
            if status == STATUS_MISSING:
                return _MISSING_BRUSH
            return _ADDED_BRUSH if status == STATUS_ADDED else None
        return None

    def status(self, node: Node) -> str:
        assert self.match is not None
        if node.id not in self.match.sources:
            return STATUS_MISSING
        return STATUS_ADDED if path_text(node) in self.added else STATUS_TAKEN

    def text(self, node: Node, column: int) -> str:
        assert self.match is not None
        source = self.match.sources.get(node.id)
        value = self.match.values.get(node.id)
        columns = (
            lambda: self.status(node),
            lambda: self.match.texts.get(node.id, ""),
            lambda: "\n".join(node.path_labels()),
            lambda: render_value(node, value) if value is not None else "",
            lambda: source.where if source else "",
        )
        return columns[column]()


class AssessmentImportDialog(FilePreviewDialog):
    """Preview of one document; OK takes it in as the text as last submitted."""

    UI_FILE = UI_FILE
    CHOOSER_TITLE = "取り込む評価書"
    FILE_FILTER = FILE_FILTER

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        folder: Path | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(project, parent, folder, undo_stack)
        self.plan: AssessmentPlan | None = None
        self._show_plan(None)

    def load_file(self, path: Path | str) -> bool:
        return self.load_document(path)

    def load_document(self, path: Path | str) -> bool:
        """Read `path` and show where its text goes; False (and why) when it cannot."""
        path = Path(path)
        self.path_edit.setText(str(path))
        problem = history_problem(self.project)
        if problem:
            self._show_plan(None)
            self.error_label.setText(problem)
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = plan_assessment(path, self.project)
        except AssessmentImportError as error:
            self._show_plan(None)
            self.error_label.setText(f"取り込めません: {error.message}")
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._show_plan(plan)
        return True

    def _show_plan(self, plan: AssessmentPlan | None) -> None:
        self.plan = plan
        model = AssessmentPreviewModel(plan.match if plan else None, self.table)
        old = self.table.model()
        self.table.setModel(model)
        if old is not None:
            old.deleteLater()
        header = self.table.horizontalHeader()
        for column, width in enumerate((110, 300, 220, 220, 170)):
            header.resizeSection(column, width)
        self.report_text.setPlainText(plan.text() if plan else "")
        self.error_label.clear()
        self.ok_button.setEnabled(plan is not None)

    def accept(self) -> None:
        if self.plan is None:
            return
        command = TakeInDocumentCommand(self.project, self.plan)
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()
        self.applied = True
        super().accept()


def show_assessment_import_dialog(
    parent: QWidget | None,
    project: Project,
    project_path: Path | None = None,
    undo_stack: QUndoStack | None = None,
) -> bool:
    """Ask for a document, preview it, take it in on OK; True if it was taken in."""
    folder = Path(project_path).parent if project_path else None
    path = AssessmentImportDialog.choose_file(parent, folder)
    if path is None:
        return False
    dialog = AssessmentImportDialog(project, parent, folder, undo_stack)
    dialog.load_document(path)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    applied = accepted and dialog.applied
    dialog.deleteLater()
    return applied

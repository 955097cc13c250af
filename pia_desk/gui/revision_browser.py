"""The revision browser: every revision with its entries and their before/after, read-only."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.domain.wareki import format_wareki
from pia_desk.gui import screen_fit
from pia_desk.gui.change_list import EntryDelegate, EntryTableModel
from pia_desk.gui.compare_editor import show_diff
from pia_desk.gui.ui_loader import child, embed_form

HEADER_PADDING = 24  # px around a header's text (margins and the sort indicator)


class RevisionBrowser(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = embed_form(self, "revision_browser.ui")
        self.setWindowTitle(form.windowTitle())
        screen_fit.fit_large_dialog(self, form.size())
        self._project = project
        self.revisions = child(form, QListWidget, "revisionList")
        self.table = child(form, QTableView, "entryTable")
        self.before = child(form, QPlainTextEdit, "beforeText")
        self.after = child(form, QPlainTextEdit, "afterText")
        child(form, QDialogButtonBox, "buttonBox").rejected.connect(self.reject)
        self.model = EntryTableModel(project, QUndoStack(self), self)
        self.model.set_read_only(True)
        self.table.setModel(self.model)
        self.table.setItemDelegate(EntryDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self._fit_headers()
        child(form, QSplitter, "browserSplitter").setSizes([260, 840])
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        for revision in reversed(project.revisions):
            status = "作成中" if revision.is_draft else "提出済み"
            text = f"{format_wareki(revision.date)}（{status}、{len(revision.entries)} 件）"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, revision.id)
            self.revisions.addItem(item)
        self.revisions.currentItemChanged.connect(self._show_revision)
        if self.revisions.count():
            self.revisions.setCurrentRow(0)

    def _fit_headers(self) -> None:
        """Every column at least as wide as its header (提出時期に係る説明 is long)."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            needed = metrics.horizontalAdvance(title) + HEADER_PADDING
            header.resizeSection(column, max(header.sectionSize(column), needed))

    def _show_revision(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.model.set_scope(item.data(Qt.ItemDataRole.UserRole))
            self.before.clear()
            self.after.clear()

    def _show_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        _revision, entry = self.model.row_of(current.row())
        self.before.setPlainText(entry.before)
        self.after.setPlainText(entry.after)
        show_diff(self.before, self.after)

"""The frame shared by the dialogs that preview a file before taking it in: a Designer
form with the path, a preview table, a report and 取り込む / キャンセル."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.gui import screen_fit
from pia_desk.gui.ui_loader import child, embed_form

PREVIEW_LINES = 3  # lines of a text cell shown in the table; the tooltip has all


def preview_text(text: str) -> str:
    """The first lines of a long text cell, with … when more follow."""
    lines = text.split("\n")
    shown = "\n".join(lines[:PREVIEW_LINES])
    return f"{shown}…" if len(lines) > PREVIEW_LINES else shown


class FilePreviewDialog(QDialog):
    """Subclasses name their form, the chooser's title and filter, and read the file in
    `load_file`; they call `_show_plan(None)` once their own widgets exist."""

    UI_FILE = ""
    CHOOSER_TITLE = ""
    FILE_FILTER = ""

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        folder: Path | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack  # None: applied without undo
        self.folder = folder  # where the file chooser starts
        self.applied = False
        self.form = embed_form(self, self.UI_FILE)
        self.setWindowTitle(self.form.windowTitle())
        screen_fit.fit_large_dialog(self, self.form.minimumSize())
        self.path_edit = child(self.form, QLineEdit, "pathEdit")
        self.table = child(self.form, QTableView, "previewTable")
        self.report_text = child(self.form, QPlainTextEdit, "reportText")
        self.error_label = child(self.form, QLabel, "errorLabel")
        self.buttons = child(self.form, QDialogButtonBox, "buttonBox")
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("取り込む(&I)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        child(self.form, QPushButton, "browseButton").clicked.connect(self.browse)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        splitter = child(self.form, QSplitter, "previewSplitter")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

    @classmethod
    def choose_file(cls, parent: QWidget | None, folder: Path | None = None) -> Path | None:
        """Ask for the file, starting in `folder` (tests replace this)."""
        start = str(folder) if folder else ""
        name, _ = QFileDialog.getOpenFileName(parent, cls.CHOOSER_TITLE, start, cls.FILE_FILTER)
        return Path(name) if name else None

    def browse(self) -> None:
        current = self.path_edit.text()
        path = self.choose_file(self, Path(current).parent if current else self.folder)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path | str) -> bool:
        raise NotImplementedError

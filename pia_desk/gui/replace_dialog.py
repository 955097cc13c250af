"""The 「評価書全体で置換」 dialog: list every occurrence first, then replace in one step.

The occurrences (項目, 件数, 該当箇所) are listed as the user types; 「すべて置換」
pushes one undo macro holding a `SetValueCommand` per affected item, so one 元に戻す
takes the whole replacement back. Change tracking then gives each item its entry, and
the classifier suggests 事後 with 「OLD→NEW　に修正するもの。」.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from pia_desk.domain.check import path_text
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.replace import Occurrence, find_occurrences, replace_plan
from pia_desk.gui.commands import SetValueCommand
from pia_desk.gui.elide import ElideDelegate
from pia_desk.gui.ui_loader import child, embed_form

__all__ = ["ReplaceDialog", "show_replace_dialog"]

UI_FILE = "replace_dialog.ui"
COL_ITEM, COL_COUNT, COL_PREVIEW = range(3)


class ReplaceDialog(QDialog):
    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.replaced: list[str] = []
        self.occurrences: list[Occurrence] = []
        self.form = embed_form(self, UI_FILE)
        self.setWindowTitle(self.form.windowTitle())
        self.find_edit = child(self.form, QLineEdit, "findEdit")
        self.replace_edit = child(self.form, QLineEdit, "replaceEdit")
        self.summary_label = child(self.form, QLabel, "summaryLabel")
        self.table = child(self.form, QTableWidget, "occurrenceTable")
        self.table.horizontalHeader().setSectionResizeMode(
            COL_COUNT, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.setColumnWidth(COL_ITEM, 300)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the item's own label
        # 該当箇所 starts a little before the match: cut at the right, never in the middle.
        self._preview_delegate = ElideDelegate(Qt.TextElideMode.ElideRight, self.table)
        self.table.setItemDelegateForColumn(COL_PREVIEW, self._preview_delegate)
        buttons = child(self.form, QDialogButtonBox, "buttonBox")
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setText("閉じる")
        self.replace_button: QPushButton = buttons.addButton(
            "すべて置換(&A)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.replace_button.setEnabled(False)
        self.replace_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.find_edit.textChanged.connect(self.search)
        self.replace_edit.textChanged.connect(self._update_button)

    # -- listing -------------------------------------------------------------------------------
    def search(self) -> None:
        """List the items holding the text to replace."""
        old = self.find_edit.text()
        self.occurrences = find_occurrences(self.project, old) if old else []
        self.table.setRowCount(len(self.occurrences))
        for row, occurrence in enumerate(self.occurrences):
            cells = (path_text(occurrence.item_path), str(occurrence.count), occurrence.preview)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        self._update_button()

    def _update_button(self) -> None:
        old, new = self.find_edit.text(), self.replace_edit.text()
        total = sum(o.count for o in self.occurrences)
        if not old:
            text = "置換前の文字列を入力すると、該当する項目を一覧表示します。"
        elif not self.occurrences:
            text = f"「{old}」を含む項目はありません。"
        else:
            text = f"「{old}」: {len(self.occurrences)} 項目、{total} 箇所"
            if old == new:
                text += "（置換前と置換後が同じです）"
        self.summary_label.setText(text)
        self.replace_button.setEnabled(bool(self.occurrences) and old != new)

    # -- replacing -----------------------------------------------------------------------------
    def apply(self) -> None:
        """Replace in every listed item as one undoable step, then close."""
        old, new = self.find_edit.text(), self.replace_edit.text()
        try:
            plan = replace_plan(self.project, old, new)
        except DomainError as error:
            self.summary_label.setText(str(error))
            return
        if not plan:
            self.search()
            return
        self.undo_stack.beginMacro(f"置換 「{old}」→「{new}」（{len(plan)} 項目）")
        try:
            for change in plan:
                self.undo_stack.push(SetValueCommand(self.project, change.node_id, change.after))
        finally:
            self.undo_stack.endMacro()
        self.replaced = [change.node_id for change in plan]
        self.accept()


def show_replace_dialog(parent: QWidget | None, project: Project, undo_stack: QUndoStack) -> int:
    """Run the dialog; the number of items replaced (0 when closed without replacing)."""
    dialog = ReplaceDialog(project, undo_stack, parent)
    dialog.exec()
    return len(dialog.replaced)

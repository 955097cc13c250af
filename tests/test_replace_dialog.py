"""The replace dialog: occurrences listed first, one undo macro for all items."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QStyle, QStyleOptionViewItem

from pia_desk.domain.replace import find_occurrences
from pia_desk.gui import replace_dialog
from pia_desk.gui.replace_dialog import COL_COUNT, COL_ITEM, COL_PREVIEW, ReplaceDialog
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project

OLD, NEW = "当市区町村", "当市"


def make_dialog(qtbot):
    project = load_project(sample_project_path()).project
    stack = QUndoStack()
    dialog = ReplaceDialog(project, stack)
    qtbot.addWidget(dialog)
    return project, stack, dialog


def test_occurrences_are_listed_before_replacing(qtbot) -> None:
    project, stack, dialog = make_dialog(qtbot)
    assert not dialog.replace_button.isEnabled()
    dialog.find_edit.setText(OLD)
    expected = find_occurrences(project, OLD)
    assert dialog.table.rowCount() == len(expected)
    for row, occurrence in enumerate(expected):
        assert dialog.table.item(row, COL_ITEM).text().endswith(occurrence.item_path[-1])
        assert dialog.table.item(row, COL_COUNT).text() == str(occurrence.count)
        assert dialog.table.item(row, COL_PREVIEW).text() == occurrence.preview
    assert f"{len(expected)} 項目" in dialog.summary_label.text()
    assert dialog.replace_button.isEnabled()  # replacing by an empty text deletes
    dialog.replace_edit.setText(NEW)
    assert dialog.replace_button.isEnabled()
    assert stack.count() == 0 and find_occurrences(project, OLD) == expected


def test_apply_is_one_undo_step(qtbot) -> None:
    project, stack, dialog = make_dialog(qtbot)
    original = dict(project.working)
    dialog.find_edit.setText(OLD)
    dialog.replace_edit.setText(NEW)
    affected = [o.node_id for o in dialog.occurrences]
    dialog.replace_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.replaced == affected
    assert stack.count() == 1 and OLD in stack.text(0)
    assert find_occurrences(project, OLD) == []
    assert all(project.draft.entry_for_node(n) for n in affected)
    stack.undo()
    assert project.working == original
    stack.redo()
    assert find_occurrences(project, OLD) == []


def test_nothing_found_disables_replacing(qtbot) -> None:
    _project, _stack, dialog = make_dialog(qtbot)
    dialog.find_edit.setText("存在しない語句")
    dialog.replace_edit.setText("別")
    assert dialog.table.rowCount() == 0
    assert not dialog.replace_button.isEnabled()
    assert "ありません" in dialog.summary_label.text()


def test_show_replace_dialog_returns_the_count(qtbot, monkeypatch) -> None:
    project = load_project(sample_project_path()).project
    stack = QUndoStack()
    count = len(find_occurrences(project, OLD))

    def fill_and_apply(dialog: ReplaceDialog) -> int:  # stands in for the modal exec()
        dialog.find_edit.setText(OLD)
        dialog.replace_edit.setText(NEW)
        dialog.replace_button.click()
        return dialog.result()

    monkeypatch.setattr(ReplaceDialog, "exec", fill_and_apply)
    assert replace_dialog.show_replace_dialog(None, project, stack) == count
    assert stack.count() == 1
    monkeypatch.setattr(ReplaceDialog, "exec", lambda dialog: dialog.reject())
    assert replace_dialog.show_replace_dialog(None, project, stack) == 0


def visible_text(view, index) -> str:
    """The text the view paints in the cell at its current width (elided as the delegate says)."""
    option = QStyleOptionViewItem()
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    width = view.visualRect(index).width() - margin
    return option.fontMetrics.elidedText(option.text, option.textElideMode, width)


def test_a_cut_preview_still_shows_the_match(qtbot) -> None:
    _project, _stack, dialog = make_dialog(qtbot)
    dialog.resize(560, 400)
    dialog.show()
    dialog.find_edit.setText(OLD)
    table = dialog.table
    table.setColumnWidth(COL_PREVIEW, table.fontMetrics().horizontalAdvance("あ" * 26))
    cut = 0
    for row in range(table.rowCount()):
        index = table.model().index(row, COL_PREVIEW)
        full = index.data()
        shown = visible_text(table, index)
        cut += shown != full
        assert f"【{OLD}】" in shown, shown
        assert table.item(row, COL_PREVIEW).toolTip() == full
    assert cut  # the column is narrower than the previews

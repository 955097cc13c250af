"""ファイル > プロジェクトの情報…: metadata edited in a dialog, one undoable step."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoStack

from pia_desk.domain.wareki import DigitStyle
from pia_desk.gui.commands import SetMetaCommand
from pia_desk.gui.project_info_dialog import ProjectInfoDialog
from pia_desk.gui.project_source import create_project
from pia_desk.storage.project_file import project_from_bytes, project_to_bytes


def test_dialog_shows_the_metadata_and_returns_only_changes(qtbot):
    project = create_project("juten", org="架空市長", title="予防接種に関する事務 重点項目評価書")
    project.meta.published = date(2021, 10, 20)
    dialog = ProjectInfoDialog(project.meta)
    qtbot.addWidget(dialog)
    assert dialog.edits["org"].text() == "架空市長"
    assert dialog.date_edits["published"].text() == "令和3年10月20日"
    assert dialog.date_edits["reviewed"].text() == ""
    assert (
        "重点項目評価書" in dialog.form.findChild(type(dialog.error_label), "formNameLabel").text()
    )

    dialog.edits["number"].setText("1234")
    dialog.date_edits["reviewed"].setText("R5.3.31")
    dialog.digit_combo.setCurrentIndex(dialog.digit_combo.findData("full"))
    dialog.accept()

    assert dialog.result() == ProjectInfoDialog.DialogCode.Accepted
    assert dialog.changes == {
        "number": "1234",
        "reviewed": date(2023, 3, 31),
        "digit_style": DigitStyle.FULL,
    }


def test_bad_date_keeps_the_dialog_open_with_the_field_named(qtbot):
    project = create_project("kiso")
    dialog = ProjectInfoDialog(project.meta)
    qtbot.addWidget(dialog)
    dialog.date_edits["published"].setText("令和3年13月1日")
    dialog.accept()
    assert dialog.result() != ProjectInfoDialog.DialogCode.Accepted
    assert dialog.error_label.text().startswith("公表日:")
    assert dialog.changes == {}


def test_metadata_change_is_undoable_and_saved(qtbot):
    project = create_project("zenkoumoku")
    before = project_to_bytes(project, saved="t")
    stack = QUndoStack()
    stack.push(SetMetaCommand(project, title="評価書", published=date(2022, 1, 5)))
    loaded, _read_only, _warnings = project_from_bytes(project_to_bytes(project, saved="t"))
    assert (loaded.meta.title, loaded.meta.published) == ("評価書", date(2022, 1, 5))
    stack.undo()
    assert project_to_bytes(project, saved="t") == before

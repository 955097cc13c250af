"""ファイル > プロジェクトの情報…: metadata edited in a dialog, one undoable step; the
cover's items are the one source of 評価書番号, 評価書名, 評価実施機関名 and 公表日."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QUndoStack

from pia_desk.domain.values import Value
from pia_desk.domain.wareki import DigitStyle
from pia_desk.gui.commands import SetMetaCommand, SetValueCommand
from pia_desk.gui.project_info_dialog import ProjectInfoDialog
from pia_desk.gui.project_source import create_project
from pia_desk.storage.project_file import new_project, project_from_bytes, project_to_bytes


def test_dialog_shows_the_metadata_and_returns_only_changes(qtbot):
    project = create_project("juten", org="架空市長", title="予防接種に関する事務 重点項目評価書")
    project.set_value("cover.published", Value(text="2021-10-20"))
    dialog = ProjectInfoDialog(project)
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
    dialog = ProjectInfoDialog(project)
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
    assert (loaded.title, loaded.published) == ("評価書", date(2022, 1, 5))
    assert loaded.value("cover.title").text == "評価書"
    stack.undo()
    assert project_to_bytes(project, saved="t") == before


def tracked_project():
    project = new_project("juten", org="架空市長", title="予防接種に関する事務")
    project.set_text("I.1.1", "予防接種に関する事務")
    project.submit_draft(date(2021, 4, 1))
    return project


def test_the_cover_and_project_information_are_one_value(qtbot):
    project = tracked_project()
    stack = QUndoStack()
    stack.push(SetMetaCommand(project, title="予防接種に関する事務　重点項目評価書"))
    assert project.value("cover.title").text == "予防接種に関する事務　重点項目評価書"
    (entry,) = project.draft.entries
    assert (entry.node_id, entry.before, entry.after) == (
        "cover.title",
        "予防接種に関する事務",
        "予防接種に関する事務　重点項目評価書",
    )
    dialog = ProjectInfoDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.edits["title"].text() == project.value("cover.title").text
    stack.undo()
    assert project.title == "予防接種に関する事務" and project.draft is None

    stack.push(SetValueCommand(project, "cover.org", "架空市長（健康部）"))
    assert project.org == "架空市長（健康部）"
    dialog = ProjectInfoDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.edits["org"].text() == "架空市長（健康部）"
    assert [e.node_id for e in project.draft.entries] == ["cover.org"]
    stack.undo()
    assert project.org == "架空市長" and project.draft is None


def test_a_new_projects_title_reaches_the_cover():
    project = create_project("juten", org="架空市長", title="予防接種に関する事務")
    assert project.value("cover.title").text == "予防接種に関する事務"
    assert project.value("cover.org").text == "架空市長"


def test_the_tracking_policy_is_edited_with_the_project_information(qtbot):
    project = tracked_project()
    dialog = ProjectInfoDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.excerpt_spin.value() == 400
    dialog.excerpt_spin.setValue(0)  # 使わない: every row quotes the whole item
    dialog.accept()
    assert dialog.changes == {"excerpt_above": None}
    stack = QUndoStack()
    stack.push(SetMetaCommand(project, **dialog.changes))
    assert project.tracking.excerpt_above is None
    loaded, _read_only, _warnings = project_from_bytes(project_to_bytes(project, saved="t"))
    assert loaded.tracking.excerpt_above is None
    stack.undo()
    assert project.tracking.excerpt_above == 400

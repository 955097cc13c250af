"""File > 変更箇所の取り込み…: preview, report, OK adds the rows, Cancel and errors add nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog
from test_import_tables import office_rows, sample_cells, write_csv, write_office_docx

from pia_desk.gui import import_dialog
from pia_desk.gui.import_dialog import (
    STATUS_DUPLICATE,
    STATUS_FREE,
    ImportDialog,
    show_import_dialog,
)
from pia_desk.importing.table_reader import apply_import, plan_import
from pia_desk.storage.project_file import new_project


@pytest.fixture
def sample_docx(tmp_path, shared_rows):
    rows = office_rows([sample_cells(r) for r in shared_rows])
    return write_office_docx(tmp_path / "bessoe2.docx", rows)


def entry_count(project) -> int:
    return sum(1 for _ in project.all_entries())


def test_preview_shows_every_row_and_the_report_before_anything_is_added(qtbot, sample_docx):
    project = new_project("juten")
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)

    assert dialog.load_table(sample_docx)

    model = dialog.table.model()
    assert model.rowCount() == 27
    assert model.headerData(3, Qt.Orientation.Horizontal) == "変更前の記載"
    assert model.index(0, 1).data() == "令和3年10月20日"
    statuses = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert statuses.count(STATUS_FREE) == 3  # システム５, 委託事項２ (twice): not in the tree
    assert "分割行の結合: 13 行" in dialog.report_text.toPlainText()
    assert dialog.ok_button.isEnabled()
    assert entry_count(project) == 0


def test_ok_adds_the_rows_to_the_open_project(qtbot, sample_docx):
    project = new_project("juten")
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)
    dialog.load_table(sample_docx)

    dialog.ok_button.click()

    assert dialog.applied and dialog.result() == QDialog.DialogCode.Accepted
    assert entry_count(project) == 27
    assert "27 件を取り込みました" in dialog.report_text.toPlainText()


def test_unreadable_file_shows_the_message_and_cannot_be_imported(qtbot, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("これは Word 文書ではありません", encoding="utf-8")
    project = new_project("juten")
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)

    assert not dialog.load_table(bad)

    assert "取り込めません" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert entry_count(project) == 0 and not dialog.applied


def test_rows_already_in_the_project_are_marked_and_not_added(qtbot, tmp_path, shared_rows):
    table = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])
    project = new_project("juten")
    apply_import(project, plan_import(table, project))
    dialog = ImportDialog(project)
    qtbot.addWidget(dialog)

    dialog.load_table(table)

    model = dialog.table.model()
    assert {model.index(r, 0).data() for r in range(model.rowCount())} == {STATUS_DUPLICATE}
    assert not dialog.ok_button.isEnabled()
    assert "既にあります" in dialog.error_label.text()


def test_browse_button_reads_the_chosen_file(qtbot, monkeypatch, sample_docx):
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda *args: sample_docx))
    dialog = ImportDialog(new_project("juten"))
    qtbot.addWidget(dialog)

    dialog.browse()

    assert dialog.path_edit.text() == str(sample_docx)
    assert dialog.table.model().rowCount() == 27


@pytest.mark.parametrize("accept", [True, False])
def test_show_import_dialog_applies_only_on_ok(qtbot, monkeypatch, sample_docx, accept):
    asked: list = []
    monkeypatch.setattr(
        ImportDialog, "choose_file", staticmethod(lambda *args: asked.append(args) or sample_docx)
    )

    def run(self: ImportDialog) -> int:
        self.accept() if accept else self.reject()
        return self.result()

    monkeypatch.setattr(ImportDialog, "exec", run)
    project = new_project("juten")

    project_file = sample_docx.parent / "work" / "yobou.piadesk"  # the open project's file

    assert show_import_dialog(None, project, project_file) is accept
    assert entry_count(project) == (27 if accept else 0)
    assert asked == [(None, project_file.parent)]  # the chooser starts in the project's folder


def test_show_import_dialog_cancelled_file_choice(monkeypatch):
    monkeypatch.setattr(import_dialog.ImportDialog, "choose_file", staticmethod(lambda *a: None))
    project = new_project("juten")
    assert show_import_dialog(None, project) is False
    assert entry_count(project) == 0


def test_preview_model_passes_qt_model_checks(qtbot, qtmodeltester, sample_docx):
    dialog = ImportDialog(new_project("juten"))
    qtbot.addWidget(dialog)
    dialog.load_table(sample_docx)
    qtmodeltester.check(dialog.table.model())


def test_import_is_one_undo_step(qtbot, monkeypatch, sample_docx):
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda *args: sample_docx))
    monkeypatch.setattr(ImportDialog, "exec", lambda self: self.accept() or self.result())
    project = new_project("juten")
    stack = QUndoStack()

    assert show_import_dialog(None, project, None, stack)

    assert stack.count() == 1 and "bessoe2.docx" in stack.undoText()
    assert entry_count(project) == 27
    stack.undo()
    assert entry_count(project) == 0 and project.revisions == []
    stack.redo()
    assert entry_count(project) == 27


def test_imported_text_can_become_the_current_text_undoably(qtbot, sample_docx):
    project = new_project("juten")
    stack = QUndoStack()
    dialog = ImportDialog(project, undo_stack=stack)
    qtbot.addWidget(dialog)
    dialog.load_table(sample_docx)
    assert not dialog.baseline_check.isChecked()  # off unless asked for
    dialog.baseline_check.setChecked(True)
    dialog.ok_button.click()
    set_items = [n.id for n in project.items() if project.baseline_value(n.id).text]
    assert set_items and all(project.value(i) == project.baseline_value(i) for i in set_items)
    assert "変更前の記載（提出時の記載）を設定した項目" in dialog.report_text.toPlainText()
    assert project.draft is None or not project.draft.entries  # nothing looks edited
    values = {i: project.value(i) for i in set_items}
    stack.undo()
    assert entry_count(project) == 0
    assert not any(project.baseline_value(i).text or project.value(i).text for i in set_items)
    stack.redo()
    assert entry_count(project) == 27
    assert {i: project.baseline_value(i) for i in set_items} == values

"""File > 評価書の取り込み…: preview document text → item, OK takes it in as one undo
step, Cancel and refusals change nothing."""

from __future__ import annotations

from assessment_docs import document_values, filled_project, make_docx
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from pia_desk.gui.assessment_import_dialog import (
    STATUS_ADDED,
    STATUS_MISSING,
    STATUS_TAKEN,
    AssessmentImportDialog,
)
from pia_desk.storage.project_file import new_project


def test_preview_then_one_undo_step(qtbot, tmp_path) -> None:
    source = filled_project("juten", {"I.2.sys1": 2})
    document = make_docx(source, tmp_path / "評価書.docx")
    project = new_project("juten")
    stack = QUndoStack()
    dialog = AssessmentImportDialog(project, undo_stack=stack)
    qtbot.addWidget(dialog)

    assert dialog.load_document(document)
    model = dialog.table.model()
    items = len(list(source.items()))
    assert model.rowCount() == items
    row = next(r for r in range(items) if model.items[r].id == "I.1.1")
    texts = [model.index(row, c).data(Qt.ItemDataRole.ToolTipRole) for c in range(5)]
    assert texts[0] == STATUS_TAKEN
    assert texts[1] == source.value("I.1.1").text  # the document's text …
    assert texts[2].endswith("①事務の名称")  # … goes into this item
    assert "記載を取り込んだ項目" in dialog.report_text.toPlainText()
    assert project.value("I.1.1").is_empty  # nothing written before OK

    dialog.ok_button.click()
    assert document_values(project) == document_values(source)
    assert project.revisions == [] and stack.count() == 1
    stack.undo()
    assert all(project.value(n.id).is_empty for n in project.items())
    assert [n.id for n in project.root.walk() if n.label == "システム２"] == []
    stack.redo()
    assert document_values(project) == document_values(source)


def test_added_and_missing_items_are_marked(qtbot, tmp_path) -> None:
    document = tmp_path / "評価書.txt"
    document.write_text(
        "特定個人情報保護評価書（重点項目評価書）\n１．特定個人情報ファイルを取り扱う事務\n"
        "①事務の名称\n予防接種\n②事務の内容※\n接種\n③対象人数\n[ 30万人以上 ]\n",
        encoding="utf-8",
    )
    dialog = AssessmentImportDialog(new_project("juten"))
    qtbot.addWidget(dialog)
    assert dialog.load_document(document)
    model = dialog.table.model()
    statuses = {model.items[r].label: model.index(r, 0).data() for r in range(model.rowCount())}
    assert statuses["③対象人数"] == STATUS_ADDED
    assert statuses["①システムの名称"] == STATUS_MISSING


def test_a_project_with_history_is_told_why_and_nothing_changes(qtbot, tmp_path) -> None:
    document = make_docx(filled_project("juten"), tmp_path / "評価書.docx")
    project = new_project("juten")
    project.set_text("I.1.1", "予防接種")
    dialog = AssessmentImportDialog(project)
    qtbot.addWidget(dialog)
    assert not dialog.load_document(document)
    assert "変更箇所のないプロジェクトにだけ" in dialog.error_label.text()
    assert not dialog.ok_button.isEnabled()


def test_an_unreadable_file_shows_the_reason(qtbot, tmp_path) -> None:
    bad = tmp_path / "壊れた.docx"
    bad.write_bytes(b"PK\x03\x04broken")
    dialog = AssessmentImportDialog(new_project("juten"))
    qtbot.addWidget(dialog)
    assert not dialog.load_document(bad)
    assert dialog.error_label.text().startswith("取り込めません")
    assert not dialog.ok_button.isEnabled()


def test_the_editor_takes_a_document_in_and_undoes_it(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QDialog, QMenu

    from pia_desk.gui.app import create_main_window
    from pia_desk.gui.ui_loader import child
    from pia_desk.storage.project_file import save_project

    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    source = filled_project("juten", {"I.2.sys1": 2})
    document = make_docx(source, tmp_path / "評価書.docx")
    path = tmp_path / "新規.piadesk"
    save_project(new_project("juten"), path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(AssessmentImportDialog, "choose_file", staticmethod(lambda *a: document))

    def accept_at_once(dialog) -> int:
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AssessmentImportDialog, "exec", accept_at_once)
    action = window.actions_by_name["actionImportAssessment"]
    assert action.isEnabled()
    assert action in child(window.menuBar(), QMenu, "menuFile").actions()
    action.trigger()
    assert document_values(window.project) == document_values(source)
    window.select_node("I.2.sys1+2.1")
    assert window.compare.after_edit.toPlainText() == source.value("I.2.sys1+2.1").text
    assert window.change_list.model.rowCount() == 0  # the baseline, not changes
    window.actions_by_name["actionUndo"].trigger()
    assert window.project.value("I.1.1").is_empty
    assert window.project.find_node("I.2.sys1+2") is None
    assert not window.isWindowModified()
    assert window.close_project()


def test_a_project_in_first_entry_shows_what_to_do(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QDialog

    from pia_desk.gui import dialogs
    from pia_desk.gui.app import create_main_window
    from pia_desk.gui.project_source import create_project
    from pia_desk.storage.project_file import save_project

    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "新規.piadesk"
    save_project(create_project("juten"), path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    banner = window.first_entry_banner
    assert banner.isVisible()
    assert (
        "評価書を取り込む" in banner.label.text()
        and "現在の記載を基準にする" in banner.label.text()
    )

    source = filled_project("juten")
    document = make_docx(source, tmp_path / "評価書.docx")
    monkeypatch.setattr(AssessmentImportDialog, "choose_file", staticmethod(lambda *a: document))
    monkeypatch.setattr(
        AssessmentImportDialog, "exec", lambda d: (d.accept(), QDialog.DialogCode.Accepted)[1]
    )
    banner.take_in_button.click()
    assert document_values(window.project) == document_values(source)
    assert banner.isVisible()  # still entering until the user declares the text

    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    banner.declare_button.click()
    assert not window.project.initial_entry and not banner.isVisible()
    window.actions_by_name["actionUndo"].trigger()
    assert banner.isVisible()
    window.actions_by_name["actionUndo"].trigger()  # the take-in too: nothing left to save
    assert not window.isWindowModified()
    assert window.close_project()

"""The editor as a user drives it: type, classify, undo, delete, submit, save, reopen.

Dialogs are answered by replacing the question helpers (pitfalls §2.6); Japanese is
typed with QInputMethodEvent (keyClicks with non-ASCII aborts the process, §2.4).
"""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox

from pia_desk.domain.entries import Timing
from pia_desk.domain.values import DELETED_MARK
from pia_desk.gui import dialogs
from pia_desk.gui.app import create_main_window
from pia_desk.gui.change_list import COL_EXPLANATION, COL_TIMING
from pia_desk.gui.dialogs import RevisionDialog
from pia_desk.gui.main_window import MainWindow
from pia_desk.gui.project_source import create_project
from pia_desk.gui.settings import Settings, recovery_folder
from pia_desk.storage.lock import lock_path_for
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.recovery import RecoveryStore
from pia_desk.storage.session import ProjectSession, load_project

BASE_TEXT = "予防接種法に基づく予防接種の実施に関する事務"


class Answers:
    """Records the messages shown and answers the questions the window asks."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[str] = []
        self.confirm = True
        self.save_changes = QMessageBox.StandardButton.Discard
        self.choice = 0
        monkeypatch.setattr(dialogs, "confirm", self._confirm)
        monkeypatch.setattr(dialogs, "show_error", lambda parent, text: self.shown.append(text))
        monkeypatch.setattr(dialogs, "show_info", lambda parent, text: self.shown.append(text))
        monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: self.save_changes)
        monkeypatch.setattr(dialogs, "ask_choice", self._choice)
        self.recovery = dialogs.RESTORE
        monkeypatch.setattr(dialogs, "ask_recovery", self._recovery)
        for name in ("question", "warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, name, self._unexpected)

    def _confirm(self, parent, text: str, detail: str = "") -> bool:
        self.shown.append(f"{text}\n{detail}")
        return self.confirm

    def _recovery(self, parent, text: str, detail: str) -> int:
        self.shown.append(f"{text}\n{detail}")
        return self.recovery

    def _choice(self, parent, text: str, choices: list[str]) -> int:
        self.shown.append(text)
        return self.choice

    @staticmethod
    def _unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[2] if len(args) > 2 else args}")


@pytest.fixture
def answers(monkeypatch, tmp_path) -> Answers:
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    return Answers(monkeypatch)


@pytest.fixture
def project_file(tmp_path) -> Path:
    project = new_project("juten", org="架空市長", title="予防接種に関する事務 重点項目評価書")
    project.set_text("I.1.1", "予防接種に関する事務")
    project.set_text("I.1.2", BASE_TEXT)
    project.set_text("I.2.sys1.1", "健康管理システム")
    project.submit_draft(date(2021, 4, 1))
    path = tmp_path / "予防接種.piadesk"
    save_project(project, path)
    return path


def open_window(qtbot, path: Path | None) -> MainWindow:
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    return window


def ime_type(widget, preedit: str, commit: str) -> None:
    QApplication.sendEvent(widget, QInputMethodEvent(preedit, []))
    event = QInputMethodEvent()
    event.setCommitString(commit)
    QApplication.sendEvent(widget, event)


def type_into(window: MainWindow, node_id: str, preedit: str, commit: str) -> None:
    window.select_node(node_id)
    pane = window.compare.after_edit
    pane.setFocus()
    pane.moveCursor(pane.textCursor().MoveOperation.End)
    ime_type(pane, preedit, commit)


def close(window: MainWindow) -> None:
    assert window.close_project()


def test_edit_classify_undo_delete_submit_save_reopen(qtbot, answers, project_file, monkeypatch):
    window = open_window(qtbot, project_file)
    assert window.windowTitle() == "予防接種.piadesk[*] - PIA Desk"
    assert not window.isWindowModified()
    type_into(window, "I.1.2", "とう", "等")
    ime_type(window.compare.after_edit, "のじむ", "の事務")
    assert window.isWindowModified()
    model = window.change_list.model
    assert model.rowCount() == 1
    entry = window.project.entry_for_node("I.1.2")
    assert (entry.before, entry.after) == (BASE_TEXT, BASE_TEXT + "等の事務")
    assert window.change_list.selected_rows() == [0]
    assert model.setData(model.index(0, COL_TIMING), Timing.POST.value)
    assert model.setData(model.index(0, COL_EXPLANATION), "時点修正")
    assert window.tree_view.currentIndex().siblingAtColumn(1).data() == "事後"

    pane = window.compare.after_edit
    pane.setFocus()
    qtbot.keyClick(pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert entry.timing is Timing.UNSET and entry.explanation == ""
    qtbot.keyClick(pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the typing burst
    assert pane.toPlainText() == BASE_TEXT
    assert model.rowCount() == 0
    for _ in range(3):
        window.actions_by_name["actionRedo"].trigger()
    entry = window.project.entry_for_node("I.1.2")
    assert (entry.after, entry.timing, entry.explanation) == (
        BASE_TEXT + "等の事務",
        Timing.POST,
        "時点修正",
    )

    window.select_node("I.2.sys1")
    window.actions_by_name["actionDelete"].trigger()
    deleted = window.project.entry_for_node("I.2.sys1.1")
    assert (deleted.before, deleted.after) == ("健康管理システム", DELETED_MARK)
    rows = model.rowCount()
    window.actions_by_name["actionUndo"].trigger()
    assert window.project.entry_for_node("I.2.sys1.1") is None
    assert window.project.entry_for_node("I.1.2").explanation == "時点修正"
    window.actions_by_name["actionRedo"].trigger()
    assert model.rowCount() == rows

    monkeypatch.setattr(RevisionDialog, "ask", classmethod(lambda cls, *a: date(2022, 3, 1)))
    window.actions_by_name["actionSubmitRevision"].trigger()  # confirms the unset 提出時期
    assert window.project.draft is None
    assert window.project.find_node("I.2.sys1") is None
    assert window.save()
    assert not window.isWindowModified()
    close(window)

    reopened = open_window(qtbot, project_file)
    project = reopened.project
    assert project.baseline_value("I.1.2").text == BASE_TEXT + "等の事務"
    submitted = project.submitted[-1]
    assert submitted.submitted_on == date(2022, 3, 1)
    entries = {e.node_id: e for e in submitted.entries}
    assert entries["I.1.2"].timing is Timing.POST
    assert entries["I.1.2"].explanation == "時点修正"
    assert entries["I.2.sys1.1"].after == DELETED_MARK
    close(reopened)


def test_add_repeat_rename_and_find(qtbot, answers, project_file, monkeypatch):
    window = open_window(qtbot, project_file)
    window.select_node("I.2.sys1.1")
    window.actions_by_name["actionAddRepeat"].trigger()
    added = window.current_node()
    assert added.label == "システム２"
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "システム２（予約管理）")
    window.actions_by_name["actionRename"].trigger()
    assert window.project.node(added.id).label == "システム２（予約管理）"
    window.actions_by_name["actionFind"].trigger()
    window.find_bar.edit.setText("予防接種")
    cover = window.find_bar.find_next()
    assert cover.node_id == "cover.title"  # the title given at creation is the cover's
    first = window.find_bar.find_next()
    assert first.node_id == "I.1.1"
    second = window.find_bar.find_next()
    assert second.node_id == "I.1.2"
    assert window.compare.node_id == "I.1.2"
    assert window.compare.after_edit.textCursor().selectedText() == "予防接種"
    assert window.find_bar.find_previous().node_id == "I.1.1"
    assert window.find_bar.status.text() == "2 / 4 件"


def test_recovery_after_crash(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    window.autosave_now()
    window.session.release()  # the process dies: no save, no clean close
    window.session = None
    window.deleteLater()

    answers.confirm = True
    again = open_window(qtbot, project_file)
    assert again.project.value("I.1.1").text == "予防接種に関する事務等"
    assert any("異なる項目 1 件" in m for m in answers.shown)
    assert again.isWindowModified()
    assert again.save()
    assert RecoveryStore(recovery_folder()).leftovers() == []
    assert load_project(project_file).project.value("I.1.1").text == "予防接種に関する事務等"


def test_untitled_project_recovery_at_start(qtbot, answers):
    store = RecoveryStore(recovery_folder())
    project = create_project("juten")
    project.set_text("I.1.1", "未保存の記載")
    copy = store.write(project, None)
    copy.note_path.rename(copy.note_path.with_name("untitled-1.json"))
    copy.data_path.rename(copy.data_path.with_name("untitled-1.piadesk"))
    window = open_window(qtbot, None)
    assert window.offer_untitled_recovery()
    assert window.project.value("I.1.1").text == "未保存の記載"
    assert window.windowTitle() == "無題[*] - PIA Desk" and window.isWindowModified()
    assert store.untitled() == []


def test_locked_project_opens_read_only(qtbot, answers, project_file):
    holder = {
        "host": "other-pc",
        "user": "tanaka",
        "pid": 4242,
        "time": "2026-11-26T09:00:00+09:00",
    }
    lock = lock_path_for(project_file)
    lock.write_text(json.dumps(holder), encoding="utf-8")
    assert holder["host"] != socket.gethostname()
    answers.confirm = False  # keep the default answer: read-only
    window = open_window(qtbot, project_file)
    assert window.read_only
    question = answers.shown[0]
    assert "tanaka" in question and "other-pc" in question and "令和8年11月26日" in question
    assert "失われ" in question and "読み取り専用" in question
    message = answers.shown[-1]
    assert "tanaka" in message and "other-pc" in message and "令和8年11月26日" in message
    assert window.read_only_banner.isVisibleTo(window)
    assert window.compare.after_edit.isReadOnly() or window.compare.node_id is None
    window.select_node("I.1.1")
    assert window.compare.after_edit.isReadOnly()
    assert not window.actions_by_name["actionSave"].isEnabled()
    assert not window.actions_by_name["actionDelete"].isEnabled()
    close(window)
    assert json.loads(lock.read_text(encoding="utf-8"))["user"] == "tanaka"


def test_broken_file_shows_error_and_keeps_project(qtbot, answers, project_file, tmp_path):
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    broken = tmp_path / "broken.piadesk"
    broken.write_text("<project>壊れた", encoding="utf-8")
    answers.save_changes = QMessageBox.StandardButton.Cancel  # must not even be asked
    assert not window.open_path(broken)
    assert "broken.piadesk" in answers.shown[-1]
    assert window.session.path == project_file
    assert window.project.value("I.1.1").text == "予防接種に関する事務等"
    assert window.is_modified()
    type_into(window, "I.1.2", "とう", "等")  # still usable
    assert window.project.entry_for_node("I.1.2").after.endswith("等")
    assert not broken.with_name("broken.piadesk.lock").exists()


def test_cancel_keeps_unsaved_work(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    answers.save_changes = QMessageBox.StandardButton.Cancel
    assert not window.close_project()
    assert window.project.value("I.1.1").text == "予防接種に関する事務等"


def test_save_detects_change_on_disk(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    other = load_project(project_file).project
    other.set_text("I.1.2", "他の人の変更")
    save_project(other, project_file)
    answers.choice = -1  # cancel
    assert not window.save()
    assert "変更されています" in answers.shown[-1]
    answers.choice = 0  # overwrite
    assert window.save()
    assert load_project(project_file).project.value("I.1.1").text == "予防接種に関する事務等"


def test_new_project_and_save_as(qtbot, answers, tmp_path, monkeypatch):
    window = open_window(qtbot, None)
    assert window.pages.currentWidget() is window.start_page
    monkeypatch.setattr(
        dialogs.NewProjectDialog,
        "ask",
        classmethod(lambda cls, parent: dialogs.NewProjectAnswer("juten", "架空市長", "評価書")),
    )
    window.actions_by_name["actionNew"].trigger()
    assert window.project.org == "架空市長"
    type_into(window, "I.1.1", "じむ", "事務")
    target = tmp_path / "新規"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.save()
    saved = target.with_suffix(".piadesk")
    assert load_project(saved).project.value("I.1.1").text == "事務"
    assert window.windowTitle() == "新規.piadesk[*] - PIA Desk"
    assert lock_path_for(saved).exists()
    close(window)
    assert not lock_path_for(saved).exists()
    assert Settings.load().recent_files[0] == str(saved.resolve())


def test_settings_remember_layout(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    window.main_splitter.setSizes([300, 900])
    window.close()
    settings = Settings.load()
    assert settings.splitters["main"][0] == window.main_splitter.sizes()[0]
    assert settings.recent_files == [str(project_file.resolve())]


def test_stale_lock_is_taken_over_after_asking(qtbot, answers, project_file):
    holder = {
        "host": socket.gethostname(),
        "user": "suzuki",
        "pid": 999_999_999,
        "time": "2026-01-01T09:00:00+09:00",
    }
    lock_path_for(project_file).write_text(json.dumps(holder), encoding="utf-8")
    answers.confirm = False
    window = open_window(qtbot, project_file)
    assert window.read_only and "suzuki" in answers.shown[0]
    close(window)
    answers.confirm = True
    window = open_window(qtbot, project_file)
    assert not window.read_only
    assert json.loads(lock_path_for(project_file).read_text(encoding="utf-8"))["user"] != "suzuki"


def test_revision_browser_shows_submitted_before_after(qtbot, answers, project_file):
    from pia_desk.gui.revision_browser import RevisionBrowser

    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    browser = RevisionBrowser(window.project, window)
    qtbot.addWidget(browser)
    assert browser.revisions.count() == 2  # the draft and the first submission
    browser.revisions.setCurrentRow(1)  # 提出済み
    browser.table.setCurrentIndex(browser.model.index(0, 0))
    assert browser.after.toPlainText() in {"予防接種に関する事務", BASE_TEXT, "健康管理システム"}
    assert not browser.model.flags(browser.model.index(0, COL_TIMING)) & Qt.ItemFlag.ItemIsEditable
    browser.revisions.setCurrentRow(0)
    browser.table.setCurrentIndex(browser.model.index(0, 0))
    assert browser.after.toPlainText() == "予防接種に関する事務等"
    inserted = browser.after.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in inserted] == [(10, 11)]


def test_hooks_call_the_colleagues_features(qtbot, answers, project_file, monkeypatch):
    from pia_desk.gui import export_dialog, import_dialog, printing, replace_dialog

    calls: list[tuple] = []
    monkeypatch.setattr(
        export_dialog, "show_export_dialog", lambda *a: calls.append(("export", *a))
    )
    from pia_desk.gui.print_dialog import PrintChoice, PrintDialog

    choice = PrintChoice(printing.TableFilter(revision_id="r1"), printing.PrintOptions())
    monkeypatch.setattr(PrintDialog, "ask", classmethod(lambda cls, *a: choice))
    monkeypatch.setattr(printing, "print_preview", lambda *a: calls.append(("preview", *a)))
    monkeypatch.setattr(printing, "print_table", lambda *a: calls.append(("print", *a)))
    monkeypatch.setattr(
        printing, "export_pdf", lambda *a, **k: calls.append(("pdf", *a, tuple(k.values())))
    )
    monkeypatch.setattr(
        import_dialog, "show_import_dialog", lambda *a: calls.append(("import", *a)) or True
    )
    monkeypatch.setattr(
        replace_dialog, "show_replace_dialog", lambda *a: calls.append(("replace", *a)) or 0
    )
    window = open_window(qtbot, project_file)
    for name in (
        "actionExportWord",
        "actionPrintPreview",
        "actionPrint",
        "actionExportPdf",
        "actionImport",
        "actionReplace",
    ):
        window.actions_by_name[name].trigger()
    project = window.project
    assert [c[0] for c in calls] == ["export", "preview", "print", "pdf", "import", "replace"]
    # The window's own settings: the rows chosen last time are remembered there.
    assert calls[0][1:] == (window, project, project_file, window.settings)
    rows = (choice.options, choice.table_filter)
    assert calls[1][1:] == calls[2][1:] == (window, project, *rows)
    assert calls[3][1:] == (window, project, (*rows, project_file))
    assert calls[5][1:] == (window, project, window.undo_stack)
    assert calls[4][1:] == (window, project, project_file, window.undo_stack)
    window.actions_by_name["actionCheck"].trigger()
    assert window.check_dock is not None and window.check_dock.isVisibleTo(window)
    window.check_dock.widget().activated.emit("I.1.2")
    assert window.compare.node_id == "I.1.2"


def test_keyboard_only_path_from_tree_to_editor(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select_node("I.1.1")
    order = []
    widget = window.filter_edit
    for _ in range(400):
        widget = widget.nextInFocusChain()
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window):
            order.append(widget)
    wanted = [
        window.changed_only,
        window.tree_view,
        window.compare.after_edit,
        window.change_list.scope_combo,
    ]
    assert [w for w in order if w in wanted][:4] == wanted
    window.select_node("I.1.1")
    window.tree_view.setFocus()
    qtbot.keyClick(window.tree_view, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.compare.after_edit
    qtbot.keyClicks(window.compare.after_edit, "ABC")
    assert (
        window.project.value("I.1.1").text.endswith("ABC")
        or "ABC" in window.project.value("I.1.1").text
    )
    qtbot.keyClick(window.compare.after_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.project.value("I.1.1").text == "予防接種に関する事務"


def test_recovery_copy_on_focus_loss_removed_on_save(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    store = RecoveryStore(recovery_folder())
    window._on_app_state(Qt.ApplicationState.ApplicationInactive)
    assert store.leftovers() == []  # nothing unsaved yet
    type_into(window, "I.1.1", "とう", "等")
    window._on_app_state(Qt.ApplicationState.ApplicationInactive)
    [copy] = store.leftovers()
    assert copy.original == project_file
    assert copy.load().value("I.1.1").text == "予防接種に関する事務等"
    assert window.save()
    assert store.leftovers() == []


def test_closing_releases_the_check_panel(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    project = window.project
    listeners_before = len(project.events._listeners)
    window.actions_by_name["actionCheck"].trigger()
    assert len(project.events._listeners) == listeners_before + 1
    close(window)
    assert window.check_dock is None
    panel_handlers = [
        listener
        for listener in project.events._listeners
        if getattr(listener, "__self__", None).__class__.__name__ == "CheckPanel"
    ]
    assert panel_handlers == []


@pytest.mark.parametrize(
    "form,text",
    [
        ("juten", "別添２をWordで出力"),
        ("zenkoumoku", "別添３をWordで出力"),
        ("kiso", "変更箇所をWordで出力"),
    ],
)
def test_export_menu_names_the_forms_annex(qtbot, answers, tmp_path, form, text):
    path = tmp_path / f"{form}.piadesk"
    save_project(create_project(form), path)
    window = open_window(qtbot, path)
    assert window.actions_by_name["actionExportWord"].text().startswith(text)


def test_tree_context_menu_offers_the_item_actions(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    tree = window.tree_view
    assert tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    names = [action.objectName() for action in tree.actions()]
    assert names == ["actionAddRepeat", "actionAddItem", "actionRename", "actionDelete"]
    window.select_node("I.2.sys1")
    add_repeat = window.actions_by_name["actionAddRepeat"]
    assert add_repeat.isEnabled()
    add_repeat.trigger()
    assert window.project.find_node("I.2.sys1+2") is not None


OTHER_PC = {"host": "other-pc", "user": "tanaka", "pid": 4242, "time": "2026-11-26T09:00:00+09:00"}


def test_lock_of_another_pc_can_be_taken_over_after_a_warning(qtbot, answers, project_file):
    lock_path_for(project_file).write_text(json.dumps(OTHER_PC), encoding="utf-8")
    answers.confirm = True
    window = open_window(qtbot, project_file)
    assert not window.read_only
    assert "tanaka" in answers.shown[0] and "失われ" in answers.shown[0]
    assert json.loads(lock_path_for(project_file).read_text(encoding="utf-8"))["user"] != "tanaka"
    close(window)


def test_save_as_refuses_a_file_someone_else_has_open(qtbot, answers, project_file, monkeypatch):
    other = project_file.with_name("他の人.piadesk")
    save_project(create_project("juten", title="他人の評価書"), other)
    original = other.read_bytes()
    lock_path_for(other).write_text(json.dumps(OTHER_PC), encoding="utf-8")
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    assert not window.save_as()
    assert "tanaka" in answers.shown[-1] and "保存できません" in answers.shown[-1]
    assert other.read_bytes() == original
    assert json.loads(lock_path_for(other).read_text(encoding="utf-8"))["user"] == "tanaka"
    assert window.session.path == project_file and lock_path_for(project_file).exists()
    close(window)


def test_save_as_onto_the_own_file_still_detects_others_saves(
    qtbot, answers, project_file, monkeypatch
):
    window = open_window(qtbot, project_file)
    type_into(window, "I.1.1", "とう", "等")
    changed = load_project(project_file).project
    changed.set_text("I.1.2", "他の人の保存")
    save_project(changed, project_file)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project_file), ""))
    answers.choice = -1  # cancel
    assert not window.save_as()
    assert "変更されています" in answers.shown[-1]
    assert load_project(project_file).project.value("I.1.2").text == "他の人の保存"
    assert lock_path_for(project_file).exists()  # still ours
    close(window)


def test_file_of_a_newer_version_is_never_saved_over(qtbot, answers, project_file, monkeypatch):
    newer = project_file.read_bytes().replace(b'fileVersion="2"', b'fileVersion="99"', 1)
    project_file.write_bytes(newer)
    window = open_window(qtbot, project_file)
    assert window.read_only and window.session.newer_version
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(project_file), ""))
    assert not window.save()
    assert "新しい版" in answers.shown[-1]
    assert project_file.read_bytes() == newer
    copy = project_file.with_name("コピー.piadesk")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    assert window.save()
    assert not window.read_only and load_project(copy).project.org == "架空市長"
    close(window)


def test_closed_project_is_no_longer_listened_to(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    project = window.project
    assert project.events._listeners
    close(window)
    assert project.events._listeners == []


def test_status_follows_a_burst_of_events_once(qtbot, answers, project_file, monkeypatch):
    window = open_window(qtbot, project_file)
    calls: list[int] = []
    monkeypatch.setattr(window, "_update_summary", lambda: calls.append(1))
    for ch in "予防接種":
        window.project.set_text("I.1.1", window.project.value("I.1.1").text + ch)
    assert calls == []
    qtbot.waitUntil(lambda: calls == [1])
    close(window)


@pytest.mark.parametrize(
    "form,annex,wrong",
    [
        ("juten", "（別添２）", "別添３"),
        ("zenkoumoku", "（別添３）", "別添２"),
        ("kiso", "", "別添"),
    ],
)
def test_status_tips_name_only_the_forms_own_annex(qtbot, answers, tmp_path, form, annex, wrong):
    path = tmp_path / f"{form}.piadesk"
    save_project(create_project(form), path)
    window = open_window(qtbot, path)
    for name in ("actionExportWord", "actionImport"):
        tip = window.actions_by_name[name].statusTip()
        assert f"{annex}変更箇所の表" in tip and wrong not in tip
    close(window)
    start = window.start_screen
    assert "別添" not in start.findChild(QLabel, "titleLabel").text()


def test_project_info_menu_edits_the_metadata(qtbot, answers, project_file, monkeypatch):
    from pia_desk.domain.wareki import DigitStyle
    from pia_desk.gui.change_list import ALL_SCOPE, COL_DATE
    from pia_desk.gui.project_info_dialog import ProjectInfoDialog

    monkeypatch.setattr(
        ProjectInfoDialog,
        "ask",
        classmethod(
            lambda cls, parent, meta: {"affair": "予防接種", "digit_style": DigitStyle.FULL}
        ),
    )
    window = open_window(qtbot, project_file)
    window.change_list.show_scope(ALL_SCOPE)
    window.actions_by_name["actionProjectInfo"].trigger()
    assert window.project.meta.affair == "予防接種" and window.isWindowModified()
    assert window.change_list.model.index(0, COL_DATE).data().endswith("日")
    assert "１" in window.change_list.model.index(0, COL_DATE).data()  # full-width digits
    window.actions_by_name["actionUndo"].trigger()
    assert window.project.meta.affair == ""
    close(window)


def test_sample_opens_as_an_untitled_copy_and_never_writes_the_program_folder(
    qtbot, answers, tmp_path, monkeypatch
):
    from pia_desk.gui import main_window
    from pia_desk.paths import sample_project_path

    folder = tmp_path / "program" / "sample"
    folder.mkdir(parents=True)
    sample = folder / "sample.piadesk"
    sample.write_bytes(sample_project_path().read_bytes())
    monkeypatch.setattr(main_window, "sample_project_path", lambda: sample)
    window = open_window(qtbot, None)
    assert window.open_sample()
    assert window.session.path is None and window.session.lock is None
    assert not lock_path_for(sample).exists()
    assert "サンプル" in window.windowTitle()
    assert "サンプル" in window.read_only_banner.text() or "サンプル" in (
        window.statusBar().currentMessage()
    )
    type_into(window, "I.1.1", "じむ", "事務")
    target = tmp_path / "my" / "コピー.piadesk"
    target.parent.mkdir()
    asked: list[str] = []

    def save_name(parent, caption, suggested, *args, **kwargs):
        asked.append(caption)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    assert window.save()
    assert asked == ["名前を付けて保存"]
    assert sorted(p.name for p in folder.iterdir()) == ["sample.piadesk"]
    assert sample.read_bytes() == sample_project_path().read_bytes()
    assert load_project(target).project.value("I.1.1").text.endswith("事務")
    assert window.session.path == target
    close(window)


def test_first_use_makes_the_typed_text_the_baseline_undoably(qtbot, answers, monkeypatch):
    window = open_window(qtbot, None)
    window.set_session(ProjectSession.untitled(create_project("juten", org="架空市長")))
    adopt = window.actions_by_name["actionAdoptBaseline"]
    project = window.project
    assert project.initial_entry  # 新規作成 starts in 初回入力, and the window says so
    assert "初回入力中" in window.statusBar().currentMessage()
    type_into(window, "I.1.1", "じむ", "予防接種事務")
    window.select_node("I.1.2")
    window.compare.after_edit.insertPlainText(BASE_TEXT)  # pasted
    qtbot.waitUntil(lambda: project.value("I.1.2").text == BASE_TEXT)
    qtbot.waitUntil(lambda: adopt.isEnabled())
    assert project.draft is None  # typing and pasting recorded no rows
    answers.confirm = False
    adopt.trigger()
    assert project.initial_entry
    answers.confirm = True
    adopt.trigger()
    assert "現在の記載" in answers.shown[-1]
    assert project.baseline_value("I.1.2").text == BASE_TEXT and not project.initial_entry
    assert project.draft is None
    steps = window.undo_stack.index()
    window.undo_stack.undo()  # declaring the baseline is one undo step
    assert project.initial_entry and project.baseline_value("I.1.2").text == ""
    assert project.value("I.1.2").text == BASE_TEXT and project.draft is None
    assert window.undo_stack.index() == steps - 1
    window.undo_stack.redo()
    type_into(window, "I.1.1", "へんこう", "（変更）")
    assert [(e.before, e.after) for e in project.draft.entries] == [
        ("予防接種事務", "予防接種事務（変更）")
    ]
    project.submit_draft(date(2024, 4, 1))
    window._update_actions()
    assert not adopt.isEnabled()
    close(window)


def test_delete_key_deletes_the_item_only_from_the_tree(qtbot, answers, project_file):
    window = open_window(qtbot, project_file)
    window.select_node("I.1.2")
    pane = window.compare.after_edit
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus)
    pane.moveCursor(pane.textCursor().MoveOperation.Start)
    qtbot.keyClick(pane, Qt.Key.Key_Delete)
    assert window.project.value("I.1.2").text == BASE_TEXT[1:]
    assert not answers.shown
    window.select_node("I.2.sys1.1")
    window.tree_view.setFocus()
    qtbot.waitUntil(window.tree_view.hasFocus)
    qtbot.keyClick(window.tree_view, Qt.Key.Key_Delete)
    assert answers.shown and "削除しますか" in answers.shown[-1]
    assert window.project.node("I.2.sys1.1").is_deleted
    close(window)


def test_about_names_the_version_and_no_network(qtbot, answers, monkeypatch):
    from pia_desk import __version__

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = open_window(qtbot, None)
    window.actions_by_name["actionAbout"].trigger()
    assert __version__ in shown[0] and "ネットワークに接続しません" in shown[0]


def test_read_only_banner_says_it_once(qtbot, answers, project_file, monkeypatch):
    from pia_desk.storage.errors import LockedError
    from pia_desk.storage.lock import ProjectLock

    def refuse(self, force=False):
        raise LockedError(
            "ロックファイルを作成できません（読み取り専用の場所です）。読み取り専用で開きます。",
            project_file,
            None,
            stale=False,
        )

    acquire = ProjectLock.acquire
    monkeypatch.setattr(ProjectLock, "acquire", refuse)
    window = open_window(qtbot, project_file)
    banner = window.read_only_banner.text()
    assert window.read_only and banner.count("読み取り専用で開") == 1
    close(window)
    monkeypatch.setattr(ProjectLock, "acquire", acquire)
    other = ProjectLock(project_file)
    other.acquire()
    try:
        window = open_window(qtbot, project_file)
    finally:
        other.release()
    assert window.read_only_banner.text().count("読み取り専用で開") == 1


def test_nothing_chosen_is_said_once(qtbot, answers, project_file):
    from pia_desk.gui.compare_editor import PLACEHOLDER

    window = open_window(qtbot, project_file)
    window.tree_view.setCurrentIndex(window.tree_view.model().index(0, 0).parent())
    window.compare.show_node(None)
    shown = [
        label.text()
        for label in window.compare.findChildren(QLabel)
        if label.isVisibleTo(window) and label.text()
    ]
    assert shown.count(PLACEHOLDER) == 1
    close(window)


def test_revision_browser_labels_its_panes_and_shows_whole_headers(qtbot, answers, project_file):
    from pia_desk.gui.revision_browser import RevisionBrowser

    window = open_window(qtbot, project_file)
    browser = RevisionBrowser(window.project, window)
    qtbot.addWidget(browser)
    labels = {label.text(): label.buddy() for label in browser.findChildren(QLabel)}
    assert labels["変更前の記載"] is browser.before and labels["変更後の記載"] is browser.after
    header = browser.table.horizontalHeader()
    for column in range(browser.model.columnCount()):
        title = browser.model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) > header.fontMetrics().horizontalAdvance(title), title


def test_a_newer_file_is_announced_once(qtbot, answers, project_file):
    project_file.write_bytes(
        project_file.read_bytes().replace(b'fileVersion="2"', b'fileVersion="3"', 1)
    )
    window = open_window(qtbot, project_file)
    assert window.read_only
    assert len([m for m in answers.shown if "新しい版" in m]) == 1


def test_opening_another_project_clears_the_old_status_message(
    qtbot, answers, project_file, tmp_path
):
    other = tmp_path / "別の事務.piadesk"
    save_project(new_project("kiso"), other)
    window = open_window(qtbot, project_file)
    window.statusBar().showMessage("保存しました: 前のプロジェクト")
    assert window.open_path(other)
    assert window.statusBar().currentMessage() == ""

"""The 変更前 / 変更後 editor: Japanese input through the IME, bursts, highlight, options."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QUndoStack
from PySide6.QtWidgets import QApplication

from pia_desk.domain.values import Value
from pia_desk.gui.compare_editor import CompareEditor, preedit_active
from pia_desk.storage.project_file import new_project as create_project  # tracked from the start


@pytest.fixture
def project():
    p = create_project("juten")
    p.set_text("I.1.2", "予防接種法に基づく予防接種の実施に関する事務")
    p.set_value("II.2.1", Value(text="システム用ファイル"))
    p.submit_draft(date(2021, 4, 1))
    return p


@pytest.fixture
def editor(qtbot, project):
    stack = QUndoStack()
    widget = CompareEditor(stack)
    qtbot.addWidget(widget)
    widget.set_project(project)
    widget.show()
    return widget, stack


def ime_type(widget, preedit: str, commit: str) -> None:
    QApplication.sendEvent(widget, QInputMethodEvent(preedit, []))
    event = QInputMethodEvent()
    event.setCommitString(commit)
    QApplication.sendEvent(widget, event)


def test_ime_input_updates_entry_only_on_commit(qtbot, editor, project):
    widget, stack = editor
    widget.show_node("I.1.2")
    pane = widget.after_edit
    pane.setFocus()
    pane.moveCursor(pane.textCursor().MoveOperation.End)
    QApplication.sendEvent(pane, QInputMethodEvent("とう", []))
    assert preedit_active(pane)
    assert project.entry_for_node("I.1.2") is None
    event = QInputMethodEvent()
    event.setCommitString("等")
    QApplication.sendEvent(pane, event)
    assert not preedit_active(pane)
    entry = project.entry_for_node("I.1.2")
    assert entry.after == "予防接種法に基づく予防接種の実施に関する事務等"
    ime_type(pane, "のじむ", "の事務")
    assert stack.count() == 1
    qtbot.waitUntil(lambda: widget.highlighted_spans()[1] != [])
    deleted, inserted = widget.highlighted_spans()
    assert inserted == [(22, 26)] and deleted == []
    stack.undo()
    assert pane.toPlainText() == "予防接種法に基づく予防接種の実施に関する事務"
    assert project.entry_for_node("I.1.2") is None


def test_highlight_counts_utf16_units(qtbot, editor, project):
    widget, _stack = editor
    project.set_text("I.1.2", "𠮷野家の予防接種に関する事務")
    widget.show_node("I.1.2")
    deleted, inserted = widget.highlighted_spans()
    # before: 予防接種法に基づく予防接種の実施に関する事務 / after starts with 𠮷 (2 units)
    assert inserted[0][0] == 0 and inserted[0][1] >= 5
    assert deleted and deleted[0][0] == 0


def test_choice_item_shows_both_sides_and_edits(qtbot, editor, project):
    widget, stack = editor
    widget.show_node("II.2.1")
    before = widget._before_panel.buttons()
    after = widget._after_panel.buttons()
    assert before["システム用ファイル"].isChecked() and not before["システム用ファイル"].isEnabled()
    after["その他の電子ファイル（表計算ファイル等）"].click()
    assert project.value("II.2.1").text == "その他の電子ファイル（表計算ファイル等）"
    entry = project.entry_for_node("II.2.1")
    assert entry.before == "[ システム用ファイル ]"
    stack.undo()
    assert widget._after_panel.buttons()["システム用ファイル"].isChecked()


def test_checks_item_with_other_text(qtbot, editor, project):
    widget, _stack = editor
    widget.show_node("II.3.2")  # ②入手方法
    buttons = widget._after_panel.buttons()
    buttons["紙"].click()
    assert project.value("II.3.2").checked == ("紙",)
    assert "[○]紙" in project.entry_for_node("II.3.2").after


def test_important_flag_and_path_shown(editor):
    widget, _stack = editor
    widget.show_node("I.1.2")
    assert widget.important_label.isVisibleTo(widget)
    assert "②事務の内容" in widget.path_label.text()
    widget.show_node("I.1.1")
    assert not widget.important_label.isVisibleTo(widget)


def test_undo_key_in_pane_goes_to_project_stack(qtbot, editor, project):
    widget, stack = editor
    widget.show_node("I.1.2")
    pane = widget.after_edit
    pane.setFocus()
    pane.moveCursor(pane.textCursor().MoveOperation.End)
    qtbot.keyClicks(pane, "abc")
    assert stack.count() == 1
    qtbot.keyClick(pane, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.value("I.1.2").text == "予防接種法に基づく予防接種の実施に関する事務"
    assert pane.toPlainText() == project.value("I.1.2").text


def test_choice_page_is_not_rebuilt_when_only_its_entry_changes(qtbot, editor, project):
    widget, _stack = editor
    project.remove_node("I.1.2")
    widget.show_node("I.1.2")  # a deleted text item: its pane is read-only
    assert widget.after_edit.isReadOnly()
    widget.show_node("II.2.1")
    widget._after_panel.buttons()["その他の電子ファイル（表計算ファイル等）"].click()
    panel = widget._after_panel
    project.update_entry(project.entry_for_node("II.2.1").id, explanation="説明")
    assert widget._after_panel is panel
    assert "変更あり（提出時期: 未設定）" in widget.status_label.text()


def test_deleting_the_shown_choice_item_shows_it_deleted(qtbot, editor, project):
    widget, _stack = editor
    widget.show_node("II.2.1")
    project.remove_node("II.2.1")
    assert not widget._after_panel.isEnabled() or not any(
        b.isEnabled() for b in widget._after_panel.buttons().values()
    )
    assert "削除されています" in widget.status_label.text()


def test_long_check_lists_scroll_together_and_stay_readable(qtbot, editor, project):
    widget, _stack = editor
    widget.resize(600, 220)  # the 19 options of 主な記録項目 do not fit
    widget.show()
    widget.show_node("II.2.4.main")
    before_area, after_area = widget.option_areas
    after_bar, before_bar = after_area.verticalScrollBar(), before_area.verticalScrollBar()
    qtbot.waitUntil(lambda: after_bar.maximum() > 0)
    after_bar.setValue(after_bar.maximum())
    assert before_bar.value() == after_bar.value() > 0
    before_bar.setValue(0)
    assert after_bar.value() == 0
    # 変更前 cannot be changed, yet its options keep the colours of enabled ones.
    button = next(iter(widget._before_panel.buttons().values()))
    assert not button.isEnabled()
    palette = button.palette()
    for role in (palette.ColorRole.WindowText, palette.ColorRole.ButtonText):
        assert palette.color(palette.ColorGroup.Disabled, role) == palette.color(
            palette.ColorGroup.Active, role
        )

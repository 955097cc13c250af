"""Deciding a change row in the entry panel (issue 18): each change one undo step through
the domain, the suggestion with all its reasons, common phrases whole, the exported row
previewed; undo and redo show the item they change."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from pia_desk.domain.entries import QuoteMode, Timing
from pia_desk.gui import dialogs
from pia_desk.gui.app import create_main_window
from pia_desk.gui.entry_panel import COMMON_EXPLANATIONS
from pia_desk.gui.main_window import MainWindow


@pytest.fixture(autouse=True)
def own_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    discard = QMessageBox.StandardButton.Discard
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: discard)


def sample_window(qtbot) -> MainWindow:
    window = create_main_window(sample=True)
    qtbot.addWidget(window)
    window.show()
    return window


def undecided(window: MainWindow):
    """The sample's row whose 提出時期 is 未設定, and its item."""
    draft = window.project.draft
    return next(e for e in draft.entries if e.timing is Timing.UNSET)


def shown_panel(qtbot, window: MainWindow, node_id: str):
    window.select_node(node_id)
    panel = window.entry_panel
    assert panel is not None and panel.isVisible()
    qtbot.waitUntil(lambda: panel.suggestion() is not None)
    panel.refresh()
    return panel


def test_panel_is_created_only_when_a_changed_item_is_shown(qtbot):
    window = sample_window(qtbot)
    assert window.entry_panel is None  # start-up does not build it
    window.select_node("I.1.1")  # no change
    assert window.entry_panel is None
    window.select_node(undecided(window).node_id)
    assert window.entry_panel is not None


def test_panel_appears_when_typing_gives_the_shown_item_its_row(qtbot):
    window = sample_window(qtbot)
    window.select_node("I.1.1")  # no change yet: no panel
    assert window.entry_panel is None
    window.compare.after_edit.setFocus()
    window.compare.after_edit.moveCursor(window.compare.after_edit.textCursor().MoveOperation.End)
    QTest.keyClicks(window.compare.after_edit, "-3")
    qtbot.waitUntil(lambda: window.entry_panel is not None and window.entry_panel.isVisible())
    qtbot.waitUntil(lambda: window.entry_panel.current() is not None)
    assert window.entry_panel.current()[1].node_id == "I.1.1"


def test_timing_by_keyboard_is_one_undo_step(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.explanation_edit.setFocus()
    QTest.keyClick(panel.explanation_edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert entry.timing is Timing.POST
    assert panel.explanation_edit.toPlainText() == ""  # Alt+2 typed nothing
    QTest.keyClick(panel.explanation_edit, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert entry.timing is Timing.PRE
    assert window.tree_view.currentIndex().siblingAtColumn(1).data() == "事前"
    window.undo()
    assert entry.timing is Timing.POST
    window.undo()
    assert entry.timing is Timing.UNSET
    qtbot.waitUntil(lambda: panel.timing_buttons[Timing.UNSET].isChecked())


def test_suggestion_with_all_reasons_and_taking_it(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    suggestion = panel.suggestion()
    shown = panel.reasons_label.toPlainText()
    assert all(reason in shown for reason in suggestion.reasons)  # not only a tooltip
    assert panel.confidence_label.text() == f"確からしさ：{suggestion.confidence}"
    assert panel.take_button.isEnabled()
    steps = window.undo_stack.count()
    panel.take_button.click()
    assert entry.timing is suggestion.timing
    assert entry.explanation == suggestion.explanation
    assert window.undo_stack.count() == steps + 1
    window.undo()
    assert (entry.timing, entry.explanation) == (Timing.UNSET, "")


def test_explanation_phrases_whole_and_typing_is_one_step(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    panel.phrase_menu.aboutToShow.emit()
    texts = [a.text() for a in panel.phrase_menu.actions() if not a.isSeparator()]
    assert all(phrase in texts for phrase in COMMON_EXPLANATIONS)  # whole, never cut
    phrase = next(a for a in panel.phrase_menu.actions() if a.text() == COMMON_EXPLANATIONS[1])
    phrase.trigger()
    assert entry.explanation == COMMON_EXPLANATIONS[1]
    steps = window.undo_stack.count()
    panel.explanation_edit.setFocus()
    panel.explanation_edit.moveCursor(panel.explanation_edit.textCursor().MoveOperation.End)
    QTest.keyClicks(panel.explanation_edit, " (2)")
    qtbot.waitUntil(lambda: entry.explanation.endswith("(2)"))
    assert window.undo_stack.count() == steps + 1
    window.undo()
    assert entry.explanation == COMMON_EXPLANATIONS[1]


def test_date_quote_and_preview_of_the_exported_row(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    assert entry.after.splitlines()[0] in panel.preview.toPlainText()
    panel.date_edit.setText("令和8年10月15日")
    panel.commit_date()
    assert entry.date == date(2026, 10, 15)
    qtbot.waitUntil(lambda: "令和8年10月15日" in panel.preview.toPlainText())
    panel.date_edit.setText("明日")
    panel.commit_date()
    assert "変更日" in panel.error_label.text() and entry.date == date(2026, 10, 15)
    panel.quote_buttons[QuoteMode.CHANGED_PARAGRAPHS].click()
    assert entry.quote is QuoteMode.CHANGED_PARAGRAPHS
    window.undo()
    assert entry.quote is QuoteMode.WHOLE


def test_submitted_or_read_only_rows_cannot_be_changed(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    panel.set_read_only(True)
    assert not panel.timing_buttons[Timing.PRE].isEnabled()
    panel.set_timing(Timing.PRE)
    assert entry.timing is Timing.UNSET


def test_undo_shows_the_item_it_changes(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    panel = shown_panel(qtbot, window, entry.node_id)
    panel.set_timing(Timing.POST)
    window.select_node("I.1.1")
    window.undo()
    assert window.compare.node_id == entry.node_id
    window.select_node("I.1.1")
    window.redo()
    assert window.compare.node_id == entry.node_id and entry.timing is Timing.POST


def test_apply_suggestions_from_the_window_reports_and_undoes_in_one_step(qtbot):
    window = sample_window(qtbot)
    draft = window.project.draft
    decided = {
        e.id: (e.timing, e.explanation) for e in draft.entries if e.timing is not Timing.UNSET
    }
    unset = [e for e in draft.entries if e.timing is Timing.UNSET]
    qtbot.waitUntil(lambda: window.change_list.model._suggest is not None)
    window.change_list.apply_button.click()
    assert all(e.timing is not Timing.UNSET for e in unset)
    assert {e.id: (e.timing, e.explanation) for e in draft.entries if e.id in decided} == decided
    assert f"{len(unset)} 件" in window.statusBar().currentMessage()
    window.undo()
    assert all(e.timing is Timing.UNSET for e in unset)


def test_zoom_reaches_the_panel(qtbot):
    window = sample_window(qtbot)
    panel = shown_panel(qtbot, window, undecided(window).node_id)
    base = panel.font().pointSizeF()
    window.findChild(QAction, "actionZoomIn").trigger()
    assert panel.font().pointSizeF() > base
    QApplication.processEvents()


# -- the change list as an overview --------------------------------------------------------
def test_overview_fits_1366_pixels_and_wraps_whole_items(qtbot):
    window = sample_window(qtbot)
    window.resize(1366, 740)
    QApplication.processEvents()
    table = window.change_list.table
    qtbot.waitUntil(lambda: table.rowHeight(0) > table.verticalHeader().defaultSectionSize())
    header = table.horizontalHeader()
    shown = [c for c in range(header.count()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    assert [table.model().headerData(c, Qt.Orientation.Horizontal) for c in shown] == [
        "変更日",
        "項目",
        "提出時期",
        "提出時期に係る説明",
        "提案",
    ]
    assert (
        "事前" in window.change_list.legend.text()
        and "提案と異なる" in window.change_list.legend.text()
    )


def test_overview_sorts_by_a_clicked_header(qtbot):
    from PySide6.QtCore import QPoint

    from pia_desk.gui.change_list import COL_TIMING

    window = sample_window(qtbot)
    table = window.change_list.table
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(COL_TIMING) + header.sectionSize(COL_TIMING) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    model = table.model()
    timings = [model.index(r, COL_TIMING).data() for r in range(model.rowCount())]
    assert timings == sorted(timings) and len(set(timings)) > 1
    entry = undecided(window)
    window.select_node(entry.node_id)  # the selection follows the sorted rows
    assert window.change_list.selected_rows() == [
        window.change_list.model.row_for_node(entry.node_id)
    ]
    assert table.currentIndex().data() is not None


def test_overview_filters_undecided_and_differing_rows(qtbot):
    from pia_desk.gui.change_list import FILTER_DIFFERS, FILTER_UNSET

    window = sample_window(qtbot)
    widget = window.change_list
    draft = window.project.draft
    qtbot.waitUntil(lambda: widget.model._suggest is not None)
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData(FILTER_UNSET))
    unset = [e for e in draft.entries if e.timing is Timing.UNSET]
    assert widget.table.model().rowCount() == len(unset)
    assert widget.count_label.text() == f"{len(unset)} / {len(draft.entries)} 件"
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData(FILTER_DIFFERS))
    model = widget.model
    differing = [
        r for r in range(model.rowCount()) if model.differs_from_suggestion(*model.row_of(r))
    ]
    assert widget.table.model().rowCount() == len(differing)


def test_text_context_menu_offers_the_edit_menus_undo(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    window.select_node(entry.node_id)
    pane = window.compare.after_edit
    pane.setFocus()
    pane.moveCursor(pane.textCursor().MoveOperation.End)
    QTest.keyClicks(pane, "x")
    menu = pane.context_menu()
    undo = window.actions_by_name["actionUndo"]
    assert undo in menu.actions() and undo.isEnabled()
    assert undo.shortcut().toString() == "Ctrl+Z" and undo.text().startswith("元に戻す")
    assert not [a for a in menu.actions() if a.objectName() in ("edit-undo", "edit-redo")]
    undo.trigger()
    assert pane.toPlainText() == entry.after


def test_start_screen_says_when_no_file_was_used_and_opens_only_a_chosen_one(qtbot, tmp_path):
    from pia_desk.gui.main_window import NO_RECENT_TEXT
    from pia_desk.gui.settings import Settings
    from pia_desk.storage.project_file import new_project, save_project

    settings = Settings.load(tmp_path / "settings.json")
    window = create_main_window(settings=settings)
    qtbot.addWidget(window)
    button = window.start_screen.findChild(QPushButton, "openRecentButton")
    assert [window.recent_list.item(i).text() for i in range(window.recent_list.count())] == [
        NO_RECENT_TEXT
    ]
    assert not button.isEnabled()
    path = tmp_path / "予防接種.piadesk"
    save_project(new_project("juten"), path)
    settings.add_recent(path)
    window.show_start_page()
    assert window.recent_list.item(0).text().startswith("予防接種.piadesk　（最終保存 令和")
    assert button.isEnabled()
    window.recent_list.setCurrentItem(None)
    assert not button.isEnabled()


def test_tree_filter_says_when_nothing_matches_and_clearing_keeps_the_item(qtbot):
    window = sample_window(qtbot)
    entry = undecided(window)
    window.select_node(entry.node_id)
    window.filter_edit.setText("存在しない語句ｘｙｚ")
    assert window.no_match_label.isVisible()
    assert window.no_match_label.text() == "該当する項目はありません"
    window.filter_edit.clear()
    assert not window.no_match_label.isVisible()
    assert window.current_node().id == entry.node_id
    assert window.tree_view.isExpanded(window.tree_view.currentIndex().parent())


def test_a_decided_row_leaves_the_undecided_filter(qtbot):
    from pia_desk.gui.change_list import FILTER_UNSET

    window = sample_window(qtbot)
    widget = window.change_list
    widget.filter_combo.setCurrentIndex(widget.filter_combo.findData(FILTER_UNSET))
    entry = undecided(window)
    shown = widget.table.model().rowCount()
    panel = shown_panel(qtbot, window, entry.node_id)
    panel.set_timing(Timing.PRE)
    qtbot.waitUntil(lambda: widget.table.model().rowCount() == shown - 1)

"""The change list: rows follow the draft, in-place edits are undoable, suggestions apply."""

from __future__ import annotations

import types
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from pia_desk.domain.entries import QuoteMode, Timing
from pia_desk.gui import change_list
from pia_desk.gui.change_list import (
    ALL_SCOPE,
    COL_DATE,
    COL_EXPLANATION,
    COL_ITEM,
    COL_PREVIEW,
    COL_QUOTE,
    COL_SUGGESTION,
    COL_TIMING,
    ChangeListWidget,
    EntryTableModel,
)
from pia_desk.gui.roles import DiffersRole
from pia_desk.storage.project_file import new_project as create_project  # tracked from the start


@pytest.fixture
def project():
    p = create_project("juten")
    p.set_text("I.1.1", "予防接種に関する事務")
    p.set_text("I.1.2", "予防接種の実施")
    p.submit_draft(date(2021, 4, 1))
    p.start_revision(date(2021, 10, 20))
    p.set_text("I.1.1", "予防接種事務")
    p.submit_draft(date(2021, 11, 1))
    return p


def test_rows_follow_the_draft(qtmodeltester, project):
    stack = QUndoStack()
    model = EntryTableModel(project, stack)
    assert model.rowCount() == 0
    project.set_text("I.1.2", "当市における予防接種の実施")
    assert model.rowCount() == 1
    assert model.index(0, COL_ITEM).data() == (
        "Ⅰ基本情報 ＞ １．特定個人情報ファイルを取り扱う事務 ＞ ②事務の内容※"
    )
    assert model.index(0, COL_PREVIEW).data() == "予防接種の実施 → 当市における予防接種の実施"
    assert model.index(0, COL_TIMING).data() == "未設定"
    qtmodeltester.check(model, force_py=True)
    project.set_text("I.1.2", "予防接種の実施")
    assert model.rowCount() == 0


def test_edits_are_undoable_and_submitted_rows_read_only(qtbot, project, monkeypatch):
    stack = QUndoStack()
    model = EntryTableModel(project, stack)
    project.set_text("I.1.2", "変更後")
    timing = model.index(0, COL_TIMING)
    assert model.setData(timing, Timing.POST.value)
    assert model.setData(model.index(0, COL_EXPLANATION), "時点修正")
    assert model.setData(model.index(0, COL_QUOTE), QuoteMode.CHANGED_PARAGRAPHS.value)
    entry = project.entry_for_node("I.1.2")
    assert (entry.timing, entry.explanation, entry.quote) == (
        Timing.POST,
        "時点修正",
        QuoteMode.CHANGED_PARAGRAPHS,
    )
    assert model.setData(model.index(0, COL_DATE), "令和4年1月5日")
    assert entry.date == date(2022, 1, 5)
    assert model.index(0, COL_DATE).data() == "令和4年1月5日"
    with qtbot.waitSignal(model.error) as blocker:
        assert not model.setData(model.index(0, COL_DATE), "令和2年2月30日")
    assert "令和2年2月30日" in blocker.args[0]
    assert entry.date == date(2022, 1, 5)
    for _ in range(4):
        stack.undo()
    assert (entry.timing, entry.explanation, entry.date) == (Timing.UNSET, "", None)
    model.set_scope(ALL_SCOPE)
    submitted = model.index(0, COL_TIMING)
    assert model.row_of(0)[0].is_draft is False
    assert not model.flags(submitted) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(submitted, "事前")


def fake_suggest(timing: Timing, explanation: str) -> types.ModuleType:
    module = types.ModuleType("fake_suggest")

    def suggest_for_entry(project, revision, entry):
        return types.SimpleNamespace(
            timing=timing, explanation=explanation, reasons=["時点修正のため"], kind="test"
        )

    module.suggest_for_entry = suggest_for_entry
    return module


def test_apply_suggestions_fills_undecided_rows_only(qtbot, project, monkeypatch):
    monkeypatch.setattr(
        change_list, "suggest_module", lambda: fake_suggest(Timing.POST, "時点修正")
    )
    stack = QUndoStack()
    model = EntryTableModel(project, stack)
    project.set_text("I.1.1", "予防接種事務（改）")
    project.set_text("I.1.2", "変更")
    mine = project.entry_for_node("I.1.2")
    project.update_entry(mine.id, timing=Timing.PRE)
    assert model.index(1, COL_SUGGESTION).data() == "…"  # loaded after the first paint
    qtbot.waitUntil(lambda: model.index(1, COL_SUGGESTION).data() == "事後")
    assert model.index(1, 0).data(DiffersRole) is True
    assert model.apply_suggestions() == 1
    other = project.entry_for_node("I.1.1")
    assert (other.timing, other.explanation) == (Timing.POST, "時点修正")
    assert (mine.timing, mine.explanation) == (Timing.PRE, "")  # the user's row untouched
    stack.undo()  # one step for the whole application
    assert (other.timing, other.explanation) == (Timing.UNSET, "")
    assert model.apply_suggestions() == 1 and model.apply_suggestions() == 0


def test_widget_selects_rows_and_announces_nodes(qtbot, project, monkeypatch):
    errors: list[str] = []
    monkeypatch.setattr(change_list.dialogs, "show_error", lambda parent, text: errors.append(text))
    stack = QUndoStack()
    widget = ChangeListWidget(stack)
    qtbot.addWidget(widget)
    widget.set_project(project)
    project.set_text("I.1.2", "変更")
    assert widget.count_label.text() == "1 件"
    with qtbot.waitSignal(widget.nodeActivated) as blocker:
        widget.table.setCurrentIndex(widget.table.model().index(0, 1))
    assert blocker.args == ["I.1.2"]
    widget.select_node("I.1.2")
    assert widget.selected_rows() == [0]
    assert widget.scope_combo.count() == 4  # draft, two submitted revisions, all
    widget.model.setData(widget.model.index(0, change_list.COL_DATE), "明日")
    assert "明日" in errors[0]


def test_widget_fills_every_undecided_row_whatever_is_selected(qtbot, project, monkeypatch):
    monkeypatch.setattr(
        change_list, "suggest_module", lambda: fake_suggest(Timing.POST, "時点修正")
    )
    widget = ChangeListWidget(QUndoStack())
    qtbot.addWidget(widget)
    widget.set_project(project)
    project.set_text("I.1.1", "予防接種事務（改）")
    project.set_text("I.1.2", "変更")
    mine = project.entry_for_node("I.1.2")
    project.update_entry(mine.id, timing=Timing.PRE, explanation="自分の説明")
    widget.select_node("I.1.2")  # a decided row selected: the others are filled anyway
    reports: list[str] = []
    widget.applied.connect(reports.append)
    assert widget.apply_suggestions() == 1
    assert "1 件" in reports[0] and "1 件に適用" in widget.count_label.text()
    assert project.entry_for_node("I.1.1").timing is Timing.POST
    assert (mine.timing, mine.explanation) == (Timing.PRE, "自分の説明")


def test_real_suggestions_are_shown(qtbot, project):
    model = EntryTableModel(project, QUndoStack())
    project.set_text("I.1.2", "予防接種の実施（誤字修正）")
    qtbot.waitUntil(lambda: model.index(0, COL_SUGGESTION).data() != "…")
    text = model.index(0, COL_SUGGESTION).data()
    assert text.split("（")[0] in ("事前", "事後")


def test_list_shows_rows_as_the_exported_table_renders_them(project):
    from pia_desk.domain.wareki import DigitStyle

    project.meta.digit_style = DigitStyle.FULL
    before = "＜当市における措置＞\n・研修を実施する。\n\n＜追加措置＞\n・記録を残す。"
    project.set_text("I.1.2", before)
    project.submit_draft(date(2021, 12, 1))
    project.start_revision(date(2022, 3, 14))
    project.set_text("I.1.2", before.replace("記録を残す", "記録を１年保存する"))
    entry = project.entry_for_node("I.1.2")
    project.update_entry(entry.id, quote=QuoteMode.CHANGED_PARAGRAPHS)
    model = EntryTableModel(project, QUndoStack())
    assert model.index(0, COL_DATE).data() == "令和４年３月１４日"
    preview = model.index(0, COL_PREVIEW).data()
    assert preview.startswith("（＜追加措置＞部分のみ抜粋）")
    assert "研修" not in preview  # the unchanged paragraph is not quoted


def test_typing_does_not_recompute_suggestions_until_a_pause(qtbot, project, monkeypatch):
    calls: list[str] = []
    real = change_list.suggest_module()

    def counting(project_, revision, entry):
        calls.append(entry.id)
        return real.suggest_for_entry(project_, revision, entry)

    monkeypatch.setattr(
        change_list, "suggest_module", lambda: types.SimpleNamespace(suggest_for_entry=counting)
    )
    model = EntryTableModel(project, QUndoStack())
    project.set_text("I.1.2", "予防接種の実施。")
    model.ensure_suggestions()

    def paint() -> None:
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                model.index(row, column).data()
                model.index(row, column).data(Qt.ItemDataRole.BackgroundRole)

    paint()
    assert len(calls) == 1
    for ch in "当市において":
        project.set_text("I.1.2", project.value("I.1.2").text + ch)
        paint()
    assert len(calls) == 1  # the cached advice is shown while typing
    qtbot.waitUntil(lambda: (paint(), len(calls) == 2)[1], timeout=2000)


def test_all_revisions_scope_paints_without_searching_rows(project, monkeypatch):
    model = EntryTableModel(project, QUndoStack())
    model.ensure_suggestions()
    model.set_scope(ALL_SCOPE)
    project.start_revision(date(2022, 1, 5))
    monkeypatch.setattr(
        EntryTableModel, "row_for_entry", lambda *a: pytest.fail("linear search per cell")
    )
    monkeypatch.setattr(change_list, "row_for_entry", lambda *a: pytest.fail("full row built"))
    for row in range(model.rowCount()):
        for role in (Qt.ItemDataRole.BackgroundRole, DiffersRole):
            model.index(row, COL_TIMING).data(role)
        assert model.index(row, COL_DATE).data().startswith("令和")


def test_cover_and_digit_style_changes_repaint_the_rows_without_a_reset(qtbot, project):
    """A keystroke in a cover item (評価書名 is プロジェクトの情報 too) must not rebuild a
    list of a thousand rows; the dates still follow 数字の書き方 at once."""
    from pia_desk.domain.wareki import DigitStyle

    project.start_revision(date(2022, 3, 14))
    project.set_text("I.1.2", "予防接種の実施（改）")
    model = EntryTableModel(project, QUndoStack())
    resets: list[int] = []
    model.modelAboutToBeReset.connect(lambda: resets.append(1))
    project.set_meta(title="予防接種に関する事務　重点項目評価書（改）")
    project.set_meta(digit_style=DigitStyle.FULL)
    assert resets == []
    row = model.row_for_entry(project.entry_for_node("I.1.2").id)
    assert model.index(row, COL_DATE).data() == "令和４年３月１４日"

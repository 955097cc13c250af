"""Undo commands: typing bursts merge, structural edits and submission undo exactly."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QUndoStack

from pia_desk.domain.entries import QuoteMode, Timing
from pia_desk.domain.tracking import TrackingPolicy
from pia_desk.domain.values import DELETED_MARK, Value
from pia_desk.gui.commands import (
    AddItemCommand,
    AddRepeatCommand,
    RemoveNodeCommand,
    RenameNodeCommand,
    SetValueCommand,
    StartRevisionCommand,
    SubmitRevisionCommand,
    UpdateEntryCommand,
)
from pia_desk.storage.project_file import new_project as create_project  # tracked from the start
from pia_desk.storage.project_file import project_to_bytes


@pytest.fixture
def project():
    p = create_project("juten")
    p.set_text("I.1.1", "予防接種に関する事務")
    p.set_text("I.2.sys1.1", "健康管理システム")
    p.submit_draft(date(2021, 4, 1))
    return p


def type_chars(stack: QUndoStack, project, node_id: str, chars: str) -> None:
    for ch in chars:
        text = project.value(node_id).text + ch
        stack.push(SetValueCommand(project, node_id, text))


def test_typing_burst_is_one_undo_step(project):
    stack = QUndoStack()
    type_chars(stack, project, "I.1.1", "等")
    type_chars(stack, project, "I.1.1", "の実施")
    assert stack.count() == 1
    assert project.entry_for_node("I.1.1").after == "予防接種に関する事務等の実施"
    stack.undo()
    assert project.value("I.1.1").text == "予防接種に関する事務"
    assert project.entry_for_node("I.1.1") is None


def test_newline_and_caret_jump_start_a_new_step(project):
    stack = QUndoStack()
    type_chars(stack, project, "I.1.1", "あ")
    type_chars(stack, project, "I.1.1", "\n")
    type_chars(stack, project, "I.1.1", "い")
    stack.push(SetValueCommand(project, "I.1.1", "冒頭" + project.value("I.1.1").text))
    assert stack.count() == 4
    stack.undo()
    assert project.value("I.1.1").text == "予防接種に関する事務あ\nい"


def test_undo_keeps_the_users_entry_fields(project):
    stack = QUndoStack()
    stack.push(SetValueCommand(project, "I.1.1", "変更後"))
    entry = project.entry_for_node("I.1.1")
    stack.push(UpdateEntryCommand(project, entry.id, timing=Timing.POST, explanation="時点修正"))
    stack.push(SetValueCommand(project, "I.1.1", "予防接種に関する事務"))  # back to baseline
    assert project.entry_for_node("I.1.1") is None
    stack.undo()
    restored = project.entry_for_node("I.1.1")
    assert (restored.id, restored.timing, restored.explanation) == (
        entry.id,
        Timing.POST,
        "時点修正",
    )
    stack.undo()
    assert project.entry_for_node("I.1.1").timing is Timing.UNSET


def test_long_items_default_to_changed_paragraphs(project):
    project.tracking = TrackingPolicy(excerpt_above=20)
    stack = QUndoStack()
    stack.push(SetValueCommand(project, "I.1.2", "短い"))
    assert project.entry_for_node("I.1.2").quote is QuoteMode.WHOLE
    stack.push(SetValueCommand(project, "cover.notes", "長い文章" * 10))
    assert project.entry_for_node("cover.notes").quote is QuoteMode.CHANGED_PARAGRAPHS


def test_remove_repeat_group_and_undo_restores_exactly(project):
    stack = QUndoStack()
    stack.push(SetValueCommand(project, "I.1.1", "編集済み"))
    entry = project.entry_for_node("I.1.1")
    stack.push(UpdateEntryCommand(project, entry.id, timing=Timing.PRE))
    saved = project_to_bytes(project, saved="t")
    stack.push(RemoveNodeCommand(project, "I.2.sys1"))
    deleted = project.entry_for_node("I.2.sys1.1")
    assert deleted.after == DELETED_MARK and deleted.before == "健康管理システム"
    stack.undo()
    assert project_to_bytes(project, saved="t") == saved
    stack.redo()
    assert project.entry_for_node("I.2.sys1.1").after == DELETED_MARK


def test_added_repeat_and_item_undo_and_redo(project):
    stack = QUndoStack()
    initial = project_to_bytes(project, saved="t")
    ids = [n.id for n in project.root.walk()]
    add = AddRepeatCommand(project, "I.2.sys1")
    stack.push(add)
    new_id = add.node_id
    leaf = project.node(new_id).children[0].id
    stack.push(SetValueCommand(project, leaf, "新システム"))
    assert project.entry_for_node(leaf).before == ""
    stack.push(RemoveNodeCommand(project, new_id))
    assert project.find_node(new_id) is None and project.entry_for_node(leaf) is None
    stack.undo()
    assert project.value(leaf).text == "新システム"
    assert project.entry_for_node(leaf).after == "新システム"
    stack.undo()
    stack.undo()
    assert project.find_node(new_id) is None
    stack.push(AddItemCommand(project, "I.1", "③独自の項目"))
    stack.push(RenameNodeCommand(project, "I.1.1", "①事務の名前"))
    assert project.node("I.1.1").label == "①事務の名前"
    stack.undo()
    stack.undo()
    assert [n.id for n in project.root.walk()] == ids
    assert project.node("I.1.1").label == "①事務の名称"
    assert project_to_bytes(project, saved="t") == initial


def test_submit_and_start_revision_undo(project):
    stack = QUndoStack()
    stack.push(StartRevisionCommand(project, date(2022, 3, 1)))
    assert project.draft.date == date(2022, 3, 1)
    stack.push(SetValueCommand(project, "I.1.1", "変更"))
    stack.push(RemoveNodeCommand(project, "I.2.sys1"))
    before_submit = project_to_bytes(project, saved="t")
    stack.push(SubmitRevisionCommand(project, date(2022, 3, 5)))
    assert project.draft is None
    assert project.find_node("I.2.sys1") is None
    assert project.baseline_value("I.1.1") == Value(text="変更")
    stack.undo()
    assert project_to_bytes(project, saved="t") == before_submit
    stack.undo()
    stack.undo()
    stack.undo()
    assert project.draft is None


def test_redo_brings_back_the_same_entries(project):
    stack = QUndoStack()
    initial = project_to_bytes(project, saved="t")
    stack.push(SetValueCommand(project, "I.1.1", "変更後"))
    entry_id = project.entry_for_node("I.1.1").id
    stack.push(UpdateEntryCommand(project, entry_id, timing=Timing.POST))
    stack.push(RemoveNodeCommand(project, "I.2.sys1"))
    deleted_id = project.entry_for_node("I.2.sys1.1").id
    stack.push(UpdateEntryCommand(project, deleted_id, explanation="システム廃止"))
    for _ in range(4):
        stack.undo()
    assert project_to_bytes(project, saved="t") == initial
    for _ in range(4):
        stack.redo()
    assert project.entry_for_node("I.1.1").id == entry_id
    assert project.entry_for_node("I.1.1").timing is Timing.POST
    assert project.entry_for_node("I.2.sys1.1").explanation == "システム廃止"

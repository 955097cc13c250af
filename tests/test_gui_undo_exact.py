"""Undo/redo is exact: every step of a scripted session comes back byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtGui import QUndoStack
from test_import_tables import write_csv

from pia_desk.domain.entries import RevisionStatus, Timing
from pia_desk.domain.events import EventKind
from pia_desk.gui.commands import (
    AddItemCommand,
    AddRepeatCommand,
    ImportTableCommand,
    RemoveNodeCommand,
    RenameNodeCommand,
    SetRevisionDateCommand,
    SetValueCommand,
    StartRevisionCommand,
    SubmitRevisionCommand,
    UpdateEntryCommand,
)
from pia_desk.importing.table_reader import plan_import
from pia_desk.storage.project_file import new_project as create_project  # tracked from the start
from pia_desk.storage.project_file import project_from_bytes, project_to_bytes


@pytest.fixture
def project():
    p = create_project("juten")
    p.start_revision(date(2021, 4, 1))
    p.set_text("I.1.1", "予防接種に関する事務")
    p.set_text("I.2.sys1.1", "健康管理システム")
    p.submit_draft(date(2021, 4, 1))
    return p


def state(project) -> bytes:
    data = project_to_bytes(project, saved="t")
    project_from_bytes(data)  # every intermediate state is a loadable file
    return data


def table(tmp_path, *rows: list[str]):
    return write_csv(tmp_path / "history.csv", list(rows))


def type_chars(stack: QUndoStack, project, node_id: str, chars: str) -> None:
    for ch in chars:
        stack.push(SetValueCommand(project, node_id, project.value(node_id).text + ch))


def scripted_steps(project, tmp_path) -> list[Callable[[QUndoStack], None]]:
    """One step per command kind (typing merges into one step)."""
    old_row = [
        "令和3年4月1日",
        "Ⅰ 関連情報\n１．特定個人情報ファイルを取り扱う事務\n②事務の内容",
        "旧",
        "新",
        "事前",
        "",
    ]
    new_row = [
        "令和2年6月1日",
        "Ⅰ 関連情報\n１．特定個人情報ファイルを取り扱う事務\n②事務の内容",
        "古い記載",
        "新しい記載",
        "事後",
        "軽微",
    ]
    csv = table(tmp_path, old_row, new_row)
    p = project
    added: dict[str, str] = {}

    def entry_id(node_id: str) -> str:
        return p.entry_for_node(node_id).id

    def add_repeat(s: QUndoStack) -> None:
        command = AddRepeatCommand(p, "I.2.sys1")
        s.push(command)
        added["repeat"] = command.node_id

    return [
        lambda s: type_chars(s, p, "I.1.1", "等の実施"),
        lambda s: s.push(UpdateEntryCommand(p, entry_id("I.1.1"), timing=Timing.POST)),
        add_repeat,
        lambda s: s.push(AddItemCommand(p, "I.1", "③独自の項目")),
        lambda s: s.push(RenameNodeCommand(p, "I.1.1", "①事務の名前")),
        lambda s: s.push(RemoveNodeCommand(p, "I.2.sys1")),
        lambda s: s.push(RemoveNodeCommand(p, added["repeat"])),
        lambda s: s.push(SetRevisionDateCommand(p, p.draft.id, date(2022, 3, 1))),
        lambda s: s.push(SubmitRevisionCommand(p, date(2022, 3, 5))),
        lambda s: s.push(ImportTableCommand(p, plan_import(csv, p))),
        lambda s: s.push(StartRevisionCommand(p, date(2023, 1, 10))),
        lambda s: type_chars(s, p, "I.1.2", "新しい事務"),
        lambda s: s.push(SetRevisionDateCommand(p, p.draft.id, date(2023, 2, 1))),
    ]


def test_every_step_undoes_and_redoes_byte_for_byte(project, tmp_path):
    stack = QUndoStack()
    states = [state(project)]
    for step in scripted_steps(project, tmp_path):
        step(stack)
        states.append(state(project))
    assert stack.count() == len(states) - 1
    assert len(set(states)) == len(states)  # every step changed something
    for expected in reversed(states[:-1]):
        stack.undo()
        assert state(project) == expected
    for expected in states[1:]:
        stack.redo()
        assert state(project) == expected


def test_undo_of_submit_after_import_keeps_the_imported_history(project, tmp_path):
    stack = QUndoStack()
    stack.push(SetValueCommand(project, "I.1.1", "変更"))
    stack.push(SubmitRevisionCommand(project, date(2022, 3, 5)))
    csv = table(tmp_path, ["令和2年6月1日", "Ⅰ 関連情報", "旧", "新", "事後", ""])
    stack.push(ImportTableCommand(project, plan_import(csv, project)))
    imported = project.revision_on(date(2020, 6, 1))
    assert imported is not None and imported.status is RevisionStatus.SUBMITTED

    stack.undo()  # the import
    assert project.revision_on(date(2020, 6, 1)) is None
    stack.redo()
    stack.setIndex(1)  # undo import and submit
    stack.redo()  # submit again
    stack.redo()  # import again
    assert project.revision_on(date(2020, 6, 1)) is imported
    stack.push(SetValueCommand(project, "I.1.2", "次の改訂"))
    stack.undo()
    assert project.revision_on(date(2020, 6, 1)) is imported


def test_import_into_an_existing_revision_is_undone_exactly(project, tmp_path):
    stack = QUndoStack()
    before = state(project)
    revision = project.revision_on(date(2021, 4, 1))
    count = len(revision.entries)
    csv = table(tmp_path, ["令和3年4月1日", "Ⅰ 関連情報", "旧", "新", "事前", ""])
    stack.push(ImportTableCommand(project, plan_import(csv, project)))
    assert len(revision.entries) == count + 1
    stack.undo()
    assert state(project) == before


def test_redo_of_start_revision_after_submit_undo_gives_one_draft(project):
    stack = QUndoStack()
    stack.push(StartRevisionCommand(project, date(2022, 3, 1)))
    stack.push(SetValueCommand(project, "I.1.1", "変更"))
    stack.push(SubmitRevisionCommand(project, date(2022, 3, 5)))
    for _ in range(3):
        stack.undo()
    stack.redo()
    stack.redo()
    assert len(project.submitted) == 1
    assert project.draft is not None and len(project.draft.entries) == 1
    submitted_ids = {e.id for r in project.submitted for e in r.entries}
    assert not submitted_ids & {e.id for e in project.draft.entries}


@pytest.mark.parametrize(
    "make",
    [
        lambda p: SetValueCommand(p, "I.1.1", "変更"),
        lambda p: RemoveNodeCommand(p, "I.2.sys1"),
        lambda p: RemoveNodeCommand(p, "I.1.1"),
    ],
)
def test_undoing_the_first_edit_leaves_no_empty_draft(project, make):
    stack = QUndoStack()
    before = state(project)
    stack.push(make(project))
    after = state(project)
    assert project.draft is not None and project.draft.entries
    stack.undo()
    assert project.draft is None
    assert state(project) == before
    stack.redo()
    assert state(project) == after


def test_undo_does_not_close_a_draft_the_edit_found_open(project):
    stack = QUndoStack()
    stack.push(StartRevisionCommand(project, date(2022, 3, 1)))
    stack.push(SetValueCommand(project, "I.1.1", "変更"))
    stack.undo()
    assert project.draft is not None and project.draft.date == date(2022, 3, 1)


def test_undo_of_removing_an_added_group_announces_its_values(project):
    stack = QUndoStack()
    add = AddRepeatCommand(project, "I.2.sys1")
    stack.push(add)
    leaf = project.node(add.node_id).children[0].id
    stack.push(SetValueCommand(project, leaf, "新システム"))
    stack.push(RemoveNodeCommand(project, add.node_id))
    changed = []
    project.events.subscribe(
        lambda e: changed.append(e.node_id) if e.kind is EventKind.VALUE_CHANGED else None
    )
    stack.undo()
    assert leaf in changed
    assert project.value(leaf).text == "新システム"

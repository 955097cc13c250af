"""The tracking policy of the domain: the same edit gives the same rows whatever starts it."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtGui import QUndoStack

from pia_desk.cli import main
from pia_desk.domain.entries import EntryKind, QuoteMode
from pia_desk.domain.tracking import DEFAULT_EXCERPT_ABOVE, TrackingPolicy
from pia_desk.domain.values import Value
from pia_desk.gui.commands import SetValueCommand
from pia_desk.gui.replace_dialog import ReplaceDialog
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project

OLD, NEW = "当市区町村", "当市"
LONG = "\n".join(
    [f"{OLD}は、予防接種の記録を管理する。"] + [f"第{i}段落の説明文です。" * 8 for i in range(6)]
)


def project_file(tmp_path: Path) -> Path:
    project = new_project("juten")
    project.set_baseline_values(
        {"I.1.1": Value(text=f"{OLD}の予防接種事務"), "I.1.2": Value(text=LONG)}
    )
    assert len(LONG) > DEFAULT_EXCERPT_ABOVE and project.draft is None
    path = tmp_path / "a.piadesk"
    save_project(project, path)
    return path


def rows(path: Path) -> list[tuple]:
    draft = load_project(path).project.draft
    return [(e.node_id, e.item_path, e.kind, e.quote, e.before, e.after) for e in draft.entries]


def test_cli_replace_and_the_editors_replace_give_the_same_rows(tmp_path, qtbot, capsys) -> None:
    cli_path = project_file(tmp_path)
    gui_path = tmp_path / "b.piadesk"
    shutil.copy(cli_path, gui_path)

    assert main(["replace", str(cli_path), OLD, NEW]) == 0
    capsys.readouterr()

    loaded = load_project(gui_path)
    dialog = ReplaceDialog(loaded.project, QUndoStack())
    qtbot.addWidget(dialog)
    dialog.find_edit.setText(OLD)
    dialog.replace_edit.setText(NEW)
    dialog.replace_button.click()
    save_project(loaded.project, gui_path)

    assert rows(cli_path) == rows(gui_path)
    quotes = {node_id: quote for node_id, _path, _kind, quote, *_ in rows(cli_path)}
    assert quotes == {"I.1.1": QuoteMode.WHOLE, "I.1.2": QuoteMode.CHANGED_PARAGRAPHS}


def test_the_editors_typing_follows_the_projects_policy(qtbot) -> None:
    project = new_project("juten")
    project.set_baseline_values({"I.1.2": Value(text=LONG)})
    project.tracking = TrackingPolicy(excerpt_above=None)
    stack = QUndoStack()
    stack.push(SetValueCommand(project, "I.1.2", LONG + "追記"))
    assert project.entry_for_node("I.1.2").quote is QuoteMode.WHOLE
    stack.undo()
    project.tracking = TrackingPolicy(excerpt_above=20)
    stack.push(SetValueCommand(project, "I.1.1", "短い"))
    stack.push(SetValueCommand(project, "I.1.2", LONG + "追記"))
    assert project.entry_for_node("I.1.1").quote is QuoteMode.WHOLE
    assert project.entry_for_node("I.1.2").quote is QuoteMode.CHANGED_PARAGRAPHS


def test_additions_and_deletions_are_quoted_whole() -> None:
    policy = TrackingPolicy(excerpt_above=5)
    assert policy.quote_for(EntryKind.ADDED, "", "長い追加の文章です") is QuoteMode.WHOLE
    assert policy.quote_for(EntryKind.DELETED, "長い削除の文章です", "（削除）") is QuoteMode.WHOLE
    assert policy.quote_for(EntryKind.CHANGED, "長い文章です", "長い文章") is (
        QuoteMode.CHANGED_PARAGRAPHS
    )

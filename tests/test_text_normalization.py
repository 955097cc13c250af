"""One form of text everywhere: typed, imported, stored and exported alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pia_desk.domain.values import normalize_text
from pia_desk.importing.raw import clean_cell
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project


def test_soft_breaks_and_carriage_returns_become_line_breaks() -> None:
    assert normalize_text("一行目\r\n二行目\r三行目\x0b四行目\x0c五行目") == (
        "一行目\n二行目\n三行目\n四行目\n五行目"
    )


def test_control_characters_are_dropped_but_tabs_kept() -> None:
    assert normalize_text("当\x00市\x07\tの\x1f措置") == "当市\tの措置"


def test_imported_cells_use_the_same_form() -> None:
    assert clean_cell("\n（削除）\x0b・記録を残す。\r\n") == "（削除）\n・記録を残す。"


def test_a_value_with_soft_breaks_saves_and_loads(tmp_path: Path) -> None:
    project = new_project("juten", today=date(2025, 4, 1))
    project.set_text("I.1.2", "Excel から貼り付け\x0b改行あり\x01")
    path = tmp_path / "p.piadesk"
    save_project(project, path)
    assert load_project(path).project.value("I.1.2").text == "Excel から貼り付け\n改行あり"

"""Before printing or PDF: the rows (the draft revision first) and 傍線, as in the Word export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pia_desk.domain.project import Project
from pia_desk.gui import dialogs, output_defaults, printing
from pia_desk.gui.print_dialog import PrintDialog
from pia_desk.gui.ui_loader import FORMS, load_ui, missing_objects
from pia_desk.storage.project_file import new_project, save_project


@pytest.fixture
def project() -> Project:
    project = new_project("juten", org="○○市長")
    project.start_revision(date(2021, 4, 1))
    project.set_text("I.6.1", "健康推進課")
    project.submit_draft(date(2021, 4, 1))
    project.start_revision(date(2021, 10, 20))
    project.set_text("I.6.1", "健康づくり課")
    return project


@pytest.fixture
def dialog(qtbot, project: Project) -> PrintDialog:
    dialog = PrintDialog(project, "印刷プレビュー", "プレビュー(&V)")
    qtbot.addWidget(dialog)
    return dialog


def test_form_has_every_object_the_code_uses(qapp) -> None:
    assert missing_objects(load_ui("print_dialog.ui"), FORMS["print_dialog.ui"]) == []


def test_the_draft_revision_is_chosen_first(dialog: PrintDialog, project: Project) -> None:
    choice = dialog.read_choice()
    assert choice is not None
    assert choice.table_filter.revision_id == project.draft.id
    assert [r.after for r in choice.table_filter.table(project).rows] == ["健康づくり課"]
    assert not choice.options.underline


def test_all_rows_a_date_range_and_underline(dialog: PrintDialog, project: Project) -> None:
    dialog.rows.all_radio.setChecked(True)
    dialog.underline_check.setChecked(True)
    choice = dialog.read_choice()
    assert len(choice.table_filter.table(project).rows) == 2 and choice.options.underline
    dialog.rows.range_radio.setChecked(True)
    dialog.rows.to_edit.setText("R3.5.1")
    assert [r.after for r in dialog.read_choice().table_filter.table(project).rows] == [
        "健康推進課"
    ]
    dialog.rows.from_edit.setText("令和9年13月1日")
    assert dialog.read_choice() is None and "開始日" in dialog.error_label.text()


def test_without_a_draft_all_rows_are_chosen(qtbot, project: Project) -> None:
    project.submit_draft(date(2021, 10, 20))
    dialog = PrintDialog(project, "印刷", "印刷(&P)...")
    qtbot.addWidget(dialog)
    choice = dialog.read_choice()
    assert choice.table_filter.revision_id is None
    assert len(choice.table_filter.table(project).rows) == 2


def test_pdf_never_overwrites_the_project_and_asks_before_replacing(
    qapp, project: Project, tmp_path: Path, monkeypatch
) -> None:
    own = tmp_path / "予防接種.piadesk"
    save_project(project, own)
    other = tmp_path / "other.pdf"  # a project file named like a PDF
    save_project(project, other)
    shown: list[str] = []
    answers: list[bool] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text: shown.append(text))
    # 提出時期 未設定 rows are written (asked elsewhere); answers go to replacing files.
    monkeypatch.setattr(
        dialogs,
        "confirm",
        lambda parent, text, detail="": "未設定" in text or shown.append(text) or answers.pop(),
    )
    monkeypatch.setattr(output_defaults, "ask_after_output", lambda *a: -1)
    original = own.read_bytes()
    for target in (own, other, tmp_path / "表.docx"):
        monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, s, t=target: t)
        assert printing.export_pdf(None, project, project_path=own) is None
    assert own.read_bytes() == original
    assert [".pdf" in shown[0], "プロジェクトファイル" in shown[1], ".pdf" in shown[2]] == [
        True
    ] * 3
    existing = tmp_path / "表.pdf"
    existing.write_bytes(b"old")
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, s: existing)
    answers.append(False)
    assert printing.export_pdf(None, project, project_path=own) is None
    assert existing.read_bytes() == b"old" and "既にあります" in shown[-1]
    answers.append(True)
    assert printing.export_pdf(None, project, project_path=own) == existing
    assert existing.read_bytes().startswith(b"%PDF")

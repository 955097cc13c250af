"""Word export, printing and PDF share their defaults: the draft revision's rows (or all,
remembered), a file named from the 評価書名 and the annex in the project's folder, a
question before rows without 提出時期, and 開く / フォルダーを開く afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog

from pia_desk import paths
from pia_desk.domain.entries import Timing
from pia_desk.domain.project import Project
from pia_desk.gui import dialogs, output_defaults, printing
from pia_desk.gui.export_dialog import ExportDialog, show_export_dialog
from pia_desk.gui.print_dialog import PrintDialog
from pia_desk.gui.settings import Settings
from pia_desk.storage.project_file import new_project

TITLE = "予防接種に関する事務　重点項目評価書"


@pytest.fixture
def project() -> Project:
    project = new_project("juten", org="○○市長", title=TITLE)
    project.start_revision(date(2021, 4, 1))
    project.set_text("I.6.1", "健康推進課")
    project.draft.entries[0].timing = Timing.POST
    project.submit_draft(date(2021, 4, 1))
    project.start_revision(date(2021, 10, 20))
    project.set_text("I.6.1", "健康づくり課")
    project.set_text("I.6.2", "予防接種係")
    return project


@pytest.fixture
def documents(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "ドキュメント"
    folder.mkdir()
    monkeypatch.setattr(output_defaults, "documents_folder", lambda: folder)
    return folder


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Questions asked; 未設定 rows are written (はい), anything else いいえ."""
    questions: list[str] = []

    def confirm(parent, text: str, detail: str = "") -> bool:
        questions.append(text)
        return "未設定" in text

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return questions


@pytest.fixture
def opened(monkeypatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


# -- the file -------------------------------------------------------------------------
def test_file_named_from_the_title_and_annex_in_the_project_folder(project, tmp_path):
    own = tmp_path / "事務" / "予防接種.piadesk"
    own.parent.mkdir()
    assert output_defaults.default_output_path(project, own, ".docx") == (
        own.parent / f"{TITLE}（別添２）変更箇所.docx"
    )
    zenkoumoku = new_project("zenkoumoku", title="住民基本台帳に関する事務")
    assert output_defaults.output_file_name(zenkoumoku, None, ".pdf") == (
        "住民基本台帳に関する事務（別添３）変更箇所.pdf"
    )
    kiso = new_project("kiso", title="健診")
    assert output_defaults.output_file_name(kiso, None, ".pdf") == "健診_変更箇所.pdf"


def test_file_name_without_characters_windows_refuses(tmp_path):
    project = new_project("juten", title='予防接種/健診:"重点"*評価書?. ')
    assert output_defaults.output_file_name(project, None, ".docx") == (
        "予防接種健診重点評価書（別添２）変更箇所.docx"
    )
    untitled = new_project("juten")
    assert output_defaults.output_file_name(untitled, tmp_path / "p.piadesk", ".docx") == (
        "p（別添２）変更箇所.docx"
    )
    assert (
        output_defaults.output_file_name(untitled, None, ".docx") == "無題（別添２）変更箇所.docx"
    )


def test_untitled_or_program_folder_projects_write_to_the_documents_folder(
    qtbot, project, documents
):
    assert output_defaults.output_folder(None) == documents
    inside_program = paths.RESOURCES_DIR / "sample" / "sample.piadesk"
    assert output_defaults.output_folder(inside_program) == documents
    dialog = ExportDialog(project, None)
    qtbot.addWidget(dialog)
    assert Path(dialog.path_edit.text()).parent == documents


# -- the rows ---------------------------------------------------------------------------
def test_all_rows_chosen_once_are_the_next_default_of_every_output(qtbot, project, tmp_path, asked):
    settings = Settings(path=tmp_path / "settings.json")
    first = ExportDialog(project, tmp_path / "p.piadesk", settings=settings)
    qtbot.addWidget(first)
    assert first.revision_radio.isChecked()
    assert [r.after for r in first.table().rows] == ["健康づくり課", "予防接種係"]
    first.all_radio.setChecked(True)
    assert first.export()
    assert Settings.load(settings.path).output_rows == "all"  # kept on disk too
    printed = PrintDialog(project, "印刷", "印刷(&P)...", settings=settings)
    qtbot.addWidget(printed)
    assert printed.rows.all_radio.isChecked()
    # Back to the draft revision in the print dialog: the Word export follows.
    printed.rows.revision_radio.setChecked(True)
    printed.accept()
    assert settings.output_rows == "draft"
    again = ExportDialog(project, tmp_path / "p.piadesk", settings=settings)
    qtbot.addWidget(again)
    assert again.revision_radio.isChecked()


def test_another_revision_or_a_range_is_not_remembered(qtbot, project, tmp_path):
    settings = Settings(path=tmp_path / "settings.json", output_rows="all")
    dialog = PrintDialog(project, "印刷", "印刷(&P)...", settings=settings)
    qtbot.addWidget(dialog)
    dialog.rows.revision_radio.setChecked(True)
    dialog.rows.revision_combo.setCurrentIndex(1)  # the submitted revision
    dialog.accept()
    assert settings.output_rows == "all"


# -- 提出時期 未設定 ------------------------------------------------------------------
def test_word_export_asks_before_rows_without_timing(qtbot, project, tmp_path, monkeypatch):
    questions: list[str] = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda parent, text, detail="": questions.append(text) or False
    )
    dialog = ExportDialog(project, tmp_path / "p.piadesk")
    qtbot.addWidget(dialog)
    assert not dialog.export()
    assert questions == ["提出時期が未設定の行が 2 件あります。このまま出力しますか？"]
    assert not Path(dialog.path_edit.text()).exists()
    for entry in project.draft.entries:
        entry.timing = Timing.POST
    questions.clear()
    assert dialog.export() and questions == []  # nothing to ask about
    assert Path(dialog.path_edit.text()).is_file()


def test_pdf_asks_before_rows_without_timing_then_for_the_file(
    qapp, project, tmp_path, monkeypatch
):
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    suggested: list[str] = []
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, s: suggested.append(s))
    assert printing.export_pdf(None, project, project_path=tmp_path / "p.piadesk") is None
    assert suggested == []  # いいえ: not even asked where


def test_print_asks_before_rows_without_timing(qapp, project, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: pytest.fail("printer dialog shown"))
    assert not printing.print_table(None, project)


# -- after writing ----------------------------------------------------------------------
@pytest.mark.parametrize("choice,target", [(0, "file"), (1, "folder"), (-1, None)])
def test_after_the_word_export_open_the_file_or_its_folder(
    qapp, project, tmp_path, asked, opened, monkeypatch, choice, target
):
    told: list[str] = []
    monkeypatch.setattr(
        output_defaults,
        "ask_after_output",
        lambda parent, title, text: told.append(text) or choice,
    )
    monkeypatch.setattr(ExportDialog, "exec", lambda self: self.accept() or 1)
    show_export_dialog(None, project, tmp_path / "p.piadesk")
    written = tmp_path / f"{TITLE}（別添２）変更箇所.docx"
    assert written.is_file() and str(written) in told[0]
    expected = {"file": [written], "folder": [tmp_path], None: []}[target]
    assert [Path(url.toLocalFile()) for url in opened] == expected
    assert all(url.isLocalFile() for url in opened)


def test_after_the_pdf_the_suggested_file_can_be_opened(
    qapp, project, tmp_path, asked, opened, monkeypatch
):
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, suggested: Path(suggested))
    monkeypatch.setattr(output_defaults, "ask_after_output", lambda *a: output_defaults.OPEN_FILE)
    own = tmp_path / "p.piadesk"
    written = printing.export_pdf(None, project, project_path=own)
    assert written == tmp_path / f"{TITLE}（別添２）変更箇所.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    assert [Path(url.toLocalFile()) for url in opened] == [written]
    assert asked == ["提出時期が未設定の行が 2 件あります。このまま出力しますか？"]


def test_a_file_the_system_cannot_open_is_reported(qapp, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text: shown.append(text))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    monkeypatch.setattr(output_defaults, "ask_after_output", lambda *a: output_defaults.OPEN_FOLDER)
    output_defaults.offer_to_open(None, "PDF に出力", "出力しました。", tmp_path / "x.pdf")
    assert shown == [f"開けませんでした: {tmp_path}"]

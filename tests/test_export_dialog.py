"""The 「Word 文書に出力」 dialog: choices reach the document, errors keep files intact."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QProgressDialog

from pia_desk.domain.project import Project
from pia_desk.gui import export_dialog, output_defaults
from pia_desk.gui.export_dialog import ExportDialog, show_export_dialog
from pia_desk.gui.ui_loader import FORMS, load_ui, missing_objects
from pia_desk.storage.project_file import new_project


@pytest.fixture
def project() -> Project:
    project = new_project("juten", org="○○市長")
    project.start_revision(date(2021, 4, 1))
    project.set_text("I.6.1", "健康推進課")
    project.submit_draft(date(2021, 4, 1))
    project.start_revision(date(2021, 10, 20))
    project.set_text("I.6.1", "健康づくり課")
    return project


OUT = "予防接種（別添２）変更箇所.docx"  # no 評価書名: the project file's name stands in


@pytest.fixture
def dialog(qtbot, project: Project, tmp_path: Path, monkeypatch) -> ExportDialog:
    # Rows without 提出時期 are written without asking (asking is tested elsewhere).
    monkeypatch.setattr(export_dialog.dialogs, "confirm", lambda *a: True)
    dialog = ExportDialog(project, tmp_path / "予防接種.piadesk")
    qtbot.addWidget(dialog)
    return dialog


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_form_has_every_object_the_code_uses(qapp) -> None:
    assert missing_objects(load_ui("export_dialog.ui"), FORMS["export_dialog.ui"]) == []


def test_defaults_next_to_the_project(dialog: ExportDialog, tmp_path: Path) -> None:
    assert dialog.path_edit.text() == str(tmp_path / OUT)
    assert dialog.revision_radio.isChecked()  # the draft revision's rows
    assert dialog.revision_combo.currentText().startswith("令和3年10月20日")
    assert dialog.font_combo.currentText() == "ＭＳ 明朝"
    assert dialog.size_spin.value() == 9.0
    labels = [dialog.revision_combo.itemText(i) for i in range(dialog.revision_combo.count())]
    assert labels == ["令和3年10月20日（作成中、1件）", "令和3年4月1日（提出済み、1件）"]


def test_export_all_rows_with_the_chosen_format(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.all_radio.setChecked(True)
    dialog.underline_check.setChecked(True)
    dialog.font_combo.setCurrentText("ＭＳ ゴシック")
    dialog.size_spin.setValue(10.5)
    assert dialog.export()
    path = tmp_path / OUT
    assert dialog.written == path
    xml = document_xml(path)
    text = re.sub(r"<[^>]+>", "", xml)  # runs split at the underlined characters
    assert "健康推進課" in text and "健康づくり課" in text and "<w:u " in xml
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="ＭＳ ゴシック"' in styles and 'w:val="21"' in styles


def test_revision_choice_limits_the_rows(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.revision_radio.setChecked(True)
    dialog.revision_combo.setCurrentIndex(1)  # 令和3年4月1日
    assert [r.date_text for r in dialog.table().rows] == ["令和3年4月1日"]


def test_date_range_in_wareki(dialog: ExportDialog) -> None:
    dialog.range_radio.setChecked(True)
    dialog.from_edit.setText("R3.10.1")
    assert [r.date_text for r in dialog.table().rows] == ["令和3年10月20日"]


def test_bad_date_is_explained_and_nothing_is_written(dialog: ExportDialog, tmp_path: Path) -> None:
    dialog.range_radio.setChecked(True)
    dialog.from_edit.setText("令和3年2月30日")
    assert not dialog.export()
    assert "存在しない日付" in dialog.error_label.text()
    assert not (tmp_path / OUT).exists()


def test_empty_font_is_explained(dialog: ExportDialog) -> None:
    dialog.font_combo.setCurrentText("")
    assert not dialog.export()
    assert "フォント名" in dialog.error_label.text()


def test_cancel_in_progress_keeps_the_old_file(
    dialog: ExportDialog, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / OUT
    path.write_bytes(b"old")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert not dialog.export()
    assert path.read_bytes() == b"old"
    assert "中止" in dialog.error_label.text()


def test_show_export_dialog_reports_the_file(
    qapp, project: Project, tmp_path: Path, monkeypatch
) -> None:
    shown: list[str] = []

    def run(self: ExportDialog) -> int:
        self.split_check.setChecked(True)
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", run)
    monkeypatch.setattr(export_dialog.dialogs, "confirm", lambda *a: True)
    monkeypatch.setattr(
        output_defaults, "ask_after_output", lambda parent, title, text: shown.append(text) or -1
    )
    show_export_dialog(None, project, tmp_path / "p.piadesk")
    assert shown and str(tmp_path / "p（別添２）変更箇所.docx") in shown[0]
    assert (tmp_path / "p（別添２）変更箇所.docx").is_file()


def test_browse_sets_the_path(dialog: ExportDialog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        export_dialog.ExportDialog, "ask_path", staticmethod(lambda p, c: tmp_path / "x.docx")
    )
    dialog.browse()
    assert dialog.path_edit.text() == str(tmp_path / "x.docx")


def test_output_never_replaces_the_project_or_a_project_file(
    qtbot, project: Project, tmp_path: Path, monkeypatch
) -> None:
    from pia_desk.gui import dialogs
    from pia_desk.storage.project_file import save_project

    own = tmp_path / "予防接種.piadesk"
    save_project(project, own)
    other = tmp_path / "別.docx"
    save_project(project, other)  # a project file named like a document
    original = own.read_bytes()
    monkeypatch.setattr(dialogs, "confirm", lambda parent, text, detail="": "未設定" in text)
    dialog = ExportDialog(project, own)
    qtbot.addWidget(dialog)
    for target, reason in (
        (own, ".docx"),
        (other, "プロジェクトファイル"),
        (tmp_path / "表.pdf", ".docx"),
    ):
        dialog.path_edit.setText(str(target))
        assert not dialog.export()
        assert reason in dialog.error_label.text()
    assert own.read_bytes() == original and dialog.written is None
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs,
        "confirm",
        lambda parent, text, detail="": (
            asked.append(text) or "未設定" in text
        ),  # いいえ to replacing
    )
    existing = tmp_path / "既存.docx"
    existing.write_bytes(b"old")
    dialog.path_edit.setText(str(existing))
    assert not dialog.export()  # いいえ
    assert existing.read_bytes() == b"old" and "既にあります" in asked[-1]
    monkeypatch.setattr(dialogs, "confirm", lambda parent, text, detail="": True)
    assert dialog.export() and existing.read_bytes().startswith(b"PK")


def test_author_comes_from_the_users_setting_not_the_organisation(
    dialog: ExportDialog, tmp_path: Path, monkeypatch
) -> None:
    from pia_desk.gui.settings import CONFIG_ENV, Settings

    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "config"))
    assert dialog.export()
    path = tmp_path / OUT
    with zipfile.ZipFile(path) as z:
        assert "○○市長" not in z.read("docProps/core.xml").decode("utf-8")
    settings = Settings.load()
    settings.author = "健康づくり課 山田"
    settings.save()
    path.unlink()
    assert dialog.export()
    with zipfile.ZipFile(path) as z:
        assert "<dc:creator>健康づくり課 山田</dc:creator>" in z.read("docProps/core.xml").decode()

"""The editor's 評価書 output: the ファイル menu entries, the dialog's choices, Word output
with cancellation, and the Qt PDF (print / preview path) holding the same text as the
.docx, from the same document model."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QProgressDialog
from test_assessment_docx import expected_blocks, part, text_blocks, w
from test_assessment_text import R1, history_project
from test_gui_main_window import answers, open_window, project_file  # noqa: F401

from pia_desk.domain.assessment import LAYOUT_NOTE
from pia_desk.domain.assessment_text import TextChoice
from pia_desk.gui import assessment_dialog, dialogs
from pia_desk.gui.assessment_dialog import AssessmentDialog


@pytest.fixture
def history(tmp_path: Path):
    return history_project()


def choose(dialog: AssessmentDialog, choice: TextChoice) -> None:
    for index in range(dialog.text_combo.count()):
        if dialog.text_combo.itemData(index) == choice:
            dialog.text_combo.setCurrentIndex(index)
            return
    raise AssertionError(choice)


def test_the_file_menu_offers_the_whole_assessment(qtbot, answers, project_file) -> None:  # noqa: F811
    window = open_window(qtbot, None)
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.objectName() == "menuFile")
    texts = [a.text() for a in menu.actions()]
    word = texts.index("評価書をWordで出力(&H)...")
    assert texts[word + 1] == "評価書の印刷・PDF出力(&J)..."
    entries = [a for a in menu.actions() if a.text().startswith("評価書")]
    assert not any(a.isEnabled() for a in entries)  # no project yet
    window.open_path(project_file)
    assert all(a.isEnabled() for a in entries)


def test_the_dialog_offers_every_text_and_says_the_layout_may_differ(qtbot, history) -> None:
    dialog = AssessmentDialog(history, None)
    qtbot.addWidget(dialog)
    labels = [dialog.text_combo.itemText(i) for i in range(dialog.text_combo.count())]
    assert labels[:2] == [
        "現在の記載（作成中の改訂を含む）",
        "提出済みの記載（最後に提出した記載）",
    ]
    assert labels[2:] == [f"変更日 令和{y}年4月1日 の改訂を提出したときの記載" for y in (6, 5, 4)]
    shown = " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    assert LAYOUT_NOTE in shown


def test_word_output_of_an_older_revision(qtbot, history, tmp_path: Path, monkeypatch) -> None:
    dialog = AssessmentDialog(history, tmp_path / "p.piadesk")
    qtbot.addWidget(dialog)
    choose(dialog, TextChoice("revision", R1))
    dialog.annex_check.setChecked(False)
    dialog.font_combo.setCurrentText("游明朝")
    out = tmp_path / "old.docx"
    dialog.path_edit.setText(str(out))
    assert dialog.export(), dialog.error_label.text()
    blocks = text_blocks(part(out, "word/document.xml").find(w("body")))
    assert "内容　その１" in blocks and "（別添２）変更箇所" not in blocks
    fonts = part(out, "word/styles.xml").find(f".//{w('rFonts')}")
    assert fonts.get(w("eastAsia")) == "游明朝"
    assert dialog.last_document.unrebuilt  # the excerpt row: listed to the user
    assert "保管場所" in assessment_dialog.unrebuilt_text(dialog.last_document)


def test_cancelling_leaves_the_file_as_it_was(qtbot, history, tmp_path: Path, monkeypatch) -> None:
    dialog = AssessmentDialog(history, None)
    qtbot.addWidget(dialog)
    out = tmp_path / "old.docx"
    out.write_bytes(b"old")
    dialog.path_edit.setText(str(out))
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)  # replace it
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert not dialog.export()
    assert out.read_bytes() == b"old" and "中止" in dialog.error_label.text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is absent")
def test_the_printed_pdf_holds_the_same_text_as_the_docx(
    qtbot, history, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    dialog = AssessmentDialog(history, None, mode="print")
    qtbot.addWidget(dialog)
    choose(dialog, TextChoice("revision", R1))
    pdf = dialog.export_pdf(tmp_path / "印刷.pdf")
    assert pdf is not None
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    squeezed = re.sub(r"\s+", "", text)
    position = 0
    for expected in expected_blocks(dialog.last_document):
        needle = re.sub(r"\s+", "", expected)
        found = squeezed.find(needle, position)
        assert found >= 0, expected[:60]
        position = found + len(needle)
    assert "内容　その１".replace("　", "") in squeezed and "内容その３" not in squeezed
    total = len([p for p in pages if p.strip()])
    assert f"1/{total}" in re.sub(r"\s+", "", pages[0])
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"size:\s+(\d+) x (\d+) pts", info)
    assert sizes[0] == ("595", "842") and sizes[-1] == ("842", "595")  # annex landscape


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is absent")
def test_printing_goes_through_a_printer_with_both_orientations(qtbot, history, tmp_path) -> None:
    """The 印刷 and 印刷プレビュー path: the same painter on a QPrinter."""
    from PySide6.QtPrintSupport import QPrinter

    from pia_desk.domain.assessment import build_assessment
    from pia_desk.domain.assessment_text import text_state
    from pia_desk.export.assessment_table import annex_table
    from pia_desk.gui.assessment_print import paint_assessment

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    document = build_assessment(history, text_state(history))
    pages = paint_assessment(document, annex_table(history), printer)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(tmp_path / "printer.pdf")],
        capture_output=True,
        text=True,
    ).stdout
    sizes = re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == pages
    assert float(sizes[0][0]) < float(sizes[0][1]) and float(sizes[-1][0]) > float(sizes[-1][1])


def test_every_field_label_has_its_shortcut(qtbot, history) -> None:
    dialog = AssessmentDialog(history, None)
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if "(&" in label.text()]
    assert len(labels) == 4 and all(label.buddy() is not None for label in labels)

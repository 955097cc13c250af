"""Shared questions: where to save an output file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from pia_desk.gui import dialogs, printing
from pia_desk.gui.export_dialog import ExportDialog


@pytest.mark.parametrize(
    "typed,expected", [("表", "表.pdf"), ("表.PDF", "表.PDF"), ("表.docx", "表.docx.pdf")]
)
def test_save_path_gets_the_suffix(monkeypatch, tmp_path, typed, expected):
    asked: list[tuple] = []

    def answer(*args, **kwargs):
        asked.append((*args, kwargs.get("options")))
        return str(tmp_path / typed), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    assert dialogs.ask_save_path(None, "PDF に出力", "x.pdf", "PDF", ".pdf") == tmp_path / expected
    # Replacing a file is asked once, by approve_output, not also by the file dialog.
    assert asked[0][1:] == (
        "PDF に出力",
        "x.pdf",
        "PDF (*.pdf)",
        QFileDialog.Option.DontConfirmOverwrite,
    )


def test_cancelled_save_path_is_none(monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert dialogs.ask_save_path(None, "出力先", "", "Word 文書", ".docx") is None


def test_pdf_and_word_outputs_ask_the_same_way(monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "表"), ""))
    assert printing.ask_pdf_path(None, "表.pdf") == Path(tmp_path / "表.pdf")
    assert ExportDialog.ask_path(None, "") == Path(tmp_path / "表.docx")

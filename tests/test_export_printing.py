"""Printing and Qt PDF of the table: repeated header, `n / m`, A4 landscape, searchable text."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QPdfWriter, QTextCursor, QTextTable
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from test_export_docx import sample_table

from pia_desk.export.table import HEADERS, ChangeTable, TableRow
from pia_desk.gui import printing
from pia_desk.gui.printing import (
    PrintOptions,
    build_text_document,
    paint_pages,
    set_a4_landscape,
    write_pdf,
)
from pia_desk.storage.project_file import new_project

# Characters whose glyph Noto CJK shares with a radical (⾒ ⻑ ⾔ …): extraction of a
# naive Qt PDF gives the radical instead.
SHARED_GLYPHS = "見る長い言う行く金門食生用立目方文人入八力十口土大女子小山工心手日月木水火田"


def extra_row() -> TableRow:
    return TableRow(
        "令和元年5月1日", "Ⅰ基本情報\n①事務の名称", "見直し前", SHARED_GLYPHS, "事前", "", "x1"
    )


def pdf_text(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def pdf_info(path: Path) -> str:
    return subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True, check=True
    ).stdout


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def qt_pdf(tmp_path_factory: pytest.TempPathFactory, shared_rows: list[dict], qapp) -> Path:
    table = sample_table(shared_rows)
    table = ChangeTable(table.title, (*table.rows, extra_row()))
    path = tmp_path_factory.mktemp("qtpdf") / "table.pdf"
    write_pdf(table, path, PrintOptions(underline=True))
    return path


def cell_text(table: QTextTable, row: int, column: int) -> str:
    cell = table.cellAt(row, column)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


def test_document_table_has_a_repeating_header_and_every_cell(
    qapp, shared_rows: list[dict]
) -> None:
    table = sample_table(shared_rows)
    document = build_text_document(table)
    frames = document.rootFrame().childFrames()
    assert len(frames) == 1 and isinstance(frames[0], QTextTable)
    text_table = frames[0]
    assert text_table.format().headerRowCount() == 1
    assert (text_table.rows(), text_table.columns()) == (len(table.rows) + 1, 6)
    assert [cell_text(text_table, 0, c) for c in range(6)] == list(HEADERS)
    for index, row in enumerate(table.rows, start=1):
        assert [cell_text(text_table, index, c) for c in range(6)] == list(row.cells)


def test_underline_only_on_changed_characters(qapp) -> None:
    row = TableRow("", "", "当市区町村への転入者", "当市への転入者", "", "")
    document = build_text_document(ChangeTable("t", (row,)), PrintOptions(underline=True))
    text_table = document.rootFrame().childFrames()[0]
    cursor = text_table.cellAt(1, 2).firstCursorPosition()
    underlined = ""
    for i, ch in enumerate(row.before):
        cursor.setPosition(text_table.cellAt(1, 2).firstPosition() + i + 1)
        if cursor.charFormat().fontUnderline():
            underlined += ch
    assert underlined == "区町村"


def test_qt_pdf_is_a4_landscape_with_header_and_page_numbers_on_every_page(qt_pdf: Path) -> None:
    pages = pdf_text(qt_pdf)
    info = pdf_info(qt_pdf)
    sizes = re.findall(r"^Page\s+\d+ size:\s+(\d+(?:\.\d+)?) x (\d+(?:\.\d+)?) pts", info, re.M)
    assert len(sizes) == len(pages) > 5
    assert all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in sizes)
    for number, text in enumerate(pages, start=1):
        flat = squeeze(text)
        assert all(h in flat for h in HEADERS), f"page {number}"
        assert f"{number}/{len(pages)}" in flat, f"page {number}"


def test_qt_pdf_text_is_the_japanese_that_was_printed(qt_pdf: Path) -> None:
    """見 must come back as 見 (U+898B), not as the Kangxi radical ⾒ (U+2F92)."""
    text = "".join(pdf_text(qt_pdf))
    assert SHARED_GLYPHS in squeeze(text)
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]
    assert "\t" not in text


def test_qt_pdf_contains_every_row(qt_pdf: Path, shared_rows: list[dict]) -> None:
    text = squeeze("".join(pdf_text(qt_pdf)))
    for row in sample_table(shared_rows).rows:
        for cell in row.cells:
            for paragraph in cell.split("\n"):
                assert squeeze(paragraph)[:8] in text


def test_qt_pdf_embeds_a_japanese_font(qt_pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(qt_pdf)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if re.search(r"CJK|Mincho|Gothic", line)]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)


def test_print_preview_paints_the_pages(qapp, tmp_path: Path, monkeypatch) -> None:
    project = new_project("juten", org="○○市長")
    project.set_text("I.6.1", "健康づくり課")
    painted: list[int] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        set_a4_landscape(printer)
        dialog.paintRequested.emit(printer)
        painted.append(1)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    printing.print_preview(None, project)
    assert painted
    text = squeeze("".join(pdf_text(tmp_path / "preview.pdf")))
    assert "健康づくり課" in text and "1/1" in text


def test_paint_pages_counts_pages(qapp, tmp_path: Path) -> None:
    rows = tuple(
        TableRow("令和3年10月20日", "項目", "前" * 300, "後" * 300, "", "") for _ in range(30)
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p.pdf"))
    set_a4_landscape(printer)
    count = paint_pages(ChangeTable("（別添２）変更箇所", rows), printer)
    assert count == len(pdf_text(tmp_path / "p.pdf")) > 1


def test_export_pdf_asks_for_a_path_and_cancel_writes_nothing(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    project = new_project("juten")
    monkeypatch.setattr(printing.output_defaults, "ask_after_output", lambda *a: -1)
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, suggested: None)
    assert printing.export_pdf(None, project) is None
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(printing, "ask_pdf_path", lambda parent, suggested: target)
    assert printing.export_pdf(None, project) == target
    assert target.read_bytes().startswith(b"%PDF")


def test_long_rows_print_in_marked_parts_with_continuous_page_numbers(qapp, tmp_path: Path) -> None:
    rows = tuple(
        TableRow(
            f"令和3年10月{i + 1}日", f"項目{i}", "前" * 400 + f"第{i}行", "後", "", "", f"e{i}"
        )
        for i in range(30)
    )
    path = tmp_path / "parts.pdf"
    pages = write_pdf(ChangeTable("（別添２）変更箇所", rows), path)
    texts = pdf_text(path)
    assert len(texts) == pages >= 10
    for page in range(2, pages + 1):  # every page after the first starts a row or a part
        assert _first_row_words(path, page) & {"（上段からの続き）", *(r.date_text for r in rows)}
    for number, text in enumerate(texts, start=1):
        flat = squeeze(text)
        assert all(h in flat for h in HEADERS) and f"{number}/{pages}" in flat
    whole = squeeze("".join(texts))
    assert whole.count("（別添２）変更箇所") == 1
    positions = [whole.index(f"第{i}行") for i in range(30)]
    assert positions == sorted(positions)


def _first_row_words(path: Path, page: int) -> set[str]:
    """The words of the first row below the header of `page`."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = [(float(y), text) for y, text in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)<', bbox)]
    header_y = next(y for y, text in words if text == "変更日")
    below = [(y, text) for y, text in words if y > header_y + 5]
    top = min(y for y, _ in below)
    return {text for y, text in below if y < top + 3}


def test_qt_pdf_prints_at_the_chosen_point_size(qt_pdf: Path) -> None:
    """A 9 pt line is about 9 to 14 pt tall on paper (layout made for the device).

    Checked on the header and on a body cell: a layout made for the screen shrinks one.
    """
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(qt_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for word in ("変更日", "事後"):
        heights = [
            float(m.group(2)) - float(m.group(1))
            for m in re.finditer(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}<', bbox)
        ]
        assert heights and all(9 <= h <= 14 for h in heights), word


def _paint_at(table: ChangeTable, dpi: int, tmp_path: Path) -> tuple[int, list[float]]:
    """Page count and where each header starts on page 1 (x in points), at `dpi`."""
    path = tmp_path / f"at{dpi}.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(dpi)
    set_a4_landscape(writer)
    pages = paint_pages(table, writer)
    del writer
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = re.findall(r'xMin="([\d.]+)"[^>]*>([^<]+)<', unicodedata.normalize("NFKC", bbox))
    starts = {word: float(x) for x, word in reversed(words)}
    # A header wrapped one character per line is not found as one word.
    return pages, [starts.get(header, -1.0) for header in HEADERS]


@pytest.mark.parametrize("dpi", [600, 1200])
def test_layout_is_the_same_at_any_printer_resolution(
    qapp, tmp_path: Path, shared_rows: list[dict], dpi: int
) -> None:
    """A 600 or 1200 dpi printer gets the pages and columns of the 300 dpi PDF."""
    table = sample_table(shared_rows)
    pages_300, columns_300 = _paint_at(table, 300, tmp_path)
    assert -1.0 not in columns_300  # every header on one line, 提出時期 too
    pages, columns = _paint_at(table, dpi, tmp_path)
    assert pages == pages_300
    assert columns == pytest.approx(columns_300, abs=1.0)

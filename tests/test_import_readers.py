"""Readers and planning details: merged cells, Excel dates, encodings, duplicates, timing."""

from __future__ import annotations

import codecs
from datetime import date, datetime

from docx import Document
from openpyxl import Workbook
from test_import_tables import sample_cells, write_csv

from pia_desk.cli import main
from pia_desk.domain.entries import Timing
from pia_desk.export.table import HEADERS
from pia_desk.importing.table_reader import apply_import, plan_import, read_table
from pia_desk.storage.project_file import new_project
from pia_desk.storage.session import load_project

ROW = [
    "令和3年12月8日",
    "Ⅰ基本情報\n４．個人番号の利用※\n法令上の根拠",
    "旧",
    "新",
    "事後",
    "時点修正",
]


def test_docx_cells_merged_down_give_their_date_and_timing_to_every_row(tmp_path):
    document = Document()
    table = document.add_table(rows=4, cols=7)  # an extra 番号 column is ignored
    for cell, text in zip(table.rows[0].cells, ["番号", *HEADERS], strict=True):
        cell.text = text
    for r in (1, 2, 3):
        values = [str(r), "令和3年12月8日", f"項目{r}", f"前{r}", f"後{r}", "事前", ""]
        for cell, text in zip(table.rows[r].cells, values, strict=True):
            cell.text = text
    for column in (1, 5):
        merged = table.cell(1, column).merge(table.cell(3, column))
        merged.text = "令和3年12月8日" if column == 1 else "事前"
    path = tmp_path / "merged.docx"
    document.save(path)

    plan = plan_import(path, new_project("juten"))

    assert [(e.day, e.before, e.after, e.timing) for e in plan.entries] == [
        (date(2021, 12, 8), f"前{r}", f"後{r}", Timing.PRE) for r in (1, 2, 3)
    ]
    assert not plan.report.warnings


def test_xlsx_date_cells_and_blank_dates_below_them(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["（別添２）変更箇所"])
    sheet.append(
        ["変更日", "項目", "変更前の\n記載", "変更後の 記載", "提出時期", "提出時期に係る説明"]
    )
    sheet.append([datetime(2022, 3, 14), "項目A", "旧", "新", "事前", None])
    sheet.append(
        [None, "項目B", "旧2", 12345, "事前", None]
    )  # merged date cell: read-only sees None
    path = tmp_path / "t.xlsx"
    workbook.save(path)

    plan = plan_import(path, new_project("juten"))

    assert [(e.day, e.item_path, e.after) for e in plan.entries] == [
        (date(2022, 3, 14), ("項目A",), "新"),
        (date(2022, 3, 14), ("項目B",), "12345"),
    ]
    assert "直前の行と同じ変更日" in plan.report.warnings[0]


def test_tab_separated_utf16_as_excel_unicode_text(tmp_path):
    text = (
        "\t".join(HEADERS) + "\r\n" + "\t".join(ROW[:2]).replace("\n", " ") + "\t旧\t新\t事後\t\r\n"
    )
    path = tmp_path / "t.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    (entry,) = plan_import(path, new_project("juten")).entries

    assert (entry.before, entry.after, entry.timing) == ("旧", "新", Timing.POST)


def test_the_same_row_twice_in_a_table_is_imported_once(tmp_path):
    path = write_csv(tmp_path / "t.csv", [ROW, ROW])
    project = new_project("juten")

    report = apply_import(project, plan_import(path, project))

    assert report.entries_created == 1
    assert report.skipped == [("3行目", "同じ変更日・項目・変更前・変更後の行が既にあるため")]


def test_timing_written_loosely_is_read_and_reported(tmp_path):
    rows = [
        [*ROW[:4], "事 後", ""],
        [*ROW[:3], "別", "事後（予定）", ""],
        [*ROW[:3], "三", "未定", ""],
    ]
    plan = plan_import(write_csv(tmp_path / "t.csv", rows), new_project("juten"))

    assert [e.timing for e in plan.entries] == [Timing.POST, Timing.POST, Timing.UNSET]
    assert len(plan.report.warnings) == 2


def test_text_is_kept_character_for_character(tmp_path):
    before = "　字下げ\t タブと空白  \n\n・二つ目（全角・半角ｶﾅ・①）  "
    path = write_csv(tmp_path / "t.csv", [[*ROW[:2], before, "（削除）", "事後", "  説明  "]])

    (entry,) = plan_import(path, new_project("juten")).entries

    assert entry.before == before and entry.explanation == "  説明  "
    assert entry.kind.value == "deleted"


def test_blank_and_filler_rows_are_skipped(tmp_path):
    rows = [ROW, ["", "", "", "", "", ""], ["", "", "（以下空欄）", "（以下空欄）", "", ""]]
    table = read_table(write_csv(tmp_path / "t.csv", rows))
    plan = plan_import(tmp_path / "t.csv", new_project("juten"))

    assert (len(table.rows), table.blank_rows) == (2, 1)  # the filler row is the joiner's
    assert len(plan.entries) == 1
    assert (plan.report.rows_read, plan.report.blank_rows) == (1, 2)


def test_the_real_command_line_runs_the_import(tmp_path, shared_rows):
    table = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])
    target = tmp_path / "p.piadesk"

    assert main(["import-table", str(table), "-o", str(target)]) == 0
    assert main(["import-table", str(tmp_path / "none.xlsx"), "-o", str(target)]) == 2

    assert sum(1 for _ in load_project(target).project.all_entries()) == 27


def test_docx_table_cut_in_two_without_a_second_header(tmp_path):
    document = Document()
    first = document.add_table(rows=2, cols=6)
    for cell, text in zip(first.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for cell, text in zip(first.rows[1].cells, ROW, strict=True):
        cell.text = text
    document.add_page_break()
    second = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        second.rows[0].cells, [ROW[0], ROW[1], "旧2", "新2", "事前", ""], strict=True
    ):
        cell.text = text
    other = document.add_table(rows=1, cols=3)  # an unrelated table after it is not read
    other.cell(0, 0).text = "令和3年12月8日"
    path = tmp_path / "cut.docx"
    document.save(path)

    plan = plan_import(path, new_project("juten"))

    assert [e.after for e in plan.entries] == ["新", "新2"]
    assert "表2は見出し行がない" in plan.report.warnings[0]

"""Round trip: a table exported by PIA Desk (.docx, with and without split rows) imports
back as the same entries; and the joiner's rules on their own."""

from __future__ import annotations

import math
import zipfile
from datetime import date

import pytest
from big_table import big_project
from test_import_tables import sample_cells, write_csv

from pia_desk.domain.entries import QuoteMode, Timing
from pia_desk.domain.values import DELETED_MARK
from pia_desk.export.docx_writer import DocxOptions, text_column_em, write_docx
from pia_desk.export.table import CONTINUES_BELOW, build_table
from pia_desk.importing.join import join_column, join_rows
from pia_desk.importing.raw import RawRow, RawTable
from pia_desk.importing.table_reader import apply_import, plan_import, read_table
from pia_desk.storage.project_file import new_project

FIELDS = ("item_path", "before", "after", "timing", "explanation", "node_id", "kind")


def history_project(tmp_path, shared_rows):
    """The 27 sample rows as history, then one revision made by editing the tree."""
    project = new_project("juten")
    table = write_csv(tmp_path / "history.csv", [sample_cells(r) for r in shared_rows])
    apply_import(project, plan_import(table, project))
    draft = project.start_revision(date(2024, 4, 1))
    items = [n for n in project.items() if n.kind.value == "text"]
    project.set_text(items[0].id, "追加した記載\n\n　二段落目（全角空白で字下げ）")
    project.update_entry(draft.entries[0].id, timing=Timing.POST, explanation="時点修正")
    project.submit_draft(date(2024, 4, 2))
    project.start_revision(date(2024, 5, 1))
    project.remove_node(items[0].id)  # （削除）
    return project


def snapshot(project) -> list[tuple]:
    return [
        (revision.entry_date(e), *(getattr(e, f) for f in FIELDS))
        for revision, e in project.all_entries()
    ]


def _order(row: tuple) -> tuple:
    return row[:4]


@pytest.mark.parametrize(
    "options",
    [
        DocxOptions(),
        DocxOptions(split_lines=20),
        DocxOptions(split_lines=30, underline=True),
    ],
    ids=["whole-rows", "split-rows", "split-underlined"],
)
def test_exported_docx_imports_back_as_the_same_entries(tmp_path, shared_rows, options):
    project = history_project(tmp_path, shared_rows)
    out = tmp_path / "exported.docx"
    write_docx(build_table(project), out, options)
    raw = read_table(out)
    if options.split_lines:
        assert raw.exact_markers
        assert any(r.before.endswith(CONTINUES_BELOW) for r in raw.rows)  # really split

    again = new_project("juten")
    report = apply_import(again, plan_import(out, again))

    expected = snapshot(project)
    assert sorted(snapshot(again), key=_order) == sorted(expected, key=_order)
    assert [r.cells for r in build_table(again)] == [r.cells for r in build_table(project)]
    assert any(row[3] == DELETED_MARK for row in expected)  # a deletion row, and an added one
    assert any(row[2] == "" for row in expected)
    assert report.entries_created == len(expected)


LONG_PARAGRAPH = "".join(
    f"第{i}号に定める事務の処理に必要な範囲で特定個人情報を取り扱う。" for i in range(12)
)


@pytest.mark.parametrize(
    "options",
    [DocxOptions(split_lines=5), DocxOptions(split_lines=8, font_size=10.5)],
    ids=["5-lines-9pt", "8-lines-10.5pt"],
)
def test_paragraphs_longer_than_a_part_come_back_without_a_line_break_at_the_cut(tmp_path, options):
    project = new_project("juten")
    items = [n for n in project.items() if n.kind.value == "text"]
    project.start_revision(date(2024, 4, 1))
    project.set_text(items[0].id, f"＜見出し＞\n{LONG_PARAGRAPH}\n\n・短い段落")
    project.set_text(items[1].id, f"{LONG_PARAGRAPH}ＡＢＣabc\n{LONG_PARAGRAPH}")
    out = tmp_path / "long.docx"
    write_docx(build_table(project), out, options)
    assert sum(r.after.startswith("（上段") for r in read_table(out).rows) >= 4

    again = new_project("juten")
    apply_import(again, plan_import(out, again))

    assert [r.cells for r in build_table(again)] == [r.cells for r in build_table(project)]


# -- the joiner ------------------------------------------------------------------------
def test_hand_made_parts_drop_layout_blank_lines_and_keep_indentation():
    parts = [
        "一行目\n\n（下段に続く）",
        "（上段からの続き）\n\n　字下げした二行目\n\n（以下空欄）",
        "",
    ]
    assert join_column(parts) == "一行目\n　字下げした二行目"


def test_continuation_label_is_kept_as_its_own_line():
    parts = ["本文\n（下段に続く）", "（上段からの続き、追加文）\n\n追加した文"]
    assert join_column(parts) == "本文\n（追加文）\n\n追加した文"


def test_marks_written_at_the_end_of_a_line_or_with_half_width_brackets():
    parts = ["本文の途中まで。(下段に続く)", "(上段からの続き)\n続きの文。"]
    assert join_column(parts) == "本文の途中まで。\n続きの文。"


def test_pia_desk_parts_keep_blank_lines_next_to_the_marks():
    text = "第一段落\n\n第二段落\n\n"
    parts = ["第一段落\n\n（下段に続く）", "（上段からの続き）\n第二段落\n\n\n（下段に続く）"]
    assert join_column(parts, exact=True) == text.rstrip("\n") + "\n\n"
    assert join_column(["（下段に続く）", "（上段からの続き）\n（以下空欄）"], exact=True) == ""


def test_joined_rows_are_raw_rows_with_the_first_parts_place():
    table = RawTable(
        rows=[
            RawRow("表1の2行目", "令和6年4月1日", "項目", "前\n（下段に続く）", "後", "", ""),
            RawRow("表1の3行目", "", "", "（上段からの続き）\n続き", "", "事前", "説明"),
        ]
    )
    (row,) = join_rows(table).rows
    assert type(row) is RawRow
    assert (row.where, row.before, row.timing, row.explanation) == (
        "表1の2行目",
        "前\n続き",
        "事前",
        "説明",
    )


def test_reimporting_our_export_with_excerpt_rows_adds_nothing(tmp_path):
    project = new_project("juten")
    items = [n for n in project.items() if n.kind.value == "text"]
    long_text = "＜見出し一＞\n変わらない段落。\n＜見出し二＞\n{}\n\n・変わらない項目"
    project.start_revision(date(2024, 4, 1))
    project.set_text(items[0].id, long_text.format("変更前の段落。"))
    project.set_text(items[1].id, "もう一つの記載")
    project.submit_draft(date(2024, 4, 1))
    draft = project.start_revision(date(2024, 5, 1))
    project.set_text(items[0].id, long_text.format("変更後の段落。"))
    (entry,) = draft.entries
    project.update_entry(entry.id, quote=QuoteMode.CHANGED_PARAGRAPHS)
    project.submit_draft(date(2024, 5, 1))
    out = tmp_path / "exported.docx"
    write_docx(build_table(project), out)
    assert any("部分のみ抜粋" in r.after for r in read_table(out).rows)  # really an excerpt
    count = len(list(project.all_entries()))

    plan = plan_import(out, project)
    apply_import(project, plan)

    assert plan.new_entries == [] and all(p.duplicate for p in plan.entries)
    assert len(list(project.all_entries())) == count


@pytest.mark.parametrize("resaved", [False, True], ids=["as-exported", "saved-again-by-word"])
@pytest.mark.parametrize("font_size", [9.0, 10.5])
def test_a_paragraph_that_exactly_fills_a_part_keeps_its_line_break(tmp_path, font_size, resaved):
    per_line = math.floor(text_column_em(font_size))
    filling = "".join(chr(ord("亜") + i % 40) for i in range(3 * per_line))  # 3 full lines
    project = new_project("juten")
    items = [n for n in project.items() if n.kind.value == "text"]
    project.start_revision(date(2024, 4, 1))
    # A part alone, then the last part of a longer paragraph, each exactly 3 lines.
    project.set_text(items[0].id, f"{filling}\n次の段落。\n{filling}{filling}\n最後の段落。")
    out = tmp_path / "exact.docx"
    write_docx(
        build_table(project), out, DocxOptions(split_lines=5, font_size=font_size, flow=True)
    )
    if resaved:
        _mark_as_saved_by_word(out)
    assert read_table(out).exact_markers is not resaved
    assert sum(r.after.startswith("（上段") for r in read_table(out).rows) >= 3

    again = new_project("juten")
    apply_import(again, plan_import(out, again))

    assert [r.cells for r in build_table(again)] == [r.cells for r in build_table(project)]


def _mark_as_saved_by_word(path) -> None:
    """Rewrite docProps/app.xml as Word does when it saves the document again."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/app.xml"] = parts["docProps/app.xml"].replace(
        b"PIA Desk", b"Microsoft Office Word"
    )
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


def test_a_new_item_split_over_parts_keeps_an_empty_before_column(tmp_path):
    project = new_project("juten")
    items = [n for n in project.items() if n.kind.value == "text"]
    project.start_revision(date(2024, 4, 1))
    project.set_text(items[0].id, "\n".join(f"新たに記載した{i}段落目。" for i in range(12)))
    out = tmp_path / "new-item.docx"
    write_docx(build_table(project), out, DocxOptions(split_lines=5))
    rows = read_table(out).rows
    assert len(rows) >= 3 and [r.before for r in rows] == [""] * len(rows)

    again = new_project("juten")
    apply_import(again, plan_import(out, again))

    assert [r.cells for r in build_table(again)] == [r.cells for r in build_table(project)]


@pytest.mark.slow
def test_a_page_split_export_of_a_long_table_imports_back_row_for_row(tmp_path):
    project = big_project(320)
    out = tmp_path / "paged.docx"
    printed = write_docx(build_table(project), out)  # page-aware: the default
    assert printed > 320 * 3 // 2  # many rows really were cut at page ends
    assert read_table(out).exact_markers

    again = new_project("juten")
    apply_import(again, plan_import(out, again))

    assert [r.cells for r in build_table(again)] == [r.cells for r in build_table(project)]

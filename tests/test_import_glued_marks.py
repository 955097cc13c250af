"""Hand-split rows whose marks are glued to the text: `…text（下段に続く）` ends a part
and `（上段からの続き）text` starts the next one, as offices type them when they cut a
row in the middle of a line (full- or half-width brackets)."""

from __future__ import annotations

import pytest
from test_import_tables import sample_cells, write_office_docx, write_xlsx

from pia_desk.importing.join import join_column, join_rows
from pia_desk.importing.raw import RawRow, RawTable
from pia_desk.importing.table_reader import apply_import, plan_import
from pia_desk.storage.project_file import new_project

LONG = 400  # the sample rows longer than this are cut in the middle of a line


def _cut_mid_line(text: str) -> int | None:
    """An offset near the middle of `text` inside a line (text on both sides)."""
    middle = len(text) // 2
    for offset in sorted(range(1, len(text)), key=lambda i: abs(i - middle)):
        if text[offset - 1] != "\n" and text[offset] != "\n":
            return offset
    return None


def glued_parts(cells: list[str], below: str, above: str) -> list[list[str]]:
    """A long row cut in two in the middle of a line, the marks glued to the text."""
    if max(len(cells[2]), len(cells[3])) <= LONG:
        return [cells]
    first, second = list(cells[:2]), ["", ""]
    for text in cells[2:4]:
        cut = _cut_mid_line(text)
        if not text or cut is None:
            first.append(text)
            second.append("")
            continue
        first.append(f"{text[:cut]}{below}")
        second.append(f"{above}{text[cut:]}")
    return [[*first, "", ""], [*second, *cells[4:]]]


def glued_rows(shared_rows: list[dict], below: str, above: str) -> list[list[str]]:
    out: list[list[str]] = []
    for row in shared_rows:
        out.extend(glued_parts(sample_cells(row), below, above))
    return out


MARKS = [
    ("（下段に続く）", "（上段からの続き）"),
    ("(下段に続く)", "(上段からの続き)"),
    ("（下段に続く)", "(上段からの続き）"),
]


@pytest.mark.parametrize(("below", "above"), MARKS, ids=["full", "half", "mixed"])
def test_glued_marks_join_the_parts_without_a_line_break(below, above):
    table = RawTable(
        rows=[
            RawRow("表1の2行目", "令和3年10月20日", "項目", f"前の文の途中{below}", "後", "", ""),
            RawRow("表1の3行目", "", "", f"{above}から続く文。", "", "事前", "説明"),
        ]
    )

    result = join_rows(table)

    assert result.warnings == []
    (row,) = result.rows
    assert (row.item, row.before, row.after, row.timing) == (
        "項目",
        "前の文の途中から続く文。",
        "後",
        "事前",
    )


def test_a_mark_on_its_own_line_still_joins_with_a_line_break():
    assert join_column(["一行目（下段に続く）", "（上段からの続き）\n二行目"]) == "一行目\n二行目"
    assert join_column(["一行目\n（下段に続く）", "（上段からの続き）二行目"]) == "一行目\n二行目"


def test_glued_continuation_label_keeps_the_text_after_it():
    parts = ["本文（下段に続く）", "（上段からの続き、追加文）追加した文"]
    assert join_column(parts) == "本文\n（追加文）追加した文"


def test_sample_rows_cut_mid_line_import_whole_from_docx_and_xlsx_adds_nothing_again(
    tmp_path, shared_rows
):
    rows = glued_rows(shared_rows, "（下段に続く）", "（上段からの続き）")
    assert len(rows) > len(shared_rows)  # some rows really were cut
    docx = write_office_docx(tmp_path / "glued.docx", rows)
    project = new_project("juten")

    plan = plan_import(docx, project)
    report = apply_import(project, plan)

    assert not [w for w in report.warnings if "続き" in w]
    assert report.rows_joined == len(rows) - len(shared_rows)
    got = sorted(
        (
            (r.entry_date(e).isoformat(), e.item_path, e.before, e.after)
            for r, e in project.all_entries()
        ),
    )
    expected = sorted(
        (r["date_iso"], tuple(r["item_path"]), r["before"], r["after"]) for r in shared_rows
    )
    assert got == expected

    xlsx = write_xlsx(
        tmp_path / "glued.xlsx", glued_rows(shared_rows, "(下段に続く)", "(上段からの続き)")
    )
    again = plan_import(xlsx, project)
    assert again.new_entries == []
    assert apply_import(project, again).entries_created == 0

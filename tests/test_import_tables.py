"""Import the 27 real rows of the shared sample from tables built the way offices have them.

Builders (also used by the other import tests): a .docx with the header repeated on
every page (several tables, or header rows typed again), rows split by hand into
parts marked （下段に続く） / （上段からの続き） / （以下空欄） with their continuation
after other rows; an .xlsx; a Shift_JIS .csv.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from pia_desk.domain.entries import RevisionStatus, Timing
from pia_desk.export.table import HEADERS
from pia_desk.importing.table_reader import apply_import, plan_import
from pia_desk.storage.project_file import new_project

BELOW, ABOVE, NOTHING = "（下段に続く）", "（上段からの続き）", "（以下空欄）"
SPLIT_CHARS = 400  # rows with a text column longer than this are split by hand

Cells = list[str]


# -- building tables ---------------------------------------------------------------
def sample_cells(row: dict) -> Cells:
    return [
        row["date"],
        "\n".join(row["item_path"]),
        row["before"],
        row["after"],
        row["timing"],
        row["explanation"],
    ]


def _halves(text: str) -> list[str]:
    """`text` cut in two at a line break between two non-blank lines near the middle."""
    lines = text.split("\n")
    cuts = [i for i in range(1, len(lines)) if lines[i - 1].strip() and lines[i].strip()]
    if not cuts:
        return [text]
    cut = min(cuts, key=lambda i: abs(len("\n".join(lines[:i])) - len(text) // 2))
    return ["\n".join(lines[:cut]), "\n".join(lines[cut:])]


def _part_text(chunks: list[str], k: int, count: int) -> str:
    if k >= len(chunks):
        return ""
    text = chunks[k]
    if k > 0:
        first, _, rest = text.partition("\n")
        if first.startswith("（") and first.endswith("）") and len(first) < 10:
            text = f"（上段からの続き、{first[1:-1]}）\n{rest}"  # （上段からの続き、追加文）
        else:
            text = f"{ABOVE}\n\n{text}"
    if k < count - 1:
        text += f"\n\n{BELOW}" if k < len(chunks) - 1 else f"\n\n{NOTHING}"
    return text


def split_by_hand(cells: Cells, repeat_key: bool = True) -> list[Cells]:
    """A long row as parts the way Excel users cut them; short rows stay whole."""
    if max(len(cells[2]), len(cells[3])) <= SPLIT_CHARS:
        return [cells]
    before, after = _halves(cells[2]), _halves(cells[3])
    if "\n（追加文）\n" in cells[3]:  # the sample's own cut: the added sentence on its own part
        head, _, tail = cells[3].partition("\n（追加文）\n")
        after = [*_halves(head), f"（追加文）\n{tail}"]
    count = max(len(before), len(after))
    parts = []
    for k in range(count):
        last = k == count - 1
        key = cells[:2] if (k == 0 or repeat_key) else ["", ""]
        parts.append(
            [
                *key,
                _part_text(before, k, count),
                _part_text(after, k, count),
                cells[4] if last else "",
                cells[5] if last else "",
            ]
        )
    return parts


def office_rows(rows: Sequence[Cells], repeat_key: bool = True) -> list[Cells]:
    """Rows split by hand, each continuation placed after the next row (as in the sample)."""
    out: list[Cells] = []
    delayed: list[Cells] = []
    for cells in rows:
        parts = split_by_hand(cells, repeat_key)
        out.append(parts[0])
        out.extend(delayed)
        delayed = parts[1:]
    out.extend(delayed)
    return out


def _fill_cell(cell, text: str, use_breaks: bool) -> None:
    """Lines as paragraphs, or as line breaks in one paragraph; runs cut mid-line."""
    lines = text.split("\n")
    paragraphs = [lines] if use_breaks else [[line] for line in lines]
    for i, group in enumerate(paragraphs):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        for j, line in enumerate(group):
            if j:
                p.add_run().add_break()
            middle = len(line) // 2
            for piece in (line[:middle], line[middle:]):
                if piece:
                    p.add_run(piece)


def write_office_docx(
    path: Path, rows: Sequence[Cells], page_rows: int = 5, one_table: bool = False
) -> Path:
    """Several tables (one per page) each with the header, or one table with header copies."""
    document = Document()
    document.add_paragraph("（別添２）変更箇所")
    table = None
    for index, cells in enumerate(rows):
        if index % page_rows == 0:
            if table is None or not one_table:
                if table is not None:
                    document.add_page_break()
                table = document.add_table(rows=0, cols=6)
            header = table.add_row().cells
            for cell, text in zip(header, HEADERS, strict=True):
                cell.text = text.replace("提出時期に", "提出時期に\n")  # a line break in a header
        row = table.add_row().cells
        for column, (cell, text) in enumerate(zip(row, cells, strict=True)):
            _fill_cell(cell, text, use_breaks=column == 1 or index % 2 == 0)
    document.save(path)
    return path


def write_xlsx(path: Path, rows: Sequence[Cells], page_rows: int = 8) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "変更箇所"
    sheet.append(["（別添２）変更箇所"])
    for index, cells in enumerate(rows):
        if index % page_rows == 0:
            sheet.append(list(HEADERS))
        sheet.append(list(cells))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Cells], encoding: str = "cp932") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def imported(path: Path, form: str = "juten"):
    project = new_project(form)
    plan = plan_import(path, project)
    report = apply_import(project, plan)
    return project, report


def entries_by_date(project) -> list[tuple[date, object]]:
    return [(revision.entry_date(e), e) for revision, e in project.all_entries()]


def assert_sample_imported(project, shared_rows: list[dict]) -> None:
    expected = sorted(shared_rows, key=lambda r: r["date_iso"])  # stable: table order per date
    got = entries_by_date(project)
    assert len(got) == len(expected)
    for (day, entry), row in zip(got, expected, strict=True):
        assert day.isoformat() == row["date_iso"]
        assert entry.item_path == tuple(row["item_path"])
        assert entry.before == row["before"]
        assert entry.after == row["after"]
        assert entry.timing == Timing(row["timing"])
        assert entry.explanation == row["explanation"]


# -- the evidence ------------------------------------------------------------------
@pytest.mark.parametrize("one_table", [False, True], ids=["table-per-page", "header-rows-repeated"])
def test_office_docx_with_split_rows_gives_back_every_row(tmp_path, shared_rows, one_table):
    rows = office_rows([sample_cells(r) for r in shared_rows])
    assert any(BELOW in c[2] for c in rows) and any(NOTHING in c[2] + c[3] for c in rows)
    path = write_office_docx(tmp_path / "bessoe2.docx", rows, one_table=one_table)

    project, report = imported(path)

    assert_sample_imported(project, shared_rows)
    assert report.rows_read == len(rows)
    assert report.rows_joined == len(rows) - len(shared_rows)
    assert report.entries_created == len(shared_rows)
    assert report.tables_found == (1 if one_table else -(-len(rows) // 5))
    assert report.header_rows_skipped == (-(-len(rows) // 5) - 1 if one_table else 0)


def test_continuations_without_date_and_item_join_the_oldest_waiting_row(tmp_path, shared_rows):
    rows = office_rows([sample_cells(r) for r in shared_rows], repeat_key=False)
    path = write_office_docx(tmp_path / "bessoe2.docx", rows)

    project, report = imported(path)

    assert_sample_imported(project, shared_rows)
    assert report.rows_joined == len(rows) - len(shared_rows)


def test_xlsx_gives_back_every_row(tmp_path, shared_rows):
    rows = office_rows([sample_cells(r) for r in shared_rows])
    path = write_xlsx(tmp_path / "bessoe2.xlsx", rows)

    project, report = imported(path)

    assert_sample_imported(project, shared_rows)
    assert report.header_rows_skipped == -(-len(rows) // 8) - 1


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_csv_as_excel_writes_it_gives_back_every_row(tmp_path, shared_rows, encoding):
    path = write_csv(tmp_path / "bessoe2.csv", [sample_cells(r) for r in shared_rows], encoding)

    project, _ = imported(path)

    assert_sample_imported(project, shared_rows)


def test_rows_become_submitted_revisions_by_date_before_the_draft(tmp_path, shared_rows):
    project = new_project("juten")
    draft = project.start_revision(date(2024, 4, 1))
    path = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])

    apply_import(project, plan_import(path, project))

    dates = sorted({r["date_iso"] for r in shared_rows})
    assert [r.date.isoformat() for r in project.submitted] == dates
    assert all(r.status is RevisionStatus.SUBMITTED for r in project.submitted)
    assert project.revisions[-1] is draft


def test_a_row_dated_like_the_draft_goes_to_a_submitted_revision_not_the_draft(
    tmp_path, shared_rows
):
    project = new_project("juten")
    day = date.fromisoformat(shared_rows[0]["date_iso"])
    draft = project.start_revision(day)
    path = write_csv(tmp_path / "t.csv", [sample_cells(shared_rows[0])])

    apply_import(project, plan_import(path, project))
    apply_import(
        project, plan_import(write_csv(tmp_path / "u.csv", [_other(shared_rows[0])]), project)
    )

    (submitted,) = [r for r in project.submitted if r.date == day]
    assert len(submitted.entries) == 2  # the second import reused the revision of that date
    assert draft.entries == [] and project.revisions[-1] is draft


def _other(row: dict) -> list[str]:
    cells = sample_cells(row)
    return [*cells[:3], cells[3] + "（別の変更）", *cells[4:]]


def test_item_paths_are_matched_to_the_tree(tmp_path, shared_rows):
    path = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])
    project, report = imported(path)

    by_path = {e.item_path: e for _, e in entries_by_date(project)}
    use = by_path[("Ⅱ特定個人情報ファイルの概要", "３．特定個人情報の入手・使用", "⑤使用方法")]
    assert project.node(use.node_id).label.startswith("⑤使用方法")
    # システム５ is not in a new project's tree (only システム１): kept as free text, reported.
    system5 = next(e for _, e in entries_by_date(project) if "システム５" in e.item_path)
    assert system5.node_id is None
    assert not any("システム５" in item for _, item in report.unmatched)


def test_rows_of_repeat_instances_missing_from_the_tree_are_reported_apart(tmp_path, shared_rows):
    unknown = [shared_rows[0]["date"], "Ⅸ存在しない項目", "", "追加", "事後", ""]
    rows = [*(sample_cells(r) for r in shared_rows), unknown]
    project, report = imported(write_csv(tmp_path / "t.csv", rows))

    free = [e for _, e in entries_by_date(project) if e.node_id is None]
    assert len(free) == 4  # システム５, 委託事項２ (twice) and the unknown 項目
    assert [instance for _, _, instance in report.missing_repeats] == [
        "システム５",
        "委託事項２",
        "委託事項２",
    ]
    assert [item for _, item in report.unmatched] == ["Ⅸ存在しない項目"]
    text = report.text()
    assert (
        "繰り返し項目（システム５など）が現在の項目ツリーにないため、"
        "項目名のまま取り込みました: 3 件" in text
    )
    assert "項目ツリーに対応付けられなかった項目: 1 件" in text

"""The table model of the 変更箇所 annex: which rows, in which order, rendered how."""

from __future__ import annotations

from datetime import date

import pytest

from pia_desk.domain.entries import QuoteMode
from pia_desk.domain.project import Project
from pia_desk.domain.values import DELETED_MARK
from pia_desk.domain.wareki import DigitStyle
from pia_desk.export.table import (
    CONTINUED_FROM_ABOVE,
    CONTINUES_BELOW,
    HEADERS,
    NOTHING_BELOW,
    TableRow,
    build_table,
    excerpt_texts,
    split_rows,
    visual_lines,
)
from pia_desk.storage.project_file import new_project

FIRST = date(2021, 10, 20)
SECOND = date(2022, 3, 1)

USE = "II.3.5"  # Ⅱ / ３．特定個人情報の入手・使用 / ⑤使用方法※
MATCH = "II.3.5.match"  # … / 情報の突合※
PURPOSE = "II.3.3"  # ③使用目的※
DEPT = "I.6.1"  # Ⅰ基本情報 / ６．… / ①部署

MEASURES = (
    "全般的な措置を講じている。\n"
    "\n"
    "＜新型コロナウイルス感染症対策に係る予防接種事務における追加措置＞\n"
    "当市区町村の領域にデータを保管する。\n"
    "当該領域のデータは、暗号化処理をする。\n"
    "\n"
    "＜その他の措置＞\n"
    "定期的に点検する。"
)


def _project() -> Project:
    """Baseline submitted (初版), then two revisions with changes."""
    project = new_project("juten", org="○○市長", title="予防接種に関する事務 重点項目評価書")
    project.start_revision(date(2020, 4, 1))
    project.set_text(USE, "当市区町村への転入者について照会する。")
    project.set_text(MATCH, "当市区町村の接種記録と突合する。")
    project.set_text(PURPOSE, MEASURES)
    project.set_text(DEPT, "健康推進課")
    project.submit_draft(date(2020, 4, 1))
    project.start_revision(FIRST)
    project.set_text(MATCH, "当市の接種記録と突合する。")  # tree order: after USE
    project.set_text(USE, "当市への転入者について照会する。")
    project.submit_draft(FIRST)
    project.start_revision(SECOND)
    project.set_text(PURPOSE, MEASURES.replace("当市区町村の", "当市の"))
    project.set_text(DEPT, "健康づくり課")
    return project


@pytest.fixture
def project() -> Project:
    return _project()


def test_rows_are_the_six_columns_with_wareki_dates_and_path_lines(project: Project) -> None:
    table = build_table(project, date_from=FIRST, date_to=FIRST)
    assert table.title == "（別添２）変更箇所"
    assert table.headers == HEADERS
    first = table.rows[0]
    assert first.date_text == "令和3年10月20日"
    assert first.item_text.split("\n") == [
        "Ⅱ特定個人情報ファイルの概要",
        "３．特定個人情報の入手・使用",
        "⑤使用方法※",
    ]
    assert (first.before, first.after) == (
        "当市区町村への転入者について照会する。",
        "当市への転入者について照会する。",
    )
    assert len(first.cells) == 6


def test_date_order_then_tree_order(project: Project) -> None:
    rows = build_table(project).rows
    dates = [row.date_text for row in rows]
    assert dates == sorted(dates, key=lambda t: ["令和2", "令和3", "令和4"].index(t[:3]))
    # Within 令和3年10月20日, ⑤使用方法 comes before its sub-item 情報の突合 although
    # the latter was edited first.
    same_day = [row.item_text.split("\n")[-1] for row in rows if row.date_text.startswith("令和3")]
    assert same_day == ["⑤使用方法※", "情報の突合※"]
    # Within the second revision, Ⅰ基本情報 precedes Ⅱ.
    last_two = [row.item_text.split("\n")[0] for row in rows[-2:]]
    assert last_two == ["Ⅰ基本情報", "Ⅱ特定個人情報ファイルの概要"]


def test_user_order_keeps_the_arranged_order(project: Project) -> None:
    revision = project.revisions[1]
    revision.entries.reverse()
    rows = build_table(project, revision_id=revision.id, order="user").rows
    assert [r.entry_id for r in rows] == [e.id for e in revision.entries]


def test_tree_order_follows_the_form_then_the_date(project: Project) -> None:
    rows = build_table(project, order="tree").rows
    firsts = [row.item_text.split("\n")[0] for row in rows]
    assert firsts == sorted(firsts, key=lambda t: t.startswith("Ⅱ"))  # Ⅰ before Ⅱ
    leaves = [(row.item_text.split("\n")[-1], row.date_text[:3]) for row in rows]
    assert leaves.index(("⑤使用方法※", "令和3")) < leaves.index(("情報の突合※", "令和3"))
    assert leaves != [(r.item_text.split("\n")[-1], r.date_text[:3]) for r in build_table(project)]


def test_filter_by_revision_and_date_range(project: Project) -> None:
    second = project.revisions[2]
    by_revision = build_table(project, revision_id=second.id)
    assert {r.entry_id for r in by_revision} == {e.id for e in second.entries}
    assert all(r.date_text == "令和4年3月1日" for r in by_revision)
    assert len(build_table(project, date_from=date(2021, 1, 1))) == 4
    assert len(build_table(project, date_to=date(2021, 1, 1))) == 4  # the 初版 entries
    assert len(build_table(project, date_from=SECOND, date_to=SECOND)) == 2


def test_entries_left_out_are_not_output(project: Project) -> None:
    entry = project.revisions[2].entries[0]
    project.update_entry(entry.id, include=False)
    ids = [r.entry_id for r in build_table(project)]
    assert entry.id not in ids
    assert len(ids) == 7


def test_full_width_digit_style(project: Project) -> None:
    project.meta.digit_style = DigitStyle.FULL
    assert build_table(project, revision_id=project.revisions[1].id).rows[0].date_text == (
        "令和３年１０月２０日"
    )


def test_title_of_the_zenkoumoku_form() -> None:
    assert build_table(new_project("zenkoumoku")).title == "（別添３）変更箇所"


def test_deleted_item_reads_sakujo(project: Project) -> None:
    project.remove_node(DEPT)
    row = build_table(project, revision_id=project.revisions[2].id).rows[0]
    assert row.item_text.endswith("①部署")
    assert (row.before, row.after) == ("健康推進課", DELETED_MARK)
    assert row.before_spans and not row.after_spans  # the deleted text is marked, not （削除）


def test_timing_and_explanation_are_the_entry_fields(project: Project) -> None:
    entry = project.revisions[2].entries[0]
    project.update_entry(entry.id, timing="事後", explanation="組織改編に伴う部署名の変更")
    row = next(r for r in build_table(project) if r.entry_id == entry.id)
    assert (row.timing, row.explanation) == ("事後", "組織改編に伴う部署名の変更")


def test_changed_paragraphs_are_quoted_under_their_heading(project: Project) -> None:
    entry = project.entry_for_node(PURPOSE)
    assert entry is not None
    project.update_entry(entry.id, quote=QuoteMode.CHANGED_PARAGRAPHS)
    row = next(r for r in build_table(project) if r.entry_id == entry.id)
    heading = "＜新型コロナウイルス感染症対策に係る予防接種事務における追加措置＞"
    mark = f"（{heading}部分のみ抜粋）"
    assert row.before == f"{mark}\n\n{heading}\n当市区町村の領域にデータを保管する。"
    assert row.after == f"{mark}\n\n{heading}\n当市の領域にデータを保管する。"
    # Only the table is an excerpt; the entry keeps the whole text.
    assert entry.before == MEASURES


def test_excerpt_label_of_the_entry_wins_and_brackets_choose_the_wording() -> None:
    before = "【技術的対策】\n暗号化する。\n【物理的対策】\n施錠する。"
    after = before.replace("施錠", "入退室を管理し施錠")
    quoted_before, quoted_after = excerpt_texts(before, after, "【物理的対策】")
    assert quoted_before == "（【物理的対策】のみ抜粋）\n\n【物理的対策】\n施錠する。"
    assert quoted_after.endswith("【物理的対策】\n入退室を管理し施錠する。")


def test_excerpt_of_identical_texts_is_the_whole_text() -> None:
    assert excerpt_texts("同じ\n文", "同じ\n文") == ("同じ\n文", "同じ\n文")


def test_underline_spans_cover_exactly_the_changed_characters() -> None:
    row = TableRow("", "", "当市区町村への転入者", "当市への転入者", "", "")
    assert [row.before[s.start : s.end] for s in row.before_spans] == ["区町村"]
    assert row.after_spans == []  # nothing inserted
    added = TableRow("", "", "", "新しい記載", "", "")
    assert [added.after[s.start : s.end] for s in added.after_spans] == ["新しい記載"]


# -- split rows --------------------------------------------------------------------


def _long_row(lines: int) -> TableRow:
    before = "\n".join(f"変更前の{i}行目" for i in range(lines))
    after = "\n".join(f"変更後の{i}行目" for i in range(lines // 2))
    return TableRow("令和3年10月20日", "Ⅰ基本情報\n①事務の名称", before, after, "事後", "時点修正")


def _unsplit(texts: list[str]) -> str:
    bodies = []
    for text in filter(None, texts):
        lines = text.split("\n")
        lines = [x for x in lines if x not in (CONTINUED_FROM_ABOVE, CONTINUES_BELOW)]
        if lines and lines[-1] == NOTHING_BELOW:
            lines.pop()
        if lines:
            bodies.append("\n".join(lines))
    return "\n".join(bodies)


def test_split_rows_marks_parts_and_loses_no_text() -> None:
    row = _long_row(25)
    parts = split_rows([row], max_lines=10, width=40)
    assert len(parts) == 4  # 25 lines, 8 per part
    assert all(max(visual_lines(p.before, 40), visual_lines(p.after, 40)) <= 10 for p in parts)
    assert parts[0].before.endswith(CONTINUES_BELOW)
    assert parts[1].before.startswith(CONTINUED_FROM_ABOVE)
    assert not parts[-1].before.endswith(CONTINUES_BELOW)
    assert _unsplit([p.before for p in parts]) == row.before
    assert _unsplit([p.after for p in parts]) == row.after
    assert NOTHING_BELOW in parts[2].after  # 変更後 ran out after two parts
    assert [p.timing for p in parts] == ["", "", "", "事後"]
    assert [p.explanation for p in parts][-1] == "時点修正"
    assert [bool(p.date_text) for p in parts] == [True, False, False, False]


def test_short_rows_are_not_split_and_wrapping_counts() -> None:
    row = _long_row(5)
    assert split_rows([row], max_lines=10, width=40) == [row]
    wide = TableRow("", "", "あ" * 100, "い", "", "")
    assert visual_lines(wide.before, 40) == 3
    parts = split_rows([wide], max_lines=3, width=40)
    assert _unsplit([p.before for p in parts]).replace("\n", "") == wide.before


def test_split_parts_underline_the_same_characters_as_the_whole_row() -> None:
    lines = [f"第{i}行：当市区町村の記載" for i in range(30)]
    before = "\n".join(lines)
    after = "\n".join(line.replace("当市区町村", "当市") if i == 20 else line
                      for i, line in enumerate(lines))  # fmt: skip
    extra = after + "\n追加した段落"
    row = TableRow("", "", before, extra, "", "")
    parts = split_rows([row], max_lines=10, width=40)
    assert len(parts) == 4

    def marked(text: str, spans) -> list[str]:
        return [text[s.start : s.end] for s in spans]

    assert [m for p in parts for m in marked(p.before, p.before_spans)] == ["区町村"]
    after_marks = [m for p in parts for m in marked(p.after, p.after_spans)]
    assert after_marks == marked(row.after, row.after_spans)
    assert "".join(after_marks).strip() == "追加した段落"
    assert marked(row.before, row.before_spans) == ["区町村"]


def test_split_parts_tell_a_cut_inside_a_paragraph_from_one_after_a_full_paragraph() -> None:
    full = "あ" * 120  # exactly three lines of 40: on paper, like a paragraph cut inside
    row = TableRow("", "", f"{full}\n次\n{full}{full}い", "短い", "", "")
    parts = split_rows([row], max_lines=5, width=40)
    bodies = [_unsplit([p.before]) for p in parts]
    assert bodies == [full, "次", full, full, "い"]
    assert [p.cut_inside for p in parts] == [
        (False, False),  # after a paragraph that fills the part exactly
        (False, False),
        (True, False),  # inside the long paragraph
        (True, False),
        (False, False),
    ]


@pytest.mark.parametrize("empty", ["before", "after"])
def test_an_empty_text_column_stays_empty_in_every_part(empty: str) -> None:
    long = "\n".join(f"新たに記載した{i}行目" for i in range(12))
    texts = {"before": long, "after": long, empty: ""}
    row = TableRow(
        "令和6年4月1日", "Ⅰ基本情報\n①事務の名称", texts["before"], texts["after"], "", ""
    )
    parts = split_rows([row], max_lines=5, width=40)
    assert len(parts) == 4
    assert [getattr(p, empty) for p in parts] == ["", "", "", ""]
    other = "after" if empty == "before" else "before"
    assert _unsplit([getattr(p, other) for p in parts]) == long
    assert all(p.cut_inside[empty == "after"] is False for p in parts)


def test_a_pure_addition_quotes_only_the_added_text_under_its_heading() -> None:
    added = MEASURES.replace("保管する。", "保管する。\n保管したデータは定期的に消去する。")
    assert excerpt_texts(MEASURES, added) == (
        "",
        "（＜新型コロナウイルス感染症対策に係る予防接種事務における追加措置＞における追加文）\n"
        "保管したデータは定期的に消去する。",
    )
    assert excerpt_texts("冒頭の段落。", "冒頭の段落。\n\n追記した段落。") == (
        "",
        "（追加文）\n追記した段落。",
    )
    changed = MEASURES.replace("点検する", "確認する")
    before, after = excerpt_texts(MEASURES, changed)
    assert before and "追加文" not in after  # a change is quoted as before, not as an addition

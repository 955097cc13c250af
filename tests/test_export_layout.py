"""Page-aware layout of the printed table: which rows and parts stand on which page."""

from __future__ import annotations

from itertools import pairwise

import pytest

from pia_desk.export.layout import TableGeometry, paginate, wrap_lines
from pia_desk.export.table import (
    CONTINUED_FROM_ABOVE,
    CONTINUES_BELOW,
    CUT_INSIDE_PARAGRAPH,
    HEADERS,
    NOTHING_BELOW,
    TableRow,
)
from pia_desk.importing.join import join_column

GEOMETRY = TableGeometry(9.0)
ROOM_FIRST = GEOMETRY.room_pt(HEADERS, first=True)
ROOM = GEOMETRY.room_pt(HEADERS, first=False)


def lines_of(row: TableRow) -> int:
    return max(GEOMETRY.cell_lines(text, column) for column, text in enumerate(row.cells))


def height(page: list[TableRow]) -> float:
    return sum(GEOMETRY.row_pt(lines_of(row)) for row in page)


def paragraphs(count: int, label: str = "段落") -> str:
    return "\n".join(
        f"第{i}{label}：特定個人情報の取扱いを見直し、記載を改めるもの。" for i in range(count)
    )


def row(before: str, after: str, item: str = "Ⅰ基本情報\n①事務の名称", n: int = 0) -> TableRow:
    return TableRow(
        "令和6年4月1日", item, before, after, "事後", "重要な変更に当たらない。", f"e{n}"
    )


def whole_text(parts: list[TableRow], column: str) -> str:
    """The column joined back as the importer does (the cut mark as it reads it)."""
    texts = []
    for part, cut in zip(parts, (p.cut_inside for p in parts), strict=True):
        text = getattr(part, column)
        index = 0 if column == "before" else 1
        if cut[index]:
            lines = text.split("\n")
            lines[-2] += CUT_INSIDE_PARAGRAPH
            text = "\n".join(lines)
        texts.append(text)
    return join_column(texts, exact=True)


def test_every_page_holds_what_fits_and_rows_that_fit_stay_whole() -> None:
    rows = [row(paragraphs(3 + i % 9), paragraphs(2 + i % 7), n=i) for i in range(60)]
    pages = paginate(rows, GEOMETRY, HEADERS)
    assert height(pages[0]) <= ROOM_FIRST
    assert all(height(page) <= ROOM for page in pages[1:])
    assert all(len(page) for page in pages)
    printed = [r for page in pages for r in page]
    whole = [r for r in printed if r in rows]
    split = {r.entry_id for r in printed if r not in rows}
    assert len(whole) + len(split) == len(rows)
    for page, following in pairwise(pages):
        if page[-1].entry_id in split and page[-1].entry_id == following[0].entry_id:
            assert page[-1].before.endswith(CONTINUES_BELOW)  # cut at the page end
            assert following[0].before.startswith(CONTINUED_FROM_ABOVE)


def test_a_row_longer_than_a_page_is_cut_at_each_page_end_and_joins_back() -> None:
    long = row(paragraphs(90), paragraphs(30, "項"))
    pages = paginate([row("前", "後", n=1), long], GEOMETRY, HEADERS)
    parts = [r for page in pages for r in page if r.entry_id == "e0"]
    assert len(parts) == len(pages) >= 3
    assert [bool(p.date_text) for p in parts] == [True] + [False] * (len(parts) - 1)
    assert [bool(p.item_text) for p in parts] == [True] + [False] * (len(parts) - 1)
    assert [bool(p.timing) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert parts[-1].explanation == long.explanation
    for page in pages[1:]:
        assert page[0].before.startswith(CONTINUED_FROM_ABOVE)
        assert page[0].after.startswith(CONTINUED_FROM_ABOVE) or page[0].after == ""
    # 変更後 ran out first: it says （以下空欄） once, then stays empty.
    assert [NOTHING_BELOW in p.after for p in parts].count(True) == 1
    assert parts[-1].after == ""
    assert whole_text(parts, "before") == long.before
    assert whole_text(parts, "after") == long.after


def test_a_part_never_ends_with_a_heading_whose_text_follows() -> None:
    filler = paragraphs(GEOMETRY.lines_in(ROOM_FIRST) - 4)
    for extra in range(0, 6):  # move the heading over the page end line by line
        text = f"{filler}\n" + "追加の段落。\n" * extra + "＜追加措置＞\n" + paragraphs(12, "措置")
        pages = paginate([row(text, text)], GEOMETRY, HEADERS)
        for page in pages:
            for part in page:
                body = part.before.removesuffix(f"\n{CONTINUES_BELOW}")
                if part.before.endswith(CONTINUES_BELOW):
                    assert not body.split("\n")[-1].startswith("＜"), extra
                    assert body.removeprefix(f"{CONTINUED_FROM_ABOVE}\n") != "＜追加措置＞"


def test_a_tall_item_column_counts_for_the_first_part() -> None:
    tall_item = "\n".join(f"{i}．項目の階層{i}" for i in range(24))
    rows = [row(paragraphs(8), "後", n=i) for i in range(3)]
    rows.append(row(paragraphs(3), "後", item=tall_item, n=8))
    rows.append(row(paragraphs(40), "後", item=tall_item, n=9))
    pages = paginate(rows, GEOMETRY, HEADERS)
    assert height(pages[0]) <= ROOM_FIRST
    assert all(height(page) <= ROOM for page in pages[1:])


@pytest.mark.parametrize("limit", [5, 12])
def test_split_lines_cuts_parts_on_top_of_the_page_ends(limit: int) -> None:
    long = row(paragraphs(60), paragraphs(60))
    pages = paginate([long], GEOMETRY, HEADERS, split_lines=limit)
    parts = [r for page in pages for r in page]
    assert all(
        max(GEOMETRY.cell_lines(p.before, 2), GEOMETRY.cell_lines(p.after, 3)) <= limit
        for p in parts
    )
    assert len(pages) > 1
    assert all(height(page) <= ROOM for page in pages[1:])
    assert whole_text(parts, "before") == long.before


def test_column_widths_follow_the_real_tables() -> None:
    for size in (9.0, 10.5):
        geometry = TableGeometry(size)
        assert geometry.cell_lines("令和10年12月31日", 0) == 1
        assert geometry.cell_lines("令和10年12月31日日", 0) == 2  # and no more
        assert geometry.cell_lines("あ" * 13, 1) == 1
        assert geometry.cell_lines("あ" * 14, 1) == 2
        assert geometry.column_em[2] == geometry.column_em[3] > 13


def test_wrapping_follows_the_line_start_and_end_rules() -> None:
    assert wrap_lines("あ" * 25, 10) == [10, 10, 5]
    assert wrap_lines("あ" * 10 + "」です", 10) == [9, 4]  # 」 takes あ along
    assert wrap_lines("あ" * 10 + "。です", 10) == [11, 2]  # 。 hangs
    assert wrap_lines("あ" * 9 + "「引用」", 10) == [9, 4]  # 「 never ends a line
    assert wrap_lines("ab" * 10, 10) == [20]  # half-width: 1/2 em
    assert wrap_lines("", 10) == [0]

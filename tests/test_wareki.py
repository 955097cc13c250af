"""和暦 formatting and parsing: the verified table of pitfalls.md §5, boundaries, rejections."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pia_desk.domain.wareki import (
    ERAS,
    DigitStyle,
    WarekiError,
    era_of,
    format_wareki,
    parse_date,
)

DATES = st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31))


# --- formatting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        # verified table, pitfalls.md §5
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1873, 1, 1), "明治6年1月1日"),
        # other boundaries
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(2021, 10, 20), "令和3年10月20日"),
        (date(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_format_wareki(d: date, expected: str) -> None:
    assert format_wareki(d) == expected


def test_format_full_width() -> None:
    assert format_wareki(date(2021, 10, 20), DigitStyle.FULL) == "令和３年１０月２０日"
    assert format_wareki(date(2019, 5, 1), DigitStyle.FULL) == "令和元年５月１日"
    assert format_wareki(date(2021, 10, 20), DigitStyle("half")) == "令和3年10月20日"


def test_era_of() -> None:
    assert era_of(date(2019, 5, 1)) == ("令和", 1)
    assert era_of(date(2019, 4, 30)) == ("平成", 31)
    assert era_of(date(1912, 7, 30)) == ("大正", 1)
    assert era_of(date(1873, 1, 1)) == ("明治", 6)


def test_every_era_boundary() -> None:
    """The day before each era's start belongs to the previous era, its last year."""
    for newer, older in itertools.pairwise(ERAS):
        assert era_of(newer.start) == (newer.name, 1)
        assert era_of(newer.start - timedelta(days=1))[0] == older.name


def test_before_gregorian_is_refused() -> None:
    with pytest.raises(ValueError, match="1873"):
        format_wareki(date(1872, 12, 31))
    with pytest.raises(WarekiError):
        era_of(date(1, 1, 1))


# --- parsing ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和3年10月20日", date(2021, 10, 20)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和３年１０月２０日", date(2021, 10, 20)),
        ("R3.10.20", date(2021, 10, 20)),
        ("r3/10/20", date(2021, 10, 20)),
        ("R3-10-20", date(2021, 10, 20)),
        ("Ｒ３．１０．２０", date(2021, 10, 20)),
        ("H31.4.30", date(2019, 4, 30)),
        ("R1.5.1", date(2019, 5, 1)),
        ("S64.1.7", date(1989, 1, 7)),
        ("H1.1.8", date(1989, 1, 8)),
        ("㋿6年4月1日", date(2024, 4, 1)),
        ("㋿６年４月１日", date(2024, 4, 1)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("平成３１年４月３０日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("明治6年1月1日", date(1873, 1, 1)),
        ("2021/10/20", date(2021, 10, 20)),
        ("2021-10-20", date(2021, 10, 20)),
        ("2021.10.20", date(2021, 10, 20)),
        ("２０２１／１０／２０", date(2021, 10, 20)),
        ("2021年10月20日", date(2021, 10, 20)),
        ("  令和3年10月20日 ", date(2021, 10, 20)),
        ("\u3000R3.10.20\u3000", date(2021, 10, 20)),
        ("令和 3年 10月 20日", date(2021, 10, 20)),
        ("令和03年01月02日", date(2021, 1, 2)),
    ],
)
def test_parse_accepts(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",  # after 平成 ended
        "令和元年4月30日",  # before 令和 began
        "令和2年2月30日",  # no such day
        "令和0年1月1日",  # era year 0
        "R0.1.1",
        "昭和64年1月8日",
        "大正元年7月29日",
        "明治5年12月31日",  # lunisolar calendar, unsupported
        "明治元年1月1日",
        "1872/12/31",
        "2021/13/01",
        "2021/10/20 extra",
        "R3.10/20",  # mixed separators
        "X3.10.20",
        "令和3年10月",
        "令和三年十月二十日",
        "",
        "   ",
        "令和99999年1月1日",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(WarekiError):
        parse_date(text)


def test_error_is_value_error_and_names_input() -> None:
    with pytest.raises(ValueError) as info:
        parse_date("あした")
    assert "「あした」" in str(info.value)
    assert "日付として読み取れません" in str(info.value)
    assert "例" in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("平成31年5月1日", "平成31年4月30日"),
        ("令和2年2月30日", "存在しない日付"),
        ("令和0年1月1日", "元年"),
        ("1872/12/31", "1873年1月1日"),
    ],
)
def test_error_messages_are_japanese(text: str, fragment: str) -> None:
    with pytest.raises(WarekiError) as info:
        parse_date(text)
    assert fragment in str(info.value)
    assert f"「{text}」" in str(info.value)


# --- properties -------------------------------------------------------------------


@given(DATES, st.sampled_from(list(DigitStyle)))
def test_round_trip(d: date, digits: DigitStyle) -> None:
    assert parse_date(format_wareki(d, digits)) == d


@given(DATES)
def test_round_trip_iso(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d


@given(DATES)
def test_full_width_has_no_ascii_digits(d: date) -> None:
    text = format_wareki(d, DigitStyle.FULL)
    assert not any(ch.isascii() and ch.isdigit() for ch in text)
    assert text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) == format_wareki(d)


@given(DATES)
def test_era_year_is_positive_and_consistent(d: date) -> None:
    name, year = era_of(d)
    assert year >= 1
    assert format_wareki(d).startswith(name + ("元" if year == 1 else str(year)) + "年")

"""Japanese era (和暦) dates: formatting for display/print and lenient-but-strict parsing.

The standard library has no era support and third-party packages disagree on 元年
and on dates past an era's end (see design/pitfalls.md §5), so a small table is used.

Dates are stored as ISO `date`s; these functions only convert at the UI/print edge.
Only Gregorian-calendar dates are supported: Japan adopted it on 明治6年1月1日
(1873-01-01), so earlier dates are rejected rather than silently mis-converted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "ERAS",
    "MIN_DATE",
    "DigitStyle",
    "Era",
    "WarekiError",
    "era_of",
    "format_wareki",
    "format_wareki_moment",
    "parse_date",
]


class DigitStyle(StrEnum):
    """Digit width used when printing dates (a per-project setting)."""

    HALF = "half"
    FULL = "full"


class WarekiError(ValueError):
    """A date text could not be read, or names a day that does not exist.

    The message is Japanese and quotes the input, so the UI can show it as is.
    """


@dataclass(frozen=True, slots=True)
class Era:
    """One era: its name, its one-letter abbreviation, its first day and the year of 元年."""

    name: str
    letter: str
    start: date
    base_year: int  # Gregorian year of 元年 (year 1)


MIN_DATE = date(1873, 1, 1)
"""First supported day: 明治6年1月1日, the first day of the Gregorian calendar in Japan."""

# Newest first, so the first era whose start is <= d is the right one.
# 明治 officially began in 1868, but only its Gregorian part is supported (MIN_DATE).
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1), 2019),
    Era("平成", "H", date(1989, 1, 8), 1989),
    Era("昭和", "S", date(1926, 12, 25), 1926),
    Era("大正", "T", date(1912, 7, 30), 1912),
    Era("明治", "M", MIN_DATE, 1868),
)

_BY_NAME = {era.name: era for era in ERAS}
_BY_LETTER = {era.letter: era for era in ERAS}
_TO_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_EXAMPLE = "（例: 令和3年10月20日）"

# Patterns run on NFKC-normalised text: full-width digits/punctuation are ASCII and
# the era ligatures (㋿ ㍻ ㍼ ㍽ ㍾) are spelled out as 令和 平成 昭和 大正 明治.
_ERA_KANJI = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和)\s*(?P<y>元|\d{1,4})\s*年"
    r"\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",
    re.ASCII,
)
_ERA_LETTER = re.compile(
    r"(?P<era>[MTSHR])\s*(?P<y>元|\d{1,4})"
    r"\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})",
    re.IGNORECASE | re.ASCII,
)
_WESTERN_SEP = re.compile(
    r"(?P<y>\d{4})\s*(?P<sep>[./-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})", re.ASCII
)
_WESTERN_KANJI = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日", re.ASCII
)


def _era_for(d: date) -> Era:
    """The era `d` falls in; dates before the Gregorian calendar are refused."""
    for era in ERAS:
        if d >= era.start:
            return era
    raise WarekiError(f"明治6年1月1日（1873年1月1日）より前の日付は扱えません: 「{d.isoformat()}」")


def _next_start(era: Era) -> date | None:
    """First day of the era after `era` (None for the current era)."""
    index = ERAS.index(era)
    return ERAS[index - 1].start if index > 0 else None


def era_of(d: date) -> tuple[str, int]:
    """The era name and era year of `d`, e.g. (令和, 1) for 2019-05-01."""
    era = _era_for(d)
    return era.name, d.year - era.base_year + 1


def format_wareki(d: date, digits: DigitStyle = DigitStyle.HALF) -> str:
    """`令和3年10月20日` / `令和元年5月1日`; FULL gives `令和３年１０月２０日` for print styles."""
    name, year = era_of(d)
    year_text = "元" if year == 1 else str(year)
    text = f"{name}{year_text}年{d.month}月{d.day}日"
    return text.translate(_TO_FULL) if digits == DigitStyle.FULL else text


def format_wareki_moment(stamp: str) -> str | None:
    """An ISO 8601 time stamp (with its offset) as people read it here: `令和8年11月29日 09:30`
    in this computer's local time. None when `stamp` is no time stamp."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except (TypeError, ValueError):
        return None
    try:
        return f"{format_wareki(moment.date())} {moment:%H:%M}"
    except ValueError:  # before 明治6年
        return None


def parse_date(text: str) -> date:
    """Read a date as users type it: 和暦 (kanji, ㋿, R3.10.20) or 西暦 (2021/10/20, 2021年…).

    Strict on purpose: a day outside its era (平成31年5月1日), era year 0 or a day that
    does not exist (令和2年2月30日) is an error, because guessing would store a wrong date.
    """
    normalized = unicodedata.normalize("NFKC", text).strip()
    if match := _ERA_KANJI.fullmatch(normalized):
        return _from_era(text, _BY_NAME[match["era"]], match["y"], match["m"], match["d"])
    if match := _ERA_LETTER.fullmatch(normalized):
        era = _BY_LETTER[match["era"].upper()]
        return _from_era(text, era, match["y"], match["m"], match["d"])
    if match := _WESTERN_SEP.fullmatch(normalized) or _WESTERN_KANJI.fullmatch(normalized):
        d = _make_date(text, int(match["y"]), int(match["m"]), int(match["d"]))
        if d < MIN_DATE:
            raise WarekiError(f"明治6年1月1日（1873年1月1日）より前の日付は扱えません: 「{text}」")
        return d
    raise WarekiError(f"日付として読み取れません: 「{text}」{_EXAMPLE}")


def _from_era(text: str, era: Era, year_text: str, month: str, day: str) -> date:
    """Convert an era date, rejecting year 0 and days outside the era's span."""
    era_year = 1 if year_text == "元" else int(year_text)
    if era_year < 1:
        raise WarekiError(f"元号の年は元年（1年）から始まります: 「{text}」")
    d = _make_date(text, era.base_year + era_year - 1, int(month), int(day))
    end = _next_start(era)
    if d < era.start or (end is not None and d >= end):
        raise WarekiError(f"「{text}」は{_era_span(era)}の範囲外です")
    return d


def _era_span(era: Era) -> str:
    """Human-readable span of an era, e.g. 平成（平成元年1月8日〜平成31年4月30日）."""
    first = format_wareki(era.start)
    end = _next_start(era)
    if end is None:
        return f"{era.name}（{first}〜）"
    last = date.fromordinal(end.toordinal() - 1)
    last_year = last.year - era.base_year + 1
    return f"{era.name}（{first}〜{era.name}{last_year}年{last.month}月{last.day}日）"


def _make_date(text: str, year: int, month: int, day: int) -> date:
    """`date(...)` with a Japanese error naming the input instead of Python's message."""
    try:
        return date(year, month, day)
    except ValueError:
        raise WarekiError(f"存在しない日付です: 「{text}」") from None

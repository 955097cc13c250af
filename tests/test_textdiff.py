"""Character diff of 変更前/変更後: exact reconstruction, spans, UTF-16 offsets, paragraphs."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia_desk.domain.textdiff import (
    DEGENERATE_MIN_LENGTH,
    DiffOp,
    Span,
    changed_paragraphs,
    changed_spans,
    diff_chunks,
    is_degenerate,
    spans_to_utf16,
    utf16_offset,
)

# Small alphabet so that random pairs share a lot; astral 𠮷 and newlines included.
ALPHABET = "あいうえおの、。第三条令和六七年𠮷😀ab \n"
TEXTS = st.text(alphabet=ALPHABET, max_size=60)

BEFORE = "第三条　この規程は、令和六年四月一日から施行する。"
AFTER = (
    "第三条　この規程は、令和七年四月一日から施行する。ただし、第五条の規定は公布の日から施行する。"
)


def _side(chunks: list[tuple[DiffOp, str]], keep: DiffOp) -> str:
    return "".join(text for op, text in chunks if op in (DiffOp.EQUAL, keep))


def _covered(text: str, spans: list[Span]) -> str:
    return "".join(text[s.start : s.end] for s in spans)


def _uncovered(text: str, spans: list[Span]) -> str:
    kept, pos = [], 0
    for s in spans:
        kept.append(text[pos : s.start])
        pos = s.end
    kept.append(text[pos:])
    return "".join(kept)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- diff_chunks ------------------------------------------------------------------


def test_real_sentence() -> None:
    chunks = diff_chunks(BEFORE, AFTER)
    assert chunks == [
        (DiffOp.EQUAL, "第三条　この規程は、令和"),
        (DiffOp.DELETE, "六"),
        (DiffOp.INSERT, "七"),
        (DiffOp.EQUAL, "年四月一日から施行する。"),
        (DiffOp.INSERT, "ただし、第五条の規定は公布の日から施行する。"),
    ]
    assert all(isinstance(op, DiffOp) for op, _ in chunks)


def test_identical_and_empty() -> None:
    assert diff_chunks("同じ", "同じ") == [(DiffOp.EQUAL, "同じ")]
    assert diff_chunks("", "") == []
    assert diff_chunks("", "新") == [(DiffOp.INSERT, "新")]
    assert diff_chunks("旧", "") == [(DiffOp.DELETE, "旧")]


def test_astral_characters_are_single_units() -> None:
    assert diff_chunks("𠮷野家", "吉野家") == [
        (DiffOp.DELETE, "𠮷"),
        (DiffOp.INSERT, "吉"),
        (DiffOp.EQUAL, "野家"),
    ]


@given(TEXTS, TEXTS)
def test_chunks_rebuild_both_texts(before: str, after: str) -> None:
    chunks = diff_chunks(before, after)
    assert _side(chunks, DiffOp.DELETE) == before
    assert _side(chunks, DiffOp.INSERT) == after
    assert all(text for _, text in chunks)


@settings(max_examples=30)
@given(st.text(alphabet=ALPHABET, min_size=120, max_size=400), st.data())
def test_chunks_rebuild_long_multiline_texts(before: str, data: st.DataObject) -> None:
    """Long texts take diff-match-patch's line-mode path; it must stay exact."""
    cut = data.draw(st.integers(0, len(before)))
    insert = data.draw(TEXTS)
    after = before[:cut] + insert + before[cut + len(insert) // 2 :]
    chunks = diff_chunks(before, after)
    assert _side(chunks, DiffOp.DELETE) == before
    assert _side(chunks, DiffOp.INSERT) == after


# --- changed_spans ----------------------------------------------------------------


def test_spans_real_sentence() -> None:
    deleted, inserted = changed_spans(BEFORE, AFTER)
    assert [BEFORE[s.start : s.end] for s in deleted] == ["六"]
    assert [AFTER[s.start : s.end] for s in inserted] == [
        "七",
        "ただし、第五条の規定は公布の日から施行する。",
    ]


def test_spans_accept_precomputed_chunks() -> None:
    chunks = diff_chunks(BEFORE, AFTER)
    assert changed_spans(BEFORE, AFTER, chunks=chunks) == changed_spans(BEFORE, AFTER)


def test_adjacent_chunks_are_merged() -> None:
    chunks = [
        (DiffOp.EQUAL, "a"),
        (DiffOp.DELETE, "b"),
        (DiffOp.DELETE, "c"),
        (DiffOp.INSERT, "x"),
        (DiffOp.INSERT, "y"),
    ]
    assert changed_spans("abc", "axy", chunks=chunks) == ([Span(1, 3)], [Span(1, 3)])


@given(TEXTS, TEXTS)
def test_spans_cover_exactly_the_changes(before: str, after: str) -> None:
    chunks = diff_chunks(before, after)
    deleted, inserted = changed_spans(before, after, chunks=chunks)
    assert _covered(before, deleted) == "".join(t for op, t in chunks if op == DiffOp.DELETE)
    assert _covered(after, inserted) == "".join(t for op, t in chunks if op == DiffOp.INSERT)
    common = "".join(t for op, t in chunks if op == DiffOp.EQUAL)
    assert _uncovered(before, deleted) == common == _uncovered(after, inserted)
    for spans, text in ((deleted, before), (inserted, after)):
        assert all(0 <= s.start < s.end <= len(text) for s in spans)
        assert all(a.end < b.start for a, b in itertools.pairwise(spans))


def test_span_rejects_negative_range() -> None:
    with pytest.raises(ValueError):
        Span(3, 2)
    assert Span(2, 5).length == 3


# --- UTF-16 -----------------------------------------------------------------------


def test_utf16_offset_yoshinoya() -> None:
    text = "𠮷野家"
    assert len(text) == 3
    assert [utf16_offset(text, i) for i in range(4)] == [0, 2, 3, 4]
    assert utf16_offset("野家", 2) == 2
    with pytest.raises(IndexError):
        utf16_offset(text, 4)


def test_spans_to_utf16_for_highlighting() -> None:
    before, after = "𠮷野家の牛丼", "𠮷野家の親子丼"
    _, inserted = changed_spans(before, after)
    assert [after[s.start : s.end] for s in inserted] == ["親子"]
    assert inserted == [Span(4, 6)]
    assert spans_to_utf16(after, inserted) == [Span(5, 7)]
    assert spans_to_utf16("野家", [Span(0, 2)]) == [Span(0, 2)]


@given(st.text(alphabet=ALPHABET, max_size=40), st.data())
def test_utf16_matches_encoding(text: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(text)))
    assert utf16_offset(text, index) == _utf16_len(text[:index])
    end = data.draw(st.integers(index, len(text)))
    assert spans_to_utf16(text, [Span(index, end)]) == [
        Span(_utf16_len(text[:index]), _utf16_len(text[:end]))
    ]


# --- is_degenerate ----------------------------------------------------------------


def _random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET.replace("\n", "")) for _ in range(n))


def _edited(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        chars[rng.randrange(len(chars))] = rng.choice("かきくけこ")
    return "".join(chars)


def test_timeout_gives_degenerate_diff() -> None:
    rng = random.Random(7)
    before = _random_text(rng, 3000)
    after = _edited(rng, before, 600)
    chunks = diff_chunks(before, after, timeout=1e-6)
    assert is_degenerate(chunks, before, after)
    exact = diff_chunks(before, after, timeout=0)
    assert not is_degenerate(exact, before, after)


def test_wholesale_replacement_of_similar_text_is_degenerate() -> None:
    rng = random.Random(3)
    before = _random_text(rng, 200)
    after = _edited(rng, before, 20)
    chunks = [(DiffOp.EQUAL, "前文"), (DiffOp.DELETE, before), (DiffOp.INSERT, after)]
    assert is_degenerate(chunks, "前文" + before, "前文" + after)


def test_honest_diffs_are_not_degenerate() -> None:
    assert not is_degenerate(diff_chunks(BEFORE, AFTER), BEFORE, AFTER)
    short_b, short_a = "あ" * (DEGENERATE_MIN_LENGTH - 1), "い" * (DEGENERATE_MIN_LENGTH - 1)
    assert not is_degenerate(diff_chunks(short_b, short_a), short_b, short_a)
    long_text = "あいう" * 100
    assert not is_degenerate(diff_chunks("", long_text), "", long_text)
    assert not is_degenerate(diff_chunks(long_text, ""), long_text, "")
    # Unrelated texts replaced wholesale: correct, not a timeout artefact.
    unrelated_b, unrelated_a = "あいうえお" * 30, "かきくけこ" * 30
    chunks = diff_chunks(unrelated_b, unrelated_a)
    assert not is_degenerate(chunks, unrelated_b, unrelated_a)


# --- changed_paragraphs -----------------------------------------------------------


def test_paragraphs_identical() -> None:
    assert changed_paragraphs("一\n二\n三", "一\n二\n三") == ([], [])
    assert changed_paragraphs("", "") == ([], [])


def test_paragraphs_one_changed() -> None:
    before = "第一段落。\n令和六年に施行。\n第三段落。"
    after = "第一段落。\n令和七年に施行。\n第三段落。"
    assert changed_paragraphs(before, after) == ([1], [1])


def test_paragraph_inserted() -> None:
    before = "一行目です。\n三行目です。"
    after = "一行目です。\n新しい二行目です。\n三行目です。"
    # The paragraph after the insertion point is marked on both sides: an anchor
    # that lets a reader see where the new paragraph went.
    assert changed_paragraphs(before, after) == ([1], [1, 2])
    assert changed_paragraphs(after, before) == ([1, 2], [1])


def test_paragraphs_joined() -> None:
    assert changed_paragraphs("あいう\nえお", "あいうえお") == ([0, 1], [0])


def _unmarked(text: str, marked: list[int]) -> list[str]:
    return [p for i, p in enumerate(text.split("\n")) if i not in set(marked)]


@given(TEXTS, TEXTS)
def test_unmarked_paragraphs_are_unchanged(before: str, after: str) -> None:
    """Paragraphs left unmarked are the same, in the same order, on both sides."""
    marked_before, marked_after = changed_paragraphs(before, after)
    assert _unmarked(before, marked_before) == _unmarked(after, marked_after)
    assert marked_before == sorted(set(marked_before))
    assert all(0 <= i <= before.count("\n") for i in marked_before)
    assert all(0 <= i <= after.count("\n") for i in marked_after)
    assert (marked_before == [] and marked_after == []) == (before == after)

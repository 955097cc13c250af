"""How an entry is quoted in the 変更箇所 table: whole, or only its changed paragraphs
under their heading after a label such as `（＜…追加措置＞部分のみ抜粋）` (部分のみ抜粋);
a change that only adds paragraphs leaves 変更前 empty and heads the added text
（追加文） or （＜…＞における追加文）, as real tables do.

The table writer renders rows with it and the importer compares imported rows with it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from pia_desk.domain.entries import ChangeEntry, QuoteMode
from pia_desk.domain.table_text import trim_blank_lines
from pia_desk.domain.textdiff import changed_paragraphs
from pia_desk.domain.values import DELETED_MARK

# Opening → closing bracket of paragraphs that head a block inside an item's text.
_HEADING_BRACKETS = {"＜": "＞", "<": ">", "【": "】", "〈": "〉", "《": "》"}
_HEADING_MAX_CHARS = 80


def quoted_texts(entry: ChangeEntry) -> tuple[str, str]:
    """変更前 / 変更後 of `entry` as the table prints them."""
    before, after = entry.before, entry.after
    if entry.quote == QuoteMode.CHANGED_PARAGRAPHS and before and after != DELETED_MARK:
        return excerpt_texts(before, after, entry.excerpt_label)
    return before, after


@lru_cache(maxsize=512)  # the on-screen list asks again on every repaint
def excerpt_texts(before: str, after: str, label: str = "") -> tuple[str, str]:
    """Only the changed paragraphs of both texts, each under its heading, after a label.

    `label` is the heading the row quotes (entry.excerpt_label); when empty, the
    heading of the first changed paragraph is used. Texts without a change are
    returned whole.
    """
    marked_before, marked_after = changed_paragraphs(before, after)
    if not marked_before and not marked_after:
        return before, after
    paras_before, paras_after = before.split("\n"), after.split("\n")
    added = _added_blocks(paras_before, paras_after)
    if added:
        return "", _added_text(paras_after, added, label)
    label = (
        label
        or _first_heading(paras_after, marked_after)
        or _first_heading(paras_before, marked_before)
    )
    mark = _excerpt_mark(label)
    return (
        _excerpt(paras_before, marked_before, mark),
        _excerpt(paras_after, marked_after, mark),
    )


def _added_blocks(before: list[str], after: list[str]) -> list[tuple[int, int]]:
    """The [start, end) runs of paragraphs of `after` that were added, when adding
    paragraphs is all that changed (else [])."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    blocks = []
    for op, _, _, start, end in matcher.get_opcodes():
        if op == "insert":
            blocks.append((start, end))
        elif op != "equal":
            return []
    return [b for b in blocks if any(p.strip() for p in after[b[0] : b[1]])]


def _added_text(paragraphs: list[str], blocks: list[tuple[int, int]], label: str) -> str:
    """（追加文） or （＜…＞における追加文）, then the added paragraphs (the unchanged
    neighbours are not repeated), blank-line separated."""
    headings = _headings(paragraphs)
    heading = label.strip()
    if not heading:
        index = _heading_of(headings, blocks[0][0])
        if index is not None and index < blocks[0][0]:
            heading = paragraphs[index].strip(" \u3000")
    mark = f"（{heading}における追加文）" if heading else "（追加文）"
    body = "\n\n".join("\n".join(trim_blank_lines(paragraphs[a:b])) for a, b in blocks)
    return f"{mark}\n{body}"


def _excerpt_mark(label: str) -> str:
    """`（＜…＞部分のみ抜粋）` for a ＜…＞ heading, `（【…】のみ抜粋）` otherwise."""
    if not label:
        return "（変更箇所のみ抜粋）"
    stripped = label.strip()
    if stripped[:1] in ("＜", "<") and stripped[-1:] in ("＞", ">"):
        return f"（{stripped}部分のみ抜粋）"
    return f"（{stripped}のみ抜粋）"


def is_heading(paragraph: str) -> bool:
    """Whether a paragraph heads a block of an item's text (＜…＞, 【…】 and the like)."""
    text = paragraph.strip(" \u3000")
    closing = _HEADING_BRACKETS.get(text[:1])
    return closing is not None and text.endswith(closing) and len(text) <= _HEADING_MAX_CHARS


def _headings(paragraphs: Sequence[str]) -> list[int]:
    """Indexes of the heading paragraphs, found once per text (a long item quoted by
    many rows would otherwise be scanned back from every changed paragraph)."""
    return [i for i, paragraph in enumerate(paragraphs) if is_heading(paragraph)]


def _heading_of(headings: list[int], index: int) -> int | None:
    """Index of the heading paragraph that `index` belongs to (itself if a heading)."""
    position = bisect_right(headings, index)
    return headings[position - 1] if position else None


def _first_heading(paragraphs: Sequence[str], marked: Sequence[int]) -> str:
    headings = _headings(paragraphs)
    for index in marked:
        heading = _heading_of(headings, index)
        if heading is not None:
            return paragraphs[heading].strip(" \u3000")
    return ""


def _excerpt(paragraphs: Sequence[str], marked: Iterable[int], mark: str) -> str:
    """The mark, then each run of changed paragraphs under its heading, blank-line separated."""
    keep: list[int] = []
    headings = _headings(paragraphs)
    for index in marked:
        heading = _heading_of(headings, index)
        for i in (heading, index):
            if i is not None and i not in keep:
                keep.append(i)
    keep.sort()
    blocks: list[list[str]] = []
    previous = -2
    for index in keep:
        if index != previous + 1:
            blocks.append([])
        blocks[-1].append(paragraphs[index])
        previous = index
    body = "\n\n".join(
        "\n".join(trim_blank_lines(block)) for block in blocks if trim_blank_lines(block)
    )
    return f"{mark}\n\n{body}" if body else mark

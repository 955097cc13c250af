"""The text flow of an assessment document, and its canonical form for finding labels.

Every reader (Word, Excel, PDF, plain text) turns a document into a `TextFlow`: its
text pieces in reading order (a cell, a paragraph, a PDF line), each saying where it
was (for the report) and, for Word and Excel, a locator that a writer can use to put a
value back. The matcher never looks at the layout, only at this flow.

`CanonicalStream` is the whole flow in the comparison form of labels (see item_path):
no white space, full-width ASCII folded to half-width, ※ and its note removed, the
known wording variants applied; each canonical character remembers the raw position
it came from, so that a label found in the stream maps back to the text around it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import not_

from pia_desk.domain.item_path import PATTERN_VARIANTS, WORDING_VARIANTS


@dataclass(frozen=True)
class Segment:
    """One piece of a document's text: a cell, a paragraph, a line of a PDF page.

    `where` says where it was, in Japanese, for the report (「表3の5行目2列目」);
    `place` is the reader's own locator (for write-back); the domain never reads it.
    """

    text: str
    where: str
    place: tuple = ()
    row: int | None = None  # a table row (numbered across the flow), None outside tables


@dataclass
class TextFlow:
    """A document as text pieces in reading order."""

    segments: list[Segment] = field(default_factory=list)
    kind: str = "text"  # docx | xlsx | pdf | text
    notes: list[str] = field(default_factory=list)  # what the reader left out, and why

    def add(self, text: str, where: str, place: tuple = (), row: int | None = None) -> None:
        self.segments.append(Segment(text, where, place, row))

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


# -- canonical characters ---------------------------------------------------------------
# Full-width ASCII to half-width, half-width katakana to full-width, one character for
# one (circled numbers ① and Roman numerals Ⅱ stay: NFKC would turn ① into 1).
_FOLD = str.maketrans(
    {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    | {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFF61, 0xFFA0)}
)
_FOLDABLE = re.compile("[\uff01-\uff5e\uff61-\uff9f]+")
_NON_SPACE = re.compile(r"\S+")  # \s is str.isspace
_COMPILED_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(re.escape(written)), official) for written, official in WORDING_VARIANTS
) + tuple((re.compile(pattern), replacement) for pattern, replacement in PATTERN_VARIANTS)
# Marks that close a label without being part of it: ※ and its note, e.g. ※（７．②を除く。）
_IMPORTANT_MARK = re.compile(r"\s*※[ \t\u3000]*(?:（[^）\n]*）|\([^)\n]*\))?")
# A note in lenticular brackets after a label: 承認日 【行政機関等のみ】
_COLON = re.compile(r"[ \t\u3000]*[:：]")
_LABEL_NOTE = re.compile(r"[ \t\u3000]*【[^】\n]{1,20}】")


def canonical_with_origin(raw: str) -> tuple[str, array[int]]:
    """The canonical text of `raw` and, per canonical character, its index in `raw`.

    Every step runs at C speed (no Python code per character or per word) and the
    origins are a compact array (4 bytes a character): a cell of a million characters
    costs a few MB and a fraction of a second."""
    return _canonical(raw)[1:]


def _canonical(raw: str) -> tuple[str, str, array[int]]:
    """The text before the wording variants, after them, and the origins."""
    runs = raw.split()
    plain = text = _folded("".join(runs))
    origin = _non_space_positions(raw, len(runs))
    for pattern, replacement in _COMPILED_VARIANTS:
        if pattern.search(text):
            text, origin = _substitute(text, origin, pattern, replacement)
    return plain, text, origin


def _folded(text: str) -> str:
    return _FOLDABLE.sub(lambda run: run.group().translate(_FOLD), text)


def _non_space_positions(raw: str, runs: int) -> array[int]:
    """The index of every non-space character of `raw`: per run of text from a slice of
    0, 1, 2 … (long runs), else per character by a C iterator (many short words)."""
    if runs * 4 > len(raw):
        return array("I", compress(range(len(raw)), map(not_, map(str.isspace, raw))))
    positions = _positions(len(raw))
    origin = array("I")
    for run in _NON_SPACE.finditer(raw):
        origin.extend(positions[run.start() : run.end()])
    return origin


_POSITIONS = array("I")


def _positions(length: int) -> array[int]:
    """0, 1, 2 … up to at least `length`, kept for the next call (a document's size)."""
    global _POSITIONS
    if len(_POSITIONS) < length:
        _POSITIONS = array("I", range(max(length, 2 * len(_POSITIONS))))
    return _POSITIONS


def _substitute(
    text: str, origin: array[int], pattern: re.Pattern[str], replacement: str
) -> tuple[str, array[int]]:
    """re.sub that keeps the origin of every character (replaced text maps onto its span)."""
    parts: list[str] = []
    new_origin = array("I")
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        parts.append(text[last:start])
        new_origin.extend(origin[last:start])
        new = match.expand(replacement)
        span = end - start
        for j in range(len(new)):
            new_origin.append(
                origin[end - 1] if j == len(new) - 1 else origin[start + min(j, span - 1)]
            )
        parts.append(new)
        last = end
    parts.append(text[last:])
    new_origin.extend(origin[last:])
    return "".join(parts), new_origin


def canonical(text: str) -> str:
    """The comparison form of a label or a piece of text (canonical_with_origin's text,
    without the origins)."""
    text = _folded("".join(text.split()))
    for pattern, replacement in _COMPILED_VARIANTS:
        text = pattern.sub(replacement, text)
    return text


@dataclass
class CanonicalStream:
    """The whole flow in canonical form, with the way back to segments and offsets.

    `boundaries` are the canonical positions where a label may start: the start of a
    segment or of a line, and the first character after white space.
    """

    flow: TextFlow
    raw: str
    text: str
    origin: array[int]
    starts: list[int]  # raw offset of each segment
    boundaries: array[int]

    @classmethod
    def of(cls, flow: TextFlow) -> CanonicalStream:
        starts: list[int] = []
        offset = 0
        for segment in flow.segments:
            starts.append(offset)
            offset += len(segment.text) + 1
        raw = "\n".join(s.text for s in flow.segments)
        plain, text, origin = _canonical(raw)
        boundaries = _boundaries(raw, origin, unmoved=plain == text)
        return cls(flow, raw, text, origin, starts, boundaries)

    def is_boundary(self, position: int) -> bool:
        index = bisect.bisect_left(self.boundaries, position)
        return index < len(self.boundaries) and self.boundaries[index] == position

    def locate(self, raw_offset: int) -> tuple[int, int]:
        """(segment index, offset in that segment) of a raw offset."""
        index = max(0, bisect.bisect_right(self.starts, raw_offset) - 1)
        return index, raw_offset - self.starts[index]

    def raw_start(self, position: int) -> int:
        """Raw offset of the canonical character at `position`."""
        return self.origin[position] if position < len(self.origin) else len(self.raw)

    def raw_end(self, position: int) -> int:
        """Raw offset just after the canonical text that ends before `position`,
        extended over a ※ mark (and its note) that follows it (a PDF may wrap it) and
        a note such as 【行政機関等のみ】, and a colon."""
        if position <= 0:
            return 0
        end = self.origin[position - 1] + 1
        mark = _IMPORTANT_MARK.match(self.raw, end)
        if mark is not None and "※" in mark.group(0):
            end = mark.end()
        note = _LABEL_NOTE.match(self.raw, end)
        if note is not None:
            end = note.end()
        colon = _COLON.match(self.raw, end)  # 「①事務の名称：予防接種…」 as typed
        return colon.end() if colon is not None else end


def _boundaries(raw: str, origin: array[int], unmoved: bool) -> array[int]:
    """The first canonical position of each run of non-space raw text. Where no wording
    variant applied, each run keeps its length (folding is one for one), so they are
    the running sums of the run lengths; else each is found by bisection (origins never
    decrease). Work per run, not per character, and at C speed in the usual case."""
    if unmoved:
        return array("I", accumulate(map(len, raw.split()), initial=0))[:-1]
    result = array("I")
    position = 0
    for run in _NON_SPACE.finditer(raw):
        position = bisect.bisect_left(origin, run.start(), position)
        if position == len(origin):
            break
        if origin[position] == run.start():
            result.append(position)
    return result

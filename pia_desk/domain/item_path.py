"""Resolve a 項目 path, as written in a real change table, to a node of a form tree.

Real tables are inconsistent: spacing (`Ⅱ　特定…`), digit width (`提供先1`), typos
(`ネットワーム`), wording variants (`をのぞく`), wrong numbering (`１．` for `２．`),
skipped levels (no `リスク：…` heading) and trailing headings quoted from inside an
item's text (`＜…追加措置＞`). The matcher scores every plausible reading and keeps
the best one; it returns None rather than match unrelated text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from pia_desk.domain.tree import Node, NodeKind, is_file_block, repeat_siblings

# -- data: known wording variants (applied after NFKC and whitespace removal) ---------
# Plain substring replacements, in order: (as written in tables, as in the form).
WORDING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("ネットワーム", "ネットワーク"),
    ("情報ネットワークシステム", "情報提供ネットワークシステム"),
    ("をのぞく", "を除く"),
    ("市町区村", "市区町村"),
    ("特定個人情報ファイルの保管・消去", "特定個人情報の保管・消去"),
    ("〈", "<"),
    ("〉", ">"),
    ("《", "<"),
    ("》", ">"),
)
# Regular-expression variants: (pattern, replacement).
PATTERN_VARIANTS: tuple[tuple[str, str], ...] = (
    (r"リスク\d+:", "リスク:"),  # リスク１：… (全項目) vs リスク：… (重点)
    (r"※(\([^)]*\))?", ""),  # ※ and a note such as ※（７．②を除く。）
)

# -- scores ----------------------------------------------------------------------------
SCORE_EXACT = 1.0  # label written exactly as in the tree
SCORE_SAME = 0.95  # same normalized label and numbering
SCORE_NO_NUMBER = 0.9  # same normalized label, numbering missing on one side
SCORE_OTHER_NUMBER = 0.75  # same normalized label, different numbering (typo)
SCORE_PROTOTYPE = 0.85  # システム５ resolved through the prototype システム１
SCORE_EXCERPT = 0.5  # trailing heading inside an item's text
FUZZY_MIN_RATIO = 0.85  # similarity needed for a fuzzy match of normalized labels
FUZZY_MIN_LENGTH = 6
FUZZY_WEIGHT = 0.75
SKIP_PENALTY = 0.1  # per tree level skipped between two components
DELETED_PENALTY = 0.05
MAX_SKIP = 2  # at most this many levels may be left out between two components

_LEADING_NUMBER = re.compile(
    r"^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|[IVX]+(?![A-Za-z])|[0-9０-９]+[．.]|[①-⑳]|[(（][0-9０-９]+[)）])"
)
_WHITESPACE = re.compile(r"\s+")
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")
_HEADING = re.compile(r"^(?:[<＜〈《【\[［(（「]|[0-9０-９]+[．.]|[①-⑳]|[■●◆○・])")


@dataclass(frozen=True)
class PathMatch:
    """A resolved path.

    `repeat` holds, for each repeat component written in the path, the id of the node it
    resolved to (the instance itself, or the prototype when the tree lacks the instance)
    and the instance number written. `exact` is True when every component is written
    exactly as the tree's label, without skipped levels or prototype resolution (a
    trailing excerpt does not count).
    """

    node: Node
    excerpt_label: str | None = None
    repeat: tuple[tuple[str, int], ...] = ()
    exact: bool = False
    score: float = 0.0


@dataclass(frozen=True)
class _Step:
    node: Node
    score: float
    exact: bool
    repeat: tuple[str, int] | None = None
    excerpt: str | None = None


# -- normalization ---------------------------------------------------------------------
def _strip(text: str) -> str:
    return _WHITESPACE.sub("", text.replace("\u3000", ""))


def split_numbering(label: str) -> tuple[str, str]:
    """(numbering, rest): `１．事務` -> ("1", "事務"); `Ⅲリスク対策` -> ("III", "リスク対策")."""
    text = _strip(label)
    match = _LEADING_NUMBER.match(text)
    if not match or match.end() == len(text):
        return "", text
    number = unicodedata.normalize("NFKC", match.group(0)).strip("().")
    return number, text[match.end() :]


def _canonical(text: str) -> str:
    text = _strip(unicodedata.normalize("NFKC", text))
    for written, official in WORDING_VARIANTS:
        text = text.replace(written, official)
    for pattern, replacement in PATTERN_VARIANTS:
        text = re.sub(pattern, replacement, text)
    return text


def normalize_label(label: str) -> str:
    """The comparison key of a label: no numbering, whitespace, ※ or known variants."""
    return _canonical(split_numbering(label)[1])


# -- component scoring -----------------------------------------------------------------
def _label_score(component: str, node: Node) -> tuple[float, bool] | None:
    if _strip(component) == _strip(node.label):
        return SCORE_EXACT, True
    num_c, rest_c = split_numbering(component)
    num_n, rest_n = split_numbering(node.label)
    key_c, key_n = _canonical(rest_c), _canonical(rest_n)
    if not key_c or not key_n:
        return None
    if key_c == key_n:
        if num_c == num_n:
            return SCORE_SAME, False
        if not num_c or not num_n:
            return SCORE_NO_NUMBER, False
        return SCORE_OTHER_NUMBER, False
    if min(len(key_c), len(key_n)) < FUZZY_MIN_LENGTH or _digits(key_c) != _digits(key_n):
        return None
    ratio = SequenceMatcher(None, key_c, key_n).ratio()
    if ratio < FUZZY_MIN_RATIO:
        return None
    return ratio * FUZZY_WEIGHT, False


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _repeat_score(component: str, node: Node) -> _Step | None:
    """Match `システム５` against a repeat instance (or, failing that, its prototype)."""
    match = _TRAILING_NUMBER.match(_canonical(component))
    if not match or node.repeat_label is None:
        return None
    base, number = match.group(1), int(match.group(2))
    if base != _canonical(node.repeat_label.replace("{n}", "")):
        return None
    key = _canonical(component)
    if _canonical(node.label) == key:
        exact = _strip(component) == _strip(node.label)
        return _Step(node, SCORE_EXACT if exact else SCORE_SAME, exact, (node.id, number))
    siblings = repeat_siblings(node)
    if siblings[0] is not node or any(_canonical(s.label) == key for s in siblings):
        return None
    return _Step(node, SCORE_PROTOTYPE, False, (node.id, number))


def _is_repeat_component(component: str, node: Node) -> bool:
    match = _TRAILING_NUMBER.match(_canonical(component))
    return bool(match and node.repeat_label) and match.group(1) == _canonical(
        (node.repeat_label or "").replace("{n}", "")
    )


def _component_step(component: str, node: Node) -> _Step | None:
    if node.kind is NodeKind.REPEAT and _is_repeat_component(component, node):
        step = _repeat_score(component, node)
        if step is None:
            return None
    else:
        scored = _label_score(component, node)
        if scored is None:
            return None
        step = _Step(node, scored[0], scored[1])
    if node.deleted:
        step = _Step(node, step.score - DELETED_PENALTY, False, step.repeat)
    return step


def _is_excerpt(component: str, node: Node) -> bool:
    if node.kind.is_container:
        return False
    key = _canonical(component)
    if any(_canonical(option) == key for option in node.options):
        return True
    return bool(_HEADING.match(component.strip()))


# -- search ----------------------------------------------------------------------------
def _descendants(node: Node, depth: int = 0) -> Iterator[tuple[Node, int]]:
    """(descendant, levels skipped) in tree order, down to MAX_SKIP skipped levels.

    A 特定個人情報ファイル block's line is left out of paths of single-file projects, so
    skipping it costs nothing: a path without it finds the first file's item."""
    for child in node.children:
        yield child, depth
        if is_file_block(child):
            yield from _descendants(child, depth)
        elif depth < MAX_SKIP:
            yield from _descendants(child, depth + 1)


def _best(parent: Node, components: Sequence[str], index: int) -> tuple[float, list[_Step]] | None:
    if index == len(components):
        return 0.0, []
    best: tuple[float, list[_Step]] | None = None
    for candidate, skipped in _descendants(parent):
        step = _component_step(components[index], candidate)
        if step is None:
            continue
        rest = _best(candidate, components, index + 1)
        if rest is None:
            continue
        if skipped:
            step = _Step(candidate, step.score - SKIP_PENALTY * skipped, False, step.repeat)
        total = step.score + rest[0]
        if best is None or total > best[0]:
            best = (total, [step, *rest[1]])
    is_last = index == len(components) - 1
    if is_last and parent.parent is not None and _is_excerpt(components[index], parent):
        excerpt = _Step(parent, SCORE_EXCERPT, True, excerpt=components[index].strip())
        if best is None or best[0] < SCORE_EXCERPT:
            best = (SCORE_EXCERPT, [excerpt])
    return best


def match_item_path(root: Node, components: Sequence[str]) -> PathMatch | None:
    """Resolve `components` (section first) to a node under `root`, or None."""
    cleaned = [c for c in (str(c).strip() for c in components) if _strip(c)]
    if not cleaned:
        return None
    found = _best(root, cleaned, 0)
    if found is None:
        return None
    total, steps = found
    excerpt = steps[-1].excerpt
    item_steps = steps[:-1] if excerpt is not None else steps
    if not item_steps:
        return None
    return PathMatch(
        node=item_steps[-1].node,
        excerpt_label=excerpt,
        repeat=tuple(s.repeat for s in item_steps if s.repeat is not None),
        exact=all(s.exact for s in item_steps),
        score=total / len(steps),
    )

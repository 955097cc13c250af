"""Place the text of an assessment document (評価書) into a form's item tree.

The form's labels, in tree order, are anchors in the document's text flow; the text
between one item's label and the next label found is that item's value. Labels are
compared in canonical form (document_flow): spacing, full-width spaces, digit width,
※ with or without a space, known wording variants and typos (ネットワーム), labels
broken over two lines or cells. Numbering may differ (a newer 様式 renumbers) at a
lower weight.

Which occurrence of a label is its anchor is decided for the whole document at once:
the chain of label occurrences that is increasing in both document order and tree
order and has the greatest weight (a weighted longest common subsequence). A label
quoted inside a value, or a section title on a contents page, therefore cannot pull
the anchors out of order. Among equal chains, a heading whose own items follow it
closely is preferred (the contents page loses to the section itself).

The document decides the tree where the template is older or different: repeat
groups (システム３, 委託事項２ …) are created as they appear; a numbered label the
template lacks (③対象人数 of a newer 様式) becomes an item at its place; template
items the document lacks are kept and reported; text under no item is reported with
where it was. Nothing here changes a project: `match_document` returns a plan.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pia_desk.domain.document_flow import CanonicalStream, TextFlow, canonical
from pia_desk.domain.document_values import read_value
from pia_desk.domain.tree import (
    Node,
    NodeKind,
    copy_tree,
    new_repeat_instance,
    repeat_siblings,
    to_fullwidth_digits,
)
from pia_desk.domain.values import Value

# Weights of one anchor in the chain (integers, so that ties are exact). A label in a
# document ends its cell or line, or is followed by a space, a bracket or a colon; the
# same words inside a value run on (法令上の根拠について…).
WEIGHT_CLEAN_END = 10
WEIGHT_RUN_ON = 8
WEIGHT_OTHER_NUMBER = 2  # taken off when the numbering differs or is missing
WEIGHT_GAPPED = 1  # taken off a label found with value lines inside it
MIN_GAPPED_LENGTH = 12  # only long labels wrap
MIN_GAPPED_PREFIX = 4  # characters matched before a cut, and after it
MAX_GAPS = 4
MAX_GAP_LENGTH = 160
MIN_UNNUMBERED_LENGTH = 4  # a label matched without its numbering needs this many chars
MAX_REPEAT_INSTANCES = 50
GAP_CAP = 5000
EXCERPT_LENGTH = 40
MAX_DOCUMENT_LABEL = 40  # a label the template lacks is at most this long
SHORT_WORD = 12  # 評価書番号 and the like, printed under their label

_NUMBER = re.compile(r"(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|\d+\.|[①-⑳]|\(\d+\))")
_LABEL_ENDS = frozenset("[［:：(（")
_ASCII_DIGITS = frozenset("0123456789")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DOCUMENT_LABEL = re.compile(
    rf"^[ \t\u3000]*([①-⑳][^\n\[［]{{1,{MAX_DOCUMENT_LABEL}}}?)[ \t\u3000]*"
    r"(?=$|\n|[\[［]|[ \t\u3000]{2,})"
)
_BREAK_MARKS = ("(下段に続く)", "(上段からの続き)", "(以下空欄)")
_STAMP = re.compile(
    r"[\[［]\s*((?:平成|令和)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*様式\s*[0-9０-９])\s*[\]］]"
)
_FORM_TITLES = {
    "juten": "(重点項目評価書)",
    "zenkoumoku": "(全項目評価書)",
    "kiso": "(基礎項目評価書)",
}
_FORM_OF_STYLE = {"2": "kiso", "3": "juten", "4": "zenkoumoku"}


COVER_ID = "cover"
# The list of sections after the cover: its text is neither a value nor unplaced.
CONTENTS = Node(id="#contents", label="項目一覧", kind=NodeKind.SECTION)


@dataclass(frozen=True)
class _Anchor:
    node: Node | None  # None: the end of the 評価書 (the 変更箇所 annex)
    order: int
    key: str  # canonical label with its numbering
    number: str
    rest: str  # canonical label without numbering


@dataclass
class _Candidate:
    anchor: _Anchor
    start: int  # canonical position
    end: int
    weight: int
    penalty: int = 0
    gaps: tuple[tuple[int, int], ...] = ()  # canonical spans of value text inside the label


@dataclass
class Placed:
    """An anchor as placed: the node, and the raw span of its label."""

    node: Node | None
    label_start: int
    label_end: int
    from_document: bool = False
    region: tuple[str, list[tuple[int, int, int]]] = ("", [])
    gaps: tuple[tuple[int, int], ...] = ()  # raw spans of value text inside the label


@dataclass(frozen=True)
class Source:
    """Where an item's value was found: segment indexes and the span in each."""

    spans: tuple[tuple[int, int, int], ...]  # (segment, start, end)
    where: str


@dataclass
class DocumentMatch:
    """What the document gives the tree: a plan, nothing applied."""

    root: Node  # a copy of the tree with repeat instances and document items added
    values: dict[str, Value] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # node id -> the document's text
    sources: dict[str, Source] = field(default_factory=dict)
    added_items: list[tuple[str, str]] = field(default_factory=list)  # (path, where)
    added_repeats: list[str] = field(default_factory=list)  # paths of new instances
    missing: list[str] = field(default_factory=list)  # paths of leaf items not found
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (where, excerpt)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (path, where, why)
    stamp: str = ""
    form_hint: str | None = None
    anchors_found: int = 0
    items_total: int = 0
    annex_found: bool = False

    @property
    def items_found(self) -> int:
        return len(self.sources)

    def node(self, node_id: str) -> Node | None:
        return next((n for n in self.root.walk() if n.id == node_id), None)


def path_text(node: Node) -> str:
    return " / ".join(node.path_labels())


# -- form and stamp ---------------------------------------------------------------------
def find_stamp(flow: TextFlow) -> str:
    """The form stamp as printed, normalized to `[平成30年5月 様式3]`; "" if none."""
    for segment in flow.segments[:400]:
        match = _STAMP.search(segment.text)
        if match:
            inner = re.sub(r"\s+", "", match.group(1))
            inner = inner.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            return "[" + re.sub(r"(様式)", r" \1", inner, count=1) + "]"
    return ""


def detect_form(flow: TextFlow) -> str | None:
    """The form a document says it is: its title （重点項目評価書）… or its stamp."""
    head = canonical("\n".join(s.text for s in flow.segments[:200]))
    for form, title in _FORM_TITLES.items():
        if "特定個人情報保護評価書" + title in head:
            return form
    stamp = find_stamp(flow)
    match = re.search(r"様式(\d)", stamp)
    return _FORM_OF_STYLE.get(match.group(1)) if match else None


# -- the match ----------------------------------------------------------------------------
def match_document(flow: TextFlow, root: Node, annex_label: str = "") -> DocumentMatch:
    """Place the flow's text into a copy of `root` (the project's or the template's tree)."""
    stream = CanonicalStream.of(flow)
    tree = copy_tree(root)
    result = DocumentMatch(root=tree, stamp=find_stamp(flow), form_hint=detect_form(flow))
    result.added_repeats = _expand_repeats(tree, stream)
    anchors = _anchors(tree, annex_label)
    candidates = _candidates(stream, anchors)
    _set_penalties(candidates)
    chain = _best_chain(candidates, len(anchors))
    placed = [
        Placed(
            c.anchor.node,
            stream.raw_start(c.start),
            stream.raw_end(c.end),
            gaps=tuple((stream.raw_start(a), stream.raw_start(b)) for a, b in c.gaps),
        )
        for c in chain
    ]
    placed = _siblings_out_of_order(stream, placed, candidates)
    result.anchors_found = sum(1 for p in placed if p.node not in (None, CONTENTS))
    result.annex_found = any(p.node is None for p in placed)
    placed = _document_labels(stream, placed, tree, result)
    _fill(stream, placed, result)
    items = [n for n in tree.walk() if n.is_leaf_item and not n.is_deleted]
    result.items_total = len(items)
    result.missing = [path_text(n) for n in items if n.id not in result.sources]
    return result


def _walk_live(node: Node) -> Iterator[Node]:
    return node.walk(include_deleted=False)


def _expand_repeats(tree: Node, stream: CanonicalStream) -> list[str]:
    """Add the instances the document has beyond those of the tree (システム６,
    （２）特定個人情報ファイル …)."""
    added: list[str] = []
    existing = {n.id for n in tree.walk()}
    prototypes = [n for n in _walk_live(tree) if n.repeat_label and repeat_siblings(n)[0] is n]
    text = stream.text
    for prototype in prototypes:
        assert prototype.repeat_label is not None
        pattern = _instance_pattern(prototype.repeat_label)
        highest = 0
        for found in pattern.finditer(text):  # few matches; a boundary check each
            if stream.is_boundary(found.start()) and int(found.group(1)) <= MAX_REPEAT_INSTANCES:
                highest = max(highest, int(found.group(1)))
        siblings = [s for s in repeat_siblings(prototype) if not s.deleted]
        while (number := max(_instance_number(s) for s in siblings)) < highest:
            instance = new_repeat_instance(prototype, existing)
            # numbered as the document numbers it, whatever the tree's own rule says
            instance.label = prototype.repeat_label.format(n=to_fullwidth_digits(str(number + 1)))
            parent = prototype.parent
            assert parent is not None
            parent.add_child(instance, parent.children.index(siblings[-1]) + 1)
            siblings.append(instance)
            added.append(path_text(instance))
    return added


def _instance_pattern(repeat_label: str) -> re.Pattern[str]:
    r"""システム{n} -> システム(\d+)(?!\d); （{n}）特定個人情報ファイル -> \((\d+)\)特定…"""
    before, _, after = repeat_label.partition("{n}")
    end = re.escape(canonical(after)) if after else r"(?!\d)"
    return re.compile(re.escape(canonical(before)) + r"(\d+)" + end)


def _instance_number(node: Node) -> int:
    if node.repeat_label is None:
        return 0
    found = _instance_pattern(node.repeat_label).match(canonical(node.label))
    return int(found.group(1)) if found else 0


def _anchors(tree: Node, annex_label: str) -> list[_Anchor]:
    anchors = []
    for node in _walk_live(tree):
        if node is tree:
            continue
        if (
            node.parent is tree
            and node.id != COVER_ID
            and not any(a.node is CONTENTS for a in anchors)
        ):
            anchors.append(_make_anchor(CONTENTS, len(anchors), CONTENTS.label))
        anchors.append(_make_anchor(node, len(anchors), node.label))
    if annex_label:
        anchors.append(_make_anchor(None, len(anchors), annex_label))
    return anchors


def _make_anchor(node: Node | None, order: int, label: str) -> _Anchor:
    key = canonical(label)
    number = _NUMBER.match(key)
    num = number.group(0) if number and number.end() < len(key) else ""
    return _Anchor(node, order, key, num, key[len(num) :])


def _candidates(stream: CanonicalStream, anchors: list[_Anchor]) -> list[_Candidate]:
    by_key: dict[str, list[_Anchor]] = {}
    by_rest: dict[str, list[_Anchor]] = {}
    for anchor in anchors:
        if anchor.key:
            by_key.setdefault(anchor.key[:2], []).append(anchor)
        repeat = anchor.node is not None and anchor.node.kind is NodeKind.REPEAT
        if len(anchor.rest) >= MIN_UNNUMBERED_LENGTH and not repeat:  # instances by number only
            by_rest.setdefault(anchor.rest[:2], []).append(anchor)
    text = stream.text
    found: list[_Candidate] = []
    seen: set[int] = set()
    todo = _starts_of_interest(stream, by_key, by_rest)
    while todo:
        b = todo.pop()
        if b in seen or b >= len(text):
            continue
        seen.add(b)
        number = _NUMBER.match(text, b)
        num = number.group(0) if number else ""
        for anchor in by_key.get(text[b : b + 2], ()):
            if _matches_at(text, anchor.key, b):
                end = b + len(anchor.key)
                found.append(_Candidate(anchor, b, end, _weight(stream, end)))
                todo.append(b + len(anchor.key))
            elif len(anchor.key) >= MIN_GAPPED_LENGTH and (
                gapped := _gapped_match(stream, anchor.key, b)
            ):
                end, gaps = gapped
                weight = _weight(stream, end) - WEIGHT_GAPPED
                found.append(_Candidate(anchor, b, end, weight, gaps=gaps))
                todo.append(end)
        r = b + len(num)
        for anchor in by_rest.get(text[r : r + 2], ()):
            if anchor.number != num and _matches_at(text, anchor.rest, r):
                end = r + len(anchor.rest)
                weight = _weight(stream, end) - WEIGHT_OTHER_NUMBER
                found.append(_Candidate(anchor, b, end, weight))
                todo.append(r + len(anchor.rest))
    return found


def _starts_of_interest(
    stream: CanonicalStream, by_key: dict[str, list[_Anchor]], by_rest: dict[str, list[_Anchor]]
) -> list[int]:
    """The boundaries where some anchor's first characters are (perhaps after a number),
    in order: one regular-expression scan of the text instead of Python work at every
    word (a document of a million words would take seconds per form)."""
    keys = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True))
    rests = "|".join(re.escape(k) for k in sorted(by_rest, key=len, reverse=True))
    choices = [f"(?:{keys})"] if keys else []
    if rests:
        choices.append(f"(?:{_NUMBER.pattern})?(?:{rests})")
    if not choices:
        return []
    pattern = re.compile(f"(?=(?:{'|'.join(choices)}))")
    return [m.start() for m in pattern.finditer(stream.text) if stream.is_boundary(m.start())]


def _gapped_match(
    stream: CanonicalStream, key: str, position: int
) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """A long label whose lines a PDF interleaved with its value's lines: the label's
    characters in order, cut only where a line or word ends, resuming where a line or
    word starts. Returns its end and the value text found inside it."""
    text = stream.text
    boundaries = stream.boundaries
    i, p = 0, position
    gaps: list[tuple[int, int]] = []
    while i < len(key):
        if p < len(text) and text[p] == key[i]:
            i, p = i + 1, p + 1
            continue
        if len(gaps) == MAX_GAPS or i < MIN_GAPPED_PREFIX or not stream.is_boundary(p):
            return None
        wanted = key[i : i + MIN_GAPPED_PREFIX]
        resume = None
        k = bisect.bisect_right(boundaries, p)
        while resume is None and k < len(boundaries) and boundaries[k] - p <= MAX_GAP_LENGTH:
            if text.startswith(wanted, boundaries[k]):
                resume = boundaries[k]
            k += 1
        if resume is None:
            return None
        gaps.append((p, resume))
        p = resume
    return p, tuple(gaps)


def _matches_at(text: str, key: str, position: int) -> bool:
    if not text.startswith(key, position):
        return False
    end = position + len(key)
    # システム1 is not the start of システム10
    return not (key[-1] in _ASCII_DIGITS and end < len(text) and text[end] in _ASCII_DIGITS)


def _weight(stream: CanonicalStream, end: int) -> int:
    after = stream.raw_end(end)
    raw = stream.raw
    clean = after >= len(raw) or raw[after].isspace() or raw[after] in _LABEL_ENDS
    return WEIGHT_CLEAN_END if clean else WEIGHT_RUN_ON


def _set_penalties(candidates: list[_Candidate]) -> None:
    """A heading whose items do not follow it closely (a contents page) costs a little."""
    first_child_starts: dict[int, list[int]] = {}
    for c in candidates:
        node = c.anchor.node
        if node is not None and node.parent is not None:
            first_child_starts.setdefault(id(node.parent), []).append(c.start)
    for c in candidates:
        node = c.anchor.node
        if node is None or node is CONTENTS or node.is_leaf_item:
            continue
        following = [s for s in first_child_starts.get(id(node), ()) if s >= c.end]
        c.penalty = min(min(following) - c.end, GAP_CAP) if following else GAP_CAP


def _best_chain(candidates: list[_Candidate], size: int) -> list[_Candidate]:
    """The chain increasing in document and tree order with the greatest weight.

    A Fenwick tree over tree order keeps, per prefix, the best chain ending before it:
    O(n log n) in the number of label occurrences.
    """
    order = sorted(
        range(len(candidates)), key=lambda i: (candidates[i].start, -candidates[i].anchor.order)
    )
    zero = (0, 0, 0, 0)
    tree: list[tuple[int, int, int, int]] = [zero] * (size + 1)
    best_of: list[tuple[int, int, int, int]] = [zero] * len(candidates)
    back: list[int] = [-1] * len(candidates)

    def query(limit: int) -> tuple[int, int, int, int]:
        best = zero
        while limit > 0:
            if tree[limit] > best:
                best = tree[limit]
            limit -= limit & -limit
        return best

    def update(position: int, value: tuple[int, int, int, int]) -> None:
        while position <= size:
            if value > tree[position]:
                tree[position] = value
            position += position & -position

    for i in order:
        c = candidates[i]
        previous = query(c.anchor.order)  # anchors of a lower order
        score, negative_penalty, _, ref = previous
        back[i] = -ref - 1 if score else -1
        # ties: the chain that ends earlier in the document
        best_of[i] = (score + c.weight, negative_penalty - c.penalty, -c.start, -i - 1)
        update(c.anchor.order + 1, best_of[i])
    if not candidates:
        return []
    last = max(range(len(candidates)), key=lambda i: best_of[i])
    chain = []
    while last >= 0:
        chain.append(candidates[last])
        last = back[last]
    return chain[::-1]


def _siblings_out_of_order(
    stream: CanonicalStream, placed: list[Placed], candidates: list[_Candidate]
) -> list[Placed]:
    """Items the chain left out because the document has them in another order than
    the template (承認日 before 公表日): a clean label of a missing sibling inside the
    value of a placed item."""
    found = {id(p.node) for p in placed}
    by_node: dict[int, list[_Candidate]] = {}
    for c in candidates:
        if c.anchor.node is not None and id(c.anchor.node) not in found and not c.gaps:
            by_node.setdefault(id(c.anchor.node), []).append(c)
    extra: list[Placed] = []
    for i, anchor in enumerate(placed):
        node = anchor.node
        if node is None or node is CONTENTS or not node.is_leaf_item or node.parent is None:
            continue
        end = placed[i + 1].label_start if i + 1 < len(placed) else len(stream.raw)
        for sibling in node.parent.children:
            for c in by_node.get(id(sibling), ()):
                start = stream.raw_start(c.start)
                if c.weight == WEIGHT_CLEAN_END and anchor.label_end <= start < end:
                    extra.append(Placed(sibling, start, stream.raw_end(c.end)))
                    found.add(id(sibling))
                    by_node.pop(id(sibling))
                    break
    return sorted([*placed, *extra], key=lambda p: p.label_start) if extra else placed


# -- labels the template lacks -------------------------------------------------------------
def _document_labels(
    stream: CanonicalStream, placed: list[Placed], tree: Node, result: DocumentMatch
) -> list[Placed]:
    """Numbered labels (③…) between anchors that continue their group's numbering."""
    out: list[Placed] = []
    existing = {n.id for n in tree.walk()}
    for i, anchor in enumerate(placed):
        out.append(anchor)
        node = anchor.node
        if node is None:
            continue
        end = placed[i + 1].label_start if i + 1 < len(placed) else len(stream.raw)
        parent = node.parent if node.is_leaf_item else node
        if parent is None:
            continue
        position = anchor.label_end
        while True:
            found = _next_document_label(stream, position, end, parent, out, placed[i + 1 :])
            if found is None:
                break
            start, label_end, label = found
            new = Node(id=_new_id(existing), label=label, kind=NodeKind.TEXT)
            new.baseline_label = None
            siblings = parent.children
            after = out[-1].node
            index = (
                siblings.index(after) + 1
                if after is not None and after.parent is parent
                else len(siblings)
            )
            parent.add_child(new, index)
            out.append(Placed(new, start, label_end, from_document=True))
            segment, _ = stream.locate(start)
            result.added_items.append((path_text(new), stream.flow.segments[segment].where))
            position = label_end
    return out


def _new_id(existing: set[str]) -> str:
    n = 1
    while f"doc{n}" in existing:
        n += 1
    existing.add(f"doc{n}")
    return f"doc{n}"


def _next_document_label(
    stream: CanonicalStream,
    start: int,
    end: int,
    parent: Node,
    before: list[Placed],
    after: list[Placed],
) -> tuple[int, int, str] | None:
    raw = stream.raw
    used = {
        _circled(p.node.label) for p in before if p.node is not None and p.node.parent is parent
    }
    used.discard(0)
    later = {
        _circled(p.node.label) for p in after if p.node is not None and p.node.parent is parent
    }
    expected = max(used, default=0) + 1
    if not used or expected in later:
        return None
    position = start
    while position < end:
        line_end = raw.find("\n", position, end)
        line_end = end if line_end < 0 else line_end
        at_line_start = position == 0 or raw[position - 1] == "\n"
        if at_line_start:
            match = _DOCUMENT_LABEL.match(raw[position:line_end])
            if match and _circled(match.group(1)) == expected and "。" not in match.group(1):
                label_start = position + match.start(1)
                return label_start, position + match.end(1), match.group(1).strip()
        position = line_end + 1
    return None


def _circled(label: str) -> int:
    stripped = label.strip()
    return _CIRCLED.index(stripped[0]) + 1 if stripped and stripped[0] in _CIRCLED else 0


# -- values ----------------------------------------------------------------------------------
def _fill(stream: CanonicalStream, placed: list[Placed], result: DocumentMatch) -> None:
    if placed:
        _report_unplaced(stream, 0, placed[0].label_start, result, before_first=True)
    items: list[Placed] = []
    for i, anchor in enumerate(placed):
        if anchor.node is None:
            break  # the 変更箇所 annex: not part of the items
        end = placed[i + 1].label_start if i + 1 < len(placed) else len(stream.raw)
        if anchor.node is CONTENTS:
            continue
        if anchor.node.is_leaf_item:
            items.append(anchor)
            anchor.region = _joined(
                [_region(stream, a, b) for a, b in (*anchor.gaps, (anchor.label_end, end))]
            )
        else:
            _report_unplaced(stream, anchor.label_end, end, result)
    _spread_label_rows(stream, placed, items)
    for anchor in items:
        _take_value(stream, anchor, result)


def _spread_label_rows(stream: CanonicalStream, placed: list[Placed], items: list[Placed]) -> None:
    """Labels in one row and their values in the row below (the cover's 評価書番号 |
    評価書名): k labels in a row with nothing between them, then exactly k pieces."""
    position = {id(p): i for i, p in enumerate(placed)}
    segments = stream.flow.segments
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and not items[j].region[1] and _adjacent(items, j, position):
            j += 1
        if j > i and j < len(items):
            spans = items[j].region[1]
            labels = {segments[stream.locate(a.label_start)[0]].row for a in items[i : j + 1]}
            values = {segments[index].row for index, _, _ in spans}
            if (
                len(spans) == j - i + 1
                and _one_row(labels)
                and _one_row(values)
                and labels != values
            ):
                for k, (index, lo, hi) in enumerate(spans):
                    items[i + k].region = (segments[index].text[lo:hi], [(index, lo, hi)])
            elif labels == {None} and _one_line(stream, items[i].label_start, items[j].label_end):
                _spread_first_line(stream, items[i : j + 1])
        i = j + 1


def _one_line(stream: CanonicalStream, start: int, end: int) -> bool:
    return "\n" not in stream.raw[start:end]


def _spread_first_line(stream: CanonicalStream, run: list[Placed]) -> None:
    """A PDF line 「評価書番号 評価書名」 and below it 「12 予防接種に関する事務…」: the
    short words at the start of the value line go to the labels before the last."""
    text, spans = run[-1].region
    if not spans:
        return
    index, lo, hi = spans[0]
    line = stream.flow.segments[index].text[lo:hi]
    words = line.split(maxsplit=len(run) - 1)
    if len(words) < len(run) or any(len(w) > SHORT_WORD or "。" in w for w in words[:-1]):
        return
    segment_text = stream.flow.segments[index].text
    position = lo
    for anchor, word in zip(run[:-1], words, strict=False):
        start = segment_text.index(word, position)
        anchor.region = (word, [(index, start, start + len(word))])
        position = start + len(word)
    rest_start = segment_text.index(words[-1], position)
    run[-1].region = (text[rest_start - lo :], [(index, rest_start, hi), *spans[1:]])


def _one_row(rows: set[int | None]) -> bool:
    return len(rows) == 1 and None not in rows


def _adjacent(items: list[Placed], j: int, position: dict[int, int]) -> bool:
    return j + 1 < len(items) and position[id(items[j + 1])] == position[id(items[j])] + 1


def _take_value(stream: CanonicalStream, anchor: Placed, result: DocumentMatch) -> None:
    node = anchor.node
    assert node is not None
    text, spans = anchor.region
    segments = stream.flow.segments
    first = spans[0][0] if spans else stream.locate(anchor.label_start)[0]
    where = segments[first].where
    result.sources[node.id] = Source(tuple(spans), where)
    result.texts[node.id] = text
    read = read_value(node, text)
    if read.value is not None and not read.value.is_empty:
        result.values[node.id] = read.value
    if read.leftover:
        why = read.problem or "項目に入らない記載があります"
        result.problems.append((path_text(node), where, why))
        result.unplaced.append((where, _excerpt(read.leftover)))


def _region(
    stream: CanonicalStream, start: int, end: int
) -> tuple[str, list[tuple[int, int, int]]]:
    """The raw text between two labels: pieces of segments joined by line breaks."""
    if end <= start:
        return "", []
    first, first_offset = stream.locate(start)
    last, last_offset = stream.locate(end)
    segments = stream.flow.segments
    pieces: list[str] = []
    spans: list[tuple[int, int, int]] = []
    for index in range(first, last + 1):
        text = segments[index].text
        lo = first_offset if index == first else 0
        hi = min(last_offset, len(text)) if index == last else len(text)
        if lo >= hi:
            continue
        piece = text[lo:hi]
        if index == first and lo > 0:  # after a label on the same line
            stripped = piece.lstrip(" \t\u3000")
            lo += len(piece) - len(stripped)
            piece = stripped
        if index == last and hi < len(text):  # before a label on the same line
            piece = piece.rstrip(" \t\u3000")
            hi = lo + len(piece)
        if not piece.strip() or canonical(piece) in _BREAK_MARKS:
            continue
        pieces.append(_drop_break_marks(piece))
        spans.append((index, lo, hi))
    return "\n".join(pieces).strip("\n"), spans


def _joined(
    regions: list[tuple[str, list[tuple[int, int, int]]]],
) -> tuple[str, list[tuple[int, int, int]]]:
    texts = [text for text, _ in regions if text]
    return "\n".join(texts), [span for _, spans in regions for span in spans]


def _drop_break_marks(piece: str) -> str:
    lines = [line for line in piece.split("\n") if canonical(line) not in _BREAK_MARKS]
    return "\n".join(lines)


def _report_unplaced(
    stream: CanonicalStream, start: int, end: int, result: DocumentMatch, before_first: bool = False
) -> None:
    _, spans = _region(stream, start, end)
    if not spans:
        return
    segments = stream.flow.segments
    for index, lo, hi in spans:
        piece = segments[index].text[lo:hi].strip()
        if before_first and _is_title(piece):
            continue
        if piece:
            result.unplaced.append((segments[index].where, _excerpt(piece)))


def _is_title(text: str) -> bool:
    key = canonical(text)
    return (
        bool(_STAMP.fullmatch(text.strip()))
        or key.startswith("特定個人情報保護評価書")
        or key in ("評価書番号", "評価書名")
    )


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH] + "…"

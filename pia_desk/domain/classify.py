"""What kind of change a row of the change table records (the 事前/事後 classifier).

A change is cut into edits (runs of deleted/inserted characters from the character
diff). Each edit is judged on its own text first (`analyse_change`, cached, no
project needed): a notation fix (width, spaces), a law article renumbering
(第１９条第７号→第８号), an organisation or system name change, a typo-sized fix, an
addition, a deletion, a lowered count or a replacement. Then the project decides:

- whether a replaced term is a *consistent* wording fix (`ProjectContext`): the same
  term pair occurs in several entries, or the new term unifies variants that are, or
  the old term is gone from the whole working text;
- whether it is a *more precise term of the same thing* (当市区町村→当市,
  転出先市区町村→他市区町村), in any revision (`precise_pair`, rule data);
- for a deletion, whether the processing it is about ended (its subject is named
  nowhere after the revision, its repeat group is deleted in the same revision) or
  goes on (a safeguard removed): `judge_deletion`, evidence in deletion_evidence.py.

The entry's kind follows from its edits: any real addition/deletion/replacement
makes it substantive; otherwise the most telling minor kind wins. Timing rules
(timing_rules.py) and suggestions (suggest.py) build on this.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from pia_desk.domain.deletion_evidence import (
    RevisionView,
    deleted_text,
    is_word_char,
    revision_view,
    subjects_of,
)
from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision
from pia_desk.domain.item_path import match_item_path
from pia_desk.domain.project import Project
from pia_desk.domain.textdiff import DiffOp, diff_chunks
from pia_desk.domain.timing_rules import TimingRules, load_rules
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import DELETED_MARK


class ChangeKind(StrEnum):
    """Kinds of a whole change (keys of timing_rules.json)."""

    NO_CHANGE = "no_change"
    NOTATION = "notation"
    TYPO = "typo"
    WORDING = "wording"
    PRECISE_TERM = "precise_term"  # 転出先市区町村→他市区町村: the same thing named precisely
    LAW_RENUMBERING = "law_renumbering"
    ORG_NAME = "org_name"
    SYSTEM_NAME = "system_name"
    ITEM_DELETION = "item_deletion"
    GROUP_ADDITION = "group_addition"  # a new システム / 委託事項 / 提供先 … instance
    DELETION = "deletion"
    PROCESSING_ENDED = "processing_ended"  # a deletion whose subject is gone (事後)
    SAFEGUARD_REMOVED = "safeguard_removed"  # a deletion whose subject goes on
    ADDITION = "addition"
    SUBSTANTIVE = "substantive"


class EditKind(StrEnum):
    NOTATION = "notation"
    LAW = "law"
    ORG_NAME = "org_name"
    SYSTEM_NAME = "system_name"
    TYPO = "typo"
    ADDITION = "addition"
    DELETION = "deletion"
    REPLACEMENT = "replacement"
    COUNT_DOWN = "count_down"  # a count lowered (３つ→２つ): part of a deletion
    VALUE = "value"  # a choice or check mark changed


# Kinds that never make a change substantive, most telling first (the entry takes
# the first one present). WORDING is decided with the project, see ProjectContext.
_MINOR_ORDER = (
    ChangeKind.ORG_NAME,
    ChangeKind.SYSTEM_NAME,
    ChangeKind.LAW_RENUMBERING,
    ChangeKind.WORDING,
    ChangeKind.PRECISE_TERM,
    ChangeKind.TYPO,
    ChangeKind.NOTATION,
)
_MINOR_EDITS = {
    EditKind.NOTATION: ChangeKind.NOTATION,
    EditKind.LAW: ChangeKind.LAW_RENUMBERING,
    EditKind.ORG_NAME: ChangeKind.ORG_NAME,
    EditKind.SYSTEM_NAME: ChangeKind.SYSTEM_NAME,
    EditKind.TYPO: ChangeKind.TYPO,
}

_NAME_EDITS = (EditKind.ORG_NAME, EditKind.SYSTEM_NAME)
# Edits that may be a replaced term (当市区町村→当市 is a deletion of 区町村 in a word).
_TERM_EDITS = (EditKind.REPLACEMENT, EditKind.DELETION, EditKind.ADDITION)

# -- character classes and patterns ---------------------------------------------------
_DIGITS = "0-9〇一二三四五六七八九十百千"
_LAW_CONTEXT = re.compile(
    rf"(?:第|法|条|項)[{_DIGITS}]*#[{_DIGITS}]*(?P<unit>条|項|号|款|章|節)"
    rf"|(?:の|第)[{_DIGITS}]*#[{_DIGITS}]*の(?P<unit2>項)"
    rf"|条の[{_DIGITS}]*#"
)
_NUMBER_ONLY = re.compile(rf"^[{_DIGITS}]+$")
_NUMBERS = re.compile(rf"[{_DIGITS}]")
_LAYOUT = re.compile(r"[\s（）()]")  # spaces and brackets: notation, not wording
_LAW_HEAD = re.compile(
    rf"(?:第[{_DIGITS}０-９]+(?:条|項|号)(?:の[{_DIGITS}０-９]+)?)*第?[{_DIGITS}０-９]*$"
)
_LAW_TAIL = re.compile(rf"^[{_DIGITS}０-９]*(?:条|項|号|の項)?")
_LAW_NAMES = re.compile(r"番号利用法|番号法|行政手続における特定の個人を識別するための番号の利用等")
_ORG_SUFFIX = re.compile(
    r"(?:庁|省|局|部|課|室|係|班|グループ|センター|事務所|委員会|本部|支所|出張所|機構|協会"
    r"|会社|事業団|保健所|役場)$"
)
_SYSTEM_SUFFIX = re.compile(r"(?:システム|サーバー|サーバ|プラットフォーム|アプリ)$")
_NEGATION = re.compile(r"不|非|無|未|否|禁|ない|ず|なし|ぬ")
_NOTE_CHARS = re.compile(r"[\s（）()「」『』【】［］\[\]〔〕旧・、，,]")
_SENTENCE = re.compile(r"[。、，,\n]")
# What separates words in running text and lists (names may hold hiragana: 健康づくり課).
_DELIMITER = re.compile(r"[\s　、。，,・（）()「」『』【】＜＞<>〈〉：:；;／/]")
_CHOICE_MARKS = re.compile(r"[○〇\[\]［］]")

# 変更前 cells that stand for "nothing was written here" (after removing brackets, spaces).
EMPTY_BEFORE = frozenset({"", "－", "-", "ー", "―", "なし", "新規", "追加", "記載なし", "新設"})
TERM_MAX = 30  # longest text taken as a term of a wording pair
CANDIDATE_SPAN = 4  # shorter readings of a compound tried on each side
MERGE_GAP = 3  # changes this close inside one word are one edit
NAME_MAX = 25  # longest organisation/system name considered
TYPO_MAX_CHARS = 6  # at most this many characters changed by typo-sized edits in all
TYPO_MAX_EDITS = 5


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# -- edits ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TermPair:
    """A replaced term: 当市区町村 → 当市."""

    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.old}→{self.new}"


@dataclass(frozen=True)
class Edit:
    """One run of changed characters with its unchanged surroundings."""

    deleted: str
    inserted: str
    left: str  # unchanged text just before (up to a line)
    right: str  # unchanged text just after (up to a line)
    kind: EditKind
    pair: TermPair | None  # the whole terms around the edit, when it is term-sized
    detail: str = ""  # law: 号ズレ/条ズレ …
    candidates: tuple[TermPair, ...] = ()  # readings as a replaced term, `pair` first
    segment: TermPair | None = None  # the edit widened to spaces/punctuation (names)

    def excerpt(self, width: int = 24) -> str:
        """`「old」→「new」` with a little context, for reasons."""
        if self.kind is EditKind.LAW:
            head = _LAW_HEAD.search(self.left)
            tail = _LAW_TAIL.match(self.right)
            before, after = head.group(0) if head else "", tail.group(0) if tail else ""
            return f"「{before}{self.deleted}{after}」→「{before}{self.inserted}{after}」"
        shown = self.segment if self.kind in _NAME_EDITS else self.pair
        if shown is not None:
            return f"「{shown.old}」→「{shown.new}」"
        if not self.deleted:
            return f"追加「{_shorten(self.inserted, width)}」"
        if not self.inserted:
            return f"削除「{_shorten(self.deleted, width)}」"
        return f"「{_shorten(self.deleted, width)}」→「{_shorten(self.inserted, width)}」"


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@lru_cache(maxsize=8192)
def analyse_change(before: str, after: str, choice_item: bool = False) -> tuple[Edit, ...]:
    """The edits turning `before` into `after`, each judged on its own text.

    `choice_item`: the item is a single choice, where any change of the chosen
    option is a change of value (never a typo).
    """
    return tuple(
        _judge(deleted, inserted, left, right, choice_item)
        for deleted, inserted, left, right in _change_runs(diff_chunks(before, after))
    )


def _change_runs(chunks: list) -> list[tuple[str, str, str, str]]:
    """(deleted, inserted, text before, text after) of each run of changes.

    Runs split by a short piece of one word are one edit: the diff cuts
    健康福祉部→こども健康部 into +こども, 健康, -福祉, but it is one renamed term.
    """
    runs: list[list[str]] = []  # [deleted, inserted, left, right]
    for index, (op, text) in enumerate(chunks):
        if op == DiffOp.EQUAL:
            if runs and runs[-1][3] is None:
                runs[-1][3] = text
            continue
        if runs and runs[-1][3] is None:
            run = runs[-1]
        elif runs and _joins(runs[-1][3]) and runs[-1][3] == chunks[index - 1][1]:
            run = runs[-1]
            run[0] += run[3]
            run[1] += run[3]
            run[3] = None
        else:
            left = chunks[index - 1][1] if index > 0 else ""
            run = ["", "", left, None]
            runs.append(run)
        run[0 if op == DiffOp.DELETE else 1] += text
    return [(d, i, left, right or "") for d, i, left, right in runs]


def _joins(gap: str | None) -> bool:
    return gap is not None and 0 < len(gap) <= MERGE_GAP and not _DELIMITER.search(gap)


def _judge(deleted: str, inserted: str, left: str, right: str, choice_item: bool) -> Edit:
    left_line = left.rsplit("\n", 1)[-1]
    right_line = right.split("\n", 1)[0]
    candidates = _term_candidates(deleted, inserted, left_line, right_line)
    pair = candidates[0] if candidates else None

    def edit(kind: EditKind, detail: str = "") -> Edit:
        segment = _segment(deleted, inserted, left_line, right_line)
        return Edit(
            deleted, inserted, left_line, right_line, kind, pair, detail, candidates, segment
        )

    if _is_notation(deleted, inserted):
        return edit(EditKind.NOTATION)
    if choice_item or _CHOICE_MARKS.search(deleted + inserted):
        return edit(EditKind.VALUE)
    law = _law_shift(deleted, inserted, left_line, right_line)
    if law:
        return edit(EditKind.LAW, law)
    if _is_typo(deleted, inserted):
        return edit(EditKind.TYPO)  # before names: データーセンター is not a rename
    name = _name_change(deleted, inserted, left_line, right_line, pair)
    if name is not None:
        return edit(name)
    if _lowers_count(deleted, inserted):
        return edit(EditKind.COUNT_DOWN)
    if not deleted:
        return edit(EditKind.ADDITION)
    if not inserted:
        return edit(EditKind.DELETION)
    return edit(EditKind.REPLACEMENT)


def _lowers_count(deleted: str, inserted: str) -> bool:
    d, n = _norm(deleted), _norm(inserted)
    return d.isdigit() and n.isdigit() and d.isascii() and n.isascii() and int(n) < int(d)


def _is_notation(deleted: str, inserted: str) -> bool:
    """Only width, spaces or brackets differ (全角・半角, 空白)."""
    return _LAYOUT.sub("", _norm(deleted)) == _LAYOUT.sub("", _norm(inserted))


def _term_candidates(deleted: str, inserted: str, left: str, right: str) -> tuple[TermPair, ...]:
    """Readings of a short edit as a replaced term, the whole word first.

    `当市|区町村|長` reads as 当市区町村長 → 当市長, and also as 当市区町村 → 当市:
    the project decides which one is used consistently (a compound word has no
    marked boundaries in Japanese).
    """
    if _SENTENCE.search(deleted) or _SENTENCE.search(inserted):
        return ()
    start = len(left)
    while start > 0 and is_word_char(left[start - 1]):
        start -= 1
    end = 0
    while end < len(right) and is_word_char(right[end]):
        end += 1
    prefixes = [left[start:][k:] for k in range(min(len(left) - start, CANDIDATE_SPAN) + 1)]
    suffixes = [right[:end][: end - k] for k in range(min(end, CANDIDATE_SPAN) + 1)]
    found: list[TermPair] = []
    for prefix in prefixes:
        for suffix in suffixes:
            pair = TermPair(prefix + deleted + suffix, prefix + inserted + suffix)
            if _is_term_pair(pair):
                found.append(pair)
    return tuple(found)


def _is_term_pair(pair: TermPair) -> bool:
    old, new = _norm(pair.old), _norm(pair.new)
    if not old or not new or len(old) > TERM_MAX or len(new) > TERM_MAX or old == new:
        return False
    if not all(is_word_char(ch) for ch in old + new):
        return False  # a term is a run of kanji, katakana and alphanumerics
    return _NUMBERS.sub("", old) != _NUMBERS.sub("", new)  # not a number change


def _law_shift(deleted: str, inserted: str, left: str, right: str) -> str:
    """号ズレ / 条ズレ / 項ズレ when only the number of a law reference changed."""
    d, n = _norm(deleted), _norm(inserted)
    if not (_NUMBER_ONLY.match(d) and _NUMBER_ONLY.match(n)):
        return ""
    probe = _norm(left[-12:]) + "#" + _norm(right[:8])
    match = _LAW_CONTEXT.search(probe)
    if not match:
        return ""
    unit = match.group("unit") or match.group("unit2") or "条"
    return f"{unit}ズレ"


def _is_name(term: str, suffix: re.Pattern[str]) -> bool:
    term = _NOTE_CHARS.sub("", _norm(term))
    if not 3 <= len(term) <= NAME_MAX or term.startswith(("当", "同", "該", "本")):
        return False
    return bool(suffix.search(term)) and not _SENTENCE.search(term)


def _segment(deleted: str, inserted: str, left: str, right: str) -> TermPair:
    """The edit widened to the delimiters around it (spaces, punctuation)."""
    start = len(left)
    while start > 0 and not _DELIMITER.match(left[start - 1]):
        start -= 1
    end = 0
    while end < len(right) and not _DELIMITER.match(right[end]):
        end += 1
    return TermPair(left[start:] + deleted + right[:end], left[start:] + inserted + right[:end])


def _name_change(
    deleted: str, inserted: str, left: str, right: str, pair: TermPair | None
) -> EditKind | None:
    """An organisation/system renamed: 健康課→健康推進課, デジタル庁（旧…）."""
    if _SENTENCE.search(deleted + inserted):
        return None
    readings = [_segment(deleted, inserted, left, right), *([pair] if pair else [])]
    for kind, suffix in ((EditKind.ORG_NAME, _ORG_SUFFIX), (EditKind.SYSTEM_NAME, _SYSTEM_SUFFIX)):
        if any(_is_name(r.old, suffix) and _is_name(r.new, suffix) for r in readings):
            return kind
        for added in (inserted, deleted):
            if "旧" in added and _is_name(added, suffix):
                return kind  # 「新名称（旧」 inserted before the old name
    return None


def _is_typo(deleted: str, inserted: str) -> bool:
    """A wrong, missing or extra character or two (誤字脱字), never a number or negation."""
    d, n = _norm(deleted), _norm(inserted)
    if any(ch.isdigit() for ch in d + n) or _NEGATION.search(d + n):
        return False
    if d and n:
        return (len(d) == 1 and len(n) == 1) or (len(d) == 2 and d[::-1] == n)
    changed = d or n
    return len(changed) == 1 or (len(changed) == 2 and not is_word_char(changed[0]))


# -- the project's view: consistent wording, revisions ---------------------------------
@dataclass
class ProjectContext:
    """What the classifier learns from the whole project, computed once per state.

    `excluded_revision`: the term pairs learned from the project leave this revision
    out (to measure how the rules do on a revision they have not seen).
    """

    pair_entries: Counter[TermPair]  # distinct entries replacing old → new
    working_text: str  # all working texts, to see whether an old term is still used
    project: Project
    _match_cache: dict[tuple[str, ...], Node | None]
    revision_of: dict[str, Revision] = field(default_factory=dict)  # entry id → revision
    _views: dict[str, RevisionView] = field(default_factory=dict)
    excluded_revision: str | None = None

    @classmethod
    def build(cls, project: Project, excluded_revision: str | None = None) -> ProjectContext:
        counts: Counter[TermPair] = Counter()
        owners: dict[str, Revision] = {}
        for revision, entry in project.all_entries():
            owners[entry.id] = revision
            if revision.id == excluded_revision:
                continue
            counts.update({c for e in entry_edits(project, entry) for c in e.candidates})
        texts = (project.text_of(n.id) for n in project.items())
        return cls(counts, "\n".join(texts), project, {}, owners, {}, excluded_revision)

    def pair_count(self, pair: TermPair) -> int:
        return self.pair_entries.get(pair, 0)

    def view(self, revision: Revision) -> RevisionView:
        """The text after `revision` and the groups it deletes (computed once)."""
        if revision.id not in self._views:
            self._views[revision.id] = revision_view(self.project, revision, load_rules())
        return self._views[revision.id]

    def consistent_pair(self, edit: Edit, entry: ChangeEntry) -> tuple[TermPair, str] | None:
        """The reading of `edit` that is a consistent wording fix, and why (Japanese)."""
        if not edit.candidates:
            return None
        best = max(edit.candidates, key=lambda c: (self.pair_count(c), len(c.old) + len(c.new)))
        count = self.pair_count(best)
        if count >= 2:
            return best, f"同じ置換が {count} 件の変更箇所にあります"
        for pair in edit.candidates:
            if any(
                p.new == pair.new and p.old != pair.old and n >= 2
                for p, n in self.pair_entries.items()
            ):
                return pair, f"他の変更箇所でも「{pair.new}」に統一しています"
        if edit.kind is not EditKind.TYPO and self._is_current(entry):
            for pair in edit.candidates:
                if pair.old not in self.working_text:
                    return pair, f"「{pair.old}」は評価書のどの項目にも残っていません"
        return None

    def _is_current(self, entry: ChangeEntry) -> bool:
        """The entry shows the item's working text as it is now."""
        node = self.project.find_node(entry.node_id)
        return (
            node is not None and bool(entry.after) and self.project.text_of(node.id) == entry.after
        )

    def node_for(self, entry: ChangeEntry) -> Node | None:
        """The entry's node, or the node its 項目 path resolves to (imported rows)."""
        node = self.project.find_node(entry.node_id)
        if node is not None:
            return node
        key = tuple(entry.item_path)
        if key not in self._match_cache:
            self._match_cache[key] = _match_path(self.project, key)
        return self._match_cache[key]


def _match_path(project: Project, path: tuple[str, ...]) -> Node | None:
    found = match_item_path(project.root, path)
    return found.node if found is not None else None


def entry_edits(project: Project, entry: ChangeEntry) -> tuple[Edit, ...]:
    node = project.find_node(entry.node_id)
    choice = node is not None and node.kind is NodeKind.CHOICE
    if entry.after == DELETED_MARK or entry.kind is EntryKind.DELETED:
        return ()
    return analyse_change(entry.before, entry.after, choice)


# -- a more precise term of the same thing ----------------------------------------------
def precise_pair(edit: Edit) -> TermPair | None:
    """The reading of `edit` that names the same body more precisely (当市区町村→当市,
    転出先市区町村→他市区町村): same family of head word (rule data), the same kind
    of qualifier (this city / another one) or a generic term made specific."""
    return next((pair for pair in edit.candidates if _is_precise(pair)), None)


def _is_precise(pair: TermPair) -> bool:
    old_class, old_head = _qualified(_norm(pair.old))
    new_class, new_head = _qualified(_norm(pair.new))
    if old_head is None or new_head is None or new_class is None:
        return False
    families = load_rules().precise_terms["families"]
    same_family = any(old_head in f and new_head in f for f in families)
    return same_family and (old_class is None or old_class == new_class)


def _qualified(term: str) -> tuple[str | None, str | None]:
    """(qualifier class, head word) of a term such as 当市 → (self, 市)."""
    classes = load_rules().precise_terms["qualifier_classes"]
    found = sorted(
        ((q, name) for name, words in classes.items() for q in words if term.startswith(q)),
        key=lambda qn: -len(qn[0]),
    )
    qualifier, name = found[0] if found else ("", None)
    head = term[len(qualifier) :]
    return name, head or None


# -- the entry's kind ---------------------------------------------------------------------
@dataclass(frozen=True)
class Classification:
    kind: ChangeKind
    important_item: bool  # the item carries ※
    in_risk_section: bool  # inside リスク対策 (risk measures)
    item_label: str  # the item as named in reasons
    pairs: tuple[TermPair, ...]  # consistent wording pairs (the evidence of WORDING)
    evidence: tuple[str, ...]  # short Japanese descriptions of what changed
    law_shift: str = ""  # 号ズレ … for LAW_RENUMBERING
    law_name: str = ""  # 番号法 / 法令
    item_group: str = ""  # the new repeat instance of GROUP_ADDITION (システム３)
    signals: tuple[str, ...] = ()  # evidence of the deletion rules, one sentence each
    confidence_variant: str = ""  # "supported" / "contested" / "important" (rule data)


def classify_entry(
    project: Project,
    entry: ChangeEntry,
    context: ProjectContext,
    revision: Revision | None = None,
) -> Classification:
    node = context.node_for(entry)
    important, in_risk, label = _item_facts(node, entry)
    revision = revision or context.revision_of.get(entry.id)

    def result(kind: ChangeKind, evidence: Iterable[str], **extra: object) -> Classification:
        return Classification(kind, important, in_risk, label, evidence=tuple(evidence), **extra)  # type: ignore[arg-type]

    if entry.kind is EntryKind.DELETED or entry.after == DELETED_MARK:
        kind = ChangeKind.DELETION
        if entry.kind is EntryKind.DELETED or (node is not None and node.is_deleted):
            kind = ChangeKind.ITEM_DELETION
        deleted = [f"削除「{_shorten(entry.before, 24)}」"]
        return _judged_deletion(entry, revision, context, result(kind, deleted, pairs=()))
    if entry.kind is EntryKind.ADDED or (_is_placeholder(entry.before) and entry.after.strip()):
        added = [f"追加「{_shorten(entry.after, 24)}」"]
        group = _new_repeat_instance(node) if entry.kind is EntryKind.ADDED else None
        if group is not None:
            return result(ChangeKind.GROUP_ADDITION, added, pairs=(), item_group=group.label)
        return result(ChangeKind.ADDITION, added, pairs=())
    edits = entry_edits(project, entry)
    if not edits:
        return result(ChangeKind.NO_CHANGE, [], pairs=())
    combined = _combine(edits, entry, context, result)
    if combined.kind is ChangeKind.DELETION:
        return _judged_deletion(entry, revision, context, combined)
    return combined


def _judged_deletion(
    entry: ChangeEntry,
    revision: Revision | None,
    context: ProjectContext,
    found: Classification,
) -> Classification:
    """A deletion judged by its subject: processing ended, safeguard removed, or unknown."""
    if revision is None:
        return found
    rules = load_rules()
    view = context.view(revision)
    verdict = judge_deletion(entry, view, rules)
    if verdict is None:  # the item rule decides; on a ※ item say why it is unsure
        unknown = (rules.signal("no_subject"),) if found.important_item else ()
        return replace(found, signals=unknown)
    return replace(
        found,
        kind=verdict.kind,
        signals=tuple(verdict.signals),
        confidence_variant=verdict.variant,
    )


class DeletionVerdict(NamedTuple):
    kind: ChangeKind  # PROCESSING_ENDED or SAFEGUARD_REMOVED
    signals: list[str]  # the evidence, one sentence each
    variant: str = ""  # confidence variant in the rule data: supported / contested …


def judge_deletion(
    entry: ChangeEntry, view: RevisionView, rules: TimingRules
) -> DeletionVerdict | None:
    """Processing ended or safeguard removed, from the project's evidence; None when
    the deleted text says nothing about what it was for."""
    ended, removed = ChangeKind.PROCESSING_ENDED, ChangeKind.SAFEGUARD_REMOVED
    own = view.group_of(entry.item_path)
    if own is not None:
        identity = "、".join(own.identities[:2]) or "記載"
        group = rules.signal("group_deleted", group=own.label, identity=identity)
        return DeletionVerdict(ended, [group], "supported")
    subjects = subjects_of(entry, rules)
    places = {s: view.where(s) for s in subjects}
    gone = [s for s in subjects if places[s] is None]
    remain = [place for place in places.values() if place is not None]
    same_rows = {s.text: view.rows_deleting(s.text, entry.id) for s in subjects}
    signals = [rules.signal("subject_gone", subject=s.text) for s in gone]
    supporting = next(((s.text, same_rows[s.text]) for s in gone if same_rows[s.text]), None)
    if supporting is not None:
        subject, count = supporting
        signals.append(rules.signal("same_subject_rows", count=count, subject=subject))
    linked = view.groups_named_in(deleted_text(entry))
    if linked:
        group, identity = linked[0]
        signals.insert(0, rules.signal("group_deleted", group=group.label, identity=identity))
        return DeletionVerdict(ended, signals, "supported" if gone else "")
    if not subjects:
        return None
    if not remain:
        if supporting is not None:
            return DeletionVerdict(ended, signals, "supported")
        return DeletionVerdict(ended, signals, "" if view.complete else "unverified")
    kept = [rules.signal("subject_remains", subject=form, place=item) for form, item in remain]
    if not gone:
        # deleted here but also elsewhere in the revision: the evidence pulls both ways
        contested = any(same_rows[s.text] for s in subjects)
        return DeletionVerdict(removed, kept, "contested" if contested else "")
    if subjects[0] in gone:  # a heading the text deletes, else the first name
        return DeletionVerdict(ended, [*signals, *kept], "contested")
    doubts = [rules.signal("subject_contested", subject=s.text) for s in gone]
    return DeletionVerdict(removed, [*kept, *doubts], "contested")


def _combine(
    edits: tuple[Edit, ...],
    entry: ChangeEntry,
    context: ProjectContext,
    result: Callable[..., Classification],
) -> Classification:
    kinds: list[ChangeKind] = []
    pairs: list[TermPair] = []
    evidence: list[str] = []
    law_shift = law_name = ""
    for edit in edits:
        found = None
        if edit.kind not in (EditKind.NOTATION, EditKind.LAW, EditKind.VALUE):
            found = context.consistent_pair(edit, entry)
        if found is not None:
            pair, why = found
            kinds.append(ChangeKind.WORDING)
            if pair not in pairs:
                pairs.append(pair)
                evidence.append(f"「{pair.old}」→「{pair.new}」（{why}）")
            continue
        precise = precise_pair(edit) if edit.kind in _TERM_EDITS else None
        if precise is not None:
            kinds.append(ChangeKind.PRECISE_TERM)
            if precise not in pairs:
                pairs.append(precise)
                evidence.append(
                    load_rules().signal("precise_term", old=precise.old, new=precise.new)
                )
            continue
        kind = _MINOR_EDITS.get(edit.kind)
        if kind is None:
            kind = {
                EditKind.ADDITION: ChangeKind.ADDITION,
                EditKind.DELETION: ChangeKind.DELETION,
                EditKind.COUNT_DOWN: ChangeKind.DELETION,
            }.get(edit.kind, ChangeKind.SUBSTANTIVE)
        if kind is ChangeKind.LAW_RENUMBERING:
            law_shift = law_shift or edit.detail
            law_name = law_name or _law_name(edit)
        kinds.append(kind)
        if kind is not ChangeKind.NOTATION or len(evidence) < 3:
            evidence.append(edit.excerpt())
    kind = _entry_kind(kinds)
    if kind is ChangeKind.TYPO and not _typo_sized(edits):
        kind = ChangeKind.SUBSTANTIVE
    if kind is ChangeKind.PRECISE_TERM and ChangeKind.WORDING in kinds:
        kind = ChangeKind.WORDING
    return result(
        kind, _dedupe(evidence)[:6], pairs=tuple(pairs), law_shift=law_shift, law_name=law_name
    )


def _entry_kind(kinds: list[ChangeKind]) -> ChangeKind:
    real = [k for k in kinds if k not in _MINOR_ORDER]
    if real:
        if all(k is ChangeKind.ADDITION for k in real):
            return ChangeKind.ADDITION
        if all(k is ChangeKind.DELETION for k in real):
            return ChangeKind.DELETION
        return ChangeKind.SUBSTANTIVE
    return next(k for k in _MINOR_ORDER if k in kinds)


def _typo_sized(edits: tuple[Edit, ...]) -> bool:
    typos = [e for e in edits if e.kind is EditKind.TYPO]
    changed = sum(max(len(e.deleted), len(e.inserted)) for e in typos)
    return len(typos) <= TYPO_MAX_EDITS and changed <= TYPO_MAX_CHARS


def _law_name(edit: Edit) -> str:
    """番号法 when the renumbered reference is in the 番号法 (named on its line), else 法令."""
    return "番号法" if _LAW_NAMES.search(edit.left + edit.right) else "法令"


def _new_repeat_instance(node: Node | None) -> Node | None:
    """The repeat instance (システム３ …) an added item came with, if it came with one.

    An item added on its own inside an existing instance does not count. For
    submitted history (where nothing is marked added any more) an added entry of a
    form item inside an instance means the instance was added.
    """
    if node is None:
        return None
    group = next((n for n in [node, *node.ancestors()[::-1]] if n.kind is NodeKind.REPEAT), None)
    if group is None or (node.is_added and not group.is_added):
        return None
    return group


def _is_placeholder(before: str) -> bool:
    """An empty 変更前 cell, or one that only marks the item as new (－, （新規） …)."""
    return _NOTE_CHARS.sub("", before) in EMPTY_BEFORE


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _item_facts(node: Node | None, entry: ChangeEntry) -> tuple[bool, bool, str]:
    """(※ item, inside リスク対策, label for reasons) from the node or the path text."""
    path = entry.item_path
    if node is not None:
        labels = node.path_labels()
        important = node.is_important()
        label = node.label
    else:
        labels = tuple(path)
        important = any("※" in part for part in path)
        label = path[-1] if path else ""
    in_risk = bool(labels) and "リスク対策" in labels[0]
    return important, in_risk, label.strip()

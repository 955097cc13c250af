"""Evidence for judging a deletion: did the processing end, or was a safeguard removed?

Ending a processing (a system, a function, a 委託, a 提供先 or 移転先) and deleting
the measures written only for it lowers the risk (事後); deleting a safeguard while
the processing it protects goes on raises it (事前). The classifier tells the two
apart from the project, never from the word （削除） alone:

- the *subjects* of the deleted text: the systems, functions, services and
  contractors it names, and the subject of a ＜…＞ heading it deletes (or, when it
  names nothing, of the heading it sits under);
- whether each subject still occurs anywhere in the text *after the revision*
  (the working text for the draft; for a submitted revision, its own rows' 変更後
  and the texts of later revisions and of the project);
- the repeat groups (システムN, 委託事項N, 提供先N, 移転先N) deleted in the same
  revision, and whether the deleted text names one of them;
- the revision's other rows that delete text about the same subject.

Words that make a name (suffixes, headings) are rule data (timing_rules.json).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision
from pia_desk.domain.project import Project
from pia_desk.domain.textdiff import DiffOp, diff_chunks
from pia_desk.domain.timing_rules import TimingRules
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import DELETED_MARK

_HEADING = re.compile(r"^[ \t　]*[＜<〈]([^＞>〉\n]{2,80})[＞>〉]", re.MULTILINE)
_EXCERPT_NOTE = re.compile(r"^（[^\n]*(?:のみ抜粋|抜粋)）\s*$", re.MULTILINE)


def is_word_char(ch: str) -> bool:
    """Kanji, katakana and alphanumerics: characters a Japanese term is made of."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or ch in "々〆ヶ"
        or 0x30A1 <= code <= 0x30FA  # katakana without the middle dot ・ (a bullet)
        or 0x30FC <= code <= 0x30FE
        or (ch.isascii() and ch.isalnum())
        or 0xFF10 <= code <= 0xFF19
        or 0xFF21 <= code <= 0xFF3A
        or 0xFF41 <= code <= 0xFF5A
    )


def is_deleted_row(entry: ChangeEntry) -> bool:
    return entry.kind is EntryKind.DELETED or entry.after.strip() == DELETED_MARK


@lru_cache(maxsize=4096)
def deleted_runs(before: str, after: str) -> tuple[tuple[int, str], ...]:
    """(start in `before`, deleted text widened to whole words) of each deleted run."""
    if after.strip() == DELETED_MARK:
        return ((0, _EXCERPT_NOTE.sub("", before)),)
    runs = []
    position = 0
    for op, text in diff_chunks(before, after):
        if op == DiffOp.DELETE:
            start, end = position, position + len(text)
            while start > 0 and is_word_char(before[start - 1]):
                start -= 1
            while end < len(before) and is_word_char(before[end]):
                end += 1
            runs.append((start, before[start:end]))
        if op != DiffOp.INSERT:
            position += len(text)
    return tuple(runs)


def deleted_text(entry: ChangeEntry) -> str:
    return "\n".join(text for _, text in deleted_runs(entry.before, entry.after))


@dataclass(frozen=True)
class Subject:
    text: str
    from_heading: bool  # the subject of a ＜…＞ heading (not a name in the text)
    aliases: tuple[str, ...] = ()  # short forms given in brackets: ワクチン接種記録システム（VRS）


def aliases_of(name: str, text: str) -> tuple[str, ...]:
    """Short forms written right after `name` in brackets anywhere in `text`."""
    pattern = re.escape(name) + r"[（(]([A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－]{1,9})[）)]"
    return tuple(dict.fromkeys(re.findall(pattern, text)))


def heading_subject(heading: str, rules: TimingRules) -> str:
    subject = heading.strip()
    for suffix in rules.subjects["heading_suffixes"]:
        if subject.endswith(suffix) and len(subject) > len(suffix):
            subject = subject[: -len(suffix)]
            break
    return subject.strip()


def names_in(text: str, rules: TimingRules) -> list[str]:
    """Systems, functions, services and contractors named in `text` (rule data)."""
    spec = rules.subjects
    suffixes = tuple(spec["name_suffixes"])
    prefixes = tuple(spec["name_prefixes"])
    generic = sorted(spec["generic_prefixes"], key=len, reverse=True)
    found: list[str] = []
    for run in re.findall(r"[^\W_ぁ-ゖ]+", unicodedata.normalize("NFC", text)):
        word = "".join(ch for ch in run if is_word_char(ch))
        if word != run or not (word.endswith(suffixes) or word.startswith(prefixes)):
            continue
        core = next((word[len(g) :] for g in generic if word.startswith(g)), word)
        if core in suffixes or core in prefixes or len(core) < spec["name_min_chars"]:
            continue
        if word not in found:
            found.append(word)
    return found


def subjects_of(entry: ChangeEntry, rules: TimingRules) -> list[Subject]:
    """What the deleted text of `entry` is about (names first, then headings)."""
    runs = deleted_runs(entry.before, entry.after)
    text = "\n".join(t for _, t in runs)
    subjects = [
        Subject(name, False, aliases_of(name, entry.before)) for name in names_in(text, rules)
    ]
    for match in _HEADING.finditer(text):
        subject = heading_subject(match.group(1), rules)
        if subject and all(s.text != subject for s in subjects):
            subjects.insert(0, Subject(subject, True))
    if subjects or not runs:
        return subjects
    start = runs[0][0]
    enclosing = [m for m in _HEADING.finditer(entry.before) if m.start() < start]
    if enclosing:
        subject = heading_subject(enclosing[-1].group(1), rules)
        if subject:
            return [Subject(subject, True)]
    return []


@dataclass(frozen=True)
class RetiredGroup:
    """A repeat instance (システム２, 委託事項２ …) deleted in a revision."""

    path: tuple[str, ...]  # its 項目 path, down to the instance
    identities: tuple[str, ...]  # short texts and names that identify it

    @property
    def label(self) -> str:
        return self.path[-1].strip()


@dataclass
class RevisionView:
    """The state after one revision, as far as the project tells it."""

    places: list[tuple[str, str]]  # (item label, text) after the revision
    retired: list[RetiredGroup]
    deletions: list[tuple[str, str]] = field(default_factory=list)  # (entry id, deleted text)
    # The whole text after the revision is known (the draft, or a project holding its
    # items' text); otherwise only the rows tell it, and absence proves less.
    complete: bool = True

    def place_of(self, subject: str) -> str | None:
        return next((label for label, text in self.places if subject in text), None)

    def where(self, subject: Subject) -> tuple[str, str] | None:
        """(form, item) where the subject or a short form of it is still written."""
        for form in (subject.text, *subject.aliases):
            place = self.place_of(form)
            if place is not None:
                return form, place
        return None

    def group_of(self, path: tuple[str, ...]) -> RetiredGroup | None:
        key = tuple(p.strip() for p in path)
        for group in self.retired:
            if key[: len(group.path)] == group.path:
                return group
        return None

    def groups_named_in(self, text: str) -> list[tuple[RetiredGroup, str]]:
        found = []
        for group in self.retired:
            identity = next((i for i in group.identities if i in text), None)
            if identity is not None:
                found.append((group, identity))
        return found

    def rows_deleting(self, subject: str, other_than: str) -> int:
        return sum(1 for eid, text in self.deletions if eid != other_than and subject in text)


def _repeat_index(path: tuple[str, ...], rules: TimingRules) -> int | None:
    names = "|".join(re.escape(n) for n in rules.subjects["repeat_groups"])
    pattern = re.compile(rf"^(?:{names})[0-9０-９]+")
    return next((i for i, part in enumerate(path) if pattern.match(part.strip())), None)


def _identities(texts: list[str], options: set[str], rules: TimingRules) -> tuple[str, ...]:
    """Short texts and names of a group; a form's option (再委託する, 10人未満 …) names
    nothing in particular."""
    limit = rules.subjects["identity_max_chars"]
    found: list[str] = []
    for text in texts:
        stripped = text.strip()
        if 4 <= len(stripped) <= limit and "\n" not in stripped and stripped not in options:
            found.append(stripped)
        found.extend(names_in(text, rules))
    return tuple(dict.fromkeys(found))


def retired_groups(revision: Revision, project: Project, rules: TimingRules) -> list[RetiredGroup]:
    """Repeat instances the revision deletes: a deleted node of the draft, or （削除）
    rows that quote the instance itself or two or more of its items."""
    rows: dict[tuple[str, ...], list[ChangeEntry]] = {}
    whole: set[tuple[str, ...]] = set()
    for entry in revision.entries:
        if not is_deleted_row(entry):
            continue
        path = tuple(p.strip() for p in entry.item_path)
        index = _repeat_index(path, rules)
        if index is None:
            continue
        key = path[: index + 1]
        rows.setdefault(key, []).append(entry)
        if len(path) == index + 1 or _instance_deleted(project, entry):
            whole.add(key)
    options = {option for node in project.root.walk() for option in node.options}
    return [
        RetiredGroup(key, _identities([e.before for e in entries], options, rules))
        for key, entries in rows.items()
        if key in whole or len(entries) >= 2
    ]


def _instance_deleted(project: Project, entry: ChangeEntry) -> bool:
    node = project.find_node(entry.node_id)
    if node is None:
        return False
    return any(n.kind is NodeKind.REPEAT and n.deleted for n in [*node.ancestors(), node])


def revision_view(project: Project, revision: Revision, rules: TimingRules) -> RevisionView:
    places: list[tuple[str, str]] = []
    if not revision.is_draft:
        later = [r for r in project.revisions if r is not revision and r.date >= revision.date]
        for entry in revision.entries:
            if not is_deleted_row(entry):
                places.append((_label(entry), entry.after))
        for other in later:
            for entry in other.entries:
                places.append((_label(entry), entry.before))
                if not is_deleted_row(entry):
                    places.append((_label(entry), entry.after))
    places.extend((node.label, project.text_of(node.id)) for node in project.items())
    view = RevisionView(
        [p for p in places if p[1].strip()], retired_groups(revision, project, rules)
    )
    view.deletions = [(e.id, deleted_text(e)) for e in revision.entries if e.include]
    view.complete = revision.is_draft or any(
        project.value(node.id).text.strip() for node in project.items()
    )
    return view


def _label(entry: ChangeEntry) -> str:
    return entry.item_path[-1].strip() if entry.item_path else ""

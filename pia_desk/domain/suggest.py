"""Suggested 提出時期 and 提出時期に係る説明 for change entries, each with its reasons.

The tool suggests; the user decides (domain.md). A suggestion comes from the kind of
the change (classify.py) and the rules (timing_rules.json):

- a minor kind (誤字脱字, 用語の統一, 号ズレ, 組織名 …) is a 評価書の修正: 事後;
- any other change of a ※ item is a 重要な変更: 事前; of another item: 事後;
- revision rule: a revision holding a 重要な変更 is submitted 事前 as a whole, so its
  minor rows are suggested 事前 too (law renumberings excepted, see the rules).

A 重要な変更 row that the user has set to 事後 counts as the user's judgement that it
is not one, so it does not pull its revision to 事前.

`suggest_for_revision` computes the project context once; `suggest_for_entry` reuses
a cached result for as long as the project's entries and working text are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from pia_desk.domain.classify import ChangeKind, Classification, ProjectContext, classify_entry
from pia_desk.domain.entries import ChangeEntry, Revision, Timing
from pia_desk.domain.project import Project
from pia_desk.domain.timing_rules import Outcome, TimingRules, load_rules
from pia_desk.domain.wareki import format_wareki


@dataclass(frozen=True)
class Suggestion:
    timing: Timing
    explanation: str
    reasons: list[str] = field(hash=False)
    kind: str  # a classify.ChangeKind value
    important: bool = False  # the change itself is a 重要な変更 (not only its revision)
    decisive: int = 0  # index of the reason that decided the timing

    @property
    def deciding_reason(self) -> str:
        """The reason that settled 提出時期 (e.g. the revision rule, not the row's kind)."""
        return self.reasons[self.decisive] if self.reasons else ""


# -- public API ---------------------------------------------------------------------------
def suggest_for_revision(project: Project, revision: Revision) -> dict[str, Suggestion]:
    """Suggestions for every entry of `revision`, keyed by entry id."""
    context = project_context(project)
    return _revision_suggestions(project, revision, context)


def suggest_for_entry(project: Project, revision: Revision, entry: ChangeEntry) -> Suggestion:
    """The suggestion for one entry (its revision's other rows are taken into account)."""
    context = project_context(project)  # forgets cached revisions when it is rebuilt
    revisions = _cache_for(project).revisions
    signature = _revision_signature(revision)
    stored = revisions.get(revision.id)
    if stored is None or stored[0] != signature:
        stored = revisions[revision.id] = (
            signature,
            _revision_suggestions(project, revision, context),
        )
    found = stored[1].get(entry.id)
    if found is not None:
        return found
    return _revision_suggestions(project, revision, context, extra=entry)[entry.id]


def classify(project: Project, entry: ChangeEntry) -> Classification:
    """The classification behind a suggestion (for views that show the kind)."""
    return classify_entry(project, entry, project_context(project))


# -- caching ---------------------------------------------------------------------------------
@dataclass
class _Cache:
    signature: tuple = ()
    context: ProjectContext | None = None
    # revision id -> (its signature, its suggestions); one state per revision
    revisions: dict[str, tuple[tuple, dict[str, Suggestion]]] = field(default_factory=dict)


_CACHES: WeakKeyDictionary[Project, _Cache] = WeakKeyDictionary()


def _cache_for(project: Project) -> _Cache:
    cache = _CACHES.get(project)
    if cache is None:
        cache = _CACHES[project] = _Cache()
    return cache


def _project_signature(project: Project) -> tuple:
    entries = tuple((e.id, e.node_id, e.kind, e.before, e.after) for _, e in project.all_entries())
    return entries, tuple(project.working.items()), len(project.tree_order())


def _revision_signature(revision: Revision) -> tuple:
    return (
        revision.date,
        tuple((e.id, e.timing, e.include, e.before, e.after) for e in revision.entries),
    )


def project_context(project: Project) -> ProjectContext:
    """The classifier's project context, rebuilt only when entries or texts changed."""
    cache = _cache_for(project)
    signature = _project_signature(project)
    if cache.context is None or cache.signature != signature:
        cache.context = ProjectContext.build(project)
        cache.signature = signature
        cache.revisions.clear()
    return cache.context


# -- the rules applied ---------------------------------------------------------------------
def _revision_suggestions(
    project: Project,
    revision: Revision,
    context: ProjectContext,
    extra: ChangeEntry | None = None,
) -> dict[str, Suggestion]:
    rules = load_rules()
    entries = [*revision.entries, *([extra] if extra is not None else [])]
    classes = {e.id: classify_entry(project, e, context) for e in entries}
    own = {e.id: _own_outcome(classes[e.id], rules) for e in entries}
    pulling = [
        e for e in revision.entries if e.include and own[e.id][1] and e.timing is not Timing.POST
    ]
    result = {}
    for entry in entries:
        outcome, important = own[entry.id]
        result[entry.id] = _suggestion(
            classes[entry.id], outcome, important, pulling, entry, revision, rules
        )
    return result


def _own_outcome(cls: Classification, rules: TimingRules) -> tuple[Outcome, bool]:
    """The entry's outcome on its own, and whether it is a 重要な変更."""
    rule = rules.kind(cls.kind)
    if rule.important and rule.outcome is not None:
        return rule.outcome, True
    if rules.is_minor(cls.kind, cls.in_risk_section) and rule.outcome is not None:
        return rule.outcome, False
    if cls.important_item:
        return rules.important_change, True
    return rules.ordinary_item, False


def _fill(template: str, cls: Classification, rules: TimingRules) -> str:
    evidence = "、".join(cls.evidence) or "記載の変更"
    return template.format(
        evidence=evidence,
        pairs="、".join(str(p) for p in cls.pairs),
        law=cls.law_name or "法令",
        shift=cls.law_shift or "条ずれ",
        item=cls.item_label,
        item_group=cls.item_group,
        label=rules.kind(cls.kind).label,
        guideline=rules.guideline,
    )


def _suggestion(
    cls: Classification,
    outcome: Outcome,
    important: bool,
    pulling: list[ChangeEntry],
    entry: ChangeEntry,
    revision: Revision,
    rules: TimingRules,
) -> Suggestion:
    timing = outcome.timing
    explanation = _fill(outcome.explanation, cls, rules)
    reasons = [_fill(outcome.reason, cls, rules)]
    decisive = 0
    others = [e for e in pulling if e is not entry]
    if not important and timing is Timing.POST and others:
        rule = rules.kind(cls.kind)
        if rule.joins_pre_revision:
            timing, explanation = Timing.PRE, ""
            reasons.append(_revision_reason(others, revision, rules))
            decisive = len(reasons) - 1
        elif rule.stays_post_reason:
            reasons.append(rule.stays_post_reason)
    if timing is not Timing.UNSET:
        reasons.append(rules.timing_definition)
    return Suggestion(timing, explanation, reasons, str(cls.kind), important, decisive)


def _revision_reason(pulling: list[ChangeEntry], revision: Revision, rules: TimingRules) -> str:
    first = pulling[0].item_path[-1] if pulling[0].item_path else ""
    items = f"「{first.strip()}」" + (f" ほか {len(pulling) - 1} 件" if len(pulling) > 1 else "")
    return rules.revision_pre_reason.format(
        date=format_wareki(revision.date), items=items, guideline=rules.guideline
    )


__all__ = [
    "ChangeKind",
    "Suggestion",
    "classify",
    "project_context",
    "suggest_for_entry",
    "suggest_for_revision",
]

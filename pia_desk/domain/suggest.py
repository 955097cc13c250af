"""Suggested 提出時期 and 提出時期に係る説明 for change entries, each with its reasons
and a confidence (高 / 中 / 低).

The tool suggests; the user decides (domain.md). A suggestion comes from the kind of
the change (classify.py) and the rules (timing_rules.json):

- a minor kind (誤字脱字, 用語の統一, 号ズレ, 組織名, 取扱いの終了 …) is a 評価書の修正: 事後;
- a safeguard removed while its processing goes on, and any other change of a ※ item,
  is a 重要な変更: 事前; the same on another item is 事後.

Each row is judged on its own: rows of one revision may be submitted at different
times. That a revision holds 事前 rows is a finding of the check, not a change of its
other rows' suggestions. Every reason names its source: a verbatim quote shipped in
resources/rules/sources.json, or 「PIA Desk の判断基準（…の考え方による）」.

`suggest_for_revision` computes the project context once; `suggest_for_entry` reuses
a cached result for as long as the project's entries and working text are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from pia_desk.domain.classify import ChangeKind, Classification, ProjectContext, classify_entry
from pia_desk.domain.entries import ChangeEntry, Revision, Timing
from pia_desk.domain.project import Project
from pia_desk.domain.timing_rules import Confidence, Outcome, TimingRules, load_rules


@dataclass(frozen=True)
class Suggestion:
    timing: Timing
    explanation: str
    reasons: list[str] = field(hash=False)
    kind: str  # a classify.ChangeKind value
    important: bool = False  # the change is a 重要な変更
    decisive: int = 0  # index of the reason that decided the timing
    # How clear the evidence is; a 低 suggestion is a question to the user, not a decision.
    confidence: Confidence = Confidence.MEDIUM

    @property
    def deciding_reason(self) -> str:
        """The reason that settled 提出時期."""
        return self.reasons[self.decisive] if self.reasons else ""

    @property
    def is_uncertain(self) -> bool:
        return self.confidence is Confidence.LOW


# -- public API ---------------------------------------------------------------------------
def suggest_for_revision(
    project: Project, revision: Revision, context: ProjectContext | None = None
) -> dict[str, Suggestion]:
    """Suggestions for every entry of `revision`, keyed by entry id.

    `context`: a context of one's own, e.g. `ProjectContext.build(project,
    excluded_revision=revision.id)` to judge the revision without what the project
    learned from it (bench/classifier_agreement.py).
    """
    return _revision_suggestions(project, revision, context or project_context(project))


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
    return {
        e.id: _suggestion(classify_entry(project, e, context, revision), rules) for e in entries
    }


def _own_outcome(cls: Classification, rules: TimingRules) -> tuple[Outcome, bool]:
    """The entry's outcome, and whether it is a 重要な変更."""
    rule = rules.kind(cls.kind)
    if rule.important and rule.outcome is not None:
        return rule.outcome, True
    if rule.minor and rule.outcome is not None:
        return rule.outcome, False
    if cls.important_item:
        if rule.important_reason:
            important = rules.important_change
            return Outcome(
                important.timing,
                important.explanation,
                rule.important_reason,
                rule.source,
                rule.confidence("", important.confidence),
            ), True
        return rules.important_change, True
    return rules.ordinary_item, False


def _confidence(
    cls: Classification, outcome: Outcome, important: bool, rules: TimingRules
) -> Confidence:
    """The outcome's confidence, as the kind's rule data adjusts it for this evidence."""
    rule = rules.kind(cls.kind)
    confidence = outcome.confidence
    if important:
        confidence = rule.confidence("important", confidence)
    if cls.confidence_variant:
        confidence = rule.confidence(cls.confidence_variant, confidence)
    return confidence


def _fill(template: str, cls: Classification, rules: TimingRules, source: str) -> str:
    evidence = "、".join([*cls.evidence, *cls.signals]) or "記載の変更"
    return template.format(
        evidence=evidence,
        pairs="、".join(str(p) for p in cls.pairs),
        law=cls.law_name or "法令",
        shift=cls.law_shift or "条ずれ",
        item=cls.item_label,
        item_group=cls.item_group,
        label=rules.kind(cls.kind).label,
        source=source,
    )


def _suggestion(cls: Classification, rules: TimingRules) -> Suggestion:
    outcome, important = _own_outcome(cls, rules)
    confidence = _confidence(cls, outcome, important, rules)
    reasons = [_fill(outcome.reason, cls, rules, outcome.source)]
    if confidence is Confidence.LOW and outcome.timing is not Timing.UNSET:
        reasons.append(UNCERTAIN_NOTE)
    if outcome.timing is not Timing.UNSET:
        reasons.append(rules.timing_definition)
    return Suggestion(
        outcome.timing,
        _fill(outcome.explanation, cls, rules, outcome.source),
        reasons,
        str(cls.kind),
        important,
        0,
        confidence,
    )


UNCERTAIN_NOTE = (
    "根拠がはっきりしないため、この提案は確度が低い（低）です。提出時期を確認してください。"
)


__all__ = [
    "ChangeKind",
    "Confidence",
    "Suggestion",
    "classify",
    "project_context",
    "suggest_for_entry",
    "suggest_for_revision",
]

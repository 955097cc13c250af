"""The 事前/事後 rules as data: which kind of change is submitted when, and why.

The rules live in resources/rules/timing_rules.json so that wording and mappings can
be corrected without touching code. Each kind of change (see classify.ChangeKind) has
a suggested 提出時期, a suggested 提出時期に係る説明 and a reason template that cites
the source (規則 / 指針 / 記載要領). Kinds that are not `minor` depend on the item:
a ※ item makes them a 重要な変更 (事前), any other item a 評価書の修正 (事後).

This module reads a file shipped with the program (no user input), so it is the one
place of the domain that does I/O; it happens once, on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from pia_desk.domain.entries import Timing
from pia_desk.paths import resource_path

RULES_FILE = ("rules", "timing_rules.json")


@dataclass(frozen=True)
class Outcome:
    """A suggested 提出時期 and 説明 with the template of its reason."""

    timing: Timing
    explanation: str
    reason: str


@dataclass(frozen=True)
class KindRule:
    kind: str
    label: str  # 誤字脱字の修正 …
    minor: bool  # never a 重要な変更, whatever the item
    outcome: Outcome | None  # for minor kinds
    joins_pre_revision: bool  # follows its revision to 事前 when that holds a 重要な変更
    stays_post_reason: str = ""  # why it does not (when joins_pre_revision is False)
    minor_in_risk_section: bool | None = None  # override of `minor` inside リスク対策
    important: bool = False  # a 重要な変更 whatever the item's ※ (its own outcome)


@dataclass(frozen=True)
class TimingRules:
    guideline: str
    rule: str
    manual: str
    timing_definition: str
    kinds: dict[str, KindRule]
    important_change: Outcome
    ordinary_item: Outcome
    revision_pre_reason: str

    def kind(self, kind: str) -> KindRule:
        return self.kinds[kind]

    def is_minor(self, kind: str, in_risk_section: bool) -> bool:
        rule = self.kinds[kind]
        if in_risk_section and rule.minor_in_risk_section is not None:
            return rule.minor_in_risk_section
        return rule.minor


def _outcome(data: dict) -> Outcome:
    return Outcome(Timing(data["timing"]), data["explanation"], data["reason"])


def rules_from_dict(data: dict) -> TimingRules:
    kinds = {}
    for name, spec in data["kinds"].items():
        minor = bool(spec["minor"])
        kinds[name] = KindRule(
            kind=name,
            label=spec["label"],
            minor=minor,
            outcome=_outcome(spec) if "timing" in spec else None,
            joins_pre_revision=bool(spec.get("joins_pre_revision", True)),
            stays_post_reason=spec.get("stays_post_reason", ""),
            minor_in_risk_section=spec.get("minor_in_risk_section"),
            important=bool(spec.get("important", False)),
        )
    sources = data["sources"]
    return TimingRules(
        guideline=sources["guideline"],
        rule=sources["rule"],
        manual=sources["manual"],
        timing_definition=data["timing_definition"],
        kinds=kinds,
        important_change=_outcome(data["important_change"]),
        ordinary_item=_outcome(data["ordinary_item"]),
        revision_pre_reason=data["revision_pre"]["reason"],
    )


@cache
def load_rules() -> TimingRules:
    """The shipped rules (read once)."""
    path = resource_path(*RULES_FILE)
    return rules_from_dict(json.loads(path.read_text(encoding="utf-8")))

"""The 事前/事後 rules as data: which kind of change is submitted when, why, and how sure.

The rules live in resources/rules/timing_rules.json so that wording and mappings can
be corrected without touching code. Each kind of change (see classify.ChangeKind) has
a suggested 提出時期, a suggested 提出時期に係る説明, a reason template, the basis of the
rule and the confidence of a suggestion made by it. Kinds that are not `minor` depend
on the item: a ※ item makes them a 重要な変更 (事前), any other item a 評価書の修正 (事後).

Sources are honest: the only text quoted is the verbatim text shipped in
resources/rules/sources.json; every other rule names its basis as
「PIA Desk の判断基準（…の考え方による）」.

This module reads files shipped with the program (no user input), so it is the one
place of the domain that does I/O; it happens once, on first use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from pia_desk.domain.entries import Timing
from pia_desk.paths import resource_path

RULES_FILE = ("rules", "timing_rules.json")
SOURCES_FILE = ("rules", "sources.json")


class Confidence(StrEnum):
    """How clear the evidence of a suggestion is (shown to the user beside it)."""

    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


@dataclass(frozen=True)
class Quote:
    """A verbatim sentence of an official document."""

    document: str
    text: str

    def cite(self) -> str:
        return f"{self.document}「{self.text}」"


@dataclass(frozen=True)
class Outcome:
    """A suggested 提出時期 and 説明 with the template of its reason and its source."""

    timing: Timing
    explanation: str
    reason: str
    source: str  # 「PIA Desk の判断基準（…の考え方による）」 or a verbatim quote
    confidence: Confidence


@dataclass(frozen=True)
class KindRule:
    kind: str
    label: str  # 誤字脱字の修正 …
    minor: bool  # never a 重要な変更, whatever the item
    outcome: Outcome | None  # for minor kinds and kinds with their own outcome
    important: bool = False  # a 重要な変更 whatever the item's ※ (its own outcome)
    # Alternative confidences named in the data (e.g. "supported", "contested").
    confidences: tuple[tuple[str, Confidence], ...] = ()
    # A 重要な変更 template of its own (safeguard_removed), with its source.
    important_reason: str = ""
    source: str = ""

    def confidence(self, variant: str, default: Confidence) -> Confidence:
        return dict(self.confidences).get(variant, default)


@dataclass(frozen=True)
class TimingRules:
    guideline: str
    rule: str
    manual: str
    timing_definition: str  # the verbatim quote, cited
    kinds: dict[str, KindRule]
    important_change: Outcome
    ordinary_item: Outcome
    signals: dict[str, str]
    subjects: dict
    precise_terms: dict
    quotes: dict[str, Quote]

    def kind(self, kind: str) -> KindRule:
        return self.kinds[kind]

    def is_minor(self, kind: str) -> bool:
        return self.kinds[kind].minor

    def signal(self, name: str, **values: object) -> str:
        return self.signals[name].format(**values)


def _source(spec: dict, judgement: str, quotes: dict[str, Quote]) -> str:
    if "quote" in spec:
        return quotes[spec["quote"]].cite()
    return judgement.format(basis=spec["basis"]) if "basis" in spec else ""


def _outcome(spec: dict, judgement: str, quotes: dict[str, Quote]) -> Outcome:
    return Outcome(
        Timing(spec["timing"]),
        spec["explanation"],
        spec["reason"],
        _source(spec, judgement, quotes),
        Confidence(spec.get("confidence", Confidence.MEDIUM)),
    )


def rules_from_dict(data: dict, sources: dict) -> TimingRules:
    quotes = {key: Quote(spec["document"], spec["text"]) for key, spec in sources["quotes"].items()}
    judgement = data["judgement"]
    kinds = {}
    for name, spec in data["kinds"].items():
        variants = tuple(
            (key.removeprefix("confidence").removeprefix("_"), Confidence(value))
            for key, value in spec.items()
            if key.startswith("confidence")
        )
        kinds[name] = KindRule(
            kind=name,
            label=spec["label"],
            minor=bool(spec["minor"]),
            outcome=_outcome(spec, judgement, quotes) if "timing" in spec else None,
            important=bool(spec.get("important", False)),
            confidences=variants,
            important_reason=spec.get("reason_important", ""),
            source=_source(spec, judgement, quotes),
        )
    sources_names = data["sources"]
    return TimingRules(
        guideline=sources_names["guideline"],
        rule=sources_names["rule"],
        manual=sources_names["manual"],
        timing_definition=_source(data["timing_definition"], judgement, quotes),
        kinds=kinds,
        important_change=_outcome(data["important_change"], judgement, quotes),
        ordinary_item=_outcome(data["ordinary_item"], judgement, quotes),
        signals=data["signals"],
        subjects=data["subjects"],
        precise_terms=data["precise_terms"],
        quotes=quotes,
    )


def _read(parts: tuple[str, str]) -> dict:
    return json.loads(resource_path(*parts).read_text(encoding="utf-8"))


@cache
def load_rules() -> TimingRules:
    """The shipped rules (read once)."""
    return rules_from_dict(_read(RULES_FILE), _read(SOURCES_FILE))

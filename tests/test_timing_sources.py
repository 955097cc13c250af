"""Every reason names its source honestly: verbatim quotes only from sources.json."""

from __future__ import annotations

import json
import re

from test_classify import new_project, revision_of

from pia_desk.domain.suggest import suggest_for_revision
from pia_desk.domain.timing_rules import load_rules
from pia_desk.paths import resource_path

# A document name followed by a bracketed text: a quotation of that document.
QUOTATION = re.compile(r"(記載要領|指針|規則|解説|ガイドライン|通知)「([^」]*)」")
JUDGEMENT = re.compile(r"^PIA Desk の判断基準（.+考え方による）$")


def shipped_quotes() -> set[str]:
    data = json.loads(resource_path("rules", "sources.json").read_text(encoding="utf-8"))
    return {q["text"] for q in data["quotes"].values()}


def test_rule_files_quote_nothing_themselves() -> None:
    for name in ("timing_rules.json", "check_rules.json"):
        text = resource_path("rules", name).read_text(encoding="utf-8")
        assert QUOTATION.findall(text) == [], name


def test_every_rule_names_a_shipped_quote_or_pia_desks_own_judgement() -> None:
    rules = load_rules()
    quotes = {q.cite() for q in rules.quotes.values()}
    sources = [rules.important_change.source, rules.ordinary_item.source]
    sources += [k.outcome.source for k in rules.kinds.values() if k.outcome is not None]
    sources += [k.source for k in rules.kinds.values() if k.important_reason]
    assert sources
    for source in sources:
        assert source in quotes or JUDGEMENT.match(source), source
    assert rules.timing_definition in quotes


def test_reasons_on_real_rows_quote_only_shipped_text(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, shared_rows)
    quoted = set()
    for suggestion in suggest_for_revision(project, revision).values():
        for reason in suggestion.reasons:
            quoted.update(text for _, text in QUOTATION.findall(reason))
            assert "（特定個人情報保護評価指針）" not in reason  # a bare citation
    assert quoted and quoted <= shipped_quotes()

"""Suggested 提出時期 / 説明 with reasons, the revision rule, and speed."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from test_classify import (
    ROW_CONDITION_DELETED,
    ROW_DIGITAL_AGENCY,
    ROW_GOUZURE_TWICE,
    ROW_NEW_FUNCTION,
    ROW_SHITOU,
    ROW_USE,
    new_project,
    revision_of,
)

from pia_desk.domain.entries import ChangeEntry, Revision, Timing
from pia_desk.domain.suggest import Suggestion, suggest_for_entry, suggest_for_revision
from pia_desk.domain.timing_rules import load_rules
from pia_desk.domain.values import Value

DEC_8 = date(2021, 12, 8)


def only(project, revision: Revision) -> Suggestion:
    return suggest_for_entry(project, revision, revision.entries[0])


def test_suggestion_is_frozen_and_reasons_cite_the_sources(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, shared_rows[:3])
    rules = load_rules()
    for entry in revision.entries:
        suggestion = suggest_for_entry(project, revision, entry)
        assert suggestion.reasons
        assert rules.guideline in suggestion.reasons[0]
        assert suggestion.reasons[-1] == rules.timing_definition
    with pytest.raises(dataclasses.FrozenInstanceError):
        suggestion.timing = Timing.PRE  # type: ignore[misc]


def test_consistent_wording_is_post_with_the_pair_as_explanation(shared_rows) -> None:
    project = new_project()
    rows = [r for r in shared_rows if r["date_iso"] == "2021-10-20"]
    revision = revision_of(project, rows)
    suggestions = suggest_for_revision(project, revision)
    for entry, row in zip(revision.entries, rows, strict=True):
        suggestion = suggestions[entry.id]
        assert suggestion.timing is Timing.POST
        assert suggestion.explanation == row["explanation"], row["item_path"]


def test_important_item_change_is_pre(shared_rows) -> None:
    project = new_project()
    suggestion = only(project, revision_of(project, [shared_rows[ROW_USE]], DEC_8))
    assert suggestion.timing is Timing.PRE
    assert suggestion.important
    assert suggestion.explanation == ""
    assert "⑤使用方法※" in suggestion.reasons[0]


def test_change_of_an_ordinary_item_alone_is_post(shared_rows) -> None:
    project = new_project()
    suggestion = only(project, revision_of(project, [shared_rows[ROW_NEW_FUNCTION]], DEC_8))
    assert suggestion.timing is Timing.POST
    assert suggestion.explanation == load_rules().ordinary_item.explanation
    assert "②システムの機能" in suggestion.reasons[0]


def test_org_rename_alone_is_post_with_the_org_explanation(shared_rows) -> None:
    project = new_project()
    suggestion = only(project, revision_of(project, [shared_rows[ROW_DIGITAL_AGENCY]], DEC_8))
    assert suggestion.timing is Timing.POST
    assert suggestion.explanation == "組織改編に伴う部署名の変更であり、重要な変更に当たらない。"


def test_minor_rows_of_a_revision_with_an_important_change_are_pre(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_DIGITAL_AGENCY], shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_USE]]
    revision = revision_of(project, rows, DEC_8)
    suggestions = suggest_for_revision(project, revision)
    rename, function, use = (suggestions[e.id] for e in revision.entries)
    assert use.timing is Timing.PRE and use.important
    for minor in (rename, function):
        assert minor.timing is Timing.PRE and not minor.important
        assert minor.explanation == ""
        assert any("同じ改訂" in r and "令和3年12月8日" in r for r in minor.reasons)


def test_law_renumbering_stays_post_beside_an_important_change(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_GOUZURE_TWICE], shared_rows[ROW_USE]]
    revision = revision_of(project, rows, DEC_8)
    law = suggest_for_revision(project, revision)[revision.entries[0].id]
    assert law.timing is Timing.POST
    assert law.explanation == "番号法の改正に伴う号ズレによる変更"
    assert load_rules().kind("law_renumbering").stays_post_reason in law.reasons


def test_important_row_the_user_set_to_post_does_not_pull_the_revision(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_CONDITION_DELETED]]
    revision = revision_of(project, rows, DEC_8)
    function, deleted = revision.entries
    assert suggest_for_entry(project, revision, function).timing is Timing.PRE
    deleted.timing = Timing.POST  # the user judged it not a 重要な変更
    assert suggest_for_entry(project, revision, function).timing is Timing.POST


def test_excluded_important_row_does_not_pull_the_revision(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_USE]]
    revision = revision_of(project, rows, DEC_8)
    revision.entries[1].include = False
    assert only(project, revision).timing is Timing.POST


def test_item_deletion_outside_risk_measures_is_post_inside_is_pre() -> None:
    project = new_project()
    project.baseline.update(
        {"II.5.prov1.7": Value(text="随時"), "III.9.how": Value(text="研修を行う。")}
    )
    project.working = dict(project.baseline)
    project.remove_node("II.5.prov1")
    draft = project.draft
    provision = suggest_for_entry(project, draft, project.entry_for_node("II.5.prov1.7"))
    assert provision.timing is Timing.POST
    assert provision.explanation == "リスクを明らかに軽減させる変更であり、重要な変更に当たらない。"
    project.remove_node("III.9.how")
    measure = suggest_for_entry(project, draft, project.entry_for_node("III.9.how"))
    assert measure.timing is Timing.PRE and measure.important


def test_suggestion_follows_edits_of_the_working_text() -> None:
    project = new_project()
    project.baseline["II.3.5"] = Value(text="接種記録を照会するために使用する。")
    project.working = dict(project.baseline)
    project.set_text("II.3.5", "接種記録を照会するために使用する")  # 。 dropped
    draft = project.draft
    entry = project.entry_for_node("II.3.5")
    assert suggest_for_entry(project, draft, entry).kind == "typo"
    project.set_text("II.3.5", "接種記録を照会し、接種券を発行するために使用する。")
    again = suggest_for_entry(project, draft, entry)
    assert again.kind == "addition" and again.timing is Timing.PRE


def test_entry_not_yet_in_the_revision_gets_a_suggestion(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, shared_rows[ROW_SHITOU : ROW_SHITOU + 2])  # 当市区町村→当市
    loose = ChangeEntry("loose", ("Ⅰ基本情報", "７．他の評価実施機関"), "なし", "なし。")
    assert suggest_for_entry(project, revision, loose).timing is Timing.POST


def test_thousand_entries_each_get_one_suggestion_and_the_cache_agrees(shared_rows) -> None:
    # The timing of this workload is measured by bench/bench_suggest.py, not asserted here.
    project = new_project()
    template = revision_of(project, shared_rows, DEC_8)
    revision = Revision(id="big", date=DEC_8)
    for i in range(1000):
        row = template.entries[i % len(template.entries)]
        tail = f"\n（整理番号{i}）"  # distinct texts: no diff is reused from a cache
        revision.entries.append(
            ChangeEntry(f"big{i}", row.item_path, row.before + tail, row.after + tail, row.node_id)
        )
    project.revisions = [revision]
    suggestions = suggest_for_revision(project, revision)
    assert len(suggestions) == 1000
    for entry in revision.entries[:200]:
        assert suggest_for_entry(project, revision, entry) == suggestions[entry.id]

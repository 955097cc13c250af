"""Suggested 提出時期 / 説明 with reasons and confidence; each row judged on its own."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from test_classify import (
    ROW_DIGITAL_AGENCY,
    ROW_GOUZURE_TWICE,
    ROW_NEW_FUNCTION,
    ROW_SHITOU,
    ROW_USE,
    new_project,
    revision_of,
)

from pia_desk.domain.entries import ChangeEntry, Revision, Timing
from pia_desk.domain.suggest import (
    Confidence,
    Suggestion,
    suggest_for_entry,
    suggest_for_revision,
)
from pia_desk.domain.timing_rules import load_rules
from pia_desk.domain.values import Value

DEC_8 = date(2021, 12, 8)


def only(project, revision: Revision) -> Suggestion:
    return suggest_for_entry(project, revision, revision.entries[0])


def test_suggestion_is_frozen_and_reasons_name_their_source(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, shared_rows[:3])
    rules = load_rules()
    for entry in revision.entries:
        suggestion = suggest_for_entry(project, revision, entry)
        assert suggestion.reasons
        assert "PIA Desk の判断基準（" in suggestion.reasons[0]
        assert suggestion.reasons[-1] == rules.timing_definition
        assert suggestion.confidence is Confidence.HIGH
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


def test_rows_beside_an_important_change_keep_their_own_suggestion(shared_rows) -> None:
    project = new_project()
    rows = [
        shared_rows[ROW_DIGITAL_AGENCY],
        shared_rows[ROW_NEW_FUNCTION],
        shared_rows[ROW_GOUZURE_TWICE],
        shared_rows[ROW_USE],
    ]
    revision = revision_of(project, rows, DEC_8)
    suggestions = suggest_for_revision(project, revision)
    rename, function, law, use = (suggestions[e.id] for e in revision.entries)
    assert use.timing is Timing.PRE and use.important
    assert (rename.timing, function.timing, law.timing) == (Timing.POST,) * 3
    assert law.explanation == "番号法の改正に伴う号ズレによる変更"
    for minor in (rename, function, law):
        assert not any("同じ改訂" in r for r in minor.reasons)


def test_a_users_choice_on_one_row_does_not_move_another_rows_suggestion(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_USE]]
    revision = revision_of(project, rows, DEC_8)
    function, use = revision.entries
    before = suggest_for_entry(project, revision, function)
    use.timing = Timing.PRE
    function.timing = Timing.PRE
    assert suggest_for_entry(project, revision, function) == before
    assert before.timing is Timing.POST


def test_deleted_provision_is_post_and_a_deleted_measure_without_subject_is_uncertain() -> None:
    project = new_project()
    project.baseline.update(
        {"II.5.prov1.7": Value(text="随時"), "III.9.how": Value(text="研修を行う。")}
    )
    project.working = dict(project.baseline)
    project.remove_node("II.5.prov1")
    draft = project.draft
    provision = suggest_for_entry(project, draft, project.entry_for_node("II.5.prov1.7"))
    assert provision.timing is Timing.POST
    assert provision.kind == "processing_ended"
    assert provision.explanation == "リスクを明らかに軽減させる変更であり、重要な変更に当たらない。"
    project.remove_node("III.9.how")
    measure = suggest_for_entry(project, draft, project.entry_for_node("III.9.how"))
    assert measure.timing is Timing.PRE and measure.important
    assert measure.confidence is Confidence.LOW
    assert any("読み取れません" in r for r in measure.reasons)


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

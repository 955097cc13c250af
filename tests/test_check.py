"""The pre-submission check: each finding, its severity and target, scope and JSON."""

from __future__ import annotations

from datetime import date

import pytest
from test_classify import ROW_DIGITAL_AGENCY, ROW_NEW_FUNCTION, ROW_USE, new_project, revision_of

from pia_desk.domain.check import Finding, Severity, run_checks
from pia_desk.domain.entries import Revision, RevisionStatus, Timing
from pia_desk.domain.project import Project
from pia_desk.domain.values import Value
from pia_desk.storage.templates import load_template

TODAY = date(2022, 1, 10)
DEC_8 = date(2021, 12, 8)


def complete_project() -> Project:
    """A project with its required items filled, published and reviewed recently."""
    project = Project.from_template(load_template("juten"))
    for node_id, text in {
        "cover.title": "予防接種に関する事務　重点項目評価書",
        "cover.org": "架空市長",
        "I.1.1": "予防接種に関する事務",
        "I.1.2": "予防接種を行う。",
        "I.3": "予防接種台帳ファイル",
    }.items():
        project.baseline[node_id] = Value(text=text)
    project.working = dict(project.baseline)
    set_published(project, date(2021, 6, 1))
    project.meta.reviewed = date(2021, 6, 1)
    return project


def set_published(project: Project, day: date | None) -> None:
    """公表日 as the cover said when it was last submitted (no change row)."""
    value = Value(text=day.isoformat() if day else "")
    for values in (project.baseline, project.working):
        values["cover.published"] = value


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def test_complete_project_without_entries_is_clean() -> None:
    report = run_checks(complete_project(), today=TODAY)
    assert report.findings == []
    assert not report.has_errors


def test_entry_without_timing_is_an_error_naming_the_suggestion(shared_rows) -> None:
    project = complete_project()
    revision = revision_of(project, [shared_rows[ROW_USE]], DEC_8)
    report = run_checks(project, today=TODAY)
    (finding,) = by_code(report.findings, "timing-missing")
    assert finding.severity is Severity.ERROR
    assert finding.entry_id == revision.entries[0].id
    assert finding.target == revision.entries[0].id
    assert "事前" in finding.message
    assert report.has_errors


def test_post_without_explanation_is_a_warning(shared_rows) -> None:
    project = complete_project()
    revision = revision_of(project, [shared_rows[ROW_DIGITAL_AGENCY]], DEC_8)
    revision.entries[0].timing = Timing.POST
    report = run_checks(project, today=TODAY)
    (finding,) = by_code(report.findings, "explanation-missing")
    assert finding.severity is Severity.WARNING
    assert "組織改編" in finding.message  # the suggested explanation
    revision.entries[0].explanation = "組織改編に伴う部署名の変更であり、重要な変更に当たらない。"
    assert run_checks(project, today=TODAY).findings == []


def test_choice_against_the_suggestion(shared_rows) -> None:
    project = complete_project()
    rows = [shared_rows[ROW_USE], shared_rows[ROW_NEW_FUNCTION]]
    use, function = revision_of(project, rows, DEC_8).entries
    use.timing, use.explanation = Timing.POST, "軽微な変更"
    function.timing = Timing.PRE
    differs = by_code(run_checks(project, today=TODAY).findings, "timing-differs")
    severities = {f.entry_id: f.severity for f in differs}
    # 事後 chosen for a 重要な変更: warning; 事前 where 事後 suffices: information
    assert severities == {use.id: Severity.WARNING, function.id: Severity.INFO}


def test_changed_item_left_out_of_the_table_is_a_warning(shared_rows) -> None:
    project = complete_project()
    revision = revision_of(project, [shared_rows[ROW_USE]], DEC_8)
    revision.entries[0].include = False
    assert codes(run_checks(project, today=TODAY).findings) == ["excluded-entry"]


def test_draft_dated_before_the_last_submission_is_an_error() -> None:
    project = complete_project()
    project.set_text("I.3", "予防接種台帳ファイル（更新）")
    draft = project.draft
    draft.date = date(2021, 11, 1)
    project.revisions.insert(0, Revision("old", DEC_8, RevisionStatus.SUBMITTED))
    draft.entries[0].timing = Timing.POST
    draft.entries[0].explanation = "時点修正"
    (finding,) = run_checks(project, today=TODAY).findings
    assert (finding.code, finding.severity) == ("date-order", Severity.ERROR)
    assert "令和3年12月8日" in finding.message


def test_history_out_of_order_is_only_a_warning(shared_rows) -> None:
    project = complete_project()
    revision_of(project, [], DEC_8)
    later = revision_of(project, [shared_rows[ROW_DIGITAL_AGENCY]], date(2021, 11, 1))
    later.entries[0].timing = Timing.POST
    later.entries[0].explanation = "組織改編"
    (finding,) = run_checks(project, today=TODAY).findings
    assert (finding.code, finding.severity) == ("date-order", Severity.WARNING)


def test_old_and_new_term_mixed_in_the_working_text(shared_rows) -> None:
    project = complete_project()
    rows = [r for r in shared_rows if r["explanation"] == "当市区町村→当市　に修正するもの。"]
    for entry in revision_of(project, rows).entries:
        entry.timing, entry.explanation = Timing.POST, "当市区町村→当市　に修正するもの。"
    project.working["II.3.5"] = Value(text="当市への転入者について照会する。")
    project.working["II.6.place"] = Value(text="当市区町村のサーバー室に設置している。")
    (finding,) = run_checks(project, today=TODAY).findings
    assert (finding.code, finding.severity) == ("term-mixed", Severity.WARNING)
    assert finding.node_id == "II.6.place" and finding.target == "II.6.place"
    assert "当市区町村" in finding.message and "保管場所" in finding.item
    project.working["II.6.place"] = Value(text="当市のサーバー室に設置している。")
    assert run_checks(project, today=TODAY).findings == []


def test_required_items_empty_are_errors() -> None:
    project = new_project()
    set_published(project, date(2021, 6, 1))
    project.meta.reviewed = date(2021, 6, 1)
    required = by_code(run_checks(project, today=TODAY).findings, "required-empty")
    assert {f.node_id for f in required} >= {"cover.title", "cover.org", "I.1.1"}
    assert all(f.severity is Severity.ERROR for f in required)
    project.set_meta(
        title="予防接種に関する事務　重点項目評価書"
    )  # プロジェクトの情報 is the cover
    still = {
        f.node_id for f in by_code(run_checks(project, today=TODAY).findings, "required-empty")
    }
    assert "cover.title" not in still and "cover.org" in still


@pytest.mark.parametrize(
    ("published", "today", "expected"),
    [
        (date(2017, 1, 10), date(2022, 1, 10), ("reassessment-due", Severity.WARNING)),
        (date(2017, 6, 1), date(2022, 1, 10), ("reassessment-soon", Severity.INFO)),
        (None, date(2022, 1, 10), ("published-missing", Severity.INFO)),
    ],
)
def test_five_years_since_publication(published, today, expected) -> None:
    project = complete_project()
    set_published(project, published)
    project.meta.reviewed = today
    (finding,) = run_checks(project, today=today).findings
    assert (finding.code, finding.severity) == expected


def test_review_due_after_a_year_from_review_or_last_submission() -> None:
    project = complete_project()
    project.meta.reviewed = None
    project.revisions.append(
        Revision("r1", date(2020, 11, 1), RevisionStatus.SUBMITTED, date(2020, 12, 1))
    )
    (finding,) = run_checks(project, today=TODAY).findings
    assert finding.code == "review-due" and "令和2年12月1日" in finding.message
    project.meta.reviewed = date(2021, 12, 1)
    assert run_checks(project, today=TODAY).findings == []


def test_scope_by_revision_and_dates(shared_rows) -> None:
    project = complete_project()
    first = revision_of(project, [shared_rows[0]], date(2021, 10, 20))
    second = revision_of(project, [shared_rows[ROW_USE]], DEC_8)
    every = run_checks(project, today=TODAY)
    assert [c.entry.id for c in every.entries] == [first.entries[0].id, second.entries[0].id]
    one = run_checks(project, revision_id=second.id, today=TODAY)
    assert [c.entry.id for c in one.entries] == [second.entries[0].id]
    assert {f.entry_id for f in one.findings if f.entry_id} == {second.entries[0].id}
    ranged = run_checks(project, date_from=date(2021, 10, 1), date_to=date(2021, 10, 31))
    assert [c.entry.id for c in ranged.entries] == [first.entries[0].id]


def test_json_has_exactly_the_documented_keys(shared_rows) -> None:
    project = complete_project()
    revision = revision_of(project, shared_rows[:2])
    data = run_checks(project, today=TODAY).to_json()
    assert set(data) == {"entries", "findings"}
    entry = data["entries"][0]
    assert set(entry) == {
        "id",
        "date",
        "item",
        "timing",
        "suggested_timing",
        "suggested_explanation",
        "reasons",
        "confidence",
    }
    assert entry["confidence"] in {"高", "中", "低"}
    assert entry["id"] == revision.entries[0].id and entry["date"] == "2021-10-20"
    assert entry["suggested_timing"] == "事後"
    assert entry["suggested_explanation"] == "当市区町村→当市　に修正するもの。"
    for finding in data["findings"]:
        assert set(finding) <= {"severity", "code", "message", "entry", "item"}
        assert finding["severity"] in {"error", "warning", "info"}


def test_differing_timing_names_the_rows_own_reason(shared_rows) -> None:
    project = complete_project()
    revision = revision_of(project, [shared_rows[ROW_USE]], DEC_8)
    entry = revision.entries[0]
    entry.timing, entry.explanation = Timing.POST, "軽微な変更"
    (finding,) = by_code(run_checks(project, today=TODAY).findings, "timing-differs")
    assert "提出時期は事後ですが、提案は事前です" in finding.message
    assert "⑤使用方法※" in finding.message.split("理由:")[1]


def test_revision_with_pre_and_post_rows_asks_once(shared_rows) -> None:
    project = complete_project()
    rows = [shared_rows[ROW_DIGITAL_AGENCY], shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_USE]]
    revision = revision_of(project, rows, DEC_8)
    rename, function, use = revision.entries
    use.timing = Timing.PRE
    rename.timing, rename.explanation = Timing.POST, "組織改編"
    report = run_checks(project, today=TODAY)
    (finding,) = by_code(report.findings, "revision-has-pre")
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "この改訂には事前の行があります。事後にした行も事前に提出するか確認してください。"
    )
    assert finding.date == DEC_8
    assert not by_code(report.findings, "timing-differs")  # minor rows are not pulled
    rename.timing = function.timing = Timing.PRE
    assert not by_code(run_checks(project, today=TODAY).findings, "revision-has-pre")


def test_low_confidence_suggestion_is_a_question_not_a_decision() -> None:
    project = complete_project()
    project.baseline["III.9.how"] = Value(text="研修を行う。")
    project.working = dict(project.baseline)
    project.remove_node("III.9.how")  # what it protected cannot be read from the text
    entry = project.entry_for_node("III.9.how")
    entry.timing, entry.explanation = Timing.POST, "不要となった措置の削除"
    report = run_checks(project, today=TODAY)
    (uncertain,) = by_code(report.findings, "suggestion-uncertain")
    assert uncertain.severity is Severity.INFO
    assert "確認してください" in uncertain.message and "事前" in uncertain.message
    assert not by_code(report.findings, "timing-differs")
    (checked,) = report.entries
    assert checked.to_json()["confidence"] == "低"


def project_of(form: str) -> Project:
    project = Project.from_template(load_template(form))
    set_published(project, date(2021, 6, 1))
    project.meta.reviewed = date(2021, 6, 1)
    return project


@pytest.mark.parametrize(
    ("form", "node_id", "before", "after", "name"),
    [
        ("kiso", "II.1.1", "1万人以上10万人未満", "10万人以上30万人未満", "対象人数"),
        ("kiso", "II.2.1", "500人未満", "500人以上", "取扱者数"),
        ("kiso", "II.3.1", "発生なし", "発生あり", "重大事故"),
        ("juten", "II.2.2", "1万人以上10万人未満", "10万人以上100万人未満", "対象人数"),
        ("juten", "III.7.2", "発生なし", "発生あり", "重大事故"),
        ("zenkoumoku", "I.1.3", "30万人未満", "30万人以上", "対象人数"),
        ("zenkoumoku", "III.7.r1.9", "発生なし", "発生あり", "重大事故"),
    ],
)
def test_change_of_a_threshold_input_means_redoing_the_threshold_judgement(
    form: str, node_id: str, before: str, after: str, name: str
) -> None:
    project = project_of(form)
    project.baseline[node_id] = Value(text=before)
    project.working = dict(project.baseline)
    project.set_value(node_id, Value(text=after))
    (finding,) = by_code(run_checks(project, today=TODAY).findings, "threshold-input")
    assert finding.severity is Severity.WARNING
    assert finding.node_id == node_id
    assert name in finding.message and "しきい値判断をやり直し" in finding.message


@pytest.mark.parametrize(
    ("form", "node_id"), [("juten", "II.4.item1.2"), ("zenkoumoku", "II.4.item1.3")]
)
def test_a_contractors_own_staff_count_is_not_a_threshold_input(form: str, node_id: str) -> None:
    project = project_of(form)
    project.baseline[node_id] = Value(text="10人未満")
    project.working = dict(project.baseline)
    project.set_value(node_id, Value(text="10人以上50人未満"))
    assert not by_code(run_checks(project, today=TODAY).findings, "threshold-input")


def test_pre_row_of_a_full_assessment_needs_public_comment_and_third_party_review() -> None:
    project = project_of("zenkoumoku")
    project.baseline["I.1.2"] = Value(text="予防接種を行う。")
    project.working = dict(project.baseline)
    project.set_text("I.1.2", "予防接種を行い、接種証明書を電子交付する。")  # ②事務の内容※
    (finding,) = by_code(run_checks(project, today=TODAY).findings, "public-comment")
    assert finding.severity is Severity.WARNING
    assert "国民・住民等からの意見の聴取" in finding.message and "第三者点検" in finding.message
    project.draft.entries[0].timing = Timing.POST
    project.draft.entries[0].explanation = "リスクを高めない変更"
    assert not by_code(run_checks(project, today=TODAY).findings, "public-comment")
    juten = project_of("juten")
    juten.baseline["I.1.2"] = Value(text="予防接種を行う。")
    juten.working = dict(juten.baseline)
    juten.set_text("I.1.2", "予防接種を行い、接種証明書を電子交付する。")
    assert not by_code(run_checks(juten, today=TODAY).findings, "public-comment")

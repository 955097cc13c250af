"""The pre-submission check: each finding, its severity and target, scope and JSON."""

from __future__ import annotations

from datetime import date

import pytest
from test_classify import ROW_DIGITAL_AGENCY, ROW_NEW_FUNCTION, ROW_USE, new_project, revision_of

from pia_desk.domain.check import Finding, Severity, run_checks
from pia_desk.domain.entries import Revision, RevisionStatus, Timing
from pia_desk.domain.project import Project, ProjectMeta
from pia_desk.domain.values import Value
from pia_desk.storage.templates import load_template

TODAY = date(2022, 1, 10)
DEC_8 = date(2021, 12, 8)


def complete_project() -> Project:
    """A project with its required items filled, published and reviewed recently."""
    meta = ProjectMeta(title="予防接種に関する事務　重点項目評価書", org="架空市長")
    project = Project.from_template(load_template("juten"), meta)
    for node_id, text in {
        "I.1.1": "予防接種に関する事務",
        "I.1.2": "予防接種を行う。",
        "I.3": "予防接種台帳ファイル",
    }.items():
        project.baseline[node_id] = Value(text=text)
    project.working = dict(project.baseline)
    project.meta.published = date(2021, 6, 1)
    project.meta.reviewed = date(2021, 6, 1)
    return project


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
    project.meta.published = project.meta.reviewed = date(2021, 6, 1)
    required = by_code(run_checks(project, today=TODAY).findings, "required-empty")
    assert {f.node_id for f in required} >= {"cover.title", "cover.org", "I.1.1"}
    assert all(f.severity is Severity.ERROR for f in required)
    project.meta.title = "予防接種に関する事務　重点項目評価書"  # the cover takes the meta title
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
    project.meta.published = published
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
    }
    assert entry["id"] == revision.entries[0].id and entry["date"] == "2021-10-20"
    assert entry["suggested_timing"] == "事後"
    assert entry["suggested_explanation"] == "当市区町村→当市　に修正するもの。"
    for finding in data["findings"]:
        assert set(finding) <= {"severity", "code", "message", "entry", "item"}
        assert finding["severity"] in {"error", "warning", "info"}


def test_differing_timing_names_the_reason_that_decided_it() -> None:
    from pia_desk.domain.check import run_checks
    from pia_desk.paths import sample_project_path
    from pia_desk.storage.session import load_project

    project = load_project(sample_project_path()).project
    report = run_checks(project, revision_id=project.draft.id)
    differs = [f for f in report.findings if f.code == "timing-differs"]
    assert differs, "the sample's draft has minor rows set 事後 in a revision with 重要な変更"
    for finding in differs:
        assert "提出時期は事後ですが、提案は事前です" in finding.message
        assert "事前" in finding.message.split("理由:")[1]
        assert "事後に提出できます" not in finding.message.split("理由:")[1]

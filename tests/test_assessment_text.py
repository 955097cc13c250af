"""Which text the 評価書 prints: working, as last submitted, or as of a revision (rebuilt
from the history), on a project with three submitted revisions and a draft."""

from __future__ import annotations

from datetime import date

import pytest

from pia_desk.domain.assessment import Section, build_assessment
from pia_desk.domain.assessment_text import TextChoice, text_state
from pia_desk.domain.entries import ChangeEntry, EntryKind
from pia_desk.domain.values import Value
from pia_desk.export.assessment_table import annex_table
from pia_desk.storage.project_file import new_project

R1, R2, R3, DRAFT = date(2022, 4, 1), date(2023, 4, 1), date(2024, 4, 1), date(2025, 4, 1)
EXCERPT_BEFORE = "（＜当市における措置＞部分のみ抜粋）\n・書庫に保管"
EXCERPT_AFTER = "（＜当市における措置＞部分のみ抜粋）\n・耐火書庫に保管"


def history_project():
    project = new_project("juten", org="テスト市長", title="テスト事務　重点項目評価書")
    project.set_text("I.1.2", "内容　その０")
    project.set_value("II.2.2", Value(text="1万人未満"))
    project.set_value("II.3.2", Value(checked=("紙",)))
    project.set_text("III.10", "その他の対策　元")
    project.set_text("II.4.item1.1", "運用保守")
    project.set_text("II.6.place", "＜当市における措置＞\n・耐火書庫に保管")
    project.adopt_working_as_baseline()
    project.remove_revision(project.draft.id)  # the first input records no rows

    project.start_revision(R1)
    project.set_text("I.1.2", "内容　その１")
    project.set_value("II.2.2", Value(text="1万人以上10万人未満"))
    project.set_value("II.3.2", Value(checked=("紙", "その他"), other="窓口"))
    project.submit_draft(R1)

    project.start_revision(R2)
    project.set_text("I.1.2", "内容　その２")
    system = project.add_repeat_instance("I.2.sys1")
    project.set_text(f"{system.id}.1", "新システム")
    # an imported row that quoted only an excerpt of the item
    project.add_entry(
        project.draft,
        ChangeEntry(
            "e-imported",
            ("Ⅱ特定個人情報ファイルの概要", "６．特定個人情報の保管・消去", "保管場所※"),
            EXCERPT_BEFORE,
            EXCERPT_AFTER,
            node_id="II.6.place",
        ),
    )
    project.submit_draft(R2)

    project.start_revision(R3)
    project.set_text("I.1.2", "内容　その３")
    project.set_text("III.10", "その他の対策　改")
    project.remove_node("II.4.item1")
    project.submit_draft(R3)

    project.start_revision(DRAFT)
    project.set_text("I.1.2", "内容　作成中")
    return project


@pytest.fixture(scope="module")
def project():
    return history_project()


def values_of(project, choice: TextChoice) -> dict:
    document = build_assessment(project, text_state(project, choice))
    return {
        row.node_id: row.value
        for part in document.parts
        if isinstance(part, Section)
        for row in part.rows
    }


def test_working_text_is_the_default(project) -> None:
    assert values_of(project, TextChoice())["I.1.2"] == ("内容　作成中",)


def test_as_submitted_prints_the_baseline(project) -> None:
    values = values_of(project, TextChoice("submitted"))
    assert values["I.1.2"] == ("内容　その３",)
    assert values["III.10"] == ("その他の対策　改",)
    assert "II.4.item1.1" not in values  # deleted with the third revision


@pytest.mark.parametrize(
    ("on", "expected"),
    [(R1, "内容　その１"), (R2, "内容　その２"), (R3, "内容　その３"), (DRAFT, "内容　作成中")],
)
def test_each_revision_shows_the_text_of_its_time(project, on: date, expected: str) -> None:
    assert values_of(project, TextChoice("revision", on))["I.1.2"] == (expected,)


def test_the_first_revision_is_rebuilt_with_choices_checks_and_without_later_additions(
    project,
) -> None:
    values = values_of(project, TextChoice("revision", R1))
    assert values["II.2.2"][0] == "[ 1万人以上10万人未満 ]"
    assert "[ ○ ] その他 （ 窓口 ）" in values["II.3.2"]
    assert values["III.10"] == ("その他の対策　元",)
    assert not any(key.startswith("I.2.sys1+") for key in values)  # added with R2


def test_items_that_cannot_be_rebuilt_are_listed_with_the_reason(project) -> None:
    at_r2 = text_state(project, TextChoice("revision", R2))
    assert [(u.node_id, "削除" in u.reason) for u in at_r2.unrebuilt] == [("II.4.item1.1", True)]
    at_r1 = text_state(project, TextChoice("revision", R1))
    listed = {u.node_id: u.reason for u in at_r1.unrebuilt}
    assert "抜粋" in listed["II.6.place"]
    assert at_r1.values["I.1.2"] == Value(text="内容　その１")  # others are rebuilt


def test_a_row_whose_after_text_does_not_match_breaks_the_chain() -> None:
    project = history_project()
    revision = project.revision_on(R3)
    entry = next(e for e in revision.entries if e.node_id == "III.10")
    entry.after = "手で書き換えた変更後"
    state = text_state(project, TextChoice("revision", R2))
    assert "一致しない" in {u.node_id: u.reason for u in state.unrebuilt}["III.10"]
    assert state.values["III.10"] == Value(text="その他の対策　改")  # the oldest text known


def test_an_unknown_revision_date_is_refused_in_japanese(project) -> None:
    with pytest.raises(LookupError, match="変更日が 令和2年1月1日 の改訂はありません"):
        text_state(project, TextChoice("revision", date(2020, 1, 1)))


def test_the_annex_holds_the_rows_up_to_the_chosen_text(project) -> None:
    dates = {
        kind: {row.date_text for row in annex_table(project, TextChoice(*kind)).rows}
        for kind in [("working",), ("submitted",), ("revision", R1), ("revision", R2)]
    }
    assert dates[("working",)] == {
        "令和4年4月1日",
        "令和5年4月1日",
        "令和6年4月1日",
        "令和7年4月1日",
    }
    assert dates[("submitted",)] == {"令和4年4月1日", "令和5年4月1日", "令和6年4月1日"}
    assert dates[("revision", R1)] == {"令和4年4月1日"}
    assert dates[("revision", R2)] == {"令和4年4月1日", "令和5年4月1日"}
    kinds = {e.kind for r in project.submitted for e in r.entries}
    assert EntryKind.DELETED in kinds and EntryKind.ADDED in kinds

"""The change classifier on real change-table wording (bessoe2-sample.json) and on edits."""

from __future__ import annotations

from datetime import date

import pytest

from pia_desk.domain.classify import ChangeKind, EditKind, TermPair, analyse_change
from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision, RevisionStatus
from pia_desk.domain.item_path import match_item_path
from pia_desk.domain.project import Project
from pia_desk.domain.suggest import classify
from pia_desk.domain.values import DELETED_MARK, Value
from pia_desk.storage.templates import load_template

# Row numbers of the shared sample (bessoe2-sample.json) used below.
ROW_SHITOU = 0  # 当市区町村→当市 in ⑤使用方法
ROW_GOUZURE = 2  # 番号利用法第１９条第７号 → 第８号
ROW_TOUGAI = 9  # 当該市区町村→当市
ROW_GOUZURE_TWICE = 10  # 第１５号→第１６号 and 第５号→第６号
ROW_NEW_FUNCTION = 11  # システム５ ②システムの機能: a line added
ROW_USE = 15  # ⑤使用方法※: 接種券の発行のために added
ROW_CONDITION_DELETED = 16  # 情報の突合: a condition deleted
ROW_TWO_TO_THREE = 22  # ２つ → ３つ and a phrase deleted
ROW_OTHER_CITIES = 23  # 転出先市区町村 → 他市区町村 (a single entry)
ROW_DIGITAL_AGENCY = 24  # デジタル庁（旧内閣官房…）
ROW_DIGITAL_AGENCY_WIDTH = 25  # the same, plus 第８条 → 第8条


def new_project() -> Project:
    return Project.from_template(load_template("juten"))


def entry_from_row(
    project: Project, row: dict, entry_id: str, with_node: bool = True
) -> ChangeEntry:
    found = match_item_path(project.root, row["item_path"]) if with_node else None
    return ChangeEntry(
        id=entry_id,
        item_path=tuple(row["item_path"]),
        before=row["before"],
        after=row["after"],
        node_id=found.node.id if found else None,
    )


def revision_of(
    project: Project, rows: list[dict], day: date = date(2021, 10, 20), with_node: bool = True
) -> Revision:
    """A submitted revision holding one entry per row (timing left for the classifier)."""
    number = len(project.revisions) + 1
    revision = Revision(id=f"r{number}", date=day, status=RevisionStatus.SUBMITTED)
    for k, row in enumerate(rows):
        revision.entries.append(entry_from_row(project, row, f"e{number}-{k}", with_node))
    project.revisions.append(revision)
    return revision


def edit_kinds(before: str, after: str) -> list[EditKind]:
    return [edit.kind for edit in analyse_change(before, after)]


# -- consistent wording ------------------------------------------------------------------
def test_term_replaced_in_several_entries_is_consistent_wording(shared_rows) -> None:
    project = new_project()
    rows = [r for r in shared_rows if r["explanation"] == "当市区町村→当市　に修正するもの。"]
    revision = revision_of(project, rows)
    for entry in revision.entries:
        result = classify(project, entry)
        assert result.kind is ChangeKind.WORDING, entry.item_path
        assert result.pairs == (TermPair("当市区町村", "当市"),)


def test_variant_unified_to_the_same_term_is_wording(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_SHITOU], shared_rows[1], shared_rows[ROW_TOUGAI]]
    revision = revision_of(project, rows)
    result = classify(project, revision.entries[2])
    assert result.kind is ChangeKind.WORDING
    assert result.pairs == (TermPair("当該市区町村", "当市"),)


def test_single_swap_for_a_more_precise_term_is_precise_term(shared_rows) -> None:
    project = new_project()
    row = shared_rows[ROW_OTHER_CITIES]  # 転出先市区町村 → 他市区町村, one submitted row
    revision = revision_of(project, [row], date(2022, 3, 14))
    project.working["II.3.5"] = Value(text="転出先市区町村へ接種記録を提供する。")
    result = classify(project, revision.entries[0])
    assert result.kind is ChangeKind.PRECISE_TERM
    assert result.pairs == (TermPair("転出先市区町村", "他市区町村"),)


def test_single_swap_of_a_different_thing_is_substantive() -> None:
    project = new_project()
    path = ["Ⅱ特定個人情報ファイルの概要", "６．特定個人情報の保管・消去", "保管場所　※"]
    row = {"item_path": path, "before": "紙媒体で保管する。", "after": "電子記録媒体で保管する。"}
    revision = revision_of(project, [row])
    project.working["II.3.5"] = Value(text="紙媒体の申請書を受け付ける。")
    assert classify(project, revision.entries[0]).kind is ChangeKind.SUBSTANTIVE


def test_term_gone_from_the_whole_project_is_wording() -> None:
    project = new_project()
    project.baseline["II.3.5"] = Value(text="当市区町村への転入者について照会する。")
    project.working = dict(project.baseline)
    project.set_text("II.3.5", "当市への転入者について照会する。")
    entry = project.entry_for_node("II.3.5")
    result = classify(project, entry)
    assert result.kind is ChangeKind.WORDING
    assert result.pairs == (TermPair("当市区町村", "当市"),)


def test_compound_term_reads_as_the_consistently_replaced_part() -> None:
    edits = analyse_change("・当市区町村長が定める。", "・当市長が定める。")
    assert TermPair("当市区町村", "当市") in edits[0].candidates
    assert edits[0].pair == TermPair("当市区町村長", "当市長")


# -- law renumbering ---------------------------------------------------------------------
def test_article_number_shift_is_law_renumbering(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, [shared_rows[ROW_GOUZURE], shared_rows[ROW_GOUZURE_TWICE]])
    for entry in revision.entries:
        result = classify(project, entry)
        assert result.kind is ChangeKind.LAW_RENUMBERING
        assert result.law_shift == "号ズレ"
        assert result.law_name == "番号法"
    assert (
        "「第１９条第７号」→「第１９条第８号」" in classify(project, revision.entries[0]).evidence
    )


def test_kanji_numeral_article_shift_outside_the_number_act() -> None:
    edits = analyse_change("予防接種法第十五条第一項の規定", "予防接種法第十六条第一項の規定")
    assert [e.kind for e in edits] == [EditKind.LAW]
    assert edits[0].detail == "条ズレ"


def test_article_shift_written_without_dai() -> None:
    assert edit_kinds("番号法19条7号に基づく", "番号法19条8号に基づく") == [EditKind.LAW]


def test_a_count_in_running_text_is_not_a_law_shift(shared_rows) -> None:
    row = shared_rows[ROW_TWO_TO_THREE]
    kinds = edit_kinds(row["before"], row["after"])
    assert EditKind.LAW not in kinds
    assert EditKind.REPLACEMENT in kinds


# -- names -------------------------------------------------------------------------------
def test_new_agency_name_with_former_name_is_org_name(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, [shared_rows[ROW_DIGITAL_AGENCY]], date(2021, 12, 8))
    result = classify(project, revision.entries[0])
    assert result.kind is ChangeKind.ORG_NAME
    assert any("デジタル庁" in e for e in result.evidence)


def test_width_fix_beside_a_rename_keeps_the_rename(shared_rows) -> None:
    row = shared_rows[ROW_DIGITAL_AGENCY_WIDTH]
    kinds = edit_kinds(row["before"], row["after"])
    assert EditKind.NOTATION in kinds and EditKind.ORG_NAME in kinds
    project = new_project()
    revision = revision_of(project, [row], date(2021, 12, 8))
    assert classify(project, revision.entries[0]).kind is ChangeKind.ORG_NAME


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("健康福祉部　保健センター", "こども健康部　保健センター"),
        ("担当は健康課である。", "担当は健康推進課である。"),
    ],
)
def test_department_renames(before: str, after: str) -> None:
    assert edit_kinds(before, after) == [EditKind.ORG_NAME]


def test_system_rename() -> None:
    kinds = edit_kinds("既存住民基本台帳システムと連携する。", "住民記録システムと連携する。")
    assert kinds == [EditKind.SYSTEM_NAME]


def test_new_function_of_a_system_is_not_a_name_change(shared_rows) -> None:
    row = shared_rows[13]  # ワクチン接種記録システム（VRS）（…電子交付機能を含む。）
    assert edit_kinds(row["before"], row["after"]) == [EditKind.ADDITION]


# -- typos and notation ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("情報提供ネットワームシステム", "情報提供ネットワークシステム"),
        ("データーセンターに設置", "データセンターに設置"),
        ("セキュリテイ管理", "セキュリティ管理"),
    ],
)
def test_typo_sized_edits(before: str, after: str) -> None:
    assert edit_kinds(before, after) == [EditKind.TYPO]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("閲覧は可能である。", "閲覧は不可能である。"),  # negation
        ("年に１回実施する。", "年に２回実施する。"),  # a number
        ("記録を残している。", "記録を残していない。"),
    ],
)
def test_small_edits_that_change_meaning_are_not_typos(before: str, after: str) -> None:
    assert EditKind.TYPO not in edit_kinds(before, after)


def test_width_and_spaces_only_is_notation() -> None:
    assert edit_kinds("第８条（通信経路）", "第8条　（通信経路）") == [EditKind.NOTATION]
    project = new_project()
    revision = revision_of(
        project,
        [
            {
                "item_path": ["Ⅲリスク対策", "１０．その他のリスク対策"],
                "before": "第８条",
                "after": "第8条",
            }
        ],
    )
    assert classify(project, revision.entries[0]).kind is ChangeKind.NOTATION


def test_choice_change_is_never_a_typo() -> None:
    project = new_project()
    project.baseline["II.2.2"] = Value(text="1万人以上10万人未満")
    project.working = dict(project.baseline)
    project.set_value("II.2.2", Value(text="10万人以上100万人未満"))
    result = classify(project, project.entry_for_node("II.2.2"))
    assert result.kind is ChangeKind.SUBSTANTIVE


def test_check_mark_change_is_substantive(shared_rows) -> None:
    kinds = edit_kinds("[○]紙\n[]電子メール", "[○]紙\n[○]電子メール")
    assert kinds == [EditKind.VALUE]


# -- additions and deletions -------------------------------------------------------------
def test_added_line_and_deleted_condition(shared_rows) -> None:
    project = new_project()
    rows = [shared_rows[ROW_NEW_FUNCTION], shared_rows[ROW_CONDITION_DELETED]]
    added, deleted = revision_of(project, rows, date(2021, 12, 8)).entries
    assert classify(project, added).kind is ChangeKind.ADDITION
    result = classify(project, deleted)
    # the condition is gone, the processing under ＜…予防接種事務＞ goes on
    assert result.kind is ChangeKind.SAFEGUARD_REMOVED
    assert result.important_item  # 情報の突合 inherits ※ from ⑤使用方法※


@pytest.mark.parametrize("before", ["", "－", "（新規）", "（記載なし）"])
def test_empty_or_new_marker_before_is_an_addition(before: str) -> None:
    project = new_project()
    path = ["Ⅱ特定個人情報ファイルの概要", "７．備考"]
    revision = revision_of(project, [{"item_path": path, "before": before, "after": "特になし"}])
    assert classify(project, revision.entries[0]).kind is ChangeKind.ADDITION


def test_deleted_mark_quoting_part_of_an_item_is_a_text_deletion() -> None:
    project = new_project()
    row = {
        "item_path": ["Ⅱ特定個人情報ファイルの概要", "２．基本情報", "②対象となる本人の数"],
        "before": "10万人以上100万人未満",
        "after": DELETED_MARK,
    }
    revision = revision_of(project, [row])
    assert classify(project, revision.entries[0]).kind is ChangeKind.DELETION


def test_removed_group_ends_a_processing_a_removed_measure_is_an_item_deletion() -> None:
    project = new_project()
    project.baseline.update(
        {"II.4.item1.1": Value(text="接種券の印刷"), "III.9.how": Value(text="研修を行う。")}
    )
    project.working = dict(project.baseline)
    project.remove_node("II.4.item1")
    project.remove_node("III.9.how")
    outside = classify(project, project.entry_for_node("II.4.item1.1"))
    inside = classify(project, project.entry_for_node("III.9.how"))
    assert outside.kind is ChangeKind.PROCESSING_ENDED
    assert any("委託事項１" in s for s in outside.signals)
    assert inside.kind is ChangeKind.ITEM_DELETION  # nothing tells what it was about
    assert not outside.in_risk_section and inside.in_risk_section


def test_new_repeat_instance_is_a_group_addition_but_a_lone_item_is_not() -> None:
    project = new_project()
    instance = project.add_repeat_instance("I.2.sys1")
    name = next(n for n in instance.walk() if n.label == "①システムの名称")
    project.set_text(name.id, "ワクチン接種記録システム（VRS）")
    result = classify(project, project.entry_for_node(name.id))
    assert result.kind is ChangeKind.GROUP_ADDITION
    assert result.item_group == instance.label
    lone = project.add_item("I.2.sys1", "④備考")
    project.set_text(lone.id, "なし")
    entry = project.entry_for_node(lone.id)
    assert entry.kind is EntryKind.ADDED
    assert classify(project, entry).kind is ChangeKind.ADDITION


# -- items without a node ---------------------------------------------------------------
def test_entry_without_node_uses_the_matcher(shared_rows) -> None:
    project = new_project()
    revision = revision_of(project, [shared_rows[ROW_USE]], with_node=False)
    entry = revision.entries[0]
    assert entry.node_id is None
    result = classify(project, entry)
    assert result.important_item  # ⑤使用方法※ found in the tree
    assert result.kind is ChangeKind.ADDITION


def test_entry_without_match_uses_the_mark_in_the_path() -> None:
    project = new_project()
    rows = [
        {"item_path": ["独自の章", "独自項目※"], "before": "甲の事務", "after": "甲及び乙の事務"},
        {"item_path": ["独自の章", "独自項目"], "before": "甲の事務", "after": "甲及び乙の事務"},
    ]
    marked, plain = revision_of(project, rows).entries
    assert classify(project, marked).important_item
    assert not classify(project, plain).important_item

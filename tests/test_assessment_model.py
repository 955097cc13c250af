"""The document model of the whole 評価書: order, numbering, values as the form prints them."""

from __future__ import annotations

from datetime import date

import pytest

from pia_desk.domain.assessment import (
    AnnexBox,
    RowKind,
    Section,
    build_assessment,
    form_layout,
    value_lines,
)
from pia_desk.domain.assessment_text import text_state
from pia_desk.domain.tree import Node, NodeKind, repeat_siblings
from pia_desk.domain.values import Value, parse_value, render_value
from pia_desk.domain.wareki import DigitStyle
from pia_desk.paths import sample_project_path
from pia_desk.storage.project_file import new_project
from pia_desk.storage.session import load_project
from pia_desk.storage.templates import available_forms


def sample():
    return load_project(sample_project_path()).project


def printed_nodes(project) -> list[str]:
    """What must be printed: every node in tree order but the cover section itself and
    the line of a file block when the project has only one 特定個人情報ファイル."""
    return [
        n.id
        for n in project.root.walk(include_deleted=False)
        if n.parent and n.id != "cover" and not is_single_block(n)
    ]


def is_single_block(node: Node) -> bool:
    return (
        node.kind is NodeKind.REPEAT
        and node.parent.kind is NodeKind.SECTION
        and len([s for s in repeat_siblings(node) if not s.deleted]) == 1
    )


def test_every_node_of_the_sample_is_printed_once_in_tree_order() -> None:
    project = sample()
    document = build_assessment(project, text_state(project))
    assert document.nodes_in_order() == printed_nodes(project)


@pytest.mark.parametrize("form", [code for code, _ in available_forms()])
def test_every_form_prints_every_node_of_its_template(form: str) -> None:
    project = new_project(form)
    document = build_assessment(project, text_state(project))
    assert sorted(document.nodes_in_order()) == sorted(printed_nodes(project))
    assert document.cover.stamp == project.meta.form_stamp
    assert document.cover.title.startswith("特定個人情報保護評価書（")
    assert document.contents[-1] == project.meta.annex_label


def test_zenkoumoku_cover_puts_the_approval_date_before_the_publication_date() -> None:
    project = new_project("zenkoumoku")
    labels = [
        f.label
        for b in build_assessment(project, text_state(project)).cover.blocks
        for f in b.fields
    ]
    assert labels.index("個人情報保護委員会　承認日　【行政機関等のみ】") < labels.index("公表日")


def test_sections_and_annexes_in_the_contents_in_tree_order() -> None:
    project = sample()
    document = build_assessment(project, text_state(project))
    assert document.contents == (
        "Ⅰ基本情報",
        "Ⅱ特定個人情報ファイルの概要",
        "（別添１）特定個人情報ファイル記録項目",
        "Ⅲリスク対策　※（７．②を除く。）",
        "Ⅳ開示請求、問合せ",
        "Ⅴ評価実施手続",
        "（別添２）変更箇所",
    )
    kinds = [type(p) for p in document.parts]
    assert kinds == [Section, Section, AnnexBox, Section, Section, Section]
    assert build_assessment(project, text_state(project), annex=False).change_annex is None


def rows_by_node(document) -> dict:
    return {
        row.node_id: row
        for part in document.parts
        if isinstance(part, Section)
        for row in part.rows
    }


def test_first_level_labels_merge_down_over_their_sub_items() -> None:
    project = sample()
    rows = rows_by_node(build_assessment(project, text_state(project)))
    first = rows["I.1.1"]
    assert (first.outer, first.label, first.outer_id) == (
        "１．特定個人情報ファイルを取り扱う事務",
        "①事務の名称",
        "I.1",
    )
    assert rows["I.1.2"].outer is None  # continues the merged label
    assert rows["I.3"].label is None  # a first-level item spans both label columns
    assert rows["I.2.sys1"].kind is RowKind.HEADING and rows["I.2.sys1"].value is None
    assert rows["I.2.sys1.1"].indent == 1 and rows["II.2.3.need"].indent == 1


def layout():
    return form_layout("juten")


def node(kind: NodeKind, options=(), other=None) -> Node:
    return Node("x", "項目", kind, options=list(options), other_option=other)


def test_a_choice_prints_the_chosen_option_then_the_options_of_the_form() -> None:
    choice = node(NodeKind.CHOICE, ["特に力を入れている", "十分である", "課題が残されている"])
    assert value_lines(choice, Value(text="十分である"), layout()) == (
        "[ 十分である ]",
        "＜選択肢＞",
        "1) 特に力を入れている　2) 十分である　3) 課題が残されている",
    )
    empty = value_lines(choice, Value(), layout())
    assert empty[0].startswith("[") and empty[0].endswith("]") and empty[1] == "＜選択肢＞"


def test_checks_print_one_line_per_option_with_the_forms_marks() -> None:
    checks = node(NodeKind.CHECKS, ["紙", "電子メール", "その他"], other="その他")
    lines = value_lines(checks, Value(checked=("紙", "その他"), other="窓口で受付"), layout())
    assert lines == ("[ ○ ] 紙", "[ ] 電子メール", "[ ○ ] その他 （ 窓口で受付 ）")
    # the change table keeps the real tables' style
    assert render_value(checks, Value(checked=("紙",))) == "[○]紙\n[]電子メール\n[]その他"


def test_dates_print_in_wareki_with_the_projects_digits() -> None:
    day = node(NodeKind.DATE)
    value = Value(text=date(2021, 10, 20).isoformat())
    assert value_lines(day, value, layout()) == ("令和3年10月20日",)
    assert value_lines(day, value, layout(), DigitStyle.FULL) == ("令和３年１０月２０日",)


def test_free_text_is_kept_exactly_and_empty_items_are_empty_boxes() -> None:
    text = node(NodeKind.TEXT)
    raw = " 先頭の空白\n\n\tタブ　全角ＡＢＣ half 𠮷髙\n"
    assert "\n".join(value_lines(text, Value(text=raw), layout())) == raw
    project = new_project("juten")
    rows = rows_by_node(build_assessment(project, text_state(project)))
    assert rows["I.1.1"].value == ()  # printed, with an empty value cell


@pytest.mark.parametrize(
    "value",
    [
        Value(checked=("紙", "その他"), other="（括弧）入り"),
        Value(checked=("電子メール",)),
    ],
)
def test_rendered_checks_read_back_to_the_same_value(value: Value) -> None:
    checks = node(NodeKind.CHECKS, ["紙", "電子メール", "その他"], other="その他")
    assert parse_value(checks, render_value(checks, value)) == value
    assert parse_value(checks, "（＜追加措置＞部分のみ抜粋）\n[○]紙") is None


def test_rendered_choice_reads_back() -> None:
    choice = node(NodeKind.CHOICE, ["する", "しない", "その他"], other="その他")
    for value in (Value(text="しない"), Value(text="その他", other="検討中")):
        assert parse_value(choice, render_value(choice, value)) == value
    assert parse_value(choice, "する") is None


def test_a_repeat_level_of_files_prints_one_block_per_file() -> None:
    """Version 2 projects hold several 特定個人情報ファイル: a repeat group directly under
    Ⅱ prints its label across the table, and its items restart at the first level."""
    project = new_project("juten")
    second = project.add_repeat_instance("II.f1")
    project.rename_node(second.id, "（２）本人確認情報ファイル")
    project.set_text(f"{second.id}.1", "第二のファイル")
    document = build_assessment(project, text_state(project))
    part = next(p for p in document.parts if p.node_id == "II")
    blocks = [r for r in part.rows if r.kind is RowKind.BLOCK]
    assert [b.outer for b in blocks] == ["（１）特定個人情報ファイル", "（２）本人確認情報ファイル"]
    second = part.rows[part.rows.index(blocks[1]) + 1]
    assert (second.outer, second.label, second.value) == (
        "１．特定個人情報ファイル名",
        None,
        ("第二のファイル",),
    )
    assert document.nodes_in_order() == printed_nodes(project)


def test_a_single_file_prints_no_block_line() -> None:
    project = new_project("juten")
    (block,) = project.node("II").children  # every project has its first file's block
    assert block.kind is NodeKind.REPEAT
    document = build_assessment(project, text_state(project))
    part = next(p for p in document.parts if p.node_id == "II")
    assert not [r for r in part.rows if r.kind is RowKind.BLOCK]
    assert part.rows[0].outer == "１．特定個人情報ファイル名"
    assert document.nodes_in_order() == printed_nodes(project)

"""The shipped form templates and their loader."""

from __future__ import annotations

import pytest

from pia_desk.domain.tree import FORM_CODES, NodeKind
from pia_desk.storage.templates import UnknownFormError, available_forms, load_template


@pytest.mark.parametrize("form", FORM_CODES)
def test_template_loads_with_unique_ids_and_valid_kinds(form: str) -> None:
    template = load_template(form)
    nodes = list(template.root.walk())
    ids = [n.id for n in nodes]
    assert len(ids) == len(set(ids))
    assert len(nodes) > 30
    assert template.root.children[0].id == "cover"
    for node in nodes:
        assert node.label.strip() == node.label and node.label
        assert " " not in node.label and "\u3000" not in node.label
        if node.kind in (NodeKind.CHOICE, NodeKind.CHECKS):
            assert node.options, node
        if node.other_option is not None:
            assert node.other_option in node.options
        if node.kind is NodeKind.REPEAT:
            assert node.repeat_label and "{n}" in node.repeat_label
        if node is not template.root:
            assert node.kind is not NodeKind.ROOT


@pytest.mark.parametrize(
    ("form", "style", "stamp", "annex"),
    [
        ("juten", "様式3", "[平成26年4月 様式3]", "（別添２）変更箇所"),
        ("zenkoumoku", "様式4", "[平成26年4月 様式4]", "（別添３）変更箇所"),
        ("kiso", "様式2", "[平成26年4月 様式2]", "変更箇所"),
    ],
)
def test_stamps_and_annex_labels(form: str, style: str, stamp: str, annex: str) -> None:
    template = load_template(form)
    assert (template.form, template.style, template.stamp, template.annex_label) == (
        form,
        style,
        stamp,
        annex,
    )


def test_load_returns_a_fresh_tree_each_call() -> None:
    first, second = load_template("juten"), load_template("juten")
    assert first.root is not second.root
    first.root.children[0].label = "変更"
    assert second.root.children[0].label == "表紙"
    assert load_template("juten").root.children[0].label == "表紙"


def test_unknown_form_raises_a_value_error_in_japanese() -> None:
    with pytest.raises(UnknownFormError) as info:
        load_template("nope")
    assert isinstance(info.value, ValueError)
    assert "評価書" in str(info.value)


def test_available_forms() -> None:
    forms = available_forms()
    assert dict(forms) == {
        "kiso": "基礎項目評価書",
        "juten": "重点項目評価書",
        "zenkoumoku": "全項目評価書",
    }


def test_juten_risk_section_has_items_1_to_10() -> None:
    template = load_template("juten")
    section = template.find("III")
    assert section is not None
    assert section.label == "Ⅲリスク対策" and section.note == "※（７．②を除く。）"
    numbers = [c.label.split("．")[0] for c in section.children]
    assert numbers == ["１", "２", "３", "４", "５", "６", "７", "８", "９", "１０"]


def test_juten_importance_except_7_2() -> None:
    template = load_template("juten")
    section = template.find("III")
    assert section is not None and section.is_important()
    exception = template.find("III.7.2")
    assert exception is not None and exception.label.startswith("②過去３年以内")
    assert not exception.is_important()
    assert not any(n.is_important() for n in template.find("III.7.2").children)  # type: ignore[union-attr]
    others = [n for n in section.walk() if n.id != "III.7.2" and n.parent.id != "III.7.2"]  # type: ignore[union-attr]
    assert all(n.is_important() for n in others)
    assert template.find("I.4").is_important()  # type: ignore[union-attr]
    assert not template.find("I.1.1").is_important()  # type: ignore[union-attr]


def test_star_convention_matches_the_important_flag() -> None:
    for form in FORM_CODES:
        for node in load_template(form).root.walk():
            if node.label.endswith("※"):
                assert node.important is True, node


def test_juten_repeat_prototypes_and_checks() -> None:
    template = load_template("juten")
    system = template.find("I.2.sys1")
    assert system is not None and system.kind is NodeKind.REPEAT
    assert (system.label, system.repeat_label) == ("システム１", "システム{n}")
    for node_id, pattern in [
        ("II.4.item1", "委託事項{n}"),
        ("II.5.prov1", "提供先{n}"),
        ("II.5.tran1", "移転先{n}"),
    ]:
        node = template.find(node_id)
        assert node is not None and node.repeat_label == pattern
    method = template.find("II.3.2")
    assert method is not None and method.kind is NodeKind.CHECKS
    assert method.options[:3] == [
        "紙",
        "電子記録媒体（フラッシュメモリを除く。）",
        "フラッシュメモリ",
    ]
    assert method.other_option == "その他"
    assert template.find("II.3.5.match").label == "情報の突合※"  # type: ignore[union-attr]
    assert template.find("cover.published").kind is NodeKind.DATE  # type: ignore[union-attr]


def test_zenkoumoku_has_its_sections() -> None:
    template = load_template("zenkoumoku")
    labels = [c.label for c in template.root.children]
    assert "Ⅵ評価実施手続" in labels and "Ⅳその他のリスク対策※" in labels
    assert template.find("cover.approved") is not None
    assert not template.find("III.7.r1.9").is_important()  # type: ignore[union-attr]
    assert template.find("III.7.r1.8").is_important()  # type: ignore[union-attr]

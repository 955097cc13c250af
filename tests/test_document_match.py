"""The matcher: a document's text flow placed into the form's tree by its labels."""

from __future__ import annotations

import pytest
from assessment_docs import document_values, filled_project, printed_label, printed_value

from pia_desk.domain.document_flow import TextFlow, canonical
from pia_desk.domain.document_match import detect_form, find_stamp, match_document
from pia_desk.domain.values import Value
from pia_desk.storage.templates import load_template


def juten():
    return load_template("juten")


def flow_of(*pieces: str) -> TextFlow:
    flow = TextFlow()
    for number, piece in enumerate(pieces, start=1):
        flow.add(piece, f"{number}番目")
    return flow


def values_by_label(match) -> dict[str, Value]:
    return {match.node(i).label: v for i, v in match.values.items()}


def cells_of(project, label_style=printed_label) -> TextFlow:
    """Every node's label, then its printed value, as Word cells are read."""
    flow = TextFlow()
    for index, node in enumerate(project.root.walk(include_deleted=False)):
        if node is project.root:
            continue
        flow.add(label_style(node, index), f"label {node.id}")
        if node.is_leaf_item:
            flow.add(printed_value(node, project.value(node.id), index), f"value {node.id}")
    return flow


def placed_values(match) -> dict[tuple[str, ...], Value]:
    return {
        n.path_labels(): match.values[n.id]
        for n in match.root.walk()
        if n.is_leaf_item and n.id in match.values
    }


@pytest.mark.parametrize("form", ["juten", "zenkoumoku", "kiso"])
def test_every_value_comes_back_through_label_variants(form: str) -> None:
    repeats = {"juten": {"I.2.sys1": 3, "II.4.item1": 2, "II.5.prov1": 2}, "kiso": {}}
    project = filled_project(form, repeats.get(form, {"I.2.sys1": 2}))
    template = load_template(form)
    match = match_document(cells_of(project), template.root, template.annex_label)
    assert placed_values(match) == document_values(project)
    assert match.missing == []
    assert match.unplaced == []


def test_label_variants_are_the_same_label() -> None:
    written = [
        "Ⅱ　特定個人情報ファイルの概要",
        "６．特定個人情報の保管・消去",
        "保管場所　※",
        "サーバ室に保管",
        "Ⅲ リスク対策 ※（７．②を除く。）",
        "2．特定個人情報の入手（情報提供ネット\nワームシステムを通じた入手を除く。）",
        "リスク１：目的外の入手が行われるリスク",
        "リスクに対する措置の内容",
        "本人確認を行う",
    ]
    match = match_document(flow_of(*written), juten().root)
    values = values_by_label(match)
    assert values["保管場所※"] == Value(text="サーバ室に保管")
    assert values["リスクに対する措置の内容"] == Value(text="本人確認を行う")


def test_choices_and_checks_are_read_back_in_every_spelling() -> None:
    match = match_document(
        flow_of(
            "Ⅰ基本情報",
            "５．情報提供ネットワークシステムによる情報連携 ※",
            "①実施の有無",
            "［実施する］\n＜選択肢＞\n1) 実施する 2) 実施しない 3) 未定",
            "Ⅱ特定個人情報ファイルの概要",
            "２．基本情報",
            "②対象となる本人の数",
            "[ 10万人以上\n100万人未満 ]",
            "３．特定個人情報の入手・使用",
            "①入手元 ※",
            "[ ○ ] 本人又は本人の代理人 [ ] 評価実施機関内の他部署\n［〇］地方公共団体・地方独立行政法人\n[○]その他 （ 医療機関 ）",
        ),
        juten().root,
    )
    values = values_by_label(match)
    assert values["①実施の有無"] == Value(text="実施する")
    assert values["②対象となる本人の数"] == Value(text="10万人以上100万人未満")
    assert values["①入手元※"] == Value(
        checked=("本人又は本人の代理人", "地方公共団体・地方独立行政法人", "その他"),
        other="医療機関",
    )
    assert match.problems == []


def test_a_choice_outside_the_options_is_reported_not_guessed() -> None:
    match = match_document(
        flow_of("５．情報提供ネットワークシステムによる情報連携※", "①実施の有無", "[ 検討中 ]"),
        juten().root,
    )
    assert "I.5.1" not in match.values
    assert match.problems[0][2] == "選択肢のどれとも一致しません"
    assert ("3番目", "[ 検討中 ]") in match.unplaced


def test_repeat_groups_are_created_as_they_appear() -> None:
    pieces = ["２．特定個人情報ファイルを取り扱う事務において使用するシステム"]
    for n in "１２３４":
        pieces += [f"システム{n}", "①システムの名称", f"システム{n}の名前"]
    match = match_document(flow_of(*pieces), juten().root)
    systems = [c for c in match.node("I.2").children if c.repeat_label]
    assert [s.label for s in systems] == ["システム１", "システム２", "システム３", "システム４"]
    names = [match.values[s.children[0].id].text for s in systems]
    assert names == ["システム１の名前", "システム２の名前", "システム３の名前", "システム４の名前"]
    assert len(match.added_repeats) == 3


def test_a_numbered_label_the_template_lacks_becomes_an_item_at_its_place() -> None:
    match = match_document(
        flow_of(
            "１．特定個人情報ファイルを取り扱う事務",
            "①事務の名称",
            "予防接種に関する事務",
            "②事務の内容 ※",
            "予防接種法に基づく予防接種の実施",
            "③対象人数",
            "[ 30万人以上 ]",
            "２．特定個人情報ファイルを取り扱う事務において使用するシステム",
        ),
        juten().root,
    )
    group = match.node("I.1")
    assert [c.label for c in group.children] == ["①事務の名称", "②事務の内容※", "③対象人数"]
    added = group.children[2]
    assert match.values[added.id] == Value(text="[ 30万人以上 ]")
    assert match.values["I.1.2"] == Value(text="予防接種法に基づく予防接種の実施")
    assert match.added_items == [
        ("Ⅰ基本情報 / １．特定個人情報ファイルを取り扱う事務 / ③対象人数", "6番目")
    ]


def test_template_items_the_document_lacks_are_kept_and_reported() -> None:
    match = match_document(
        flow_of("１．特定個人情報ファイルを取り扱う事務", "①事務の名称", "予防接種に関する事務"),
        juten().root,
    )
    assert match.node("I.1.2") is not None
    assert "Ⅰ基本情報 / １．特定個人情報ファイルを取り扱う事務 / ②事務の内容※" in match.missing
    assert match.items_found == 1


def test_items_in_another_order_than_the_template_and_a_note_after_a_label() -> None:
    """The 全項目 cover has 承認日 before 公表日, the template the other way round."""
    template = load_template("zenkoumoku")
    flow = flow_of(
        "評価実施機関名",
        "みどり野市長",
        "個人情報保護委員会　承認日　【行政機関等のみ】",
        "",
        "公表日",
        "令和3年4月6日",
        "Ⅰ基本情報",
    )
    match = match_document(flow, template.root, template.annex_label)
    assert match.values["cover.published"] == Value(text="2021-04-06")
    assert "cover.approved" not in match.values
    assert match.problems == [] and match.unplaced == []


def test_text_under_no_item_is_reported_with_where_it_was() -> None:
    match = match_document(
        flow_of(
            "Ⅰ基本情報",
            "この章は令和５年度に見直した。",
            "１．特定個人情報ファイルを取り扱う事務",
            "①事務の名称",
            "予防接種",
        ),
        juten().root,
    )
    assert match.unplaced == [("2番目", "この章は令和５年度に見直した。")]


def test_a_label_quoted_inside_a_value_does_not_take_the_anchor() -> None:
    """On a PDF line the real label follows its group's label; the value wraps so that
    the same words start a line of their own."""
    flow = flow_of(
        "４．個人番号の利用 ※ 法令上の根拠 番号法第９条第１項",
        "別表第一の項。当市では",
        "法令上の根拠について、条例で定める。",
        "５．情報提供ネットワークシステムによる情報連携 ※",
    )
    match = match_document(flow, juten().root)
    assert (
        match.values["I.4.law"].text
        == "番号法第９条第１項\n別表第一の項。当市では\n法令上の根拠について、条例で定める。"
    )


def test_a_label_quoted_at_the_start_of_a_line_of_the_value_before_it() -> None:
    flow = flow_of(
        "①事務の名称",
        "予防接種に関する事務\n②事務の内容については別紙のとおり",
        "②事務の内容 ※",
        "予防接種の実施",
    )
    match = match_document(flow, juten().root)
    assert match.values["I.1.1"].text == "予防接種に関する事務\n②事務の内容については別紙のとおり"
    assert match.values["I.1.2"].text == "予防接種の実施"


def test_a_contents_page_does_not_take_the_section_anchors() -> None:
    flow = flow_of(
        "項目一覧",
        "Ⅰ基本情報",
        "Ⅱ特定個人情報ファイルの概要",
        "Ⅲリスク対策",
        "Ⅰ基本情報",
        "１．特定個人情報ファイルを取り扱う事務",
        "①事務の名称",
        "予防接種",
        "Ⅱ特定個人情報ファイルの概要",
        "１．特定個人情報ファイル名",
        "予防接種ファイル",
    )
    match = match_document(flow, juten().root)
    assert match.values["I.1.1"].text == "予防接種"
    assert match.values["II.1"].text == "予防接種ファイル"
    assert match.unplaced == []  # the contents page is known and left out


def test_the_change_table_annex_is_not_taken_into_the_last_item() -> None:
    template = juten()
    flow = flow_of(
        "２．国民・住民等からの意見の聴取【任意】",
        "③主な意見の内容",
        "特になし",
        "（別添２）変更箇所",
        "変更日",
        "令和3年10月1日",
    )
    match = match_document(flow, template.root, template.annex_label)
    assert match.values["V.2.3"].text == "特になし"
    assert match.annex_found


def test_stamp_and_form_are_read_from_the_cover() -> None:
    flow = flow_of("［平成３０年５月　様式４］", "特定個人情報保護評価書 （全項目評価書）")
    assert find_stamp(flow) == "[平成30年5月 様式4]"
    assert detect_form(flow) == "zenkoumoku"
    assert detect_form(flow_of("[平成26年4月 様式2]")) == "kiso"
    assert detect_form(flow_of("予防接種の記録")) is None


def test_canonical_form_folds_what_documents_vary() -> None:
    assert canonical("２．特定個人情報 の入手\u3000※") == canonical("2.特定個人情報の入手※")
    assert canonical("情報提供ネットワームシステム") == canonical("情報提供ネットワークシステム")
    assert canonical("①") != canonical("1")


def test_several_files_become_several_blocks_numbered_in_the_middle() -> None:
    """Several 特定個人情報ファイル: the block line （２）特定個人情報ファイル carries its
    number before the words."""
    from pia_desk.domain.tree import Node, NodeKind

    root = Node("root", "評価書", NodeKind.ROOT)
    section = root.add_child(Node("II", "Ⅱ特定個人情報ファイルの概要", NodeKind.SECTION))
    block = section.add_child(
        Node(
            "II.f1",
            "（１）特定個人情報ファイル",
            NodeKind.REPEAT,
            repeat_label="（{n}）特定個人情報ファイル",
        )
    )
    block.add_child(Node("II.1", "１．特定個人情報ファイル名", NodeKind.TEXT))
    block.add_child(Node("II.7", "７．備考", NodeKind.TEXT))
    flow = flow_of(
        "Ⅱ特定個人情報ファイルの概要",
        "（1）特定個人情報ファイル",
        "1．特定個人情報ファイル名",
        "予防接種ファイル",
        "７．備考",
        "なし",
        "（２）特定個人情報ファイル",
        "１．特定個人情報ファイル名",
        "接種記録ファイル",
        "７．備考",
        "特になし",
    )
    match = match_document(flow, root)
    blocks = [c for c in match.node("II").children if c.repeat_label]
    assert [b.label for b in blocks] == ["（１）特定個人情報ファイル", "（２）特定個人情報ファイル"]
    assert [match.values[b.children[0].id].text for b in blocks] == [
        "予防接種ファイル",
        "接種記録ファイル",
    ]
    assert [match.values[b.children[1].id].text for b in blocks] == ["なし", "特になし"]


def test_label_and_value_on_one_line_as_typed() -> None:
    flow = flow_of(
        "①事務の名称：予防接種に関する事務",
        "②事務の内容 ※　予防接種の実施",
        "２．特定個人情報ファイルを取り扱う事務において使用するシステム",
    )
    match = match_document(flow, juten().root)
    assert match.values["I.1.1"].text == "予防接種に関する事務"
    assert match.values["I.1.2"].text == "予防接種の実施"

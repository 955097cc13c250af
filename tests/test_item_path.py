"""Resolving 項目 paths of real change tables to template nodes."""

from __future__ import annotations

import pytest

from pia_desk.domain.item_path import PathMatch, match_item_path, normalize_label
from pia_desk.domain.tree import Node, is_file_block, new_repeat_instance
from pia_desk.storage.templates import load_template

I_SEC = "Ⅰ基本情報"
II_SEC = "Ⅱ特定個人情報ファイルの概要"
II_SEC_SP = "Ⅱ　特定個人情報ファイルの概要"
III_SEC = "Ⅲリスク対策"
III_SEC_NOTE = "Ⅲ　リスク対策　※（７．②を除く。）"
SYSTEMS = "特定個人情報ファイルを取り扱う事務において使用するシステム"
II_4 = "４．特定個人情報ファイルの取扱いの委託"
II_5 = "５．特定個人情報の提供・移転（委託に伴うものを除く。）"
GET = "特定個人情報の入手（情報提供ネットワークシステムを通じた入手を除く。）"
GET_TYPO = "特定個人情報の入手（情報ネットワークシステムを通じた入手を除く。）"
GET_SP = "特定個人情報の入手 （情報提供ネットワークシステムを通じた入手を除く。）"
GIVE = "特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）"
OTHER_RISKS = "におけるその他のリスク及びそのリスクに対する措置"
WORM = "特定個人情報の入手（情報提供ネットワームシステムを通じた入手を除く。）"
COVID = "２．新型コロナウイルス感染症対策に係る予防接種に関する記録項目"
ACCIDENT = "⑨過去３年以内に、評価実施機関において、個人情報に関する重大事故が発生したか"


@pytest.fixture(scope="module")
def juten() -> Node:
    return load_template("juten").root


def _match(root: Node, path: str) -> PathMatch:
    found = match_item_path(root, path.split(" / "))
    assert found is not None, path
    return found


def test_every_sample_path_resolves(juten: Node, shared_rows: list[dict]) -> None:
    assert len(shared_rows) == 27
    for row in shared_rows:
        found = match_item_path(juten, row["item_path"])
        assert found is not None, row["item_path"]
        assert found.node.label.startswith(normalize_label(row["item_path"][-1])[:2]) or (
            normalize_label(found.node.label) == normalize_label(row["item_path"][-1])
        )


@pytest.mark.parametrize(
    ("path", "node_id", "label"),
    [
        (
            "Ⅱ特定個人情報ファイルの概要 / ３．特定個人情報の入手・使用 / ⑤使用方法",
            "II.3.5",
            "⑤使用方法※",
        ),
        (
            "Ⅱ　特定個人情報ファイルの概要 / ３．特定個人情報の入手・使用 / ⑤使用方法 / 情報の突合",
            "II.3.5.match",
            "情報の突合※",
        ),
        ("Ⅰ基本情報 / ４．個人番号の利用※ / 法令上の根拠", "I.4.law", "法令上の根拠"),
        (
            "Ⅰ基本情報 / ５．情報提供ネットワークシステムによる情報連携※ / ②法令上の根拠",
            "I.5.2",
            "②法令上の根拠",
        ),
        (
            "Ⅱ特定個人情報ファイルの概要 / ６．特定個人情報の保管・消去 / 保管場所　※",
            "II.6.place",
            "保管場所※",
        ),
        ("Ⅲリスク対策 / １０．その他のリスク対策", "III.10", "１０．その他のリスク対策"),
        ("Ⅲリスク対策 / ９．従業者に対する教育・啓発 / 具体的な方法", "III.9.how", "具体的な方法"),
        (
            "Ⅲリスク対策 / ７．特定個人情報ファイルの保管・消去 / "
            "リスク：特定個人情報の漏えい・滅失・毀損リスク / その他の措置の内容",
            "III.7.risk.other",
            "その他の措置の内容",
        ),
        (
            f"{III_SEC} / ２．{GET_TYPO} / リスク：目的外の入手が行われるリスク"
            " / リスクに対する措置の内容",
            "III.2.risk.measures",
            "リスクに対する措置の内容",
        ),
        (
            f"{III_SEC} / ２．{GET} / リスクに対する措置の内容",
            "III.2.risk.measures",
            "リスクに対する措置の内容",
        ),
        (
            f"{III_SEC} / ２．{GET} / {WORM}{OTHER_RISKS}",
            "III.2.etc",
            None,
        ),
        (
            f"{III_SEC_NOTE} / ２．{GET_SP} / リスク：　目的外の入手が行われるリスク"
            " / リスクに対する措置の内容",
            "III.2.risk.measures",
            "リスクに対する措置の内容",
        ),
        (
            f"Ⅲ　リスク対策 / ５．{GIVE} / リスク：　不正な提供・移転が行われるリスク"
            " / その他の措置の内容",
            "III.5.risk.other",
            "その他の措置の内容",
        ),
        (
            f"{II_SEC_SP} / {II_5} / ①法令上の根拠",
            "II.5.prov1.1",
            "①法令上の根拠",
        ),
    ],
)
def test_spot_checks(juten: Node, path: str, node_id: str, label: str | None) -> None:
    found = _match(juten, path)
    assert found.node.id == node_id
    if label is not None:
        assert found.node.label == label
    assert found.excerpt_label is None


@pytest.mark.parametrize("section", ["１", "２"])
def test_repeat_resolves_through_prototype(juten: Node, section: str) -> None:
    path = f"{I_SEC} / {section}．{SYSTEMS} / システム５ / ②システムの機能"
    found = _match(juten, path)
    assert found.node.id == "I.2.sys1.2" and found.node.label == "②システムの機能"
    assert found.repeat == (("I.2.sys1", 5),)
    assert not found.exact


def test_repeat_resolves_to_an_existing_instance() -> None:
    template = load_template("juten")
    prototype = template.find("II.4.item1")
    assert prototype is not None and prototype.parent is not None
    ids = {n.id for n in template.root.walk()}
    second = prototype.parent.add_child(new_repeat_instance(prototype, ids))
    assert second.label == "委託事項２"
    found = _match(
        template.root,
        f"{II_SEC} / {II_4} / 委託事項２ / ①委託内容",
    )
    assert found.node.parent is second and found.repeat == ((second.id, 2),)
    alone = _match(
        template.root,
        f"{II_SEC} / {II_4} / 委託事項２",
    )
    assert alone.node is second


def test_repeat_digit_width(juten: Node) -> None:
    base = (
        "Ⅱ　特定個人情報ファイルの概要 / ５．特定個人情報の提供・移転（委託に伴うものをのぞく。）"
    )
    found = _match(juten, f"{base} / 提供先1")
    assert found.node.id == "II.5.prov1" and found.repeat == (("II.5.prov1", 1),)
    timing = _match(juten, f"{base} / 提供先１ / ⑦時期・頻度")
    assert timing.node.id == "II.5.prov1.7"


def test_excerpt_labels(juten: Node) -> None:
    heading = "＜ワクチン接種記録システムにおける追加措置＞"
    found = _match(juten, f"Ⅲリスク対策 / ３．特定個人情報の使用 / その他の措置の内容 / {heading}")
    assert found.node.id == "III.3.risk.other" and found.node.label == "その他の措置の内容"
    assert found.excerpt_label == heading
    auth = _match(
        juten,
        f"Ⅲリスク対策 / ３．特定個人情報の使用 / ユーザ認証の管理 / 具体的な管理方法 / {heading}",
    )
    assert auth.node.id == "III.3.risk.auth.how" and auth.excerpt_label == heading
    other = _match(
        juten, "Ⅱ特定個人情報ファイルの概要 / ３．特定個人情報の入手・使用 / ②入手方法 / その他"
    )
    assert other.node.id == "II.3.2" and other.excerpt_label == "その他"
    annex = _match(
        juten,
        f"（別添１） 特定個人情報ファイル記録項目 / {COVID}",
    )
    assert annex.node.id == "annex1" and annex.excerpt_label is not None


@pytest.mark.parametrize("form", ["juten", "zenkoumoku", "kiso"])
def test_exact_paths_generated_from_the_tree_round_trip(form: str) -> None:
    root = load_template(form).root
    for node in root.walk():
        if node is root or is_file_block(node):
            continue  # the one file's line is not written: its path is its section's
        found = match_item_path(root, node.path_labels())
        assert found is not None and found.node is node and found.exact, node


@pytest.mark.parametrize(
    "path",
    [
        ["昼ごはんの献立"],
        ["Ⅱ特定個人情報ファイルの概要", "昼ごはんの献立"],
        ["Ⅲリスク対策", "３．特定個人情報の使用", "今日の天気"],
        [],
        ["　"],
    ],
)
def test_unrelated_text_does_not_match(juten: Node, path: list[str]) -> None:
    assert match_item_path(juten, path) is None


def test_normalize_label() -> None:
    assert normalize_label("Ⅱ　特定個人情報ファイルの概要") == normalize_label(
        "Ⅱ特定個人情報ファイルの概要"
    )
    assert normalize_label("保管場所　※") == "保管場所"
    assert normalize_label("Ⅲ　リスク対策　※（７．②を除く。）") == "リスク対策"
    assert normalize_label(
        "５．特定個人情報の提供・移転（委託に伴うものをのぞく。）"
    ) == normalize_label("５．特定個人情報の提供・移転（委託に伴うものを除く。）")
    assert normalize_label("リスク：　目的外の入手が行われるリスク") == normalize_label(
        "リスク１：目的外の入手が行われるリスク"
    )
    assert normalize_label("＜追加措置＞") == normalize_label("<追加措置>")
    assert normalize_label("提供先1") == normalize_label("提供先１")


def test_matches_zenkoumoku_and_kiso() -> None:
    zen = load_template("zenkoumoku").root
    found = _match(
        zen,
        "Ⅲ特定個人情報ファイルの取扱いプロセスにおけるリスク対策 / ７．特定個人情報の保管・消去"
        f" / リスク１：特定個人情報の漏えい・滅失・毀損リスク / {ACCIDENT}",
    )
    assert found.node.id == "III.7.r1.9"
    kiso = load_template("kiso").root
    assert _match(kiso, "Ⅱしきい値判断項目 / １．対象人数").node.id == "II.1"

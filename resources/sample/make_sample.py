"""Builds the bundled sample project (sample.piadesk): a fictional city's 予防接種
重点項目評価書 with two submitted revisions and a draft.

みどり野市 is fictional; the wording follows the style of published assessments but is
written for this sample. Run `python resources/sample/make_sample.py` after changing the
file format or this script; a test checks that the committed file is this script's output.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from pia_desk.domain.entries import Timing
from pia_desk.domain.project import Project
from pia_desk.domain.values import Value
from pia_desk.storage.project_file import new_project, project_to_bytes

SAVED = "2026-10-05T17:30:00+09:00"
OUT = Path(__file__).with_name("sample.piadesk")

BASELINE_TEXT = {
    "cover.number": "12",
    "cover.title": "予防接種に関する事務　重点項目評価書",
    "cover.declaration": (
        "みどり野市は、予防接種に関する事務における特定個人情報ファイルの取扱いにあたり、"
        "特定個人情報ファイルの取扱いが個人のプライバシー等の権利利益に影響を及ぼしかねないことを"
        "認識し、特定個人情報の漏えいその他の事態を発生させるリスクを軽減させるために"
        "適切な措置を講じ、もって個人のプライバシー等の権利利益の保護に取り組んでいることを宣言する。"
    ),
    "cover.notes": "なし",
    "cover.org": "みどり野市長",
    "cover.published": "2022-01-20",
    "I.1.1": "予防接種に関する事務",
    "I.1.2": (
        "予防接種法及び新型インフルエンザ等対策特別措置法に基づき、当市区町村に住所を有する者に対して"
        "予防接種を行う。\n"
        "１．予防接種対象者の抽出及び接種券（予診票）の発行\n"
        "２．予防接種の実施及び接種記録の管理\n"
        "３．予防接種に関する費用の助成\n"
        "４．健康被害救済制度に係る給付"
    ),
    "I.2.sys1.1": "健康管理システム",
    "I.2.sys1.2": (
        "１．予防接種対象者の抽出\n２．接種券・予診票の発行\n３．接種記録の登録・照会\n"
        "４．費用助成の管理"
    ),
    "I.2.sys1+2.1": "予防接種記録照会システム",
    "I.2.sys1+2.2": (
        "１．他市区町村からの接種記録の照会への回答\n２．当市区町村から転出した者の接種記録の提供"
    ),
    "I.3": "予防接種台帳ファイル",
    "I.4.law": (
        "１．行政手続における特定の個人を識別するための番号の利用等に関する法律（番号利用法）\n"
        "・番号利用法第９条第１項　別表第一の１０の項"
    ),
    "I.5.2": "１．番号利用法第１９条第７号（特定個人情報の提供の制限）及び別表第二",
    "I.6.1": "健康福祉部　保健センター",
    "I.6.2": "保健センター所長",
    "I.7": "なし",
    "II.1": "予防接種台帳ファイル",
    "II.2.3": "当市区町村に住民登録がある者のうち、予防接種の対象となる者",
    "II.2.3.need": "予防接種の対象者を正確に把握し、接種勧奨と接種記録の管理を行うため。",
    "II.2.6": "健康福祉部　保健センター",
    "II.3.3": "予防接種の実施、接種記録の管理及び費用助成を正確かつ効率的に行うため。",
    "II.3.4.dept": "健康福祉部　保健センター",
    "II.3.5": (
        "・予防接種の実施、予防接種に関する記録の作成等に使用する。\n"
        "・当市区町村への転入者について、転出元市区町村へ接種記録の照会を行う。"
    ),
    "II.3.5.match": "・住民からの費用助成申請書等の内容と地方税関係情報を突合する。",
    "II.4.item1.1": "予防接種台帳システムの運用保守",
    "II.4.item1.3": "株式会社みどり野情報サービス",
    "II.4.item1+2.1": "接種券及び予診票の印刷・封入封緘",
    "II.4.item1+2.3": "みどり野印刷株式会社",
    "II.5.prov1.1": "番号利用法第１９条第７号　別表第二の１６の２の項",
    "II.5.prov1.2": "予防接種の実施に関する事務",
    "II.5.prov1.3": "予防接種の実施に関する情報",
    "II.5.prov1.5": "当市区町村から他市区町村へ転出した者",
    "II.5.prov1.7": "転出先市区町村から照会を受けた都度",
    "II.6.place": (
        "＜みどり野市における措置＞\n"
        "・サーバーは、入退室管理を行っているサーバー室に設置している。\n"
        "・紙媒体は、施錠できる書庫に保管している。"
    ),
    "annex1": "１．予防接種台帳の記録項目\n個人番号、宛名番号、氏名、生年月日、性別、住所、接種日、ワクチン名",
    "III.2.risk.measures": (
        "・住基情報の入手については、既存住民基本台帳システムに登録した情報を庁内連携機能で取得する"
        "ため、対象者以外の情報を入手することはない。"
    ),
    "III.3.risk.auth.how": "・生体認証とパスワードによる二要素認証を行っている。",
    "III.3.etc": "・外部媒体へのデータのコピーや印刷を制御し、許可なく持ち出せないようにしている。",
    "III.4.risk.other": "当市区町村と委託先との間で、特定個人情報の取扱いに関する覚書を締結している。",
    "III.7.risk.other": (
        "＜みどり野市における措置＞\n"
        "【物理的対策】\n・サーバー室への入退室は、ICカードにより管理している。\n"
        "【技術的対策】\n・ウイルス対策ソフトを導入し、パターンファイルを定期的に更新している。"
    ),
    "III.9.how": "・毎年、職員全員に情報セキュリティ研修を実施している。",
    "III.10": (
        "＜中間サーバー・プラットフォームにおける措置＞\n"
        "・中間サーバー・プラットフォームを活用することにより、統一した設備環境による"
        "高レベルのセキュリテイ管理を実施している。"
    ),
    "IV.1.1": "みどり野市　総務部　総務課（〒000-0000　みどり野市中央一丁目１番１号）",
    "IV.2.1": "みどり野市　健康福祉部　保健センター（電話　000-000-0000）",
}

BASELINE_CHOICE = {
    "I.5.1": "実施する",
    "II.2.1": "システム用ファイル",
    "II.2.2": "1万人以上10万人未満",
    "II.3.4.users": "10人以上50人未満",
    "II.4.any": "委託する",
    "III.2.risk.enough": "十分である",
    "III.3.risk.auth": "行っている",
    "III.3.risk.enough": "十分である",
    "III.9.level": "十分に行っている",
}

BASELINE_CHECKS = {
    "II.3.1": ("本人又は本人の代理人", "評価実施機関内の他部署"),
    "II.3.2": ("紙", "庁内連携システム", "情報提供ネットワークシステム"),
}


def build_baseline() -> Project:
    project = new_project("juten")
    project.meta.affair = "予防接種に関する事務"
    project.add_repeat_instance("I.2.sys1")
    project.add_repeat_instance("II.4.item1")
    for node in project.root.walk():  # the state as first published
        node.baseline_label = node.label
    values = {k: Value(text=v) for k, v in BASELINE_TEXT.items()}
    values |= {k: Value(text=v) for k, v in BASELINE_CHOICE.items()}
    values |= {k: Value(checked=v) for k, v in BASELINE_CHECKS.items()}
    project.baseline = dict(values)
    project.working = dict(values)
    return project


def replace_in(project: Project, node_id: str, old: str, new: str) -> None:
    text = project.value(node_id).text
    assert old in text, (node_id, old)
    project.set_text(node_id, text.replace(old, new))


def decide(project: Project, node_id: str, timing: Timing, explanation: str = "") -> None:
    entry = project.entry_for_node(node_id)
    assert entry is not None, node_id
    project.update_entry(entry.id, timing=timing, explanation=explanation)


def revision_1(project: Project) -> None:
    """令和4年6月1日: organisation renamed, law renumbered (事後)."""
    project.start_revision(date(2022, 6, 1))
    for node_id in ("I.6.1", "II.2.6", "II.3.4.dept"):
        replace_in(project, node_id, "健康福祉部", "こども健康部")
        decide(
            project,
            node_id,
            Timing.POST,
            "組織改編に伴う部署名の変更であり、重要な変更に当たらない。",
        )
    replace_in(project, "I.5.2", "第１９条第７号", "第１９条第８号")
    decide(project, "I.5.2", Timing.POST, "番号法の改正に伴う号ズレによる変更")
    replace_in(project, "II.5.prov1.1", "第１９条第７号", "第１９条第８号")
    decide(project, "II.5.prov1.1", Timing.POST, "番号法の改正に伴う号ズレによる変更")
    project.submit_draft(date(2022, 6, 15))


def revision_2(project: Project) -> None:
    """令和5年4月1日: a new system and a new outsourcing (事前)."""
    project.start_revision(date(2023, 4, 1))
    system = project.add_repeat_instance("I.2.sys1")
    project.set_text(f"{system.id}.1", "ワクチン接種記録システム（VRS）")
    project.set_text(
        f"{system.id}.2",
        "１．接種対象者の登録\n２．接種記録の管理\n３．他市区町村への接種記録の照会・提供",
    )
    project.set_value(f"{system.id}.3", Value(checked=("住民基本台帳ネットワークシステム",)))
    item = project.add_repeat_instance("II.4.item1")
    project.set_text(
        f"{item.id}.1", "ワクチン接種記録システム（VRS）を用いた特定個人情報ファイルの管理"
    )
    project.set_text(f"{item.id}.3", "国が契約する運用保守事業者")
    for node in project.root.walk():
        if project.entry_for_node(node.id):
            decide(project, node.id, Timing.PRE)
    project.submit_draft(date(2023, 3, 10))


def draft_revision(project: Project) -> None:
    """令和8年10月1日 (draft): substantive changes, a typo, an ended outsourcing.

    The 教育・啓発 row is left undecided, as a user would before the check."""
    project.start_revision(date(2026, 10, 1))
    project.set_text(
        "II.3.5.match",
        "・住民からの費用助成申請書等の内容と地方税関係情報を突合する。\n"
        "・当市区町村からの転出者について、転出先市区町村へ接種記録を提供するために突合する。",
    )
    decide(project, "II.3.5.match", Timing.PRE)
    replace_in(project, "III.9.how", "研修を実施している", "研修を実施し、受講状況を確認している")
    replace_in(project, "II.6.place", "書庫", "書庫（耐火）")
    decide(project, "II.6.place", Timing.PRE)
    replace_in(project, "III.10", "セキュリテイ管理", "セキュリティ管理")
    decide(project, "III.10", Timing.POST, "誤字脱字の修正であり、重要な変更に当たらない。")
    replace_in(project, "IV.2.1", "000-000-0000", "000-000-1234")
    decide(project, "IV.2.1", Timing.POST, "時点修正")
    project.remove_node("II.4.item1+2")  # 接種券の印刷委託は終了
    for node in project.node("II.4.item1+2").walk():
        if project.entry_for_node(node.id):
            decide(
                project,
                node.id,
                Timing.POST,
                "リスクを明らかに軽減させる変更であり、重要な変更に当たらない。",
            )


def build() -> Project:
    project = build_baseline()
    revision_1(project)
    revision_2(project)
    draft_revision(project)
    return project


def main() -> int:
    OUT.write_bytes(project_to_bytes(build(), saved=SAVED))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

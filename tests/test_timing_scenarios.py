"""事前/事後 scenarios written from the rules, not from the shared rows.

Ending a processing (a system, a 委託, a service) and deleting the description and
the measures that only served it lowers the risk: 事後. Deleting a safeguard while
the processing it protects goes on raises the risk: 事前. A term replaced by a more
precise term of the same thing, with the rest of the text unchanged, is a wording
fix in any revision: 事後.
"""

from __future__ import annotations

from datetime import date

from pia_desk.domain.entries import ChangeEntry, Revision, RevisionStatus, Timing
from pia_desk.domain.project import Project
from pia_desk.domain.suggest import Confidence, Suggestion, suggest_for_entry
from pia_desk.domain.values import Value
from pia_desk.storage.templates import load_template

SYSTEMS_BLOCK = (
    "＜住民記録システムにおける措置＞\n"
    "・端末の操作ログを取得し、定期的に確認している。\n"
    "・住民記録システムの端末には生体認証によりログインする。\n"
    "\n"
    "＜コンビニ交付システムにおける追加措置＞\n"
    "・証明書交付センターとの通信は専用回線を用い、暗号化している。\n"
    "・コンビニ交付システムのアクセスログを年１回点検している。"
)
ENTRUSTMENT_BLOCK = (
    "＜住民記録システムの運用保守の委託における措置＞\n"
    "・委託先には守秘義務を課し、作業場所を庁舎内に限定している。\n"
    "\n"
    "＜コンビニ交付システムの運用保守の委託における追加措置＞\n"
    "・委託先である株式会社ミライ情報サービスに対し、年１回の立入検査を行う。"
)
USE_MEASURES = (
    "・特定個人情報を使用する場面を必要最小限に限定している。\n"
    "\n"
    "＜新型コロナウイルス感染症対策に係る予防接種事務における追加措置＞\n"
    "・接種記録の照会は、ワクチン接種記録システムを通じてのみ行う。\n"
    "・予防接種証明書の交付申請の受付は、予防接種証明書電子交付機能を通じて"
    "本人から個人番号の提供を受ける場合に限る。"
)


def city_project() -> Project:
    """A 重点項目評価書 with two systems and two 委託, as last submitted."""
    project = Project.from_template(load_template("juten"))
    texts = {
        "I.2.sys1.1": "住民記録システム",
        "I.2.sys1.2": "住民基本台帳の記録の管理、住民票の写し等の交付",
        "II.4.item1.1": "住民記録システムの運用保守",
        "II.4.item1.3": "株式会社オオゾラ電算",
        "II.3.5": "・予防接種の実施、予防接種に関する記録の作成等に使用する。\n"
        "・接種記録の照会に使用する。",
        "III.3.etc": USE_MEASURES,
        "III.4.etc": ENTRUSTMENT_BLOCK,
        "III.10": SYSTEMS_BLOCK,
    }
    for node_id, text in texts.items():
        project.set_text(node_id, text)
    system = project.add_repeat_instance("I.2.sys1")
    project.set_text(f"{system.id}.1", "コンビニ交付システム")
    project.set_text(f"{system.id}.2", "住民票の写し等のコンビニエンスストアにおける交付")
    entrustment = project.add_repeat_instance("II.4.item1")
    project.set_text(f"{entrustment.id}.1", "コンビニ交付システムの運用保守")
    project.set_text(f"{entrustment.id}.3", "株式会社ミライ情報サービス")
    project.adopt_working_as_baseline()
    return project


def second_instance(project: Project, prototype_id: str) -> str:
    prototype = project.node(prototype_id)
    siblings = [c for c in prototype.parent.children if c.repeat_label == prototype.repeat_label]
    return siblings[1].id


def suggestion(project: Project, node_id: str) -> Suggestion:
    draft = project.draft
    entry = project.entry_for_node(node_id)
    assert draft is not None and entry is not None, node_id
    return suggest_for_entry(project, draft, entry)


def remove_block(project: Project, node_id: str, heading: str) -> None:
    """Delete the ＜heading＞ block (up to the next blank line) from an item."""
    text = project.text_of(node_id)
    start = text.index(heading)
    end = text.find("\n\n", start)
    kept = text[:start] + (text[end + 2 :] if end >= 0 else "")
    project.set_text(node_id, kept.rstrip("\n"))


def test_retired_system_removed_everywhere_is_post() -> None:
    project = city_project()
    system = second_instance(project, "I.2.sys1")
    project.remove_node(system)
    project.remove_node(second_instance(project, "II.4.item1"))  # its maintenance too
    remove_block(project, "III.4.etc", "＜コンビニ交付システムの運用保守の委託における追加措置＞")
    remove_block(project, "III.10", "＜コンビニ交付システムにおける追加措置＞")
    measures = suggestion(project, "III.10")
    assert measures.timing is Timing.POST
    assert measures.kind == "processing_ended"
    assert measures.confidence is Confidence.HIGH
    assert any(
        "「コンビニ交付システム」は改訂後の評価書のどこにも記載されていません" in r
        for r in measures.reasons
    )
    for node_id in (f"{system}.1", f"{system}.2", "III.4.etc"):
        assert suggestion(project, node_id).timing is Timing.POST


def test_safeguard_removed_while_its_system_stays_is_pre() -> None:
    project = city_project()
    text = project.text_of("III.10")
    project.set_text(
        "III.10", text.replace("・住民記録システムの端末には生体認証によりログインする。\n", "")
    )
    result = suggestion(project, "III.10")
    assert result.timing is Timing.PRE
    assert result.important
    assert result.kind == "safeguard_removed"
    assert any("住民記録システム" in r and "①システムの名称" in r for r in result.reasons)


def test_safeguard_without_a_name_keeps_the_subject_of_its_heading() -> None:
    project = city_project()
    text = project.text_of("III.10")
    project.set_text(
        "III.10", text.replace("・端末の操作ログを取得し、定期的に確認している。\n", "")
    )
    result = suggestion(project, "III.10")
    assert result.timing is Timing.PRE
    assert any("住民記録システム" in r for r in result.reasons)


def test_entrustment_ended_is_post() -> None:
    project = city_project()
    entrustment = second_instance(project, "II.4.item1")
    project.remove_node(entrustment)
    remove_block(project, "III.4.etc", "＜コンビニ交付システムの運用保守の委託における追加措置＞")
    measures = suggestion(project, "III.4.etc")
    assert measures.timing is Timing.POST
    assert measures.kind == "processing_ended"
    assert any("委託事項２" in r for r in measures.reasons)
    assert suggestion(project, f"{entrustment}.3").timing is Timing.POST


def test_partial_deletion_naming_a_retired_service_in_a_measure_is_post() -> None:
    project = city_project()
    text = project.text_of("III.3.etc")
    kept = text.replace(
        "\n・予防接種証明書の交付申請の受付は、予防接種証明書電子交付機能を通じて"
        "本人から個人番号の提供を受ける場合に限る。",
        "",
    )
    project.set_text("III.3.etc", kept)
    result = suggestion(project, "III.3.etc")
    assert result.timing is Timing.POST
    assert result.kind == "processing_ended"
    assert any("予防接種証明書電子交付機能" in r for r in result.reasons)


def test_same_partial_deletion_while_the_service_is_still_described_is_pre() -> None:
    project = city_project()
    project.set_text(
        "II.3.5",
        project.text_of("II.3.5") + "\n・予防接種証明書電子交付機能により証明書を交付する。",
    )
    project.adopt_working_as_baseline()
    text = project.text_of("III.3.etc")
    project.set_text("III.3.etc", text.split("\n・予防接種証明書の交付申請")[0])
    result = suggestion(project, "III.3.etc")
    assert result.timing is Timing.PRE
    assert result.kind == "safeguard_removed"


def submitted_revision(project: Project, rows: list[tuple[tuple[str, ...], str, str]]) -> Revision:
    revision = Revision(id="r1", date=date(2022, 3, 14), status=RevisionStatus.SUBMITTED)
    for k, (path, before, after) in enumerate(rows):
        revision.entries.append(ChangeEntry(f"e{k}", path, before, after))
    project.revisions.append(revision)
    return revision


def test_one_off_precise_term_fix_in_a_submitted_revision_is_post() -> None:
    project = Project.from_template(load_template("juten"))
    path = ("Ⅱ特定個人情報ファイルの概要", "３．特定個人情報の入手・使用", "⑤使用方法※")
    revision = submitted_revision(
        project,
        [
            (
                path,
                "・当市からの転出者について、転出先市区町村へ接種記録を提供するために使用する。",
                "・当市からの転出者について、他市区町村へ接種記録を提供するために使用する。",
            )
        ],
    )
    result = suggest_for_entry(project, revision, revision.entries[0])
    assert result.timing is Timing.POST
    assert result.kind == "precise_term"
    assert "転出先市区町村→他市区町村" in result.explanation
    assert any("転出先市区町村" in r and "他市区町村" in r for r in result.reasons)


def test_a_term_swapped_for_a_different_body_is_not_a_precise_term() -> None:
    project = Project.from_template(load_template("juten"))
    path = ("Ⅱ特定個人情報ファイルの概要", "３．特定個人情報の入手・使用", "⑤使用方法※")
    revision = submitted_revision(
        project,
        [(path, "・他市区町村へ接種記録を提供する。", "・当市へ接種記録を提供する。")],
    )
    result = suggest_for_entry(project, revision, revision.entries[0])
    assert result.timing is Timing.PRE
    assert result.kind != "precise_term"


def test_imported_deletions_of_a_retired_system_are_post() -> None:
    """History without nodes: the group's rows and the measure naming it are （削除）."""
    project = Project.from_template(load_template("juten"))
    system = (
        "Ⅰ基本情報",
        "２．特定個人情報ファイルを取り扱う事務において使用するシステム",
        "システム３",
    )
    revision = submitted_revision(
        project,
        [
            ((*system, "①システムの名称"), "コンビニ交付システム", "（削除）"),
            ((*system, "②システムの機能"), "住民票の写し等のコンビニ交付", "（削除）"),
            (
                ("Ⅲリスク対策", "１０．その他のリスク対策"),
                "＜コンビニ交付システムにおける追加措置＞\n・証明書交付センターとの通信は暗号化している。",
                "（削除）",
            ),
        ],
    )
    for entry in revision.entries:
        assert suggest_for_entry(project, revision, entry).timing is Timing.POST, entry.item_path


def test_ended_certificate_service_in_a_use_item_is_post() -> None:
    project = city_project()
    project.set_text(
        "II.3.5",
        project.text_of("II.3.5") + "\n・新型コロナウイルス感染症予防接種証明書の交付の際、"
        "接種記録を照会するために使用する。",
    )
    project.adopt_working_as_baseline()
    project.set_text("II.3.5", project.text_of("II.3.5").split("\n・新型コロナ")[0])
    result = suggestion(project, "II.3.5")  # ⑤使用方法※
    assert result.timing is Timing.POST
    assert any("新型コロナウイルス感染症予防接種証明書" in r for r in result.reasons)


def test_lone_imported_deletion_without_the_text_after_it_is_uncertain() -> None:
    """Only the row is known: that its subject is named nowhere else proves little."""
    project = Project.from_template(load_template("juten"))
    revision = submitted_revision(
        project,
        [
            (
                ("Ⅲリスク対策", "１０．その他のリスク対策"),
                "・住民記録システムの端末には生体認証によりログインする。",
                "（削除）",
            )
        ],
    )
    result = suggest_for_entry(project, revision, revision.entries[0])
    assert result.confidence is Confidence.LOW
    project.baseline["I.2.sys1.1"] = Value(text="住民記録システム")  # the text is known now
    project.working = dict(project.baseline)
    known = suggest_for_entry(project, revision, revision.entries[0])
    assert (known.timing, known.kind) == (Timing.PRE, "safeguard_removed")


def test_a_system_still_named_by_its_short_form_is_still_there() -> None:
    project = Project.from_template(load_template("juten"))
    project.baseline["III.10"] = Value(
        text="＜予防接種事務における措置＞\n"
        "・ワクチン接種記録システム（VRS）の端末は二要素認証によりログインする。\n"
        "・VRSの操作ログを定期的に確認している。"
    )
    project.working = dict(project.baseline)
    kept = project.text_of("III.10").split("\n")
    project.set_text("III.10", "\n".join([kept[0], kept[2]]))  # the full name is gone
    result = suggestion(project, "III.10")
    assert (result.timing, result.kind) == (Timing.PRE, "safeguard_removed")
    assert any(
        "「VRS」は改訂後も「１０．その他のリスク対策」に記載されています" in r
        for r in result.reasons
    )


def test_retired_certificate_service_in_imported_rows_with_a_count_word_is_post() -> None:
    """The function, the use and the measure naming an ended certificate service go."""
    project = Project.from_template(load_template("juten"))
    system = ("Ⅰ基本情報", "２．特定個人情報ファイルを取り扱う事務において使用するシステム")
    use = (
        "Ⅲリスク対策",
        "３．特定個人情報の使用",
        "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置",
    )
    revision = submitted_revision(
        project,
        [
            (
                (*system, "システム２", "②システムの機能"),
                "１．接種記録の管理\n２．予防接種証明書の交付に係る接種記録の照会",
                "１．接種記録の管理",
            ),
            (
                use,
                "特定個人情報を使用する場面を、以下の２つの場面に限定している。\n"
                "・転入者の接種記録を照会する場合\n"
                "・予防接種証明書の交付申請があった場合",
                "特定個人情報を使用する場面を、以下の場面に限定している。\n"
                "・転入者の接種記録を照会する場合",
            ),
        ],
    )
    measure = suggest_for_entry(project, revision, revision.entries[1])
    assert (measure.timing, measure.kind) == (Timing.POST, "processing_ended")
    assert measure.confidence is Confidence.HIGH  # the function row deletes it too


def test_a_form_option_of_a_deleted_group_names_nothing_in_particular() -> None:
    """委託事項２ (再委託する) ends; a safeguard on 再委託 of the other 委託 is removed."""
    project = Project.from_template(load_template("juten"))
    group = ("Ⅱ特定個人情報ファイルの概要", "４．特定個人情報ファイルの取扱いの委託", "委託事項２")
    measure = (
        "Ⅲリスク対策",
        "４．特定個人情報ファイルの取扱いの委託",
        "リスク：委託先における不正な使用等のリスク",
        "再委託先による特定個人情報ファイルの適切な取扱いの確保",
        "具体的な方法",
    )
    revision = submitted_revision(
        project,
        [
            ((*group, "①委託内容"), "接種券の印刷", "（削除）"),
            ((*group, "④再委託の有無※"), "再委託する", "（削除）"),
            (measure, "・再委託する場合は、事前に書面で承認する。", "（削除）"),
        ],
    )
    result = suggest_for_entry(project, revision, revision.entries[2])
    assert result.timing is Timing.PRE
    assert not any("委託事項２" in r for r in result.reasons)

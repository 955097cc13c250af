"""Project file version 2: migration of version-1 files, several 特定個人情報ファイル,
the 初回入力 state and the tracking policy stored per project."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from test_import_tables import write_csv

from pia_desk.cli import main
from pia_desk.domain.entries import QuoteMode, RevisionStatus
from pia_desk.domain.item_path import match_item_path
from pia_desk.domain.project import DomainError
from pia_desk.domain.replace import apply_replace
from pia_desk.domain.tracking import DEFAULT_EXCERPT_ABOVE, TrackingPolicy
from pia_desk.domain.tree import file_path_line, is_file_block
from pia_desk.domain.values import Value
from pia_desk.importing.table_reader import apply_import, plan_import
from pia_desk.paths import resource_path, sample_project_path
from pia_desk.storage import project_file
from pia_desk.storage.errors import NewerVersionError
from pia_desk.storage.project_file import (
    backup_folder,
    new_project,
    pending_upgrade,
    project_schema,
    project_to_bytes,
    save_project,
)
from pia_desk.storage.session import ProjectSession, load_project

DATA = Path(__file__).parent / "data"
V1_FILES = ["project-v1.piadesk", "project-v1-new.piadesk", "sample-v1.piadesk"]
SECTION_II = "Ⅱ特定個人情報ファイルの概要"
USE = ("３．特定個人情報の入手・使用", "⑤使用方法※")


def v1_copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    return path


# -- migration ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", V1_FILES)
def test_version_1_migrates_and_saves_byte_stable_after_a_backup(tmp_path, name) -> None:
    path = v1_copy(tmp_path, name)
    original = path.read_bytes()
    with ProjectSession.open(path) as session:
        assert pending_upgrade(session.project) == 1 and not session.read_only
        assert path.read_bytes() == original  # opening never writes
        session.save()
        first = path.read_bytes()
        assert b'fileVersion="2"' in first[:200] and pending_upgrade(session.project) is None
        assert "新しい形式（形式 2）" in session.upgrade_notice
        assert project_schema().validate(etree.fromstring(first))
        (backup,) = backup_folder(path).iterdir()
        assert backup.read_bytes() == original  # the version-1 file is kept as it was
        session.save()
        assert path.read_bytes() == first and session.upgrade_notice is None  # said once
    with ProjectSession.open(path) as again:
        again.save()
    assert path.read_bytes() == first


def test_the_migrated_history_keeps_its_rows_ids_and_paths() -> None:
    old = etree.parse(str(DATA / "project-v1.piadesk")).getroot()
    ns = {"p": "urn:pia-desk:project"}
    paths = [tuple(c.text or "" for c in p) for p in old.iterfind(".//p:entry/p:path", ns)]
    project = load_project(DATA / "project-v1.piadesk").project
    assert [e.item_path for _, e in project.all_entries()] == paths
    section = project.node("II")
    (block,) = section.children
    assert is_file_block(block) and block.id == "II.f1"
    assert project.node("II.3.5").parent.parent is block  # ids kept: values still fit
    assert project.value("II.3.5").text.endswith("当市への転入者の照会。")
    assert not project.initial_entry  # it has submitted revisions
    assert project.tracking == TrackingPolicy(DEFAULT_EXCERPT_ABOVE)
    # <meta> had 評価書番号 and 公表日 the cover lacked: now the cover's, and no row
    assert (project.number, project.published) == ("12", date(2022, 1, 20))
    assert project.baseline_value("cover.number").text == "12"
    assert project.entry_for_node("cover.number") is None


def test_a_version_1_project_without_revisions_migrates_into_initial_entry() -> None:
    project = load_project(DATA / "project-v1-new.piadesk").project
    assert project.initial_entry and project.title == "住民基本台帳に関する事務　全項目評価書"
    assert [c.id for c in project.node("III").children] == ["III.f1"]  # 全項目: Ⅲ too
    assert not load_project(DATA / "sample-v1.piadesk").project.initial_entry


def test_a_meta_value_that_differs_from_the_cover_is_reported_and_the_cover_kept(
    tmp_path,
) -> None:
    path = v1_copy(tmp_path, "project-v1.piadesk")
    old, new = "<org>架空市長</org>".encode(), "<org>別の市長</org>".encode()
    data = path.read_bytes().replace(old, new, 1)
    path.write_bytes(data)
    loaded = load_project(path)
    assert loaded.project.org == "架空市長"
    assert any("別の市長" in w and "表紙" in w for w in loaded.warnings)


def test_the_cli_says_once_that_the_file_was_upgraded(tmp_path, capsys) -> None:
    path = v1_copy(tmp_path, "sample-v1.piadesk")
    assert main(["replace", str(path), "みどり野市", "みどりの市"]) == 0
    assert "新しい形式（形式 2）" in capsys.readouterr().out
    assert main(["replace", str(path), "みどりの市", "みどり野市"]) == 0
    assert "新しい形式" not in capsys.readouterr().out


def test_a_version_2_file_is_refused_by_a_version_1_build(monkeypatch) -> None:
    monkeypatch.setattr(project_file, "FILE_VERSION", 1)  # what a version-1 build knows
    with pytest.raises(NewerVersionError, match="形式 2"):
        load_project(sample_project_path())
    loaded = load_project(sample_project_path(), allow_newer=True)
    assert loaded.read_only and loaded.project.title  # info/check/export still read it


def test_version_1_files_are_checked_with_the_version_1_schema() -> None:
    v1 = etree.parse(str(DATA / "project-v1.piadesk"))
    assert project_schema(1).validate(v1) and not project_schema().validate(v1)
    assert resource_path("schema", "project-v1.xsd").is_file()


# -- several 特定個人情報ファイル ------------------------------------------------------------
def two_files():
    project = new_project("juten")
    project.set_baseline_values(
        {"II.3.5": Value(text="予防接種の実施に使用する。"), "II.1": Value(text="予防接種記録")}
    )
    project.rename_node("II.f1", "（１）予防接種記録ファイル")
    second = project.add_repeat_instance("II.f1")
    project.rename_node(second.id, "（２）本人確認情報ファイル")
    return project, second


def test_a_single_file_keeps_todays_paths() -> None:
    project = new_project("juten")
    project.set_text("II.3.5", "使用する。")
    assert project.entry_for_node("II.3.5").item_path == (SECTION_II, *USE)
    assert file_path_line(project.node("II.f1")) is None


def test_two_files_in_section_ii_with_entries_in_both() -> None:
    project, second = two_files()
    assert second.label == "（２）本人確認情報ファイル"
    assert second.id == "II.f1+2" and project.find_node("II.f1+2.3.5") is not None
    project.set_text("II.3.5", "予防接種の実施及び記録に使用する。")
    project.set_text("II.f1+2.3.5", "本人確認に使用する。")
    first_row = project.entry_for_node("II.3.5")
    second_row = project.entry_for_node("II.f1+2.3.5")
    assert first_row.item_path == (SECTION_II, "（１）予防接種記録ファイル", *USE)
    assert second_row.item_path == (SECTION_II, "（２）本人確認情報ファイル", *USE)
    assert second_row.before == "" and second_row.after == "本人確認に使用する。"
    project.remove_node(second.id)  # back to one file: the line goes again
    assert project.entry_for_node("II.3.5").item_path == (SECTION_II, *USE)


def test_a_new_file_starts_with_the_first_instance_of_each_repeat_group() -> None:
    project = new_project("juten")
    project.add_repeat_instance("II.4.item1")
    second = project.add_repeat_instance("II.f1")
    groups = [n.label for n in second.walk() if n.kind.value == "repeat" and n is not second]
    assert groups == sorted(set(groups), key=groups.index)  # one instance of each group


def test_paths_with_and_without_the_file_line_are_matched() -> None:
    project, _second = two_files()
    with_line = match_item_path(project.root, (SECTION_II, "（２）本人確認情報ファイル", *USE))
    assert with_line.node.id == "II.f1+2.3.5" and with_line.exact
    spaced = match_item_path(
        project.root, ("Ⅱ　特定個人情報ファイルの概要", "(2)本人確認情報ファイル", *USE)
    )
    assert spaced.node.id == "II.f1+2.3.5"
    without = match_item_path(project.root, (SECTION_II, *USE))
    assert without.node.id == "II.3.5" and without.exact  # the first file


def test_import_of_a_table_that_names_a_second_file(tmp_path) -> None:
    rows = [
        [
            "令和3年10月20日",
            "\n".join((SECTION_II, "（２）本人確認情報ファイル", *USE)),
            "旧",
            "新",
            "事後",
            "",
        ],
        ["令和3年10月20日", "\n".join((SECTION_II, *USE)), "旧1", "新1", "事後", ""],
    ]
    table = write_csv(tmp_path / "t.csv", rows)
    project, _second = two_files()
    report = apply_import(project, plan_import(table, project))
    nodes = [e.node_id for _, e in project.all_entries()]
    assert nodes == ["II.f1+2.3.5", "II.3.5"] and not report.unmatched
    single = new_project("juten")
    report = apply_import(single, plan_import(table, single))
    assert [e.node_id for _, e in single.all_entries()] == [None, "II.3.5"]
    assert len(report.unmatched) == 1  # kept as written, not put into the one file


# -- 初回入力 -------------------------------------------------------------------------------
def test_pia_desk_new_creates_a_project_in_initial_entry(tmp_path, capsys) -> None:
    path = tmp_path / "new.piadesk"
    assert main(["new", "--form", "juten", "-o", str(path), "--title", "予防接種"]) == 0
    assert "初回入力" in capsys.readouterr().out
    assert b'<tracking mode="initial"' in path.read_bytes()
    project = load_project(path).project
    assert project.initial_entry and project.title == "予防接種"
    assert not load_project(sample_project_path()).project.initial_entry


def test_initial_entry_typing_replace_and_import_record_no_rows(tmp_path) -> None:
    project = new_project("juten", initial_entry=True)
    project.set_text("I.1.1", "当市区町村の予防接種事務")
    project.set_text("I.1.2", "当市区町村が実施する。")
    apply_replace(project, "当市区町村", "当市")
    added = project.add_repeat_instance("I.2.sys1")
    project.set_text(f"{added.id}.1", "予約システム")
    rows = [
        [
            "令和3年10月20日",
            "\n".join(("Ⅰ基本情報", "１．特定個人情報ファイルを取り扱う事務", "①事務の名称")),
            "旧",
            "当市の予防接種事務",
            "事後",
            "",
        ]
    ]
    apply_import(project, plan_import(write_csv(tmp_path / "t.csv", rows), project))
    assert project.draft is None and project.value("I.1.1").text == "当市の予防接種事務"
    assert [r.status for r in project.revisions] == [RevisionStatus.SUBMITTED]  # history only
    with pytest.raises(DomainError, match="初回入力"):
        project.start_revision(date(2024, 4, 1))
    before = project_to_bytes(project, saved="t")
    record = project.adopt_working_as_baseline()
    assert not project.initial_entry and project.draft is None
    assert project.baseline_value(f"{added.id}.1").text == "予約システム"
    project.set_text("I.1.1", "当市の予防接種に関する事務")
    assert project.entry_for_node("I.1.1").before == "当市の予防接種事務"
    project.set_text("I.1.1", "当市の予防接種事務")
    project.remove_revision(project.draft.id)
    project.undo_adopt(record)
    assert project_to_bytes(project, saved="t") == before


def test_the_citys_assessment_taken_in_keeps_initial_entry(tmp_path) -> None:
    from assessment_docs import filled_project, make_docx

    city = filled_project("juten", {})
    target = tmp_path / "p.piadesk"
    assert main(["new", "--form", "juten", "-o", str(target)]) == 0
    assert (
        main(["import-assessment", str(make_docx(city, tmp_path / "a.docx")), "-o", str(target)])
        == 0
    )
    project = load_project(target).project
    assert project.initial_entry and project.revisions == []  # still being entered
    assert project.title == city.title  # the cover is the project information
    project.set_text("I.1.1", "入力を続ける")
    assert project.draft is None


def test_cli_replace_in_initial_entry_changes_text_without_rows(tmp_path, capsys) -> None:
    path = tmp_path / "p.piadesk"
    project = new_project("juten", initial_entry=True)
    project.set_text("I.1.1", "当市区町村の予防接種事務")
    save_project(project, path)
    assert main(["replace", str(path), "当市区町村", "当市"]) == 0
    assert "初回入力中のため、変更箇所は記録していません" in capsys.readouterr().out
    saved = load_project(path).project
    assert saved.value("I.1.1").text == "当市の予防接種事務" and saved.draft is None


def test_a_deleted_item_in_initial_entry_is_gone_after_the_baseline_is_declared() -> None:
    project = new_project("juten", initial_entry=True)
    project.set_text("I.1.1", "事務")
    project.remove_node("I.7")
    record = project.adopt_working_as_baseline()
    assert project.find_node("I.7") is None and project.draft is None
    project.undo_adopt(record)
    assert project.node("I.7").deleted and project.initial_entry


# -- the tracking policy, stored per project ---------------------------------------------
def test_the_policy_is_stored_in_the_project_and_used_by_the_cli(tmp_path, capsys) -> None:
    path = tmp_path / "p.piadesk"
    project = new_project("juten")
    project.set_baseline_values({"I.1.1": Value(text="当市区町村の予防接種に関する事務")})
    project.tracking = TrackingPolicy(excerpt_above=10)
    save_project(project, path)
    assert b'excerptAbove="10"' in path.read_bytes()
    assert main(["replace", str(path), "当市区町村", "当市"]) == 0
    capsys.readouterr()
    loaded = load_project(path).project
    assert loaded.tracking == TrackingPolicy(excerpt_above=10)
    assert loaded.entry_for_node("I.1.1").quote is QuoteMode.CHANGED_PARAGRAPHS
    loaded.tracking = TrackingPolicy(excerpt_above=None)
    save_project(loaded, path)
    assert b"excerptAbove" not in path.read_bytes()
    assert load_project(path).project.tracking.excerpt_above is None

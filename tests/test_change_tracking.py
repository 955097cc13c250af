"""Change tracking: every edit keeps the draft's entries equal to baseline vs working."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pia_desk.domain.entries import EntryKind, QuoteMode, Timing
from pia_desk.domain.project import DomainError, FrozenRevisionError, Project
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import DELETED_MARK, Value
from pia_desk.storage.templates import load_template

TEMPLATE = load_template("juten")


def fresh_project() -> Project:
    project = Project.from_template(load_template("juten"), today=lambda: date(2025, 4, 1))
    project.set_text("I.1.1", "予防接種に関する事務")
    project.set_text("II.3.5", "・予防接種の実施に使用する。\n・当市区町村への転入者の照会。")
    project.set_text("I.2.sys1.1", "健康管理システム")
    project.set_text("I.2.sys1.2", "接種記録の管理")
    project.set_value("II.3.2", Value(checked=("紙",)))
    project.submit_draft(date(2025, 4, 2))
    return project


def test_editing_creates_an_entry_with_path_before_and_after() -> None:
    project = fresh_project()
    project.set_text("II.3.5", "・予防接種の実施に使用する。\n・当市への転入者の照会。")
    entry = project.entry_for_node("II.3.5")
    assert entry is not None and entry.kind is EntryKind.CHANGED
    assert entry.item_path == (
        "Ⅱ特定個人情報ファイルの概要",
        "３．特定個人情報の入手・使用",
        "⑤使用方法※",
    )
    assert entry.before.endswith("当市区町村への転入者の照会。")
    assert entry.after.endswith("当市への転入者の照会。")
    assert project.draft is not None and project.draft.date == date(2025, 4, 1)


def test_typing_the_old_text_back_removes_the_entry() -> None:
    project = fresh_project()
    old = project.value("I.1.1")
    project.set_text("I.1.1", "予防接種事務")
    assert project.entry_for_node("I.1.1") is not None
    project.set_value("I.1.1", old)
    assert project.entry_for_node("I.1.1") is None


def test_user_fields_survive_later_edits_of_the_text() -> None:
    project = fresh_project()
    project.set_text("I.1.1", "予防接種事務")
    entry = project.entry_for_node("I.1.1")
    project.update_entry(
        entry.id,
        timing=Timing.POST,
        explanation="時点修正",
        excerpt_label="＜追加措置＞",
        quote=QuoteMode.CHANGED_PARAGRAPHS,
    )
    project.set_text("I.1.1", "予防接種に関する事務（改）")
    again = project.entry_for_node("I.1.1")
    assert again is entry
    assert (again.timing, again.explanation, again.excerpt_label, again.quote) == (
        Timing.POST,
        "時点修正",
        "＜追加措置＞",
        QuoteMode.CHANGED_PARAGRAPHS,
    )
    assert again.after == "予防接種に関する事務（改）"


def test_checks_are_written_as_official_lines() -> None:
    project = fresh_project()
    project.set_value("II.3.2", Value(checked=("紙", "庁内連携システム")))
    entry = project.entry_for_node("II.3.2")
    assert entry.before.splitlines()[:2] == ["[○]紙", "[]電子記録媒体（フラッシュメモリを除く。）"]
    assert "[○]庁内連携システム" in entry.after.splitlines()


def test_deleting_a_repeat_group_gives_deleted_entries() -> None:
    project = fresh_project()
    project.remove_node("I.2.sys1")
    entries = {e.node_id: e for e in project.draft.entries}
    assert set(entries) == {"I.2.sys1.1", "I.2.sys1.2"}
    assert all(e.after == DELETED_MARK and e.kind is EntryKind.DELETED for e in entries.values())
    assert entries["I.2.sys1.1"].before == "健康管理システム"
    with pytest.raises(DomainError):
        project.set_text("I.2.sys1.1", "x")
    project.restore_node("I.2.sys1")
    assert project.draft.entries == []


def test_deleting_an_item_with_sub_items_lists_them_all() -> None:
    project = fresh_project()
    project.set_text("II.3.5.match", "突合する。")
    project.submit_draft(date(2025, 5, 1))
    project.remove_node("II.3.5")
    assert {e.node_id for e in project.draft.entries} == {"II.3.5", "II.3.5.match"}


def test_adding_a_repeat_group_gives_entries_with_empty_before() -> None:
    project = fresh_project()
    system = project.add_repeat_instance("I.2.sys1")
    assert system.label == "システム２"
    assert project.draft is None or project.draft.entries == []
    project.set_text(f"{system.id}.1", "ワクチン接種記録システム")
    entry = project.entry_for_node(f"{system.id}.1")
    assert entry.kind is EntryKind.ADDED and entry.before == ""
    assert entry.item_path[-2:] == ("システム２", "①システムの名称")
    removed = project.remove_node(system.id)
    assert removed is not None and project.draft.entries == []
    assert project.find_node(f"{system.id}.1") is None


def test_renaming_updates_the_paths_of_entries() -> None:
    project = fresh_project()
    project.set_text("I.2.sys1.2", "接種記録の管理と照会")
    project.rename_node("I.2.sys1", "システム１（健康管理）")
    assert project.entry_for_node("I.2.sys1.2").item_path[2] == "システム１（健康管理）"


def test_added_item_is_tracked() -> None:
    project = fresh_project()
    node = project.add_item("II.3", "⑦独自の項目", NodeKind.TEXT)
    project.set_text(node.id, "市独自の記載")
    assert project.entry_for_node(node.id).kind is EntryKind.ADDED


def test_submitting_freezes_entries_and_moves_the_baseline() -> None:
    project = fresh_project()
    project.set_text("I.1.1", "新しい名称")
    project.remove_node("I.2.sys1")
    revision = project.submit_draft(date(2025, 6, 1))
    assert not revision.is_draft and revision.submitted_on == date(2025, 6, 1)
    assert project.baseline_value("I.1.1").text == "新しい名称"
    assert project.find_node("I.2.sys1") is None
    with pytest.raises(FrozenRevisionError):
        project.update_entry(revision.entries[0].id, timing=Timing.PRE)
    assert project.draft is None


def test_only_one_draft_at_a_time() -> None:
    project = fresh_project()
    project.start_revision(date(2025, 7, 1))
    with pytest.raises(DomainError, match="作成中の改訂"):
        project.start_revision(date(2025, 7, 2))


TEXT_IDS = [n.id for n in TEMPLATE.root.walk() if n.kind is NodeKind.TEXT][:12]
edits = st.lists(
    st.tuples(st.sampled_from(TEXT_IDS), st.text(alphabet="当市区町村あ\n 　𠮷ABC", max_size=12)),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(edits)
def test_any_edits_then_reverting_to_the_baseline_leaves_no_entries(sequence) -> None:
    project = fresh_project()
    originals = {node_id: project.value(node_id) for node_id in TEXT_IDS}
    for node_id, text in sequence:
        project.set_text(node_id, text)
        entry = project.entry_for_node(node_id)
        changed = project.text_of(node_id) != project.text_of(node_id, baseline=True)
        assert (entry is not None) == changed
    for node_id, value in originals.items():
        project.set_value(node_id, value)
    assert project.draft is None or project.draft.entries == []


@settings(max_examples=40, deadline=None)
@given(edits)
def test_entries_always_mirror_baseline_and_working(sequence) -> None:
    project = fresh_project()
    for node_id, text in sequence:
        project.set_text(node_id, text)
    for entry in project.draft.entries if project.draft else []:
        assert entry.before == project.text_of(entry.node_id, baseline=True)
        assert entry.after == project.text_of(entry.node_id)


def test_repeat_instance_copies_user_items_with_fresh_ids(tmp_path) -> None:
    from pia_desk.storage.project_file import save_project
    from pia_desk.storage.session import load_project

    project = fresh_project()
    own = project.add_item("I.2.sys1", "④独自の項目", NodeKind.TEXT)
    project.set_text(own.id, "市独自")
    system = project.add_repeat_instance("I.2.sys1")
    ids = [n.id for n in project.root.walk()]
    assert len(ids) == len(set(ids))
    copied = [n for n in system.walk() if n.label == "④独自の項目"]
    assert len(copied) == 1 and copied[0].id != own.id
    assert project.node(own.id) is own  # the original keeps its place in the index
    path = tmp_path / "p.piadesk"
    save_project(project, path)
    assert load_project(path).project.node(copied[0].id).label == "④独自の項目"


def test_undo_submit_restores_the_state_exactly() -> None:
    from pia_desk.storage.project_file import project_to_bytes

    project = fresh_project()
    project.set_text("I.1.1", "新しい名称")
    project.remove_node("I.2.sys1")
    project.add_repeat_instance("II.4.item1")
    project.rename_node("I.6", "６．担当部署（改）")
    draft = project.draft
    before = project_to_bytes(project, saved="t")
    record = project.submit_draft_undoable(date(2025, 6, 1))
    assert project.find_node("I.2.sys1") is None
    project.undo_submit(record)
    assert project_to_bytes(project, saved="t") == before
    assert project.draft is draft and project.node("I.2.sys1.1").is_deleted
    project.set_text("I.1.1", project.baseline_value("I.1.1").text)  # tracking still works
    assert project.entry_for_node("I.1.1") is None


def test_adopting_the_typed_text_as_baseline_leaves_no_entries() -> None:
    project = Project.from_template(load_template("juten"), today=lambda: date(2025, 4, 1))
    project.set_text("I.1.1", "予防接種に関する事務")
    project.set_value("II.3.2", Value(checked=("紙",)))
    system = project.add_repeat_instance("I.2.sys1")
    project.set_text(f"{system.id}.1", "ワクチン接種記録システム")
    assert len(project.draft.entries) == 3
    old = project.adopt_working_as_baseline()
    assert project.draft.entries == []
    assert not system.is_added
    assert project.baseline_value("I.1.1").text == "予防接種に関する事務"
    project.set_text("I.1.1", "予防接種事務")
    assert project.entry_for_node("I.1.1").before == "予防接種に関する事務"
    project.set_text("I.1.1", "予防接種に関する事務")
    project.undo_adopt(old)
    assert {e.node_id for e in project.draft.entries} == {"I.1.1", "II.3.2", f"{system.id}.1"}
    assert system.is_added


def test_adopting_is_refused_once_history_exists() -> None:
    with pytest.raises(DomainError, match="提出済みの改訂"):
        fresh_project().adopt_working_as_baseline()


def test_baseline_values_from_history_never_overwrite_a_pending_edit() -> None:
    project = fresh_project()
    project.set_text("I.1.1", "編集中の記載")
    old = project.set_baseline_values(
        {"I.1.1": Value(text="履歴の記載"), "I.1.2": Value(text="履歴から")}
    )
    assert set(old) == {"I.1.2"}
    assert project.value("I.1.1").text == "編集中の記載"
    assert project.baseline_value("I.1.2").text == project.value("I.1.2").text == "履歴から"
    assert project.entry_for_node("I.1.2") is None
    project.restore_baseline_values(old)
    assert project.baseline_value("I.1.2").is_empty


def test_a_repeat_group_deleted_submitted_and_added_back_starts_empty() -> None:
    project = fresh_project()
    second = project.add_repeat_instance("I.2.sys1")
    leaves = [n.id for n in second.walk() if n.is_leaf_item]
    project.set_text(leaves[0], "予約システム")
    project.submit_draft(date(2025, 5, 1))
    assert project.baseline_value(leaves[0]).text == "予約システム"
    project.start_revision(date(2025, 6, 1))
    project.remove_node(second.id)
    project.submit_draft(date(2025, 6, 2))
    project.start_revision(date(2025, 7, 1))
    again = project.add_repeat_instance("I.2.sys1")
    assert [n.label for n in again.walk()] == [n.label for n in second.walk()]
    for node in again.walk():
        assert project.value(node.id) == project.baseline_value(node.id) == Value()
    entries = [project.entry_for_node(n.id) for n in again.walk() if n.is_leaf_item]
    assert entries == [None] * len(entries)  # an empty group is no change yet


def test_project_to_element_twice_keeps_the_first_tree_whole() -> None:
    from pia_desk.storage.project_xml import project_to_element, q

    project = fresh_project()
    for day in (5, 6):
        project.set_text("I.1.1", f"事務{day}")
        project.submit_draft(date(2025, day, 2))
    first = project_to_element(project)
    second = project_to_element(project)
    for tree in (first, second):
        assert len(tree.find(q("revisions"))) == 3

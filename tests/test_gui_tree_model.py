"""The project tree model: Qt's model tester, live updates from domain events, filtering."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from pia_desk.domain.entries import Timing
from pia_desk.gui.roles import ChangedRole, DeletedRole, NodeIdRole, TimingRole
from pia_desk.gui.tree_model import ProjectTreeModel, TreeFilterProxy
from pia_desk.storage.project_file import new_project as create_project  # tracked from the start


@pytest.fixture
def project():
    p = create_project("juten", org="架空市", title="予防接種に関する事務")
    p.set_text("I.1.1", "予防接種に関する事務")
    p.submit_draft()
    return p


def find(model: ProjectTreeModel, node_id: str) -> QModelIndex:
    return model.index_of_id(node_id)


def test_model_tester_with_structural_edits(qtmodeltester, project):
    model = ProjectTreeModel(project)
    qtmodeltester.check(model, force_py=True)
    instance = project.add_repeat_instance("I.2.sys1")
    project.set_text(instance.children[0].id, "新システム")
    project.remove_node("I.2.sys1")
    project.remove_node(instance.id)
    qtmodeltester.check(model, force_py=True)


def test_insert_and_remove_follow_the_domain(qtbot, project):
    model = ProjectTreeModel(project)
    parent = find(model, "I.2")
    before = model.rowCount(parent)
    with qtbot.waitSignal(model.rowsInserted):
        instance = project.add_repeat_instance("I.2.sys1")
    assert model.rowCount(parent) == before + 1
    index = find(model, instance.id)
    assert index.data(Qt.ItemDataRole.DisplayRole).startswith("システム２")
    with qtbot.waitSignal(model.rowsRemoved):
        project.remove_node(instance.id)
    assert model.rowCount(parent) == before


def test_changed_marker_timing_and_deleted(qtbot, project):
    model = ProjectTreeModel(project)
    index = find(model, "I.1.2")
    assert index.data(TimingRole) is None
    with qtbot.waitSignal(model.dataChanged):
        project.set_text("I.1.2", "予防接種法に基づく事務")
    assert index.data(TimingRole) == "未設定"
    assert find(model, "I.1").data(ChangedRole) is True
    entry = project.entry_for_node("I.1.2")
    project.update_entry(entry.id, timing=Timing.POST)
    assert index.data(TimingRole) == "事後"
    assert model.index(index.row(), 1, index.parent()).data() == "事後"
    project.remove_node("I.1.1")
    deleted = find(model, "I.1.1")
    assert deleted.data(DeletedRole) is True
    assert deleted.data(Qt.ItemDataRole.FontRole).strikeOut()


def test_important_items_are_bold_with_badge(project):
    model = ProjectTreeModel(project)
    index = find(model, "I.1.2")  # ②事務の内容※
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    plain = find(model, "I.1.1")
    assert plain.data(Qt.ItemDataRole.FontRole) is None


def test_filter_keeps_ancestors_of_matches(project):
    model = ProjectTreeModel(project)
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("事務の名称")
    assert proxy.rowCount() == 1
    section = proxy.index(0, 0)
    group = proxy.index(0, 0, section)
    leaf = proxy.index(0, 0, group)
    assert leaf.data(NodeIdRole) == "I.1.1"
    proxy.set_text("")
    assert proxy.rowCount() == model.rowCount()


def test_filter_changed_only(project):
    model = ProjectTreeModel(project)
    proxy = TreeFilterProxy()
    proxy.setSourceModel(model)
    project.set_text("I.1.2", "変更")
    proxy.set_changed_only(True)
    ids = []
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(proxy.rowCount(parent)):
            child = proxy.index(row, 0, parent)
            ids.append(child.data(NodeIdRole))
            stack.append(child)
    assert "I.1.2" in ids and "I.1.1" not in ids


def test_every_model_answers_the_same_roles(qapp, project):
    """The tree and the change list give the node id for one and the same role."""
    from pia_desk.gui.change_list import EntryTableModel
    from pia_desk.gui.roles import Role

    assert len({int(r) for r in Role}) == len(Role)
    project.set_text("I.1.1", "予防接種に関する事務等")
    tree = ProjectTreeModel(project)
    entries = EntryTableModel(project, QUndoStack())
    node_index = tree.index_of_id("I.1.1")
    assert node_index.data(NodeIdRole) == "I.1.1"
    assert entries.index(0, 0).data(NodeIdRole) == "I.1.1"
    assert entries.index(0, 0).data(Role.ENTRY_ID) == project.entry_for_node("I.1.1").id

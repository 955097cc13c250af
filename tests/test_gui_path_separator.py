"""＞ is the path separator wherever the editor names an item (check panel, replace preview)."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from pia_desk.gui.app import install_translations
from pia_desk.gui.check_panel import COL_ITEM, CheckPanel
from pia_desk.gui.replace_dialog import ReplaceDialog
from pia_desk.storage.project_file import new_project


def test_check_panel_names_items_with_the_separator(qtbot):
    install_translations(QApplication.instance())  # as at start-up: Qt's Japanese
    panel = CheckPanel(new_project("juten"))  # empty required items are findings
    qtbot.addWidget(panel)
    header = panel.finding_list.headerItem()
    assert [header.text(c) for c in range(3)] == ["重要度", "内容", "項目"]
    items = [
        panel.finding_list.topLevelItem(i).text(COL_ITEM)
        for i in range(panel.finding_list.topLevelItemCount())
    ]
    paths = [item for item in items if "＞" in item]
    assert paths and not any(" / " in item for item in items)


def test_replace_preview_names_items_with_the_separator(qtbot):
    install_translations(QApplication.instance())  # as at start-up: Qt's Japanese
    project = new_project("juten")
    project.set_text("I.1.1", "当市区町村の事務")
    dialog = ReplaceDialog(project, QUndoStack())
    qtbot.addWidget(dialog)
    dialog.find_edit.setText("当市区町村")
    first = dialog.table.item(0, 0).text()
    assert " ＞ " in first and " / " not in first
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["項目", "件数", "該当箇所"]

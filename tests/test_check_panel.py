"""The 提出前チェック panel: rows with icons, activation, refresh."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid
from test_check import TODAY, complete_project
from test_classify import ROW_USE, revision_of

from pia_desk.domain.check import Severity
from pia_desk.domain.entries import Timing
from pia_desk.gui.check_panel import COL_ITEM, COL_MESSAGE, COL_SEVERITY, CheckPanel
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project


def make_panel(qtbot, project) -> CheckPanel:
    panel = CheckPanel(project)
    qtbot.addWidget(panel)
    panel.today = TODAY
    panel.refresh()
    return panel


def test_lists_every_finding_with_icon_message_and_item(qtbot) -> None:
    project = load_project(sample_project_path()).project
    panel = make_panel(qtbot, project)
    findings = panel.report.findings
    assert findings and panel.finding_list.topLevelItemCount() == len(findings)
    for row, finding in enumerate(findings):
        item = panel.finding_list.topLevelItem(row)
        assert item.text(COL_SEVERITY) == finding.severity.label
        assert item.text(COL_MESSAGE) == finding.message
        assert finding.item in item.text(COL_ITEM)
        assert not item.icon(COL_SEVERITY).isNull()
    errors = panel.report.count(Severity.ERROR)
    assert f"エラー {errors} 件" in panel.summary_label.text()


def test_activation_emits_the_entry_id(qtbot, shared_rows) -> None:
    project = complete_project()
    entry = revision_of(project, [shared_rows[ROW_USE]], date(2021, 12, 8)).entries[0]
    panel = make_panel(qtbot, project)
    item = panel.finding_list.topLevelItem(0)
    with qtbot.waitSignal(panel.activated, timeout=1000) as signal:
        panel.finding_list.itemActivated.emit(item, 0)
    assert signal.args == [entry.id]


def test_item_findings_emit_the_node_id(qtbot) -> None:
    project = complete_project()
    project.working.pop("I.1.1")
    project.baseline.pop("I.1.1")
    panel = make_panel(qtbot, project)
    rows = [
        panel.finding_list.topLevelItem(i) for i in range(panel.finding_list.topLevelItemCount())
    ]
    (row,) = [r for r in rows if "事務の名称" in r.text(COL_MESSAGE)]
    with qtbot.waitSignal(panel.activated, timeout=1000) as signal:
        panel.finding_list.itemActivated.emit(row, 0)
    assert signal.args == ["I.1.1"]


def test_edit_marks_the_list_stale_and_refresh_updates_it(qtbot, shared_rows) -> None:
    project = complete_project()
    panel = make_panel(qtbot, project)
    assert panel.finding_list.topLevelItemCount() == 0
    assert "問題は見つかりませんでした" in panel.summary_label.text()
    project.set_text("I.3", "予防接種台帳ファイル（改）")  # an entry without 提出時期
    assert "再チェック" in panel.summary_label.text()
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    codes = [f.code for f in panel.report.findings]
    assert codes == ["timing-missing"]
    entry = project.entry_for_node("I.3")
    project.update_entry(entry.id, timing=Timing.POST, explanation="時点修正")
    panel.refresh()
    assert panel.finding_list.topLevelItemCount() == 0


def test_deleting_stops_listening_to_the_project(qtbot) -> None:
    project = complete_project()
    panel = CheckPanel(project)
    panel.show()
    panel.close()  # closed (the dock hidden): still listening, shown stale when back
    project.set_text("I.3", "別の名称")
    assert panel.project is project and "再チェック" in panel.summary_label.text()
    panel.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert project.events._listeners == []
    project.set_text("I.3", "また別の名称")  # must not touch the deleted panel


def test_destroyed_panel_does_not_break_project_edits(qtbot) -> None:
    project = complete_project()
    panel = CheckPanel(project)
    panel.deleteLater()
    qtbot.waitUntil(lambda: not isValid(panel), timeout=1000)
    project.set_text("I.3", "別の名称")  # the listener notices and unsubscribes
    project.set_text("I.3", "さらに別の名称")
    assert project.value("I.3").text == "さらに別の名称"


def test_cut_messages_keep_their_start_and_show_all_in_the_tooltip(qtbot) -> None:
    from test_replace_dialog import visible_text

    project = load_project(sample_project_path()).project
    panel = make_panel(qtbot, project)
    panel.resize(700, 300)
    panel.show()
    view = panel.finding_list
    view.setColumnWidth(COL_MESSAGE, view.fontMetrics().horizontalAdvance("あ" * 20))
    cut = 0
    for row in range(view.topLevelItemCount()):
        index = view.model().index(row, COL_MESSAGE)
        full = index.data()
        shown = visible_text(view, index)
        if shown != full:
            cut += 1
            assert shown.endswith("…") and full.startswith(shown[:-1])
        assert view.topLevelItem(row).toolTip(COL_MESSAGE) == full
    assert cut

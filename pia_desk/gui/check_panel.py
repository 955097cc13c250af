"""The 提出前チェック panel (for a dock): findings of `run_checks`, one row each.

Each row shows the severity icon, the message and the 項目; activating a row emits
`activated(str)` with the entry id (or the node id for item findings) so the main
window can show it. The list is refreshed with the button; after an edit of the
project the summary says that the list may be out of date (running every check on
each keystroke would be wasted work).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from pia_desk.domain.check import CheckReport, Finding, Severity, run_checks
from pia_desk.domain.events import Event
from pia_desk.domain.project import Project
from pia_desk.domain.wareki import format_wareki
from pia_desk.gui.elide import ElideDelegate
from pia_desk.gui.project_events import ProjectListener
from pia_desk.gui.roles import TargetRole
from pia_desk.gui.ui_loader import child, embed_form

__all__ = ["CheckPanel"]

UI_FILE = "check_panel.ui"
COL_SEVERITY, COL_MESSAGE, COL_ITEM = range(3)
_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class CheckPanel(QWidget):
    """Findings of the pre-submission check; `activated` carries an entry or node id."""

    activated = Signal(str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = embed_form(self, UI_FILE)
        self.summary_label = child(self.form, QLabel, "summaryLabel")
        self.refresh_button = child(self.form, QPushButton, "refreshButton")
        self.finding_list = child(self.form, QTreeWidget, "findingList")
        self.finding_list.setColumnWidth(COL_SEVERITY, 70)
        self.finding_list.setColumnWidth(COL_MESSAGE, 520)
        self.finding_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # 内容 quotes the text it is about near its start: cut at the right (tooltip: all).
        self._message_delegate = ElideDelegate(Qt.TextElideMode.ElideRight, self.finding_list)
        self.finding_list.setItemDelegateForColumn(COL_MESSAGE, self._message_delegate)
        self.refresh_button.clicked.connect(self.refresh)
        self.finding_list.itemActivated.connect(self._on_activated)
        self.report = CheckReport()
        self.project: Project | None = None
        self._listener = ProjectListener(self, self._on_project_event)
        self._stale = False
        self.today: date | None = None  # fixed in tests; None = the project's today
        self.set_project(project)

    # -- project -----------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        """Show the findings of another project (or none)."""
        self.project = self._listener.switch(project)
        self.refresh()

    def _on_project_event(self, _event: Event) -> None:
        if not self._stale:
            self._stale = True
            self._show_summary()

    # -- findings ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Run the check again and list its findings."""
        self.report = run_checks(self.project, today=self.today) if self.project else CheckReport()
        self._stale = False
        self.finding_list.clear()
        style = self.style()
        for finding in self.report.findings:
            row = QTreeWidgetItem([finding.severity.label, finding.message, _where(finding)])
            row.setIcon(COL_SEVERITY, style.standardIcon(_ICONS[finding.severity]))
            row.setToolTip(COL_MESSAGE, finding.message)
            row.setToolTip(COL_ITEM, finding.item)
            row.setData(COL_SEVERITY, TargetRole, finding.target or "")
            self.finding_list.addTopLevelItem(row)
        self._show_summary()

    def _show_summary(self) -> None:
        report = self.report
        if self.project is None:
            text = "プロジェクトが開かれていません。"
        elif not report.findings:
            text = f"問題は見つかりませんでした（変更箇所 {len(report.entries)} 件を確認）。"
        else:
            counts = "、".join(f"{s.label} {report.count(s)} 件" for s in Severity)
            text = f"{counts}（変更箇所 {len(report.entries)} 件を確認）"
        if self._stale:
            text += "　※ 内容が変更されました。「再チェック」で更新してください。"
        self.summary_label.setText(text)

    def finding_at(self, row: int) -> Finding:
        return self.report.findings[row]

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(COL_SEVERITY, TargetRole)
        if target:
            self.activated.emit(str(target))


def _where(finding: Finding) -> str:
    day = format_wareki(finding.date) if finding.date else ""
    return " ".join(part for part in (day, finding.item) if part)

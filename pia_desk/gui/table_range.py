"""Which rows of the 変更箇所 table to output: all, one revision or a range of 変更日.

Shared by the Word export dialog and the print / PDF dialog, whose forms have the
same object names (allRadio, revisionRadio, revisionCombo, rangeRadio, fromEdit,
toEdit, orderCombo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QRadioButton, QWidget

from pia_desk.domain.project import Project
from pia_desk.domain.wareki import format_wareki
from pia_desk.export.table import ChangeTable, Order, build_table
from pia_desk.gui.dialogs import date_in
from pia_desk.gui.ui_loader import child

__all__ = ["ORDERS", "RANGE_OBJECTS", "RangeChooser", "TableFilter"]

ORDERS: tuple[tuple[Order, str], ...] = (
    ("date", "変更日順（同じ日は様式の項目順）"),
    ("user", "並べ替えた順（改訂ごと）"),
)
RANGE_OBJECTS = (
    "allRadio",
    "revisionRadio",
    "revisionCombo",
    "rangeRadio",
    "fromEdit",
    "toEdit",
    "orderCombo",
)


@dataclass(frozen=True)
class TableFilter:
    """The rows chosen: everything (the default), one revision or a range of 変更日."""

    revision_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    order: Order = "date"

    def table(self, project: Project) -> ChangeTable:
        return build_table(
            project,
            revision_id=self.revision_id,
            date_from=self.date_from,
            date_to=self.date_to,
            order=self.order,
        )


class RangeChooser:
    """The range widgets of a form: filled from the project, read as a TableFilter."""

    def __init__(self, form: QWidget, project: Project, *, draft_first: bool = False) -> None:
        self.all_radio = child(form, QRadioButton, "allRadio")
        self.revision_radio = child(form, QRadioButton, "revisionRadio")
        self.range_radio = child(form, QRadioButton, "rangeRadio")
        self.revision_combo = child(form, QComboBox, "revisionCombo")
        self.from_edit = child(form, QLineEdit, "fromEdit")
        self.to_edit = child(form, QLineEdit, "toEdit")
        self.order_combo = child(form, QComboBox, "orderCombo")
        digits = project.meta.digit_style
        for revision in reversed(project.revisions):
            state = "作成中" if revision.is_draft else "提出済み"
            label = f"{format_wareki(revision.date, digits)}（{state}、{len(revision.entries)}件）"
            self.revision_combo.addItem(label, revision.id)
        self.revision_radio.setEnabled(bool(project.revisions))
        for order, label in ORDERS:
            self.order_combo.addItem(label, order)
        self.revision_combo.activated.connect(lambda: self.revision_radio.setChecked(True))
        self.from_edit.textEdited.connect(lambda: self.range_radio.setChecked(True))
        self.to_edit.textEdited.connect(lambda: self.range_radio.setChecked(True))
        draft = project.draft
        self._draft_id = draft.id if draft is not None else None
        if draft_first and draft is not None:
            self.revision_combo.setCurrentIndex(self.revision_combo.findData(draft.id))
            self.revision_radio.setChecked(True)
        else:
            self.all_radio.setChecked(True)

    def rows_preference(self) -> str | None:
        """ "all" or "draft" to remember as the next default; None for another choice
        (or when there was no draft revision to choose)."""
        draft = self._draft_id
        if draft is None:
            return None
        if self.all_radio.isChecked():
            return "all"
        if self.revision_radio.isChecked() and self.revision_combo.currentData() == draft:
            return "draft"
        return None

    def table_filter(self) -> TableFilter:
        """The rows chosen; raises ValueError with a Japanese message on a bad date."""
        order = self.order_combo.currentData() or "date"
        if self.revision_radio.isChecked():
            return TableFilter(revision_id=self.revision_combo.currentData(), order=order)
        if self.range_radio.isChecked():
            date_from = date_in(self.from_edit, "開始日")
            date_to = date_in(self.to_edit, "終了日")
            if date_from and date_to and date_from > date_to:
                raise ValueError("開始日が終了日より後になっています。")
            return TableFilter(date_from=date_from, date_to=date_to, order=order)
        return TableFilter(order=order)

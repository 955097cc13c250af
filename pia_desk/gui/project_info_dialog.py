"""ファイル > プロジェクトの情報…: the assessment's metadata (評価書番号, 評価書名 …).

`ProjectInfoDialog.ask(parent, project)` returns the changed fields only (for
`SetMetaCommand`), or None when cancelled or nothing changed. Dates are typed in 和暦
(or 西暦) and checked before the dialog closes. 評価書番号, 評価書名, 評価実施機関名 and
公表日 are the cover's items (`Project.info`): the same values as 表紙 in the tree.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QSpinBox, QWidget

from pia_desk.domain.project import Project
from pia_desk.domain.wareki import DigitStyle, WarekiError, format_wareki
from pia_desk.gui.dialogs import FormDialog, date_in
from pia_desk.gui.ui_loader import child

UI_FILE = "project_info_dialog.ui"
TEXT_FIELDS = {  # Project.info field -> line edit
    "number": "numberEdit",
    "title": "titleEdit",
    "org": "orgEdit",
    "affair": "affairEdit",
}
DATE_FIELDS = {
    "published": ("publishedEdit", "公表日"),
    "reviewed": ("reviewedEdit", "最終見直し日"),
}
DIGIT_LABELS = {
    DigitStyle.HALF: "半角（令和3年10月20日）",
    DigitStyle.FULL: "全角（令和３年１０月２０日）",
}


class ProjectInfoDialog(FormDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(UI_FILE, parent)
        self.project = project
        meta = project.meta
        self.changes: dict[str, object] = {}
        child(self.form, QLabel, "formNameLabel").setText(
            f"様式: {meta.form_name}　{meta.form_stamp}".rstrip()
        )
        self.edits = {name: child(self.form, QLineEdit, obj) for name, obj in TEXT_FIELDS.items()}
        for name, edit in self.edits.items():
            edit.setText(str(project.info(name)))
        self.date_edits = {
            name: child(self.form, QLineEdit, obj) for name, (obj, _label) in DATE_FIELDS.items()
        }
        for name, edit in self.date_edits.items():
            day = project.info(name)
            edit.setText(format_wareki(day) if day else "")
        self.digit_combo = child(self.form, QComboBox, "digitCombo")
        for style, label in DIGIT_LABELS.items():
            self.digit_combo.addItem(label, style.value)
        self.digit_combo.setCurrentIndex(self.digit_combo.findData(meta.digit_style.value))
        self.excerpt_spin = child(self.form, QSpinBox, "excerptSpin")
        self.excerpt_spin.setValue(project.tracking.excerpt_above or 0)  # 0: never
        self.error_label = child(self.form, QLabel, "errorLabel")

    def values(self) -> dict[str, object]:
        """Every field as entered; raises WarekiError (with the field named) for a bad date."""
        values: dict[str, object] = {n: e.text().strip() for n, e in self.edits.items()}
        for name, edit in self.date_edits.items():
            values[name] = date_in(edit, DATE_FIELDS[name][1])
        values["digit_style"] = DigitStyle(self.digit_combo.currentData())
        values["excerpt_above"] = self.excerpt_spin.value() or None
        return values

    def accept(self) -> None:
        try:
            values = self.values()
        except WarekiError as error:
            self.error_label.setText(str(error))
            return
        self.changes = {k: v for k, v in values.items() if self.project.info(k) != v}
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, project: Project) -> dict[str, object] | None:
        dialog = cls(project, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.changes if accepted and dialog.changes else None

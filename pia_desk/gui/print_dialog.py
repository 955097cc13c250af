"""Before 印刷 / 印刷プレビュー / PDFに出力: which rows (the draft revision by default)
and whether to underline the changed characters (傍線), as in the Word export."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.gui import output_defaults
from pia_desk.gui.printing import PrintOptions
from pia_desk.gui.settings import Settings
from pia_desk.gui.table_range import RangeChooser, TableFilter
from pia_desk.gui.ui_loader import child, embed_form

__all__ = ["PrintChoice", "PrintDialog"]

UI_FILE = "print_dialog.ui"


@dataclass(frozen=True)
class PrintChoice:
    table_filter: TableFilter
    options: PrintOptions


class PrintDialog(QDialog):
    def __init__(
        self,
        project: Project,
        title: str,
        ok_text: str,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = embed_form(self, UI_FILE)
        self.setWindowTitle(title)
        self.settings = settings
        self.rows = RangeChooser(
            self.form, project, draft_first=output_defaults.draft_first(settings)
        )
        self.underline_check = child(self.form, QCheckBox, "underlineCheck")
        self.size_spin = child(self.form, QDoubleSpinBox, "sizeSpin")
        self.error_label = child(self.form, QLabel, "errorLabel")
        buttons = child(self.form, QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.choice: PrintChoice | None = None

    def read_choice(self) -> PrintChoice | None:
        """The choices; None (and the reason in the dialog) on a bad date."""
        self.error_label.clear()
        try:
            table_filter = self.rows.table_filter()
        except ValueError as error:
            self.error_label.setText(str(error))
            return None
        options = PrintOptions(
            font_size=self.size_spin.value(), underline=self.underline_check.isChecked()
        )
        return PrintChoice(table_filter, options)

    def accept(self) -> None:
        self.choice = self.read_choice()
        if self.choice is not None:
            output_defaults.remember_rows(self.settings, self.rows)
            super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        project: Project,
        title: str,
        ok_text: str,
        settings: Settings | None = None,
    ) -> PrintChoice | None:
        """Show the dialog; the choice, or None when cancelled (tests replace this)."""
        dialog = cls(project, title, ok_text, parent, settings)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        return dialog.choice if accepted else None

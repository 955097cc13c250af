"""The 「Word 文書に出力」 dialog: rows, format and file of the .docx, with progress.

The same options as `pia-desk export`; the writing itself is the export layer's
(`build_table`, `write_docx`), so the editor and the command line give the same file.
The progress dialog is kept alive by processing events between rows; cancelling
leaves any existing file untouched (the writer saves through a temporary file).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.export.docx_writer import DEFAULT_FONT, DocxOptions, write_docx
from pia_desk.export.table import ChangeTable
from pia_desk.gui import dialogs, output_defaults
from pia_desk.gui.settings import Settings
from pia_desk.gui.table_range import RangeChooser
from pia_desk.gui.ui_loader import child, embed_form
from pia_desk.storage.errors import ProjectFileError

__all__ = ["ExportDialog", "show_export_dialog"]

UI_FILE = "export_dialog.ui"
WORD_FONTS = (DEFAULT_FONT, "ＭＳ ゴシック", "游明朝", "游ゴシック", "ＭＳ Ｐ明朝")


class ExportCancelled(Exception):
    """The user pressed キャンセル in the progress dialog."""


class WordOutput:
    """The output file and progress of a Word export dialog (this one and the whole
    評価書's): needs `path_edit`, `error_label`, `project_path` and `export()`."""

    path_edit: QLineEdit
    error_label: QLabel
    project_path: Path | None

    @staticmethod
    def ask_path(parent: QWidget | None, current: str) -> Path | None:
        """Ask for the output file (tests replace this)."""
        return dialogs.ask_save_path(parent, "出力先", current, "Word 文書", ".docx")

    def browse(self) -> None:
        path = self.ask_path(self, self.path_edit.text())  # type: ignore[arg-type]
        if path is not None:
            self.path_edit.setText(str(path))

    def accept(self) -> None:
        if self.export():  # type: ignore[attr-defined]
            QDialog.accept(self)  # type: ignore[arg-type]

    def typed_path(self) -> Path | None:
        """The output file typed, or None (and a message) when nothing is."""
        self.error_label.clear()
        path_text = self.path_edit.text().strip()
        if not path_text:
            self.error_label.setText("出力先のファイル名を入力してください。")
            return None
        return Path(path_text)

    def approved(self, path: Path) -> bool:
        """Never the project or another project file; an existing one only after asking."""
        return dialogs.approve_output(
            self,
            path,
            ".docx",
            self.project_path,
            self.error_label.setText,  # type: ignore[arg-type]
        )

    def write_with_progress(self, text: str, write) -> bool:
        """Run `write(report)` under a progress dialog that can cancel it; False (and a
        message) when cancelled or not saved, the file then left as it was."""
        progress = QProgressDialog(text, "キャンセル", 0, 100, self)  # type: ignore[arg-type]
        progress.setWindowTitle(self.windowTitle())  # type: ignore[attr-defined]
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def report(done: int, total: int) -> None:
            progress.setValue(round(100 * done / max(total, 1)))
            QApplication.processEvents()
            if progress.wasCanceled():
                raise ExportCancelled

        try:
            write(report)
        except ExportCancelled:
            self.error_label.setText("出力を中止しました（ファイルは変更していません）。")
            return False
        except ProjectFileError as error:
            self.error_label.setText(f"保存できませんでした: {error}")
            return False
        finally:
            progress.setValue(100)
            progress.deleteLater()
        return True


class ExportDialog(WordOutput, QDialog):
    def __init__(
        self,
        project: Project,
        project_path: Path | None,
        parent: QWidget | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.project_path = project_path
        self.settings = settings
        self.written: Path | None = None
        self.form = embed_form(self, UI_FILE)
        self.setWindowTitle(self.form.windowTitle())
        self.rows = RangeChooser(
            self.form, project, draft_first=output_defaults.draft_first(settings)
        )
        self.all_radio = self.rows.all_radio
        self.revision_radio = self.rows.revision_radio
        self.range_radio = self.rows.range_radio
        self.revision_combo = self.rows.revision_combo
        self.from_edit = self.rows.from_edit
        self.to_edit = self.rows.to_edit
        self.order_combo = self.rows.order_combo
        self.underline_check = child(self.form, QCheckBox, "underlineCheck")
        self.split_check = child(self.form, QCheckBox, "splitCheck")
        self.split_spin = child(self.form, QSpinBox, "splitSpin")
        self.font_combo = child(self.form, QComboBox, "fontCombo")
        self.size_spin = child(self.form, QDoubleSpinBox, "sizeSpin")
        self.path_edit = child(self.form, QLineEdit, "pathEdit")
        self.error_label = child(self.form, QLabel, "errorLabel")
        buttons = child(self.form, QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("出力(&E)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        child(self.form, QPushButton, "browseButton").clicked.connect(self.browse)
        self._fill(project_path)

    def _fill(self, project_path: Path | None) -> None:
        self.font_combo.addItems(WORD_FONTS)
        self.split_spin.setEnabled(False)
        self.split_check.toggled.connect(self.split_spin.setEnabled)
        path = output_defaults.default_output_path(self.project, project_path, ".docx")
        self.path_edit.setText(str(path))

    # -- reading the choices ---------------------------------------------------------
    def options(self) -> DocxOptions:
        return DocxOptions(
            font=self.font_combo.currentText().strip(),
            font_size=self.size_spin.value(),
            underline=self.underline_check.isChecked(),
            split_lines=self.split_spin.value() if self.split_check.isChecked() else None,
            author=Settings.load().author,  # the user's, not the 評価実施機関名
        )

    def table(self) -> ChangeTable:
        """The rows chosen; raises ValueError with a Japanese message on a bad date."""
        return self.rows.table_filter().table(self.project)

    # -- actions ---------------------------------------------------------------------
    def export(self) -> bool:
        """Write the document; False (and a message in the dialog) if it was not written."""
        path = self.typed_path()
        if path is None:
            return False
        try:
            table, options = self.table(), self.options()
        except ValueError as error:
            self.error_label.setText(str(error))
            return False
        if not output_defaults.confirm_unset_rows(self, table) or not self.approved(path):
            return False
        output_defaults.remember_rows(self.settings, self.rows)
        written = self.write_with_progress(
            "変更箇所の表を作成しています…",
            lambda report: write_docx(table, path, options, progress=report),
        )
        if written:
            self.written = path
        return written


def show_export_dialog(
    parent: QWidget | None,
    project: Project,
    project_path: Path | None,
    settings: Settings | None = None,
) -> None:
    """Ask for the export options and write the .docx; says where it went and offers
    to open it."""
    dialog = ExportDialog(project, Path(project_path) if project_path else None, parent, settings)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.written is not None:
        output_defaults.offer_to_open(
            parent, dialog.windowTitle(), "変更箇所の表を出力しました。", dialog.written
        )
    dialog.deleteLater()

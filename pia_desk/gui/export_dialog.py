"""The 「Word 文書に出力」 dialog: rows, format and file of the .docx, with progress.

The same options as `pia-desk export`; the writing itself is the export layer's
(`build_table`, `write_docx`), so the editor and the command line give the same file.
The progress dialog is kept alive by processing events between rows; cancelling
leaves any existing file untouched (the writer saves through a temporary file).
"""

from __future__ import annotations

from datetime import date
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
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from pia_desk.domain.project import Project
from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date
from pia_desk.export.docx_writer import DEFAULT_FONT, DocxOptions, write_docx
from pia_desk.export.table import ChangeTable, Order, build_table
from pia_desk.gui import dialogs
from pia_desk.gui.ui_loader import child, embed_form
from pia_desk.storage.errors import ProjectFileError

__all__ = ["ExportDialog", "show_export_dialog"]

UI_FILE = "export_dialog.ui"
WORD_FONTS = (DEFAULT_FONT, "ＭＳ ゴシック", "游明朝", "游ゴシック", "ＭＳ Ｐ明朝")
ORDERS: tuple[tuple[Order, str], ...] = (
    ("date", "変更日順（同じ日は様式の項目順）"),
    ("user", "並べ替えた順（改訂ごと）"),
)


class ExportCancelled(Exception):
    """The user pressed キャンセル in the progress dialog."""


class ExportDialog(QDialog):
    def __init__(
        self, project: Project, project_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.written: Path | None = None
        self.form = embed_form(self, UI_FILE)
        self.setWindowTitle(self.form.windowTitle())
        self.all_radio = child(self.form, QRadioButton, "allRadio")
        self.revision_radio = child(self.form, QRadioButton, "revisionRadio")
        self.range_radio = child(self.form, QRadioButton, "rangeRadio")
        self.revision_combo = child(self.form, QComboBox, "revisionCombo")
        self.from_edit = child(self.form, QLineEdit, "fromEdit")
        self.to_edit = child(self.form, QLineEdit, "toEdit")
        self.order_combo = child(self.form, QComboBox, "orderCombo")
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
        digits = self.project.meta.digit_style
        for revision in reversed(self.project.revisions):
            state = "作成中" if revision.is_draft else "提出済み"
            label = f"{format_wareki(revision.date, digits)}（{state}、{len(revision.entries)}件）"
            self.revision_combo.addItem(label, revision.id)
        self.revision_radio.setEnabled(bool(self.project.revisions))
        for order, label in ORDERS:
            self.order_combo.addItem(label, order)
        self.font_combo.addItems(WORD_FONTS)
        self.revision_combo.activated.connect(lambda: self.revision_radio.setChecked(True))
        self.from_edit.textEdited.connect(lambda: self.range_radio.setChecked(True))
        self.to_edit.textEdited.connect(lambda: self.range_radio.setChecked(True))
        self.split_spin.setEnabled(False)
        self.split_check.toggled.connect(self.split_spin.setEnabled)
        folder = project_path.parent if project_path else Path.home()
        stem = project_path.stem if project_path else "変更箇所"
        self.path_edit.setText(str(folder / f"{stem}_変更箇所.docx"))

    # -- reading the choices ---------------------------------------------------------
    def options(self) -> DocxOptions:
        return DocxOptions(
            font=self.font_combo.currentText().strip(),
            font_size=self.size_spin.value(),
            underline=self.underline_check.isChecked(),
            split_lines=self.split_spin.value() if self.split_check.isChecked() else None,
            author=self.project.meta.org,
        )

    def table(self) -> ChangeTable:
        """The rows chosen; raises ValueError with a Japanese message on a bad date."""
        order = self.order_combo.currentData() or "date"
        if self.revision_radio.isChecked():
            return build_table(
                self.project, revision_id=self.revision_combo.currentData(), order=order
            )
        if self.range_radio.isChecked():
            date_from = self._date(self.from_edit, "開始日")
            date_to = self._date(self.to_edit, "終了日")
            if date_from and date_to and date_from > date_to:
                raise ValueError("開始日が終了日より後になっています。")
            return build_table(self.project, date_from=date_from, date_to=date_to, order=order)
        return build_table(self.project, order=order)

    @staticmethod
    def _date(edit: QLineEdit, name: str) -> date | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except WarekiError as error:
            raise ValueError(f"{name}: {error}") from None

    # -- actions ---------------------------------------------------------------------
    @staticmethod
    def ask_path(parent: QWidget | None, current: str) -> Path | None:
        """Ask for the output file (tests replace this)."""
        return dialogs.ask_save_path(parent, "出力先", current, "Word 文書", ".docx")

    def browse(self) -> None:
        path = self.ask_path(self, self.path_edit.text())
        if path is not None:
            self.path_edit.setText(str(path))

    def accept(self) -> None:
        if self.export():
            super().accept()

    def export(self) -> bool:
        """Write the document; False (and a message in the dialog) if it was not written."""
        self.error_label.clear()
        path_text = self.path_edit.text().strip()
        if not path_text:
            self.error_label.setText("出力先のファイル名を入力してください。")
            return False
        path = Path(path_text)
        try:
            table, options = self.table(), self.options()
        except ValueError as error:
            self.error_label.setText(str(error))
            return False
        try:
            self._write(table, path, options)
        except ExportCancelled:
            self.error_label.setText("出力を中止しました（ファイルは変更していません）。")
            return False
        except ProjectFileError as error:
            self.error_label.setText(f"保存できませんでした: {error}")
            return False
        self.written = path
        return True

    def _write(self, table: ChangeTable, path: Path, options: DocxOptions) -> None:
        total = len(table.rows)
        progress = QProgressDialog(
            "変更箇所の表を作成しています…", "キャンセル", 0, total + 1, self
        )
        progress.setWindowTitle(self.windowTitle())
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)

        def report(done: int, _total: int) -> None:
            progress.setValue(done)
            QApplication.processEvents()
            if progress.wasCanceled():
                raise ExportCancelled

        try:
            write_docx(table, path, options, progress=report)
        finally:
            progress.setValue(total + 1)
            progress.deleteLater()


def show_export_dialog(parent: QWidget | None, project: Project, project_path: Path | None) -> None:
    """Ask for the export options and write the .docx; says where it went."""
    dialog = ExportDialog(project, Path(project_path) if project_path else None, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.written is not None:
        QMessageBox.information(
            parent, dialog.windowTitle(), f"変更箇所の表を出力しました。\n{dialog.written}"
        )
    dialog.deleteLater()

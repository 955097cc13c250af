"""The 「評価書をWordで出力」 and 「評価書の印刷・PDF出力」 dialog.

The same choices as `pia-desk export-assessment`: which text (現在の記載, the text as
last submitted, or as submitted with a revision), whether the 変更箇所 annex goes
with it, the font and its size. Word output shows progress and can be cancelled
(the file is then left as it was); printing, preview and PDF paint the same
document model with Qt. Items whose text of that time could not be rebuilt from the
history are listed after the output. The dialog says that the layout may differ in
details from the current official 様式.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pia_desk.domain.assessment import LAYOUT_NOTE, AssessmentDocument, build_assessment
from pia_desk.domain.assessment_text import TextChoice, text_state
from pia_desk.domain.project import Project
from pia_desk.domain.wareki import format_wareki
from pia_desk.export.assessment_docx import AssessmentOptions, write_assessment_docx
from pia_desk.export.assessment_table import annex_table
from pia_desk.export.table import ChangeTable
from pia_desk.gui import dialogs, printing, screen_fit
from pia_desk.gui.assessment_print import paint_assessment, write_assessment_pdf
from pia_desk.gui.export_dialog import WORD_FONTS, WordOutput
from pia_desk.storage.errors import ProjectFileError

__all__ = ["AssessmentDialog", "show_assessment_dialog"]

FONT_NOTE = "フォントと文字サイズは、お使いの評価書に合わせて選んでください。"


class AssessmentDialog(WordOutput, QDialog):
    """mode "word": the .docx; mode "print": preview, print and PDF."""

    def __init__(
        self,
        project: Project,
        project_path: Path | None,
        parent: QWidget | None = None,
        mode: str = "word",
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.project_path = project_path
        self.mode = mode
        self.written: Path | None = None
        self.last_document: AssessmentDocument | None = None
        word = mode == "word"
        self.setWindowTitle("評価書をWordで出力" if word else "評価書の印刷・PDF出力")
        self.text_combo = QComboBox()
        for label, choice in self.text_choices():
            self.text_combo.addItem(label, choice)
        self.annex_check = QCheckBox(f"{project.meta.annex_label}を付ける")
        self.annex_check.setChecked(True)
        self.font_combo = QComboBox()
        self.font_combo.setEditable(True)
        self.font_combo.addItems(WORD_FONTS if word else [printing.print_font_family()])
        self.size_spin = QDoubleSpinBox()
        self.size_spin.setRange(6, 16)
        self.size_spin.setSingleStep(0.5)
        self.size_spin.setValue(9.0)
        self.size_spin.setSuffix(" pt")
        self.path_edit = QLineEdit()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        note = QLabel(f"{LAYOUT_NOTE}{FONT_NOTE}")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("記載(&T)：", self.text_combo)
        form.addRow("", self.annex_check)
        form.addRow("フォント(&F)：", self.font_combo)
        form.addRow("文字サイズ(&S)：", self.size_spin)
        buttons = QDialogButtonBox()
        if word:
            row = QHBoxLayout()
            row.addWidget(self.path_edit)
            browse = QPushButton("参照(&B)...")
            browse.clicked.connect(self.browse)
            row.addWidget(browse)
            label = QLabel("出力先(&O)：")
            label.setBuddy(self.path_edit)  # a row holding a layout gets no buddy of its own
            form.addRow(label, row)
            folder = project_path.parent if project_path else Path.home()
            stem = project_path.stem if project_path else "評価書"
            self.path_edit.setText(str(folder / f"{stem}_評価書.docx"))
            buttons.addButton("出力(&E)", QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.accepted.connect(self.accept)
        else:
            for text, slot in (
                ("印刷プレビュー(&V)...", self.preview),
                ("印刷(&P)...", self.print_document),
                ("PDFに出力(&D)...", self.export_pdf),
            ):
                button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
                button.clicked.connect(slot)
        buttons.addButton(
            "キャンセル" if word else "閉じる", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    # -- choices ---------------------------------------------------------------------
    def text_choices(self) -> list[tuple[str, TextChoice]]:
        digits = self.project.meta.digit_style
        choices = [
            ("現在の記載（作成中の改訂を含む）", TextChoice()),
            ("提出済みの記載（最後に提出した記載）", TextChoice("submitted")),
        ]
        for revision in reversed(self.project.submitted):
            when = format_wareki(revision.date, digits)
            choices.append(
                (f"変更日 {when} の改訂を提出したときの記載", TextChoice("revision", revision.date))
            )
        return choices

    def choice(self) -> TextChoice:
        return self.text_combo.currentData()

    def document(self) -> tuple[AssessmentDocument, ChangeTable | None]:
        choice = self.choice()
        annex = self.annex_check.isChecked()
        document = build_assessment(self.project, text_state(self.project, choice), annex=annex)
        self.last_document = document
        return document, annex_table(self.project, choice) if annex else None

    def options(self) -> AssessmentOptions:
        """Raises ValueError (Japanese) for a font Word cannot use."""
        return AssessmentOptions(
            font=self.font_combo.currentText().strip(), font_size=self.size_spin.value()
        )

    def print_options(self) -> printing.PrintOptions:
        return printing.PrintOptions(self.font_combo.currentText().strip(), self.size_spin.value())

    # -- Word ------------------------------------------------------------------------
    def export(self) -> bool:
        """Write the .docx; False (and a message in the dialog) if it was not written."""
        path = self.typed_path()
        if path is None:
            return False
        try:
            options = self.options()
        except ValueError as error:
            self.error_label.setText(str(error))
            return False
        if not self.approved(path):
            return False
        document, annex = self.document()
        org = self.project.org
        written = self.write_with_progress(
            "評価書を作成しています…",
            lambda report: write_assessment_docx(document, annex, path, options, report, org),
        )
        if written:
            self.written = path
        return written

    # -- printing --------------------------------------------------------------------
    def preview(self) -> None:
        document, annex = self.document()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(f"印刷プレビュー - {document.name}")
        options = self.print_options()
        dialog.paintRequested.connect(
            lambda device: paint_assessment(document, annex, device, options)
        )
        screen_fit.fit_large_dialog(dialog)
        dialog.exec()
        dialog.deleteLater()
        report_unrebuilt(self, document)

    def print_document(self) -> bool:
        document, annex = self.document()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("評価書の印刷")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            paint_assessment(document, annex, printer, self.print_options())
        finally:
            QApplication.restoreOverrideCursor()
        report_unrebuilt(self, document)
        return True

    def export_pdf(self, path: Path | None = None) -> Path | None:
        document, annex = self.document()
        target = path or printing.ask_pdf_path(self, f"{document.name or '評価書'}.pdf")
        if target is None:
            return None
        if not dialogs.approve_output(
            self, Path(target), ".pdf", self.project_path, self.error_label.setText
        ):
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_assessment_pdf(document, annex, target, self.print_options())
        except ProjectFileError as error:
            self.error_label.setText(f"PDF を保存できませんでした: {error}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        report_unrebuilt(self, document)
        return Path(target)


def unrebuilt_text(document: AssessmentDocument) -> str:
    """The list of items whose text of that time could not be rebuilt ('' when none)."""
    if not document.unrebuilt:
        return ""
    lines = [
        f"次の {len(document.unrebuilt)} 項目は、その時点の記載を履歴から復元できませんでした。"
    ]
    lines += [f"・{' / '.join(u.path)}: {u.reason}" for u in document.unrebuilt]
    return "\n".join(lines)


def report_unrebuilt(parent: QWidget | None, document: AssessmentDocument) -> None:
    text = unrebuilt_text(document)
    if text:
        QMessageBox.information(parent, "復元できなかった項目", text)


def show_assessment_dialog(
    parent: QWidget | None, project: Project, project_path: Path | None, mode: str = "word"
) -> None:
    dialog = AssessmentDialog(project, Path(project_path) if project_path else None, parent, mode)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.written is not None:
        message = (
            f"評価書を出力しました（{dialog.last_document.text_description}）。\n{dialog.written}"
        )
        extra = unrebuilt_text(dialog.last_document)
        QMessageBox.information(parent, dialog.windowTitle(), f"{message}\n\n{extra}".strip())
    dialog.deleteLater()

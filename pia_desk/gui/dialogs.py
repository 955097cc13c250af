"""Small dialogs of the editor (Designer forms) and the questions it asks.

Each dialog has an `ask()` classmethod that shows it and returns the answer, and the
module-level question helpers wrap QMessageBox: tests replace these functions instead
of running modal loops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date
from pia_desk.export.output_target import OutputExistsError, OutputTargetError, check_output_target
from pia_desk.gui.project_source import available_forms
from pia_desk.gui.ui_loader import child, embed_form
from pia_desk.storage.templates import FORM_NAMES

APP_TITLE = "PIA Desk"


@dataclass(frozen=True)
class NewProjectAnswer:
    form: str
    org: str
    title: str


class FormDialog(QDialog):
    """A QDialog whose contents come from a Designer form."""

    def __init__(self, form_name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = embed_form(self, form_name)
        self.setWindowTitle(self.form.windowTitle())
        buttons = child(self.form, QDialogButtonBox, "buttonBox")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)


class NewProjectDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("new_project_dialog.ui", parent)
        self.form_combo = child(self.form, QComboBox, "formCombo")
        for form in available_forms():
            self.form_combo.addItem(FORM_NAMES[form], form)
        self.org_edit = child(self.form, QLineEdit, "orgEdit")
        self.title_edit = child(self.form, QLineEdit, "titleEdit")

    def answer(self) -> NewProjectAnswer:
        return NewProjectAnswer(
            self.form_combo.currentData(),
            self.org_edit.text().strip(),
            self.title_edit.text().strip(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None) -> NewProjectAnswer | None:
        dialog = cls(parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


class RevisionDialog(FormDialog):
    """Asks for a date (変更日 of a new revision, 提出日 of a submission) in 和暦 or 西暦."""

    def __init__(self, parent: QWidget | None, title: str, message: str, default: date) -> None:
        super().__init__("revision_dialog.ui", parent)
        self.setWindowTitle(title)
        child(self.form, QLabel, "messageLabel").setText(message)
        self.date_edit = child(self.form, QLineEdit, "dateEdit")
        self.date_edit.setText(format_wareki(default))
        self.error_label = child(self.form, QLabel, "errorLabel")
        self.value: date | None = None

    def accept(self) -> None:
        try:
            self.value = parse_date(self.date_edit.text())
        except WarekiError as error:
            self.error_label.setText(str(error))
            self.date_edit.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, message: str, default: date) -> date | None:
        dialog = cls(parent, title, message, default)
        return dialog.value if dialog.exec() == QDialog.DialogCode.Accepted else None


# -- questions ------------------------------------------------------------------------
def confirm(parent: QWidget | None, text: str, detail: str = "") -> bool:
    box = QMessageBox.question(
        parent,
        APP_TITLE,
        f"{text}\n\n{detail}".strip(),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return box == QMessageBox.StandardButton.Yes


def ask_save_changes(parent: QWidget | None, name: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel for a project with unsaved changes."""
    return QMessageBox.question(
        parent,
        APP_TITLE,
        f"「{name}」には保存されていない変更があります。保存しますか？",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )


RESTORE, KEEP, DISCARD = 0, 1, 2  # answers to ask_recovery


def ask_recovery(parent: QWidget | None, text: str, detail: str) -> int:
    """復元する (RESTORE, the default), 復元しない (KEEP, also Esc: the copy is kept) or
    復元データを削除 (DISCARD): nothing of the user's work goes by a hasty Enter."""
    box = QMessageBox(
        QMessageBox.Icon.Question, APP_TITLE, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setInformativeText(detail)
    restore = box.addButton("復元する(&R)", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("復元しない(&N)", QMessageBox.ButtonRole.RejectRole)
    discard = box.addButton("復元データを削除(&D)", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return RESTORE if clicked is restore else DISCARD if clicked is discard else KEEP


def ask_choice(parent: QWidget | None, text: str, choices: list[str]) -> int:
    """Index of the chosen button, or -1 when cancelled (Esc)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, APP_TITLE, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons: list[QPushButton] = [
        box.addButton(choice, QMessageBox.ButtonRole.AcceptRole) for choice in choices
    ]
    cancel = box.addButton("キャンセル", QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else -1


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value.strip() if ok and value.strip() else None


def ask_save_path(
    parent: QWidget | None, title: str, suggested: str, kind: str, suffix: str
) -> Path | None:
    """Ask where to write a file of `kind` (e.g. "PDF", suffix ".pdf"); the suffix is added
    when the user typed a name without it. None when cancelled."""
    # Replacing an existing file is asked afterwards (approve_output), once.
    name, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        suggested,
        f"{kind} (*{suffix})",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def approve_output(
    parent: QWidget | None,
    path: Path,
    suffix: str,
    project_path: Path | None,
    report: Callable[[str], None],
) -> bool:
    """Whether an exported file may be written at `path`: never the project or another
    project file, only with `suffix`; an existing file only after asking (default いいえ).
    A refusal is passed to `report`."""
    try:
        check_output_target(path, suffix, project_path=project_path)
    except OutputExistsError as error:
        return confirm(
            parent, f"{error}\n置き換えますか？", "「いいえ」を選ぶと何も書き込みません。"
        )
    except OutputTargetError as error:
        report(str(error))
        return False
    return True


def show_error(parent: QWidget | None, text: str) -> None:
    QMessageBox.critical(parent, APP_TITLE, text)


def show_info(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, APP_TITLE, text)


def date_in(edit: QLineEdit, label: str) -> date | None:
    """The date typed in `edit` (和暦 or 西暦), None when empty; a WarekiError naming
    `label` (and the focus on the field) when it cannot be read."""
    text = edit.text().strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except WarekiError as error:
        edit.setFocus()
        raise WarekiError(f"{label}: {error}") from None

"""Loads the Designer forms of ui/ at run time and checks the object names the code uses.

`FORMS` lists, per form, every object name the Python code looks up; a test loads each
form and checks them, so the .ui files and the code cannot drift apart.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from pia_desk.gui.actions import MAIN_ACTIONS
from pia_desk.paths import ui_path

T = TypeVar("T", bound=QObject)

# The row choice (gui/table_range.py) shared by the Word export and print dialogs.
RANGE_WIDGETS = (
    "allRadio",
    "revisionRadio",
    "rangeRadio",
    "revisionCombo",
    "fromEdit",
    "toEdit",
    "orderCombo",
)

FORMS: dict[str, tuple[str, ...]] = {
    "main_window.ui": (
        "centralwidget",
        "pages",
        "startPage",
        "startLayout",
        "editorPage",
        "readOnlyBanner",
        "mainSplitter",
        "rightSplitter",
        "filterEdit",
        "changedOnlyCheck",
        "treeView",
        "noMatchLabel",
        "comparePane",
        "changeListPane",
        "findBarHost",
        "menubar",
        "statusbar",
        "menuFile",
        "menuRecent",
        "menuEdit",
        "menuRevision",
        "menuItem",
        "menuView",
        "menuHelp",
        *MAIN_ACTIONS,
    ),
    "start_screen.ui": (
        "newButton",
        "openButton",
        "sampleButton",
        "recentList",
        "openRecentButton",
    ),
    "new_project_dialog.ui": ("formCombo", "orgEdit", "titleEdit", "buttonBox"),
    "revision_dialog.ui": ("messageLabel", "dateEdit", "errorLabel", "buttonBox"),
    "find_bar.ui": ("findEdit", "prevButton", "nextButton", "statusLabel", "closeButton"),
    "revision_browser.ui": (
        "browserSplitter",
        "revisionList",
        "entryTable",
        "beforeLabel",
        "beforeText",
        "afterLabel",
        "afterText",
        "buttonBox",
    ),
    "project_info_dialog.ui": (
        "formNameLabel",
        "numberEdit",
        "titleEdit",
        "orgEdit",
        "affairEdit",
        "publishedEdit",
        "reviewedEdit",
        "digitCombo",
        "excerptSpin",
        "errorLabel",
        "buttonBox",
    ),
    "check_panel.ui": ("summaryLabel", "refreshButton", "findingList"),
    "replace_dialog.ui": (
        "findEdit",
        "replaceEdit",
        "summaryLabel",
        "occurrenceTable",
        "buttonBox",
    ),
    "export_dialog.ui": (
        *RANGE_WIDGETS,
        "underlineCheck",
        "splitCheck",
        "splitSpin",
        "fontCombo",
        "sizeSpin",
        "pathEdit",
        "browseButton",
        "errorLabel",
        "buttonBox",
    ),
    "print_dialog.ui": (
        *RANGE_WIDGETS,
        "underlineCheck",
        "sizeSpin",
        "errorLabel",
        "buttonBox",
    ),
    "assessment_import_dialog.ui": (
        "pathEdit",
        "browseButton",
        "previewSplitter",
        "previewTable",
        "reportText",
        "errorLabel",
        "buttonBox",
    ),
    "import_dialog.ui": (
        "pathEdit",
        "browseButton",
        "previewSplitter",
        "previewTable",
        "reportText",
        "baselineCheck",
        "errorLabel",
        "buttonBox",
    ),
}


_loader: QUiLoader | None = None


def _shared_loader() -> QUiLoader:
    """One loader for all forms, without Designer plugin paths (we use no custom plugins).

    Creating a loader and scanning plugin folders costs milliseconds per form at start-up.
    """
    global _loader
    if _loader is None:
        _loader = QUiLoader()
        _loader.clearPluginPaths()
    return _loader


class UiFormError(RuntimeError):
    """A form is missing or lacks an object the code needs (a packaging/programming error)."""


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Load ui/<name> and check that every object listed in FORMS[name] is there."""
    file = QFile(str(ui_path(name)))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise UiFormError(f"画面定義ファイルを開けません: {ui_path(name)}")
    try:
        widget = _shared_loader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise UiFormError(f"画面定義ファイルを読み込めません: {ui_path(name)}")
    missing = missing_objects(widget, FORMS.get(name, ()))
    if missing:
        raise UiFormError(f"画面定義 {name} に必要な部品がありません: {', '.join(missing)}")
    return widget


def embed_form(widget: QWidget, name: str) -> QWidget:
    """Load ui/<name> and make it the whole content of `widget` (no margins); the form.

    The form's root must be a plain QWidget: a QDialog inside a dialog takes Escape
    for itself, hides, and leaves the outer dialog an empty modal box.
    """
    form = load_ui(name)
    if isinstance(form, QDialog):
        raise UiFormError(f"画面定義 {name} の最上位は QWidget にしてください（QDialog は入れ子にできません）")
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(form)
    return form


def missing_objects(root: QObject, names: tuple[str, ...]) -> list[str]:
    return [n for n in names if root.objectName() != n and root.findChild(QObject, n) is None]


def child(root: QObject, kind: type[T], name: str) -> T:
    """The form's object `name`, typed."""
    found = root.findChild(kind, name)
    if found is None:
        raise UiFormError(f"部品 {name} が見つかりません")
    return found

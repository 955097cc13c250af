"""No shortcut letter (Alt+letter) is used twice in one window or dialog.

Every window and dialog of the editor is built and shown; the letters that Alt reaches
in it at that moment are collected: the menu bar's titles and every shown button,
check box, radio button, group box and labelled field (a label with a buddy). Menus
themselves are checked apart (tests/test_gui_blockers.py): their letters only count
once a menu is open.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMessageBox,
    QToolButton,
    QWidget,
)

from pia_desk.gui import dialogs
from pia_desk.gui.app import create_main_window
from pia_desk.gui.main_window import MainWindow
from pia_desk.storage.project_file import new_project, save_project


@pytest.fixture(autouse=True)
def own_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    discard = QMessageBox.StandardButton.Discard
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: discard)


def mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].upper() if 0 <= at < len(plain) - 1 else None


def reachable_letters(window: QWidget) -> list[tuple[str, str]]:
    """(letter, text) of everything Alt+letter reaches in `window` as shown now."""
    found: list[tuple[str, str]] = []
    bar = getattr(window, "menuBar", None)
    if callable(bar) and window.findChild(QWidget, "menubar") is not None:
        found += [(mnemonic(a.text()), a.text()) for a in bar().actions() if a.isVisible()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QToolButton) and widget.defaultAction() is not None:
            continue  # a tool bar's button: the shortcut is its action's, not a letter
        if isinstance(widget, QAbstractButton):
            text = widget.text()
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            text = widget.title()
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            text = widget.text()
        else:
            continue
        found.append((mnemonic(text), text))
    return [(letter, text) for letter, text in found if letter]


def assert_unique(window: QWidget) -> None:
    letters = reachable_letters(window)
    seen: dict[str, str] = {}
    clashes = []
    for letter, text in letters:
        if letter in seen:
            clashes.append((letter, seen[letter], text))
        seen.setdefault(letter, text)
    assert not clashes, f"{window.windowTitle()}: {clashes}"


@pytest.fixture
def window(qtbot, tmp_path) -> MainWindow:
    project = new_project("juten", org="架空市長", title="予防接種に関する事務")
    project.set_text("I.1.1", "予防接種に関する事務")
    project.submit_draft(date(2021, 4, 1))
    project.start_revision(date(2021, 10, 1))
    project.set_text("I.1.1", "定期予防接種に関する事務")
    path = tmp_path / "予防接種.piadesk"
    save_project(project, path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    return window


def test_start_screen(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    assert_unique(window)


def test_editor_with_its_panels(window: MainWindow):
    window.select_node("I.1.1")
    window.show_check_panel()  # 再チェック beside the 改訂 menu
    window.open_find_bar()
    assert_unique(window)


def dialog_factories(window: MainWindow):
    from pia_desk.gui.assessment_dialog import AssessmentDialog
    from pia_desk.gui.assessment_import_dialog import AssessmentImportDialog
    from pia_desk.gui.dialogs import NewProjectDialog, RevisionDialog
    from pia_desk.gui.export_dialog import ExportDialog
    from pia_desk.gui.help_window import GuideWindow
    from pia_desk.gui.import_dialog import ImportDialog
    from pia_desk.gui.print_dialog import PrintDialog
    from pia_desk.gui.project_info_dialog import ProjectInfoDialog
    from pia_desk.gui.replace_dialog import ReplaceDialog
    from pia_desk.gui.revision_browser import RevisionBrowser

    project, path = window.project, window.session.path
    return {
        "new": lambda: NewProjectDialog(window),
        "revision": lambda: RevisionDialog(window, "改訂", "日付", date(2021, 10, 1)),
        "info": lambda: ProjectInfoDialog(project, window),
        "export": lambda: ExportDialog(project, path, window),
        "print": lambda: PrintDialog(project, "印刷", "印刷(&P)...", window),
        "replace": lambda: ReplaceDialog(project, window.undo_stack, window),
        "import": lambda: ImportDialog(project, window, path.parent, window.undo_stack),
        "assessment_import": lambda: AssessmentImportDialog(project, window),
        "assessment_word": lambda: AssessmentDialog(project, path, window, "word"),
        "assessment_print": lambda: AssessmentDialog(project, path, window, "print"),
        "browser": lambda: RevisionBrowser(project, window),
        "guide": lambda: GuideWindow(window),
    }


@pytest.mark.parametrize(
    "name",
    [
        "new",
        "revision",
        "info",
        "export",
        "print",
        "replace",
        "import",
        "assessment_import",
        "assessment_word",
        "assessment_print",
        "browser",
        "guide",
    ],
)
def test_each_dialog(qtbot, window: MainWindow, name: str):
    dialog = dialog_factories(window)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    assert_unique(dialog)


def test_the_scan_sees_a_clash(qtbot):
    """The check itself: two buttons with the same letter are found."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    layout.addWidget(QPushButton("改訂(&R)"))
    layout.addWidget(QPushButton("再チェック(&R)"))
    host.show()
    with pytest.raises(AssertionError, match="再チェック"):
        assert_unique(host)

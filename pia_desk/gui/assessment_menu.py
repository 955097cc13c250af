"""The ファイル menu's entries for the whole 評価書: Word output and printing / PDF.

Kept apart from the main window (one call installs them) and light: the dialog and
its writers are imported on first use, so starting the editor does not load them.
The entries are enabled exactly when the change table's Word output is.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

__all__ = ["install_assessment_actions"]

WORD_TEXT = "評価書をWordで出力(&H)..."
PRINT_TEXT = "評価書の印刷・PDF出力(&J)..."


def install_assessment_actions(window: QMainWindow, menu: QMenu, like: QAction) -> None:
    """Add the two entries to `menu` after `like` (the table's Word output), enabled as it."""
    word = QAction(WORD_TEXT, window)
    word.setObjectName("actionExportAssessment")
    word.setStatusTip("評価書全体（表紙・各項目・別添・変更箇所）を .docx で出力します")
    printing = QAction(PRINT_TEXT, window)
    printing.setObjectName("actionPrintAssessment")
    printing.setStatusTip("評価書全体を印刷プレビュー・印刷・PDF 出力します")
    actions = menu.actions()
    index = actions.index(like) if like in actions else len(actions) - 1
    before = actions[index + 1] if index + 1 < len(actions) else None
    menu.insertActions(before, [word, printing])
    for action in (word, printing):
        action.setEnabled(like.isEnabled())
        like.changed.connect(lambda a=action: a.setEnabled(like.isEnabled()))
    word.triggered.connect(lambda: _open(window, "word"))
    printing.triggered.connect(lambda: _open(window, "print"))


def _open(window: QMainWindow, mode: str) -> None:
    session = getattr(window, "session", None)
    if session is None:
        return
    from pia_desk.gui.assessment_dialog import show_assessment_dialog

    show_assessment_dialog(window, session.project, session.path, mode)

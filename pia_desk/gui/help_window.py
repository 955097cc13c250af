"""ヘルプ > 使い方: a short guide shipped with the program, shown in a window of its own.

The guide is resources/help/guide.md (offline, no links out). The only official text
it quotes is filled in from resources/rules/sources.json, so the guide can quote
nothing but the verbatim sentence the suggestions cite. The window is created when
first asked for; the menu entry costs nothing at start-up.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pia_desk.paths import resource_path

__all__ = ["GUIDE_TITLE", "GuideWindow", "guide_markdown", "install_guide_action"]

GUIDE_TITLE = "PIA Desk の使い方"
GUIDE_FILE = ("help", "guide.md")
ACTION_TEXT = "使い方(&G)..."


def guide_markdown() -> str:
    """The guide's text with the quotes of sources.json put in their place."""
    from pia_desk.domain.timing_rules import load_rules

    text = resource_path(*GUIDE_FILE).read_text(encoding="utf-8")
    for key, quote in load_rules().quotes.items():
        text = text.replace("{{" + key + "}}", quote.cite())
    return text


class GuideWindow(QDialog):
    """The guide, non-modal, beside the editor; Escape or 閉じる closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(GUIDE_TITLE)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # nothing leaves the program
        self.browser.setAccessibleName(GUIDE_TITLE)
        self.browser.setMarkdown(guide_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("閉じる")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(self._default_size())

    def _default_size(self) -> QSize:
        """A reading width that fits the screen (a 1366x768 laptop included)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        wanted = QSize(760, 680)
        if screen is None:
            return wanted
        room = screen.availableGeometry().size()
        return QSize(
            min(wanted.width(), room.width() * 9 // 10),
            min(wanted.height(), room.height() * 9 // 10),
        )


def show_guide(window: QWidget) -> GuideWindow:
    """Show (or bring forward) the guide of `window`."""
    guide = window.findChild(GuideWindow)
    if guide is None:
        guide = GuideWindow(window)
        guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide


def install_guide_action(window: QMainWindow, menu: QMenu) -> QAction:
    """Put ヘルプ > 使い方 (F1) first in `menu`."""
    action = QAction(ACTION_TEXT, window)
    action.setObjectName("actionGuide")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    action.setStatusTip("1年の作業の流れ、事前・事後の意味、提案の根拠を説明します")
    actions = menu.actions()
    menu.insertAction(actions[0] if actions else None, action)
    window.addAction(action)
    action.triggered.connect(lambda: show_guide(window))
    return action

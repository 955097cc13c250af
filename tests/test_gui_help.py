"""ヘルプ > 使い方: the guide shipped with the program, opened when asked for."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from pia_desk.gui.help_window import GuideWindow, guide_markdown
from pia_desk.gui.main_window import MainWindow
from pia_desk.gui.settings import Settings
from pia_desk.storage.recovery import RecoveryStore
from tests.conftest import REPO

SOURCES = REPO / "resources" / "rules" / "sources.json"


@pytest.fixture
def window(qtbot, tmp_path):
    window = MainWindow(Settings(path=tmp_path / "settings.json"), RecoveryStore(tmp_path / "r"))
    qtbot.addWidget(window)
    window.show_start_page()
    window.show()
    return window


def guide_action(window: MainWindow):
    menu = window.menuBar().findChild(QMenu, "menuHelp")
    return next(a for a in menu.actions() if a.objectName() == "actionGuide")


def test_guide_opens_from_the_help_menu_and_escape_closes_it(qtbot, window):
    action = guide_action(window)
    assert action.text().startswith("使い方")
    assert window.findChild(GuideWindow) is None  # nothing is built before it is asked for
    action.trigger()
    guide = window.findChild(GuideWindow)
    assert guide is not None and guide.isVisible()
    action.trigger()  # asking again brings the same window forward
    assert len(window.findChildren(GuideWindow)) == 1
    with qtbot.waitSignal(guide.destroyed, timeout=2000):
        qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
    assert window.findChild(GuideWindow) is None
    assert window.isEnabled()


def test_f1_opens_the_guide(qtbot, window):
    assert guide_action(window).shortcut().toString() == "F1"


def test_guide_quotes_only_the_verbatim_sentence_of_the_sources():
    quote = json.loads(SOURCES.read_text(encoding="utf-8"))["quotes"]["timing_definition"]
    text = guide_markdown()
    assert f"{quote['document']}「{quote['text']}」" in text
    assert "{{" not in text  # every placeholder was filled
    # Nothing else is put in the mouth of an official document.
    cited = re.findall(r"(記載要領|指針|規則)「([^」]*)」", text)
    assert cited == [(quote["document"], quote["text"])]


def test_guide_explains_the_yearly_work_and_the_first_use(qtbot, window):
    guide_action(window).trigger()
    shown = window.findChild(GuideWindow).browser.toPlainText()
    steps = [
        "新しい改訂を開始",
        "変更後",
        "提出時期",
        "提出前チェック",
        "Wordで出力",
        "提出済みにする",
    ]
    positions = [shown.index(step) for step in steps]
    assert positions == sorted(positions)  # in the order of the year's work
    assert "PIA Desk の判断基準" in shown
    for level in ("高", "中", "低"):
        assert re.search(rf"^{level}\s*―", shown, re.MULTILINE), level
    first_use = shown[shown.index("初めて使うとき") :]
    assert first_use.index("評価書の取り込み") < first_use.index("現在の記載を基準にする")
    assert "import-assessment" in first_use


def test_guide_has_no_links_out(qtbot, window):
    guide_action(window).trigger()
    guide = window.findChild(GuideWindow)
    assert not guide.browser.openLinks() and not guide.browser.openExternalLinks()
    assert "http" not in guide_markdown()


def test_guide_fits_a_small_screen(qtbot, window):
    guide_action(window).trigger()
    guide = window.findChild(GuideWindow)
    room = guide.screen().availableGeometry()
    assert guide.width() <= room.width() and guide.height() <= room.height()

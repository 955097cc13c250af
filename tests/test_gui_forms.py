"""Every Designer form loads and holds the objects the code looks up (no drift)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QApplication

from pia_desk.gui.ui_loader import FORMS, UiFormError, load_ui, missing_objects
from pia_desk.paths import UI_DIR

MY_FORMS = sorted(
    p.name for p in UI_DIR.glob("*.ui") if not re.match(r"(export|import|check|replace)_", p.name)
)


def test_every_form_of_mine_is_registered():
    assert sorted(FORMS) == MY_FORMS


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_loads_with_the_names_the_code_uses(qapp: QApplication, name: str):
    widget = load_ui(name)
    assert missing_objects(widget, FORMS[name]) == []


def test_missing_object_is_reported(qapp: QApplication, monkeypatch):
    monkeypatch.setitem(FORMS, "find_bar.ui", ("findEdit", "noSuchButton"))
    with pytest.raises(UiFormError, match="noSuchButton"):
        load_ui("find_bar.ui")


def test_menus_carry_the_official_shortcuts(qapp: QApplication):
    window = load_ui("main_window.ui")
    expected = {
        "actionNew": "Ctrl+N",
        "actionOpen": "Ctrl+O",
        "actionSave": "Ctrl+S",
        "actionSaveAs": "Ctrl+Shift+S",
        "actionUndo": "Ctrl+Z",
        "actionRedo": "Ctrl+Y",
        "actionFind": "Ctrl+F",
        "actionReplace": "Ctrl+H",
        "actionPrintPreview": "Ctrl+P",
    }
    from PySide6.QtGui import QAction

    for name, keys in expected.items():
        assert window.findChild(QAction, name).shortcut().toString() == keys
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["ファイル(&F)", "編集(&E)", "改訂(&R)", "項目(&I)"]

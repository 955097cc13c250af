"""Every Designer form loads and holds the objects the code looks up (no drift)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from pia_desk.gui.ui_loader import FORMS, UiFormError, embed_form, load_ui, missing_objects
from pia_desk.paths import UI_DIR


def test_every_form_is_registered():
    assert sorted(FORMS) == sorted(p.name for p in UI_DIR.glob("*.ui"))


def test_embedded_form_fills_its_host(qapp: QApplication):
    host = QWidget()
    form = embed_form(host, "import_dialog.ui")
    layout = host.layout()
    assert layout.indexOf(form) == 0 and layout.contentsMargins().left() == 0
    assert form.findChild(QWidget, "previewTable") is not None


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
        "actionPrint": "Ctrl+P",
        "actionPrintPreview": "Ctrl+Shift+P",
        "actionDelete": "Del",
        "actionCut": "Ctrl+X",
        "actionCopy": "Ctrl+C",
        "actionPaste": "Ctrl+V",
        "actionSelectAll": "Ctrl+A",
        "actionZoomIn": "Ctrl++",
        "actionZoomOut": "Ctrl+-",
        "actionZoomReset": "Ctrl+0",
    }
    from PySide6.QtGui import QAction

    for name, keys in expected.items():
        assert window.findChild(QAction, name).shortcut().toString() == keys
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["ファイル(&F)", "編集(&E)", "表示(&V)", "改訂(&R)", "項目(&I)", "ヘルプ(&H)"]


def test_actions_table_and_form_hold_the_same_actions(qapp: QApplication):
    """Each action is listed once (gui/actions.py) and defined once (main_window.ui)."""
    from PySide6.QtGui import QAction

    from pia_desk.gui.actions import ACTIONS, PROJECT_ACTIONS, WRITE_ACTIONS
    from pia_desk.gui.main_window import MainWindow

    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))
    form = load_ui("main_window.ui")
    defined = {a.objectName() for a in form.findChildren(QAction)}
    assert {n for n in defined if n.startswith("action")} == set(names)
    assert not set(WRITE_ACTIONS) & set(PROJECT_ACTIONS)
    assert all(callable(getattr(MainWindow, a.slot, None)) for a in ACTIONS)

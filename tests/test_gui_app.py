"""Start-up: Qt's own dialogs and buttons speak Japanese when Qt's translations exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel

from pia_desk.gui import app as app_module


def qt_translation_present() -> bool:
    return any((f / "qtbase_ja.qm").is_file() for f in app_module.translation_folders())


@pytest.fixture
def no_translator(qapp):
    """The test's QApplication made without PIA Desk's start-up; restored afterwards."""
    yield qapp
    found = qapp.findChild(app_module.QTranslator, app_module.QT_TRANSLATOR_NAME)
    if found is not None:
        for fallback in found.findChildren(app_module.MnemonicFallback):
            qapp.removeTranslator(fallback)
        qapp.removeTranslator(found)
        found.setParent(None)


def test_qt_translation_ships_with_the_wheel(qapp) -> None:
    assert qt_translation_present()


def test_standard_dialogs_are_japanese_even_on_an_existing_application(no_translator) -> None:
    assert app_module.application() is no_translator
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "キャンセル"
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"
    assert QCoreApplication.translate("QFileDialog", "Files of type:") != "Files of type:"
    dialog = QFileDialog(None, "保存")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}
    # Qt 6.11 says "&Look in:" where qtbase_ja translates "Look in:".
    assert not [t for t in labels.values() if t.isascii()], labels
    assert labels["fileTypeLabel"].endswith("(&T):")
    first = app_module.install_translations(no_translator)
    assert first is app_module.install_translations(no_translator)  # installed once


def test_missing_translations_leave_english(no_translator, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "translation_folders", lambda: [tmp_path])
    assert app_module.install_translations(QApplication.instance()) is None
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"

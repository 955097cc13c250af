"""Start of the editor: `pia-desk [PROJECT] [--sample]` ends up in `run_gui`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

import PySide6
from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pia_desk import __version__
from pia_desk.gui.main_window import APP_NAME, MainWindow
from pia_desk.gui.settings import Settings
from pia_desk.paths import resource_path
from pia_desk.storage.recovery import RecoveryStore

QT_TRANSLATION = "qtbase_ja"
QT_TRANSLATOR_NAME = "qtbaseJapanese"


class GuiArgs(Protocol):
    project: str | None
    sample: bool


def application() -> QApplication:
    """The QApplication (created once), with Japanese standard dialogs."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
        app.setOrganizationName(APP_NAME)
        icon = resource_path("icons", "app.png")  # the packaging icon
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    install_translations(app)
    return app


def translation_folders() -> list[Path]:
    """Where Qt's own translations may be: Qt's configured folder, else the wheel's."""
    package = Path(PySide6.__file__).parent
    return [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        package / "Qt" / "translations",
        package / "translations",
    ]


class MnemonicFallback(QTranslator):
    """Qt strings that gained a shortcut letter ("&Look in:") after qtbase_ja was
    translated ("Look in:"): the translation of the plain text with 「(&L)」 added,
    as Japanese labels write it. Consulted only when qtbase_ja has no translation."""

    def __init__(self, base: QTranslator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.base = base

    def isEmpty(self) -> bool:
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null string) means "no translation": an empty string would be taken as
        # the translation and blank out every text of ours, e.g. the .ui forms' headers.
        at = source.find("&")
        if at < 0 or at + 1 >= len(source) or not source[at + 1].isalnum():
            return None
        text = self.base.translate(context, source[:at] + source[at + 1 :], disambiguation, n)
        if not text:
            return None
        mark = f"(&{source[at + 1].upper()})"
        return f"{text[:-1]}{mark}{text[-1]}" if text.endswith((":", "：")) else text + mark


def install_translations(app: QApplication) -> QTranslator | None:
    """Qt's own dialogs and buttons in Japanese (qtbase_ja.qm), once, when present.

    Without it QFileDialog says "Look in:" and "Files of type:". Returns the
    translator installed (None when no translation file is found).
    """
    installed = app.findChild(QTranslator, QT_TRANSLATOR_NAME)
    if installed is not None:
        return installed
    for folder in translation_folders():
        translator = QTranslator(app)
        if translator.load(QT_TRANSLATION, str(folder)):
            translator.setObjectName(QT_TRANSLATOR_NAME)
            # Installed first, so asked last: only for what qtbase_ja lacks.
            app.installTranslator(MnemonicFallback(translator, translator))
            app.installTranslator(translator)
            return translator
        translator.deleteLater()
    return None


def create_main_window(
    project: str | Path | None = None,
    *,
    sample: bool = False,
    settings: Settings | None = None,
    recovery: RecoveryStore | None = None,
) -> MainWindow:
    """A main window with `project` (or the bundled sample) open, else the start screen."""
    application()
    window = MainWindow(settings, recovery)
    if sample:
        window.open_sample()
    elif project is not None:
        window.open_path(Path(project))
    if window.session is None:
        window.show_start_page()
    return window


def run_gui(args: GuiArgs) -> int:
    app = application()
    window = create_main_window(args.project, sample=bool(args.sample))
    window.show()
    if window.session is None:
        window.offer_untitled_recovery()
    return int(app.exec())

"""Start of the editor: `pia-desk [PROJECT] [--sample]` ends up in `run_gui`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from pia_desk import __version__
from pia_desk.gui.main_window import APP_NAME, MainWindow
from pia_desk.gui.recovery import RecoveryStore
from pia_desk.gui.settings import Settings
from pia_desk.paths import resource_path


class GuiArgs(Protocol):
    project: str | None
    sample: bool


def application() -> QApplication:
    """The QApplication (created once), with Japanese standard dialogs."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    icon = resource_path("icons", "app.png")  # the packaging icon
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Japanese), "qtbase", "_", folder):
        app.installTranslator(translator)
    return app


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

"""What the frozen PIA Desk bundle leaves out: Qt modules, libraries, plugins, translations.

Imported by `pia_desk.spec` (and by the packaging tests), so the rules are plain data
plus small predicates over PyInstaller TOC destination names such as
``PySide6/Qt/lib/libQt6Network.so.6`` or ``PySide6\\Qt6Network.dll``.

Plain ``excludes`` drop Python modules only; shared libraries that another collected
library links against are still pulled in (pyinstaller#5503, #8672), hence the
binary filter. Libraries that a kept library links against must stay: QtUiTools links
Qt6OpenGL/Qt6OpenGLWidgets, and on Linux Qt6Gui links Qt6DBus.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

# Python modules the app never imports (see `grep -rh "from PySide6" pia_desk`).
EXCLUDED_MODULES = (
    "tkinter",
    "_tkinter",
    # No network: no TLS. Without _hashlib (OpenSSL), hashlib uses its built-in SHA-2.
    "ssl",
    "_ssl",
    "_hashlib",
    "lxml.objectify",
    "lxml.isoschematron",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtSql",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtTest",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtStateMachine",
    "PySide6.QtNetworkAuth",
)

# Qt modules the app uses; QtPrintSupport is listed because printing imports it lazily.
QT_HIDDEN_IMPORTS = (
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtUiTools",
)

# Shared libraries (base names, any platform spelling) nothing we keep links against.
_DROPPED_LIBRARIES = re.compile(
    r"""^(lib)?Qt6(
        Network | Qml\w* | Quick\w* | Sql | Pdf\w* | VirtualKeyboard\w* | Labs\w*
        | Test | Designer\w* | Help | Lottie\w* | WaylandCompositor\w* | StateMachine\w*
        | ShaderTools | Svg\w* | EglFS\w*
    )\.(dll|so(\.\d+)*|dylib)$""",
    re.VERBOSE | re.IGNORECASE,
)
# Software OpenGL (20 MB): a widgets-only app never needs it.
_DROPPED_WINDOWS_FILES = {"opengl32sw.dll", "qt6dbus.dll"}
# Plugin folders whose plugins only serve dropped modules (or link Qt6Network).
_DROPPED_PLUGIN_DIRS = {
    "qmltooling",
    "qmllint",
    "networkinformation",
    "tls",
    "sqldrivers",
    "designer",
    "egldeviceintegrations",
    "vectorimageformats",
    "wayland-graphics-integration-server",
}
# Single plugins linking a dropped library: qvnc and qtuiotouchplugin (Qt6Network),
# qpdf (Qt6Pdf), qsvg/qsvgicon and the adwaita Wayland decoration (Qt6Svg).
_DROPPED_PLUGINS = re.compile(
    r"^(lib)?(q(vnc|eglfs|minimalegl|pdf|svg|svgicon)|qtuiotouchplugin|adwaita)\.(dll|so|dylib)$",
    re.IGNORECASE,
)
KEPT_TRANSLATION = re.compile(r"_ja\.qm$", re.IGNORECASE)


def is_code_module(name: str) -> bool:
    """pia_desk's modules, but not its data folders (bundled as data files instead)."""
    return name.split(".")[:2] not in (["pia_desk", "resources"], ["pia_desk", "ui"])


def _parts(dest: str) -> list[str]:
    return re.split(r"[\\/]+", dest)


def is_dropped_library(name: str, windows: bool | None = None) -> bool:
    """True for a shared library (base name) the bundle must not contain."""
    windows = sys.platform == "win32" if windows is None else windows
    if windows and name.lower() in _DROPPED_WINDOWS_FILES:
        return True
    return bool(_DROPPED_LIBRARIES.match(name))


def keep_binary(dest: str, windows: bool | None = None) -> bool:
    """Whether a collected binary (TOC destination name) goes into the bundle."""
    parts = _parts(dest)
    if "plugins" in parts:
        folder = (
            parts[parts.index("plugins") + 1] if len(parts) > parts.index("plugins") + 1 else ""
        )
        if folder in _DROPPED_PLUGIN_DIRS or _DROPPED_PLUGINS.match(parts[-1]):
            return False
    return not is_dropped_library(parts[-1], windows)


def keep_data(dest: str) -> bool:
    """Whether a collected data file goes into the bundle: Qt translations only in Japanese."""
    parts = _parts(dest)
    if "translations" in parts and parts[-1].lower().endswith(".qm") and "PySide6" in parts:
        return bool(KEPT_TRANSLATION.search(parts[-1]))
    # PyInstaller also lists top-level symlinks to libraries (libQt6Network.so.6 -> …).
    return keep_binary(dest)


def dangling_links(
    kept: Iterable[tuple[str, Iterable[str]]], windows: bool | None = None
) -> list[tuple[str, str]]:
    """(binary, library) pairs where a kept binary links a library the filter dropped."""
    return [
        (dest, name)
        for dest, imports in kept
        for name in imports
        if is_dropped_library(name.rsplit("/", 1)[-1], windows)
    ]

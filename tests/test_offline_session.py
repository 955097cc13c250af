"""PIA Desk never touches the network: LGWAN terminals have none, and must see no attempt.

A whole editing session (open the sample in the main window, type, save, export the
（別添２）変更箇所 table to .docx) runs with socket creation made to fail, and the
package source is checked for network client imports.
"""

from __future__ import annotations

import ast
import shutil
import socket
import sys
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from pia_desk.export.docx_writer import DocxOptions, write_docx
from pia_desk.export.table import build_table
from pia_desk.gui import dialogs
from pia_desk.gui.app import create_main_window
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project

PACKAGE = Path(__file__).resolve().parent.parent / "pia_desk"
NODE = "I.1.2"  # 事務の内容 of the sample's 重点項目評価書
ADDED = "（令和８年度から電子申請に対応）"

# Modules that open connections (or hand a URL to a program that does).
NETWORK_MODULES = (
    "socket", "ssl", "socketserver", "asyncio", "selectors", "http", "urllib.request",
    "urllib3", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "poplib", "imaplib",
    "telnetlib", "nntplib", "xmlrpc", "webbrowser", "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets",
    "PySide6.QtHttpServer", "PySide6.QtRemoteObjects",
)  # fmt: skip
ALLOWED: set[tuple[str, str]] = set()  # (module file, imported name): none


class NetworkAttempt(OSError):
    pass


@pytest.fixture
def attempts(monkeypatch) -> list[str]:
    """Socket creation, connecting and name lookup raise and are recorded."""
    recorded: list[str] = []

    def refuse(name: str):
        def guard(*args, **kwargs):
            recorded.append(f"{name}{args!r}")
            raise NetworkAttempt(f"network access attempted: {name}")

        return guard

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    return recorded


def _type(widget, commit: str) -> None:
    QApplication.sendEvent(widget, QInputMethodEvent("にゅうりょく", []))
    event = QInputMethodEvent()
    event.setCommitString(commit)
    QApplication.sendEvent(widget, event)


def test_full_session_makes_no_connection(qtbot, monkeypatch, tmp_path, attempts):
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    messages: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text: messages.append(text))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text: messages.append(text))
    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: messages.append(str(a)))
    project_path = tmp_path / "サンプル.piadesk"
    shutil.copyfile(sample_project_path(), project_path)

    window = create_main_window(project_path)
    qtbot.addWidget(window)
    window.show()
    before = window.project.value(NODE).text
    window.select_node(NODE)
    pane = window.compare.after_edit
    pane.setFocus()
    pane.moveCursor(pane.textCursor().MoveOperation.End)
    _type(pane, ADDED)
    assert window.project.value(NODE).text == before + ADDED
    assert window.save()
    output = tmp_path / "変更箇所.docx"
    write_docx(build_table(window.project), output, DocxOptions())
    assert window.close_project()

    saved = load_project(project_path).project
    assert saved.value(NODE).text == before + ADDED
    document_text = "\n".join(
        cell.text
        for table in Document(str(output)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert ADDED in document_text
    assert messages == []
    assert attempts == []
    assert "PySide6.QtNetwork" not in sys.modules


def test_the_guard_catches_a_connection(attempts):
    """The session test above would notice an attempt: the guard does record one."""
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.invalid", 80))
    assert attempts and attempts[0].startswith("create_connection")


# socket functions that only ask the local system (storage/lock.py records the host name).
LOCAL_SOCKET_FUNCTIONS = {"gethostname"}


def _imported_names(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _socket_uses(tree: ast.AST) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "socket"
    }


def _is_network(name: str, tree: ast.AST) -> bool:
    if name == "socket" and _socket_uses(tree) <= LOCAL_SOCKET_FUNCTIONS:
        return False
    if name.removeprefix("socket.") in LOCAL_SOCKET_FUNCTIONS:
        return False
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def network_imports(source: str, file: str) -> list[tuple[str, str]]:
    tree = ast.parse(source)
    found = [(file, n) for n in _imported_names(tree) if _is_network(n, tree)]
    return [hit for hit in found if hit not in ALLOWED]


def test_package_source_has_no_network_client_imports():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20
    hits = [
        hit
        for path in files
        for hit in network_imports(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert hits == []


@pytest.mark.parametrize(
    "source",
    [
        "import socket\nsocket.create_connection(('h', 80))",
        "import socket\nsocket.gethostname()\nsocket.socket()",
        "from socket import create_connection",
        "from urllib.request import urlopen",
        "import http.client",
        "from PySide6 import QtNetwork",
        "from PySide6.QtNetwork import QNetworkAccessManager",
        "def f():\n    import requests",
    ],
)
def test_static_check_finds_network_imports(source):
    assert network_imports(source, "x.py")


def test_static_check_ignores_harmless_imports():
    assert (
        network_imports("import urllib.parse\nfrom PySide6.QtWidgets import QWidget", "x.py") == []
    )

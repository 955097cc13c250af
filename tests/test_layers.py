"""Imports point down only: domain < storage < export/importing < cli/gui (architecture).

export/ (writers) and importing/ (readers of old tables) stand side by side: what both
need (the table's headers and split marks, how an entry is quoted) lives in the domain.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pia_desk"

FORBIDDEN = {
    "domain": (
        "PySide6",
        "lxml",
        "docx",
        "openpyxl",
        "pia_desk.storage",
        "pia_desk.export",
        "pia_desk.importing",
        "pia_desk.gui",
        "pia_desk.cli",
    ),
    "storage": ("PySide6", "pia_desk.gui", "pia_desk.cli", "pia_desk.export", "pia_desk.importing"),
    "export": ("pia_desk.gui", "pia_desk.cli", "pia_desk.importing"),
    "importing": ("PySide6", "pia_desk.gui", "pia_desk.cli", "pia_desk.export"),
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_above_it(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for name in imported_modules(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_every_package_has_its_layer_rule() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"gui", "cli"} == set(FORBIDDEN)


def test_export_uses_qt_only_for_printing() -> None:
    qt_users = [
        p.name
        for p in sorted((PACKAGE / "export").glob("*.py"))
        if any(n.startswith("PySide6") for n in imported_modules(p))
    ]
    assert qt_users == []


# Opening, locking and saving a project go through storage's ProjectSession, so that
# the editor and every command share one lock policy and one compare-before-replace save.
SESSION_ONLY = {
    "pia_desk.storage.lock": None,  # the whole module
    "pia_desk.storage.project_file": {"save_project", "ABSENT"},
    "pia_desk.storage.safe_xml": {"read_limited"},
}


def imported_names(path: Path) -> set[tuple[str, str]]:
    """(module, name) of every `from module import name`, and (module, "") of `import m`."""
    pairs: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            pairs.update((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            pairs.update((node.module, alias.name) for alias in node.names)
            pairs.update((f"{node.module}.{alias.name}", "") for alias in node.names)
    return pairs


@pytest.mark.parametrize("layer", ["cli", "gui"])
def test_cli_and_gui_reach_project_files_only_through_the_session(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for module, name in imported_names(path):
            if module not in SESSION_ONLY:
                continue
            names = SESSION_ONLY[module]
            if names is None or name in names:
                offenders.append(f"{path.name}: {module} {name}".strip())
    assert offenders == []


def test_the_session_rule_sees_a_direct_import(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "from pia_desk.storage.project_file import save_project\n"
        "from pia_desk.storage import lock\n",
        encoding="utf-8",
    )
    pairs = imported_names(source)
    assert ("pia_desk.storage.project_file", "save_project") in pairs
    assert ("pia_desk.storage.lock", "") in pairs

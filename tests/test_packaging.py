"""Packaging rules that need no build: what the bundle drops, version resource, icon,
offline wheelhouse pins, and the Windows install/uninstall scripts."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
import struct
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImage

import pia_desk

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
WINDOWS = PACKAGING / "windows"


def load(name: str) -> ModuleType:
    """A module of packaging/ (not importable as `packaging`, the PyPI project's name)."""
    spec = importlib.util.spec_from_file_location(f"pia_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bundle_filter = load("bundle_filter")
version_info = load("version_info")
make_wheelhouse = load("make_wheelhouse")


# -- what the bundle leaves out ----------------------------------------------------------
def _app_qt_modules() -> set[str]:
    found = set()
    for path in (REPO / "pia_desk").rglob("*.py"):
        found |= set(re.findall(r"from (PySide6\.Qt\w+) import", path.read_text(encoding="utf-8")))
    return found


def test_no_qt_module_the_app_imports_is_excluded():
    used = _app_qt_modules()
    assert {"PySide6.QtCore", "PySide6.QtWidgets", "PySide6.QtUiTools"} <= used
    assert used.isdisjoint(bundle_filter.EXCLUDED_MODULES)
    assert used <= set(bundle_filter.QT_HIDDEN_IMPORTS)


@pytest.mark.parametrize(
    ("dest", "windows"),
    [
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("libQt6Network.so.6", False),  # PyInstaller's top-level symlink
        ("PySide6/Qt/lib/libQt6QmlModels.so.6", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6\\Qt6Sql.dll", True),
        ("PySide6\\opengl32sw.dll", True),
        ("PySide6\\Qt6DBus.dll", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6\\plugins\\tls\\qschannelbackend.dll", True),
        ("PySide6\\plugins\\sqldrivers\\qsqlite.dll", True),
    ],
)
def test_unused_qt_libraries_and_plugins_are_dropped(dest, windows):
    assert not bundle_filter.keep_binary(dest, windows)


@pytest.mark.parametrize(
    ("dest", "windows"),
    [
        ("PySide6/Qt/lib/libQt6Core.so.6", False),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", False),
        ("PySide6/Qt/lib/libQt6UiTools.so.6", False),
        ("PySide6/Qt/lib/libQt6OpenGL.so.6", False),  # QtUiTools links it
        ("PySide6/Qt/lib/libQt6DBus.so.6", False),  # Qt6Gui links it on Linux
        ("PySide6\\Qt6Widgets.dll", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", False),
    ],
)
def test_libraries_the_app_needs_are_kept(dest, windows):
    assert bundle_filter.keep_binary(dest, windows)


def test_only_japanese_qt_translations_are_kept():
    assert bundle_filter.keep_data("PySide6/Qt/translations/qtbase_ja.qm")
    assert bundle_filter.keep_data("PySide6\\translations\\qt_ja.qm")
    assert not bundle_filter.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle_filter.keep_data("PySide6\\translations\\qt_zh_CN.qm")
    assert bundle_filter.keep_data("pia_desk/resources/templates/juten.json")


def test_a_dropped_library_that_is_still_linked_is_reported():
    kept = [
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", ["libQt6Network.so.6", "libc.so.6"]),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", ["libQt6Gui.so.6"]),
    ]
    assert bundle_filter.dangling_links(kept, windows=False) == [
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", "libQt6Network.so.6")
    ]


def test_data_folders_are_not_collected_as_modules():
    assert bundle_filter.is_code_module("pia_desk.cli.export_cmd")
    assert bundle_filter.is_code_module("pia_desk.gui.app")
    assert not bundle_filter.is_code_module("pia_desk.resources")
    assert not bundle_filter.is_code_module("pia_desk.ui")


def test_spec_uses_the_filters_and_no_upx():
    spec = (PACKAGING / "pia_desk.spec").read_text(encoding="utf-8")
    assert "a.binaries = [entry for entry in a.binaries if bundle_filter.keep_binary" in spec
    assert "a.datas = [entry for entry in a.datas if bundle_filter.keep_data" in spec
    assert "upx=True" not in spec
    assert spec.count("upx=False") == 2  # the executables' shared EXE call and COLLECT
    assert 'GUI_NAME = "PIA Desk" if WINDOWS' in spec
    ast.parse(spec)


# -- Windows version resource ------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1+g1a2b", (2, 0, 0, 0))],
)
def test_windows_version_numbers(version, numbers):
    assert version_info.version_numbers(version) == numbers


def _string_table(text: str) -> dict[str, str]:
    tree = ast.parse(text, mode="eval")
    return {
        node.args[0].value: node.args[1].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "StringStruct"
    }


def test_version_resource_names_the_product_and_package_version():
    text = version_info.fill(pia_desk.__version__, "pia-desk", "PIA Desk コマンドライン")
    table = _string_table(text)
    assert table["ProductName"] == "PIA Desk"
    assert table["ProductVersion"] == table["FileVersion"] == pia_desk.__version__
    assert table["OriginalFilename"] == "pia-desk.exe"
    assert table["FileDescription"] == "PIA Desk コマンドライン"
    numbers = repr(version_info.version_numbers(pia_desk.__version__))
    assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
    assert "$" not in text


# -- application icon --------------------------------------------------------------------
def test_png_icon_is_square_and_opaque_in_the_middle():
    image = QImage(str(REPO / "resources" / "icons" / "app.png"))
    assert (image.width(), image.height()) == (256, 256)
    assert image.pixelColor(128, 128).alpha() == 255
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corner


def test_ico_holds_the_sizes_windows_asks_for():
    data = (REPO / "resources" / "icons" / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        image = QImage.fromData(data[offset : offset + length], "PNG")
        side = width or 256
        assert (image.width(), image.height()) == (side, side)
        sizes.append(side)
    assert {16, 32, 48, 256} <= set(sizes)


# -- offline wheelhouse ------------------------------------------------------------------
def _wheel(folder: Path, name: str, payload: bytes = b"x") -> Path:
    path = folder / name
    path.write_bytes(payload + name.encode())
    return path


@pytest.mark.parametrize(
    ("filename", "python", "expected"),
    [
        ("lxml-6.1.3-cp312-cp312-win_amd64.whl", "3.12", True),
        ("lxml-6.1.3-cp312-cp312-win_amd64.whl", "3.13", False),
        ("pyside6_essentials-6.11.3-cp310-abi3-win_amd64.whl", "3.13", True),
        ("shiboken6-6.11.3-cp314-abi3-win_amd64.whl", "3.13", False),
        ("openpyxl-3.1.5-py2.py3-none-any.whl", "3.11", True),
    ],
)
def test_wheel_tags_decide_the_python_versions(filename, python, expected):
    assert make_wheelhouse.Wheel.parse(Path(filename)).supports(python) is expected


def test_requirements_pin_every_wheel_with_its_hashes(tmp_path):
    paths = [
        _wheel(tmp_path, "lxml-6.1.3-cp311-cp311-win_amd64.whl"),
        _wheel(tmp_path, "lxml-6.1.3-cp312-cp312-win_amd64.whl"),
        _wheel(tmp_path, "PySide6_Essentials-6.11.3-cp310-abi3-win_amd64.whl"),
        _wheel(tmp_path, "pia_desk-0.1.0-py3-none-any.whl"),
    ]
    text = make_wheelhouse.requirements_text(tmp_path, ("3.11", "3.12"), "test")
    for path in paths:
        assert f"--hash=sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}" in text
    lines = [line for line in text.splitlines() if not line.startswith(("#", " "))]
    assert lines == ["lxml==6.1.3 \\", "pia-desk==0.1.0 \\", "pyside6-essentials==6.11.3 \\"]


def test_versions_that_differ_by_python_get_markers(tmp_path):
    _wheel(tmp_path, "numpyish-1.0-cp311-cp311-win_amd64.whl")
    _wheel(tmp_path, "numpyish-2.0-cp313-cp313-win_amd64.whl")
    text = make_wheelhouse.requirements_text(tmp_path, ("3.11", "3.13"), "test")
    assert 'numpyish==1.0 ; python_version == "3.11"' in text
    assert 'numpyish==2.0 ; python_version == "3.13"' in text


def test_a_python_without_a_wheel_stops_with_a_message(tmp_path):
    _wheel(tmp_path, "lxml-6.1.3-cp311-cp311-win_amd64.whl")
    with pytest.raises(SystemExit, match=re.escape("lxml に Python 3.13 用の wheel がありません")):
        make_wheelhouse.requirements_text(tmp_path, ("3.11", "3.13"), "test")


def test_download_is_binary_only_for_the_target_platform_and_python():
    args = make_wheelhouse.download_args(Path("wh"), "win_amd64", "3.12")
    assert args[0] == "download"
    assert "--only-binary=:all:" in args
    for option, value in (("--platform", "win_amd64"), ("--python-version", "3.12")):
        assert args[args.index(option) + 1] == value
    assert args[args.index("--implementation") + 1] == "cp"
    assert make_wheelhouse.PYTHON_VERSIONS == ("3.11", "3.12", "3.13")


def test_the_windows_scripts_go_next_to_the_program(tmp_path):
    make_wheelhouse.copy_windows_scripts(tmp_path)
    copied = sorted(p.name for p in tmp_path.iterdir())
    assert copied == sorted(p.name for p in WINDOWS.iterdir() if p.suffix in (".bat", ".ps1"))
    assert (tmp_path / "install.ps1").read_bytes() == (WINDOWS / "install.ps1").read_bytes()


# -- Windows install / uninstall scripts -------------------------------------------------
def _ps1(name: str) -> str:
    data = (WINDOWS / name).read_bytes()
    # Windows PowerShell 5.1 reads a .ps1 without BOM as ANSI (cp932): Japanese breaks.
    assert data.startswith(b"\xef\xbb\xbf"), f"{name} needs a UTF-8 BOM"
    return data[3:].decode("utf-8")


def _code(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_install_uses_only_the_wheelhouse_and_a_per_user_venv():
    code = _code(_ps1("install.ps1"))
    pip_line = next(line for line in code.splitlines() if "-m pip install" in line)
    for flag in ("--no-index", "--find-links $Wheelhouse", "--require-hashes", "-r $requirements"):
        assert flag in pip_line
    assert 'Join-Path $env:LOCALAPPDATA "PIA Desk"' in code
    assert 'Join-Path $AppDir "venv"' in code
    assert "-m venv" in code


def test_program_output_does_not_leak_into_function_results():
    code = _code(_ps1("install.ps1"))
    runs = [
        line.strip() for line in code.splitlines() if re.match(r"\s*& \$(base|venvPython) ", line)
    ]
    assert len(runs) == 2
    assert all(line.endswith("| Out-Host") for line in runs)


def test_install_needs_no_administrator_and_no_network():
    code = _code(_ps1("install.ps1"))
    for forbidden in ("RunAs", "http://", "https://", "Invoke-WebRequest", "Net.WebClient", "HKLM"):
        assert forbidden not in code
    assert "InstallAllUsers=0" in code  # a bundled python.org installer, for this user only
    assert "WindowsApps" in code  # skips the Microsoft Store's python.exe alias


def test_install_creates_start_menu_and_desktop_shortcuts():
    code = _code(_ps1("install.ps1"))
    assert "New-Object -ComObject WScript.Shell" in code
    assert ".CreateShortcut(" in code
    assert 'New-Shortcut ([Environment]::GetFolderPath("Programs"))' in code
    assert 'New-Shortcut ([Environment]::GetFolderPath("Desktop"))' in code
    assert "pythonw.exe" in code  # the editor starts without a console window
    assert 'Arguments = "-P -m pia_desk"' in code


def test_uninstall_removes_program_and_shortcuts_but_no_user_files():
    code = _code(_ps1("uninstall.ps1"))
    assert '$ProgramFolders = @("venv", "app", "python")' in code
    assert 'Join-Path $folder "PIA Desk.lnk"' in code
    removed = re.findall(r"Remove-Item -LiteralPath (\$\w+)", code)
    assert sorted(removed) == ["$link", "$path"]
    assert "piadesk" not in code.lower()
    assert "MyDocuments" not in code


@pytest.mark.parametrize("name", ["install.ps1", "uninstall.ps1"])
def test_powershell_brackets_balance(name):
    code = re.sub(r'"(?:`.|[^"`])*"', '""', _code(_ps1(name)))  # drop double-quoted strings
    for opening, closing in ("{}", "()", "[]"):
        assert code.count(opening) == code.count(closing), (name, opening)


@pytest.mark.parametrize("name", ["install.bat", "uninstall.bat"])
def test_bat_wrappers_bypass_the_policy_for_this_run_only(name):
    data = (WINDOWS / name).read_bytes()
    data.decode("ascii")  # cmd.exe reads batch files in the OEM code page
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    script = name.replace(".bat", ".ps1")
    assert f'-ExecutionPolicy Bypass -File "%~dp0{script}" %*'.encode() in data

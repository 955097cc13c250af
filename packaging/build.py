"""Build the one-folder PIA Desk bundle from a clean venv and print its size.

    python packaging/build.py                       # new venv, pip-installs . and PyInstaller
    python packaging/build.py --venv .venv          # reuse a venv that has PyInstaller
    python packaging/build.py --find-links dist/offline/wheelhouse \
        --find-links dist/offline/build-tools     # offline: from make_wheelhouse.py's folders

The same spec builds on Windows (PIA Desk/PIA Desk.exe + pia-desk.exe, with install.bat
and friends next to the folder: copy dist's contents to the medium) and on Linux
(pia-desk/pia-desk-gui + pia-desk), so CI can test it. PyInstaller's work files go to
a temporary folder that is removed afterwards, and --noconfirm replaces an earlier
build, so running the build twice is safe.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from make_wheelhouse import copy_windows_scripts  # packaging/ is sys.path[0]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SPEC = HERE / "pia_desk.spec"
FOLDER_NAME = "PIA Desk" if sys.platform == "win32" else "pia-desk"


def venv_python(folder: Path) -> Path:
    """The interpreter of a venv (or of a plain prefix such as /usr, as python3)."""
    if sys.platform == "win32":
        return folder / "Scripts" / "python.exe"
    plain = folder / "bin" / "python"
    return plain if plain.exists() else folder / "bin" / "python3"


def pip_source_args(find_links: list[Path]) -> list[str]:
    """pip options for installing offline from wheel folders, or from the index."""
    return (
        ["--no-index", *(f"--find-links={folder}" for folder in find_links)] if find_links else []
    )


def create_venv(folder: Path, find_links: list[Path]) -> Path:
    """A fresh venv with the project (not editable: as a wheel would) and PyInstaller."""
    print(f"仮想環境を作成しています: {folder}", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = venv_python(folder)
    install = [str(python), "-m", "pip", "install", "--quiet", *pip_source_args(find_links)]
    subprocess.run([*install, f"{REPO}[packaging]"], check=True)
    return python


def run_pyinstaller(python: Path, dist: Path, work: Path) -> None:
    """Run the spec; cwd is the work folder so the source tree does not shadow the install."""
    command = [
        str(python), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / "build"), str(SPEC),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=work)


def folder_size(folder: Path) -> int:
    """Bytes of all regular files below folder (symlinks are not counted twice)."""
    return sum(
        (Path(root) / name).lstat().st_size
        for root, _dirs, files in os.walk(folder)
        for name in files
        if not (Path(root) / name).is_symlink()
    )


def build(dist: Path, venv_dir: Path | None, find_links: list[Path]) -> Path:
    """Build the bundle into dist and return its folder."""
    with tempfile.TemporaryDirectory(prefix="pia-desk-build-") as tmp:
        work = Path(tmp)
        if venv_dir is None:
            python = create_venv(work / "venv", find_links)
        else:
            python = venv_python(venv_dir)
            if not python.exists():
                raise SystemExit(f"build.py: 仮想環境の Python が見つかりません: {python}")
        run_pyinstaller(python, dist, work)
    if sys.platform == "win32":  # dist's contents are what goes on the medium
        copy_windows_scripts(dist)
    return dist / FOLDER_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PIA Desk の配布用フォルダを作成します。")
    parser.add_argument("--venv", type=Path, help="既存の仮想環境（PyInstaller 導入済み）を使う")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="出力先（既定: dist）")
    parser.add_argument(
        "--find-links",
        type=Path,
        action="append",
        default=[],
        help="PyPI の代わりに使う wheel フォルダ（複数指定可: wheelhouse と build-tools）",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    folder = build(args.dist.resolve(), args.venv, args.find_links)
    seconds = time.monotonic() - started
    print(f"作成しました: {folder}")
    print(f"サイズ: {folder_size(folder) / 1e6:.1f} MB（{seconds:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

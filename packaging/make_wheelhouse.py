"""Make the offline installation medium: Windows wheels of PIA Desk and its dependencies.

    python packaging/make_wheelhouse.py                      # -> dist/offline
    python packaging/make_wheelhouse.py --python-installer python-3.12.10-amd64.exe
    python packaging/make_wheelhouse.py --build-tools        # + PyInstaller, to build there

Run it on a machine with internet access (any OS). It builds the PIA Desk wheel with
`pip wheel --no-deps .`, downloads binary wheels of all dependencies for win_amd64 and
CPython 3.11, 3.12 and 3.13 (`pip download --only-binary=:all: --platform win_amd64
--python-version X --implementation cp`), and writes wheelhouse/requirements.txt with
exact pins and sha256 hashes, so the terminal installs exactly these files and a
damaged copy is refused. The Windows scripts (install.bat/.ps1, uninstall.bat/.ps1)
are copied next to the wheelhouse folder; copy the whole output folder to the medium.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
WINDOWS_SCRIPTS = ("install.bat", "install.ps1", "uninstall.bat", "uninstall.ps1")
# pip evaluates environment markers such as `sys_platform == "win32"` for the machine it
# runs on, so PyInstaller's Windows-only dependencies are named explicitly; setuptools
# and wheel build PIA Desk itself (pyproject.toml [build-system]).
BUILD_TOOLS = (
    "pyinstaller", "pyinstaller-hooks-contrib", "pefile", "pywin32-ctypes", "setuptools", "wheel",
)  # fmt: skip
_WHEEL_NAME = re.compile(
    r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-(?P<python>[^-]+)-(?P<abi>[^-]+)-[^-]+\.whl$"
)


@dataclass(frozen=True)
class Wheel:
    path: Path
    name: str  # normalized: lower case, "-" separators
    version: str
    python_tag: str
    abi_tag: str

    @classmethod
    def parse(cls, path: Path) -> Wheel:
        match = _WHEEL_NAME.match(path.name)
        if match is None:
            raise ValueError(f"wheel のファイル名として解釈できません: {path.name}")
        name = re.sub(r"[-_.]+", "-", match["name"]).lower()
        return cls(path, name, match["version"], match["python"], match["abi"])

    def supports(self, python_version: str) -> bool:
        """Whether CPython `python_version` ("3.12") can install this wheel."""
        major, minor = python_version.split(".")
        target = int(major + minor)
        for tag in self.python_tag.split("."):
            if tag in ("py3", f"py{major}", f"py{major}{minor}"):
                return True
            if tag.startswith("cp") and tag[2:].isdigit():
                built_for = int(tag[2:])
                if built_for == target or (self.abi_tag == "abi3" and built_for <= target):
                    return True
        return False

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in re.split(r"[.+-]", version))


def requirements_text(folder: Path, python_versions: tuple[str, ...], title: str) -> str:
    """Pins with hashes for every project in folder; a marker where versions differ."""
    wheels = [Wheel.parse(p) for p in sorted(folder.glob("*.whl"))]
    by_name: dict[str, list[Wheel]] = defaultdict(list)
    for wheel in wheels:
        by_name[wheel.name].append(wheel)
    lines = [
        f"# {title}",
        "# pip install --no-index --find-links . --require-hashes -r requirements.txt",
    ]
    for name in sorted(by_name):
        chosen: dict[str, list[str]] = defaultdict(list)  # version -> python versions
        for python in python_versions:
            fitting = [w.version for w in by_name[name] if w.supports(python)]
            if not fitting:
                raise SystemExit(f"{name} に Python {python} 用の wheel がありません。")
            chosen[max(fitting, key=_version_key)].append(python)
        for version, pythons in sorted(chosen.items(), key=lambda kv: _version_key(kv[0])):
            marker = "" if len(chosen) == 1 else _marker(pythons)
            hashes = sorted({w.sha256() for w in by_name[name] if w.version == version})
            lines.append(
                " \\\n    ".join(
                    [f"{name}=={version}{marker}", *(f"--hash=sha256:{h}" for h in hashes)]
                )
            )
    return "\n".join(lines) + "\n"


def _marker(pythons: list[str]) -> str:
    return " ; " + " or ".join(f'python_version == "{p}"' for p in pythons)


def install_args(wheelhouse: Path) -> list[str]:
    """`pip install` options on the terminal (install.ps1 runs exactly these): no index,
    only the wheelhouse, every file checked against requirements.txt."""
    requirements = wheelhouse / "requirements.txt"
    return [
        "install",
        "--no-index",
        "--find-links",
        str(wheelhouse),
        "--require-hashes",
        "-r",
        str(requirements),
    ]


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def download_args(dest: Path, platform: str, python_version: str) -> list[str]:
    """`pip download` options for binary wheels of another platform and Python."""
    return [
        "download", "--dest", str(dest), "--only-binary=:all:", "--platform", platform,
        "--python-version", python_version, "--implementation", "cp",
    ]  # fmt: skip


def build_app_wheel(dest: Path) -> Path:
    pip("wheel", "--no-deps", "--wheel-dir", str(dest), str(REPO))
    return max(dest.glob("pia_desk-*.whl"), key=lambda p: p.stat().st_mtime)


def fill_folder(
    folder: Path, requirements: list[str], platform: str, pythons: tuple[str, ...]
) -> None:
    for python in pythons:
        print(f"Python {python}（{platform}）用の wheel を取得しています…", flush=True)
        pip(*download_args(folder, platform, python), *requirements)


def copy_windows_scripts(dest: Path) -> None:
    """install/uninstall scripts into the folder whose contents go on the medium."""
    for name in WINDOWS_SCRIPTS:
        shutil.copy2(HERE / "windows" / name, dest / name)


def fresh_folder(folder: Path) -> Path:
    """An empty folder; an earlier output (wheels and requirements only) is replaced."""
    if folder.exists():
        unexpected = [p for p in folder.iterdir() if p.suffix not in (".whl", ".txt")]
        if unexpected:
            raise SystemExit(
                f"{folder} に wheel 以外のファイルがあるため上書きしません: {unexpected[0]}"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="LGWAN 端末へのオフライン導入用の wheel 一式を作成します。"
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "dist" / "offline", help="出力先フォルダ"
    )
    parser.add_argument(
        "--platform", default=PLATFORM, help=f"対象プラットフォーム（既定: {PLATFORM}）"
    )
    parser.add_argument("--python", nargs="+", default=list(PYTHON_VERSIONS), help="対象の Python")
    parser.add_argument(
        "--python-installer", type=Path, help="媒体に同梱する Python のインストーラー"
    )
    parser.add_argument(
        "--build-tools", action="store_true", help="PyInstaller 一式も build-tools に取得する"
    )
    args = parser.parse_args(argv)
    out, pythons = args.out.resolve(), tuple(args.python)
    wheelhouse = fresh_folder(out / "wheelhouse")
    app_wheel = build_app_wheel(wheelhouse)
    fill_folder(wheelhouse, [str(app_wheel)], args.platform, pythons)
    version = Wheel.parse(app_wheel).version
    title = f"PIA Desk {version} と依存パッケージ（{args.platform}, CPython {', '.join(pythons)}）"
    (wheelhouse / "requirements.txt").write_text(
        requirements_text(wheelhouse, pythons, title), encoding="utf-8"
    )
    if args.build_tools:
        tools = fresh_folder(out / "build-tools")
        fill_folder(tools, list(BUILD_TOOLS), args.platform, pythons)
        (tools / "requirements.txt").write_text(
            requirements_text(tools, pythons, "PyInstaller"), encoding="utf-8"
        )
    copy_windows_scripts(out)
    if args.python_installer:
        (out / "python").mkdir(exist_ok=True)
        shutil.copy2(args.python_installer, out / "python" / args.python_installer.name)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"作成しました: {out}（{size / 1e6:.1f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

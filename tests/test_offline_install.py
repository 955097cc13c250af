"""The wheelhouse installs with the terminal's pip command and nothing else: no index,
only the folder, every file checked against the hashes in requirements.txt.

A Linux dry run of install.ps1's pip step on a small wheelhouse made here (no download).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "pia_packaging_make_wheelhouse", REPO / "packaging" / "make_wheelhouse.py"
)
make_wheelhouse = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = make_wheelhouse
_spec.loader.exec_module(make_wheelhouse)

PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={digest.decode()}"


def make_wheel(folder: Path, name: str, version: str, requires: str = "") -> Path:
    """A minimal pure-Python wheel whose module records its own name."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f"NAME = {name!r}\n".encode(),
        f"{dist_info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            + (f"Requires-Dist: {requires}\n" if requires else "")
        ).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


@pytest.fixture
def wheelhouse(tmp_path) -> Path:
    folder = tmp_path / "wheelhouse"
    folder.mkdir()
    make_wheel(folder, "piadeskdep", "1.0")
    make_wheel(folder, "piadeskdemo", "2.0", requires="piadeskdep>=1")
    text = make_wheelhouse.requirements_text(folder, (PYTHON,), "test")
    (folder / "requirements.txt").write_text(text, encoding="utf-8")
    return folder


def offline_install(wheelhouse: Path, target: Path) -> subprocess.CompletedProcess:
    """install.ps1's pip step, into a fresh venv, with no pip configuration at all."""
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    command = [sys.executable, "-m", "pip", "--python", str(python)]
    command += make_wheelhouse.install_args(wheelhouse)
    env = os.environ | {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def installed(target: Path) -> set[str]:
    site = next(target.glob("lib/python*/site-packages"), None) or target / "Lib" / "site-packages"
    return {p.name.split("-")[0] for p in site.glob("*.dist-info")}


def test_wheelhouse_installs_everything_without_an_index(wheelhouse, tmp_path):
    result = offline_install(wheelhouse, tmp_path / "venv")
    assert result.returncode == 0, result.stderr
    assert installed(tmp_path / "venv") == {"piadeskdemo", "piadeskdep"}


def test_a_damaged_wheel_is_refused_and_nothing_is_installed(wheelhouse, tmp_path):
    damaged = wheelhouse / "piadeskdep-1.0-py3-none-any.whl"
    damaged.write_bytes(damaged.read_bytes() + b"\0")
    result = offline_install(wheelhouse, tmp_path / "venv")
    assert result.returncode != 0
    assert "DO NOT MATCH THE HASHES" in result.stderr
    assert installed(tmp_path / "venv") == set()


def test_a_wheel_missing_from_the_medium_is_reported(wheelhouse, tmp_path):
    (wheelhouse / "piadeskdep-1.0-py3-none-any.whl").unlink()
    result = offline_install(wheelhouse, tmp_path / "venv")
    assert result.returncode != 0
    assert "piadeskdep" in result.stderr
    assert installed(tmp_path / "venv") == set()


def test_install_ps1_runs_the_same_pip_options():
    script = (REPO / "packaging" / "windows" / "install.ps1").read_text(encoding="utf-8-sig")
    pip_line = next(line for line in script.splitlines() if "-m pip install" in line)
    args = make_wheelhouse.install_args(Path("$Wheelhouse"))
    expected = " ".join(args).replace(
        str(Path("$Wheelhouse") / "requirements.txt"), "$requirements"
    )
    assert expected in pip_line

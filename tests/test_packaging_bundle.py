"""The frozen one-folder bundle works on its own: built once per session with the spec
(PyInstaller from this interpreter's environment), then run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

import pia_desk
from pia_desk.export.docx_writer import DocxOptions, write_docx
from pia_desk.export.table import build_table
from pia_desk.paths import RESOURCES_DIR, UI_DIR
from pia_desk.storage.session import load_project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
# 150 MiB before the PDF reader; pypdfium2's PDFium library (6.8 MB) reads the published
# 評価書 PDFs that import-assessment takes in. Measured: 149.4 MiB on a build machine
# without GTK (Qt's GTK theme plugin pulls ~12 MB of GTK when it is installed).
MAX_BUNDLE_BYTES = 160 * 1024 * 1024
UNUSED_QT = ("Qt6Network", "Qt6Qml", "Qt6Quick", "Qt6Sql", "Qt6Pdf", "opengl32sw")


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    command = [sys.executable, str(REPO / "packaging" / "build.py")]
    command += ["--venv", sys.prefix, "--dist", str(dist)]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    print(f"\nbundle built in {time.monotonic() - started:.0f} s: {result.stdout.strip()}")
    return dist / "pia-desk"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "PIA_DESK_CONFIG_DIR": str(tmp_path / "config"),
        "PIA_DESK_DATA_DIR": str(tmp_path / "data"),
    }


def run(bundle: Path, *args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [str(bundle / "pia-desk"), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def bundled_sample(bundle: Path) -> Path:
    return bundle / "_internal" / "pia_desk" / "resources" / "sample" / "sample.piadesk"


def test_cli_reports_the_package_version(bundle, env):
    result = run(bundle, "--version", env=env)
    assert (result.returncode, result.stdout.strip()) == (0, f"PIA Desk {pia_desk.__version__}")


def test_cli_validates_the_bundled_sample(bundle, env):
    result = run(bundle, "validate", bundled_sample(bundle), env=env)
    assert result.returncode == 0, result.stderr


def test_cli_creates_a_project_from_the_bundled_templates(bundle, env, tmp_path):
    target = tmp_path / "新規.piadesk"
    result = run(bundle, "new", "--form", "juten", "-o", target, "--org", "架空市長", env=env)
    assert result.returncode == 0, result.stderr
    assert load_project(target).project.org == "架空市長"


def _cell_texts(path: Path) -> list[str]:
    document = Document(str(path))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def test_cli_exports_the_same_document_as_the_package(bundle, env, tmp_path):
    frozen = tmp_path / "frozen.docx"
    result = run(bundle, "export", bundled_sample(bundle), "-o", frozen, env=env)
    assert result.returncode == 0, result.stderr
    expected = tmp_path / "expected.docx"
    project = load_project(bundled_sample(bundle)).project
    write_docx(build_table(project), expected, DocxOptions(author=project.org))
    texts = _cell_texts(frozen)
    assert len(texts) > 6 * 10
    assert texts == _cell_texts(expected)


def wait_until_idle(process: subprocess.Popen, timeout: float = 120) -> bool:
    """Whether `process` came to sleep in its event loop (asleep, no CPU time used for
    a second) before `timeout`; False if it exited first. Polls /proc (Linux)."""
    stat = Path(f"/proc/{process.pid}/stat")
    deadline = time.monotonic() + timeout
    last_cpu, quiet = -1, 0
    while time.monotonic() < deadline and process.poll() is None:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        state, cpu = fields[0], int(fields[11]) + int(fields[12])  # utime + stime
        quiet = quiet + 1 if state == "S" and cpu == last_cpu else 0
        if quiet >= 5:
            return True
        last_cpu = cpu
        time.sleep(0.2)
    return False


def test_gui_starts_with_the_sample_and_keeps_running(bundle, env):
    gui = subprocess.Popen(
        [str(bundle / "pia-desk-gui"), "--sample"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        reached_event_loop = wait_until_idle(gui)
        alive = gui.poll() is None
    finally:
        gui.kill()
        _out, err = gui.communicate(timeout=30)
    assert reached_event_loop and alive, err
    assert "Traceback" not in err and "Error" not in err, err


def test_bundle_ships_resources_and_forms_where_pia_desk_paths_looks(bundle):
    internal = bundle / "_internal" / "pia_desk"

    def files(folder: Path, pattern: str) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob(pattern)}

    assert files(internal / "resources", "*.json") == files(RESOURCES_DIR, "*.json")
    assert files(internal / "ui", "*.ui") == files(UI_DIR, "*.ui")
    assert (internal / "resources" / "icons" / "app.png").is_file()


def test_bundle_leaves_out_unused_qt_and_foreign_translations(bundle):
    names = [p.name for p in bundle.rglob("*")]
    assert [n for n in names if any(unused in n for unused in UNUSED_QT)] == []
    translations = [n for n in names if n.endswith(".qm")]
    assert "qtbase_ja.qm" in translations
    assert all(n.endswith("_ja.qm") for n in translations)
    assert [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()] == []


def test_bundle_size_is_within_budget(bundle):
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert size <= MAX_BUNDLE_BYTES, f"{size / 2**20:.0f} MiB"

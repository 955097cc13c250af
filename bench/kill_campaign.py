"""kill -9 during `pia-desk replace` and `pia-desk import-table`: old, new or damaged?

For each command, a project of about 1 MB (a 全項目評価書 with every item filled) is
written and the command's locked window is measured (from the moment its lock file
appears to its end: reading, changing, the backup and the save; median of three). Then
the command is started N times and, once its lock file appears, killed with SIGKILL at
a random moment within that window (start-up, which touches no file, is left out).
After each kill the project file is classified:

  old      the bytes from before the command
  new      a different file that loads, with the command's change in it
  damaged  anything else (does not load, or loads without the change)

and what the kill left behind is counted: a lock file (the next command then needs
--take-over), temporary files beside the project or in NAME.backup/. Between kills
the project is put back. Not a test (it takes minutes); run:

    python bench/kill_campaign.py [--kills 100]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_storage import random_text  # noqa: E402

from pia_desk.domain.project import Project  # noqa: E402
from pia_desk.domain.tree import NodeKind  # noqa: E402
from pia_desk.storage.errors import ProjectFileError  # noqa: E402
from pia_desk.storage.project_file import new_project, save_project  # noqa: E402
from pia_desk.storage.session import load_project  # noqa: E402

TERM, REPLACEMENT = "特定個人情報", "特定個人情報（置換）"
HEADER = "変更日,項目,変更前の記載,変更後の記載,提出時期,提出時期に係る説明"


def medium_project() -> Project:
    """A 全項目評価書 with every text item filled (a few MB once the rows quote them)."""
    rng = random.Random(3)
    project = new_project("zenkoumoku", org="ベンチ市長", title="強制終了の試験")
    for node in project.items():
        if node.kind is NodeKind.TEXT:
            project.set_text(node.id, random_text(rng, 300, 1500))
    return project


def table(folder: Path, rows: int = 200) -> Path:
    lines = [
        f"令和3年10月{i % 28 + 1}日,Ⅰ基本情報,取り込み前{i},取り込み後{i},事後,説明"
        for i in range(rows)
    ]
    path = folder / "table.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def command(kind: str, project: Path, folder: Path) -> list[str]:
    base = [sys.executable, "-m", "pia_desk"]
    if kind == "replace":
        return [*base, "replace", str(project), TERM, REPLACEMENT]
    return [*base, "import-table", str(table(folder)), "-o", str(project)]


def has_change(kind: str, project: Path) -> bool | None:
    """Whether the file holds the command's change (None: it does not load)."""
    try:
        loaded = load_project(project).project
    except ProjectFileError:
        return None
    if kind == "replace":
        return any(REPLACEMENT in v.text for v in loaded.working.values())
    return any(e.after == "取り込み後0" for _, e in loaded.all_entries())


def leftovers(project: Path) -> tuple[bool, int]:
    lock = project.with_name(project.name + ".lock").exists()
    folders = [project.parent, project.parent / f"{project.stem}.backup"]
    temps = sum(1 for f in folders if f.is_dir() for p in f.iterdir() if p.name.endswith(".tmp"))
    return lock, temps


def reset(project: Path, original: bytes) -> None:
    """The project as before, nothing else beside it."""
    for path in project.parent.iterdir():
        if path.name == "table.csv":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    project.write_bytes(original)


def wait_for_lock(child: subprocess.Popen, lock: Path) -> float | None:
    """Poll until the child's lock file appears (its time), or None if it ended first."""
    while not lock.exists():
        if child.poll() is not None:
            return None
        time.sleep(0.001)
    return time.perf_counter()


def locked_window(kind: str, project: Path, original: bytes) -> float:
    lock = project.with_name(project.name + ".lock")
    windows = []
    for _ in range(3):
        reset(project, original)
        child = subprocess.Popen(
            command(kind, project, project.parent), env=env(), stdout=subprocess.DEVNULL
        )
        locked = wait_for_lock(child, lock)
        child.wait()
        if child.returncode != 0 or locked is None:
            raise SystemExit(f"{kind} failed without being killed ({child.returncode})")
        windows.append(time.perf_counter() - locked)
    return statistics.median(windows)


def campaign(kind: str, kills: int, rng: random.Random) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        project = folder / "large.piadesk"
        save_project(medium_project(), project, backups=0)
        original = project.read_bytes()
        lock = project.with_name(project.name + ".lock")
        window = locked_window(kind, project, original)
        print(f"{kind}: project {len(original) / 1e6:.1f} MB, locked window {window:.2f} s")
        counts: Counter[str] = Counter()
        for _ in range(kills):
            reset(project, original)
            child = subprocess.Popen(
                command(kind, project, folder),
                env=env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if wait_for_lock(child, lock) is not None:
                time.sleep(rng.uniform(0, window))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                counts["killed while running"] += 1
            child.wait()
            data = project.read_bytes() if project.exists() else b""
            if data == original:
                counts["old"] += 1
            elif has_change(kind, project):
                counts["new"] += 1
            else:
                counts["damaged"] += 1
            locked, temps = leftovers(project)
            counts["lock left"] += locked
            counts["temporary files left"] += temps
        return dict(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="kills per command")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    damaged = 0
    for kind in ("replace", "import-table"):
        counts = campaign(kind, args.kills, rng)
        damaged += counts.get("damaged", 0)
        print(
            f"  {args.kills} runs, {counts.get('killed while running', 0)} killed while running: "
            f"old {counts.get('old', 0)}, new {counts.get('new', 0)}, "
            f"damaged {counts.get('damaged', 0)}; lock left {counts.get('lock left', 0)}, "
            f"temporary files left {counts.get('temporary files left', 0)}"
        )
    return 1 if damaged else 0


if __name__ == "__main__":
    sys.exit(main())

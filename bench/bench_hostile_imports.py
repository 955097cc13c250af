"""Benchmark: CPU time and memory of `pia-desk import-table` on hostile tables (not a test).

Runs the command on each input of tests/attack/test_hostile_imports.py (and on a real
2,000-row table as the baseline of this run) and prints the exit code, CPU time and
peak memory (resident and address space) of the process. `--tree DIR` runs another checkout of PIA Desk
(e.g. one from before the import limits) on the same inputs; runs are capped at
--cpu seconds and --memory MB so that an unbounded import cannot take the machine.

    /work/venv/bin/python bench/bench_hostile_imports.py [--tree DIR] [--cpu 30] [--memory 4096]
        [--wall 60] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "attack"))

from bench_import import pia_desk_docx, unique_cells  # noqa: E402
from test_hostile_imports import BOUNDED, HOSTILE  # noqa: E402

# Runs the command in-process and reports its own peak memory: a child's ru_maxrss
# starts from its parent's (this process) at fork, /proc/self/status does not.
LAUNCHER = """
import atexit, runpy, sys
def report():
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    print("PEAK", status["VmHWM"].split()[0], status["VmPeak"].split()[0], file=sys.__stderr__)
atexit.register(report)
sys.argv = ["pia_desk", *sys.argv[1:]]
runpy.run_module("pia_desk", run_name="__main__", alter_sys=True)
"""


def run(
    tree: Path, table: Path, cpu: int, memory_mb: int, wall: float
) -> tuple[int, float, str, str]:
    """(exit code or -signal, CPU seconds, peak RSS MB, peak address space MB) of one
    import; the peaks are "-" when the process was killed."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    project = table.parent / "bench.piadesk"
    project.unlink(missing_ok=True)
    command = [sys.executable, "-c", LAUNCHER, "import-table", str(table), "-o", str(project)]
    env = os.environ | {"PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=table.parent,  # not this checkout: `-c` puts the working folder first on the path
        preexec_fn=limit,
    )
    timer = threading.Timer(wall, process.kill)  # a FIFO blocks without using CPU time
    timer.start()
    assert process.stderr is not None
    err = process.stderr.read().decode("utf-8", "replace")
    timer.cancel()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    peaks = next((line.split()[1:] for line in err.splitlines() if line.startswith("PEAK")), [])
    rss, space = (f"{int(kb) / 1024:.0f}" for kb in peaks) if peaks else ("-", "-")
    return process.returncode, usage.ru_utime + usage.ru_stime, rss, space


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--cpu", type=int, default=30)
    parser.add_argument("--memory", type=int, default=4096, help="address space, MB")
    parser.add_argument("--wall", type=float, default=60, help="kill after this many seconds")
    parser.add_argument("--only", nargs="*", help="names of inputs to run")
    args = parser.parse_args()
    inputs = {name: generate for name, (generate, _words) in {**HOSTILE, **BOUNDED}.items()}
    names = args.only or list(inputs)
    print(f"PIA Desk from {args.tree}; limits: {args.cpu} s CPU, {args.memory} MB address space")
    print(f"{'input':<46} {'file':>9} {'exit':>5} {'CPU s':>7} {'RSS MB':>7} {'VM MB':>7}")
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        real = pia_desk_docx(base / "real-2000-rows.docx", unique_cells(2000))
        rows = [("real 2,000-row table (baseline)", real)]
        for name in names:
            where = base / str(len(rows))
            where.mkdir()
            rows.append((name, inputs[name](where)))
        for name, table in rows:
            size = table.stat().st_size if table.is_file() and not table.is_symlink() else 0
            code, seconds, rss, space = run(args.tree, table, args.cpu, args.memory, args.wall)
            print(f"{name:<46} {size / 1024:>7.1f}KB {code:>5} {seconds:>7.2f} {rss:>7} {space:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

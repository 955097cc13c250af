"""Running `pia-desk` commands on hostile input in a child process with resource limits.

Each run gets a CPU-time and memory ceiling set by the child itself (resource.setrlimit),
so a command that loops or swells on a hostile file is killed and the test fails on its
exit status, not on a wall-clock measurement. The timeout only catches a command that
blocks without using CPU (a named pipe opened for reading).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CPU_SECONDS = 20
MEMORY_BYTES = 1536 * 1024 * 1024
BLOCKED_SECONDS = 60


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


@dataclass
class Run:
    code: int
    out: str
    err: str


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONIO")}
    env.update(PYTHONPATH=str(REPO), PYTHONUTF8="0", LC_ALL="C.UTF-8", **extra)
    return env


def run_cli(*args: str | bytes | Path, cwd: Path, **env: str) -> Run:
    """`python -m pia_desk ARGS` under the limits; output decoded leniently."""
    command = [sys.executable, "-m", "pia_desk", *[os.fspath(a) for a in args]]
    done = subprocess.run(
        command,
        cwd=cwd,
        env=child_env(**env),
        capture_output=True,
        timeout=BLOCKED_SECONDS,
        preexec_fn=_limits,
    )
    encoding = env.get("PYTHONIOENCODING", "utf-8").split(":")[0]
    return Run(
        done.returncode,
        done.stdout.decode(encoding, "replace"),
        done.stderr.decode(encoding, "replace"),
    )


def is_japanese_message(text: str) -> bool:
    """A message for the user: Japanese text, no traceback, no escape sequence."""
    japanese = any(
        unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA")) for ch in text
    )
    return japanese and "Traceback" not in text and "\x1b" not in text


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder` (recursively) with its bytes (or its kind)."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            entries[name] = f"link -> {os.readlink(path)}"
        elif path.is_file():
            entries[name] = path.read_bytes()
        else:
            entries[name] = "folder" if path.is_dir() else "special"
    return entries

"""Regression guards for the platform the app runs on."""

from __future__ import annotations

import subprocess
import sys

import PySide6


def test_pyside6_does_not_leak_none_on_void_calls() -> None:
    """PySide6 6.12.0 on Python 3.11 took a reference from None on every void call and
    aborted after ~5,000 calls (none_dealloc). 50,000 calls must run clean."""
    code = (
        "from PySide6.QtCore import QObject\n"
        "o = QObject()\n"
        "for i in range(50_000): o.setObjectName('x')\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "ok"


def test_pinned_pyside6_range_excludes_the_broken_release() -> None:
    version = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert version < (6, 12), f"PySide6 {PySide6.__version__} is broken on Python 3.11"

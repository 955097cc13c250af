"""The Windows version resource of the executables, from windows/version_info.txt.

`fill(version, internal_name, description)` returns the text of a PyInstaller version
file (a VSVersionInfo expression) for one executable; pia_desk.spec writes it to the
work folder and passes it to EXE(version=…).
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).resolve().parent / "windows" / "version_info.txt"


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """The four 16-bit numbers of a Windows file version: "0.1.0rc1+g12" -> (0, 1, 0, 0)."""
    release = re.match(r"\d+(\.\d+)*", version)
    numbers = [int(p) for p in release.group(0).split(".")[:4]] if release else []
    a, b, c, d = [min(n, 0xFFFF) for n in [*numbers, 0, 0, 0, 0][:4]]
    return a, b, c, d


def fill(version: str, internal_name: str, description: str) -> str:
    """The version file text for one executable."""
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        version=version,
        version_tuple=repr(version_numbers(version)),
        internal_name=internal_name,
        description=description,
    )

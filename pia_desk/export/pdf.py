"""PDF helpers: LibreOffice conversion of the .docx, and text-mapping repair of Qt PDFs.

The .docx is converted with `soffice --headless --convert-to pdf`.

Each conversion uses a private LibreOffice profile in a temporary folder, so it
works while the user has LibreOffice open and leaves no profile behind. The PDF is
written atomically like every other output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pia_desk.storage.project_file import write_atomic

__all__ = ["PdfConversionError", "convert_docx_to_pdf", "find_soffice", "repair_tounicode"]

_WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
TIMEOUT_SECONDS = 300


class PdfConversionError(Exception):
    """The PDF could not be made; the message is for the user (Japanese)."""


def find_soffice() -> str | None:
    """Path of LibreOffice's `soffice`, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":
        return next((p for p in _WINDOWS_CANDIDATES if Path(p).is_file()), None)
    return None


def convert_docx_to_pdf(docx: Path, pdf: Path, soffice: str | None = None) -> None:
    """Convert `docx` to `pdf`; raises PdfConversionError with a Japanese message."""
    soffice = soffice or find_soffice()
    if soffice is None:
        raise PdfConversionError(
            "PDF の作成には LibreOffice が必要ですが、見つかりません。"
            "LibreOffice をインストールするか、Word で .docx を開いて PDF として保存してください。"
        )
    with tempfile.TemporaryDirectory(prefix="pia-desk-pdf-") as work:
        profile = Path(work, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(docx),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PdfConversionError(f"LibreOffice を実行できませんでした（{error}）。") from None
        produced = Path(work, docx.with_suffix(".pdf").name)
        if done.returncode != 0 or not produced.is_file():
            detail = done.stderr.decode(errors="replace").strip()[-300:]
            raise PdfConversionError(f"LibreOffice で PDF に変換できませんでした。{detail}")
        write_atomic(pdf, produced.read_bytes())


# -- ToUnicode repair for PDFs written by Qt -------------------------------------------

_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")


def repair_tounicode(data: bytes, replacements: Mapping[int, int]) -> bytes:
    """`data` with wrong text mappings of its ToUnicode CMaps corrected, in place.

    Qt maps each glyph back to the lowest code point that uses it, so a CJK font that
    shares a glyph between 見 and the Kangxi radical ⾒ makes copied or searched text
    read ⾒ (pitfalls.md §2.1). `replacements` maps such code points to the intended
    ones (both in the BMP), so every edit keeps its length and the PDF's byte offsets
    stay valid. Only destination codes are touched; ranges of more than one code
    are left alone, since their destinations count up from the first.
    """
    out = bytearray(data)
    for cmap in _CMAP.finditer(data):
        for section in _SECTION.finditer(data, cmap.start(), cmap.end()):
            body_start = section.start(2)
            for line in _lines(section.group(2)):
                for start, token in _destinations(line[1], section.group(1) == b"bfrange"):
                    value = int(token, 16)
                    if value in replacements:
                        at = body_start + line[0] + start
                        out[at : at + 4] = b"%04X" % replacements[value]
    return bytes(out)


def _lines(body: bytes) -> list[tuple[int, bytes]]:
    """(offset, line) of each line of a CMap section."""
    result, offset = [], 0
    for line in body.split(b"\n"):
        result.append((offset, line))
        offset += len(line) + 1
    return result


def _destinations(line: bytes, is_range: bool) -> list[tuple[int, bytes]]:
    """(offset in line, hex) of the destination codes of one bfchar / bfrange line."""
    tokens = [(m.start(1), m.group(1)) for m in _HEX.finditer(line)]
    if not is_range:
        return tokens[1:2]
    bracket = line.find(b"[")
    if bracket >= 0:
        return [t for t in tokens if t[0] > bracket]
    if len(tokens) == 3 and tokens[0][1] == tokens[1][1]:
        return tokens[2:3]
    return []

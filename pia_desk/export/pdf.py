"""PDF helpers: LibreOffice conversion of the .docx, and text-mapping repair of Qt PDFs.

The .docx is converted with `soffice --headless --convert-to pdf`.

Each conversion uses a private LibreOffice profile in a temporary folder, so it
works while the user has LibreOffice open and leaves no profile behind. soffice runs
in its own process group (its own session on POSIX), and when it takes longer than
a time scaled with the document, the whole group is ended before the temporary
folder goes: no LibreOffice is left running. The PDF is written atomically like
every other output.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from pia_desk.storage.project_file import write_atomic

__all__ = [
    "PdfConversionError",
    "conversion_timeout",
    "convert_docx_to_pdf",
    "find_soffice",
    "repair_tounicode",
]

_WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
# LibreOffice starts in a few seconds and lays out about 1 MB of document.xml (some
# 150 long rows) in 10-20 s on a slow machine; the allowance is generous on both.
BASE_TIMEOUT_SECONDS = 120.0
SECONDS_PER_MB = 60.0


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


def conversion_timeout(docx: Path) -> float:
    """Seconds LibreOffice may take for `docx`: a start-up allowance plus its text."""
    try:
        with zipfile.ZipFile(docx) as package:
            size = sum(info.file_size for info in package.infolist())
    except (OSError, zipfile.BadZipFile):
        size = 0
    return BASE_TIMEOUT_SECONDS + SECONDS_PER_MB * size / 1e6


def convert_docx_to_pdf(
    docx: Path, pdf: Path, soffice: str | None = None, timeout: float | None = None
) -> None:
    """Convert `docx` to `pdf`; raises PdfConversionError with a Japanese message.

    `timeout` (seconds) defaults to `conversion_timeout(docx)`.
    """
    soffice = soffice or find_soffice()
    if soffice is None:
        raise PdfConversionError(
            "PDF の作成には LibreOffice が必要ですが、見つかりません。"
            "LibreOffice をインストールするか、Word で .docx を開いて PDF として保存してください。"
        )
    timeout = conversion_timeout(docx) if timeout is None else timeout
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
        returncode, stderr = _run_in_own_group(command, timeout)
        produced = Path(work, docx.with_suffix(".pdf").name)
        if returncode != 0 or not produced.is_file():
            detail = stderr.decode(errors="replace").strip()[-300:]
            raise PdfConversionError(f"LibreOffice で PDF に変換できませんでした。{detail}")
        write_atomic(pdf, produced.read_bytes())


def _run_in_own_group(command: list[str], timeout: float) -> tuple[int, bytes]:
    """Run `command` in a process group of its own; end the whole group on timeout."""
    flags = subprocess.CREATE_NEW_PROCESS_GROUP if os.name == "nt" else 0
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=os.name != "nt",
            creationflags=flags,
        )
    except OSError:
        raise PdfConversionError(
            f"LibreOffice を起動できませんでした（{command[0]}）。"
            "インストールされているか確認してください。"
        ) from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process)
        raise PdfConversionError(
            f"LibreOffice での PDF への変換が {timeout:.0f} 秒で終わらなかったため中止しました。"
            "表を改訂や期間で分けて出力するか、Word で .docx を開いて PDF として保存してください。"
        ) from None
    except BaseException:  # e.g. Ctrl+C: never leave LibreOffice behind
        _end_group(process)
        raise
    return process.returncode, stderr


def _end_group(process: subprocess.Popen) -> None:
    """End `process` and every process it started (soffice.bin under oosplash)."""
    if os.name == "nt":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.communicate()


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

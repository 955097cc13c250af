"""PDF from the exported .docx with LibreOffice (`soffice --headless --convert-to pdf`).

Each conversion uses a private LibreOffice profile in a temporary folder, so it
works while the user has LibreOffice open and leaves no profile behind. The PDF is
written atomically like every other output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pia_desk.storage.project_file import write_atomic

__all__ = ["PdfConversionError", "convert_docx_to_pdf", "find_soffice"]

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

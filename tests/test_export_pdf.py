"""PDF helpers without Qt: ToUnicode repair and the LibreOffice lookup."""

from __future__ import annotations

import os
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from pia_desk.export import pdf
from pia_desk.export.pdf import PdfConversionError, convert_docx_to_pdf, repair_tounicode

CMAP = b"""1 0 obj
<< /Length 300 >>
stream
begincmap
2 beginbfchar
<0003> <2F92>
<0004> <0041>
endbfchar
3 beginbfrange
<0001> <0003> [<2F92> <308B> <0009>]
<0005> <0005> <2ED1>
<0006> <0007> <2F92>
endbfrange
endcmap
endstream
endobj
<2F92> outside any CMap stays
"""

FIXES = {0x2F92: 0x898B, 0x2ED1: 0x9577, 0x0009: 0x0020}


def test_repair_maps_destinations_and_keeps_every_offset() -> None:
    repaired = repair_tounicode(CMAP, FIXES)
    assert len(repaired) == len(CMAP)
    assert b"<0003> <898B>" in repaired  # bfchar destination
    assert b"<0004> <0041>" in repaired  # untouched
    assert b"[<898B> <308B> <0020>]" in repaired  # bfrange array
    assert b"<0005> <0005> <9577>" in repaired  # one-code range
    assert b"<0006> <0007> <2F92>" in repaired  # a counting range is left alone
    assert repaired.endswith(b"<2F92> outside any CMap stays\n")


def test_repair_without_cmaps_changes_nothing() -> None:
    data = b"%PDF-1.4\n<2F92>\n%%EOF"
    assert repair_tounicode(data, FIXES) == data


def test_conversion_without_libreoffice_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(PdfConversionError, match="LibreOffice"):
        convert_docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def test_conversion_failure_is_reported_and_writes_nothing(tmp_path: Path) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'conversion failed' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(PdfConversionError, match="変換できませんでした"):
        convert_docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", soffice=str(fake))
    assert not (tmp_path / "a.pdf").exists()


def _group_is_gone(pgid: int, wait: float = 10.0) -> bool:
    """Whether no process of group `pgid` is left (waits for the kernel to reap them)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


class _Recorder:
    """subprocess.Popen that remembers the pids it started."""

    def __init__(self) -> None:
        self.pids: list[int] = []
        self.real = subprocess.Popen

    def __call__(self, *args, **kwargs):
        process = self.real(*args, **kwargs)
        self.pids.append(process.pid)
        return process


@pytest.mark.skipif(os.name == "nt", reason="process groups are checked the POSIX way")
def test_a_conversion_that_takes_too_long_ends_its_whole_process_group(
    tmp_path: Path, monkeypatch
) -> None:
    fake = tmp_path / "soffice"  # starts a child of its own, as soffice starts soffice.bin
    fake.write_text("#!/bin/sh\nsleep 300 &\nsleep 300\n")
    fake.chmod(0o755)
    recorder = _Recorder()
    monkeypatch.setattr(pdf.subprocess, "Popen", recorder)
    with pytest.raises(PdfConversionError, match="秒で終わらなかったため中止しました"):
        convert_docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", str(fake), timeout=0.5)
    assert recorder.pids and _group_is_gone(recorder.pids[0])
    assert not (tmp_path / "a.pdf").exists()


def test_a_soffice_that_cannot_start_gives_a_japanese_message(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-soffice"
    with pytest.raises(PdfConversionError, match="LibreOffice を起動できませんでした") as error:
        convert_docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf", str(missing))
    assert "Errno" not in str(error.value)


def test_the_timeout_grows_with_the_document(tmp_path: Path) -> None:
    small, large = tmp_path / "small.docx", tmp_path / "large.docx"
    for path, size in ((small, 1_000), (large, 5_000_000)):
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("word/document.xml", "x" * size)
    assert pdf.conversion_timeout(small) >= 60
    assert pdf.conversion_timeout(large) > pdf.conversion_timeout(small) + 200

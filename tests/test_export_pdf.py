"""PDF helpers without Qt: ToUnicode repair and the LibreOffice lookup."""

from __future__ import annotations

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

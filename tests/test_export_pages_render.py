"""A long table as LibreOffice prints it: every page starts a row or a marked part,
every page that ends inside an entry ends with （下段に続く）, no part is only a heading.

A generated project of 320 entries (long items of many paragraphs, headings, blank
lines) goes through `pia-desk export --pdf` with the CI's stand-in Mincho font; the
pages are read back with `pdftotext -bbox`. Also: a conversion that is given too
little time ends cleanly and leaves no LibreOffice behind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from big_table import big_project
from lxml import etree

from pia_desk.cli import export_cmd
from pia_desk.domain.excerpt import is_heading
from pia_desk.export import pdf
from pia_desk.export.docx_writer import DocxOptions, lay_out
from pia_desk.export.layout import PAGE_MARGIN_MM, TableGeometry
from pia_desk.export.pdf import PdfConversionError, convert_docx_to_pdf
from pia_desk.export.table import CONTINUED_FROM_ABOVE, CONTINUES_BELOW, build_table
from pia_desk.storage.project_file import save_project

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent"),
]

STAND_IN_FONT = "IPA明朝"  # fixed pitch like ＭＳ 明朝 (not on Linux), installed by .ci/run
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass
class Word:
    y: float
    x: float
    text: str


@dataclass
class Printed:
    docx: Path
    pdf: Path
    pages: list[list[Word]]  # the words of each page below the header row
    expected_pages: int


def _column_of(x: float) -> int:
    widths = [w / 20 for w in TableGeometry(9.0).column_twips]
    edge = PAGE_MARGIN_MM * 72 / 25.4
    for column, width in enumerate(widths):
        edge += width
        if x < edge:
            return column
    return len(widths)


def _pages(pdf_path: Path) -> list[list[Word]]:
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = etree.fromstring(xhtml.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    pages = []
    for page in root.iter("{*}page"):
        height = float(page.get("height"))
        words = [
            Word(float(w.get("yMin")), float(w.get("xMin")), w.text or "")
            for w in page.iter("{*}word")
        ]
        header = max(w.y for w in words if w.text == "変更日")
        footer = height - PAGE_MARGIN_MM * 72 / 25.4  # the page number stands below
        pages.append([w for w in words if header + 3 < w.y < footer])
    return pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    folder = tmp_path_factory.mktemp("pages")
    project = big_project(320)
    project_path = folder / "big.piadesk"
    save_project(project, project_path)
    docx, pdf_path = folder / "big.docx", folder / "big.pdf"
    parser = argparse.ArgumentParser()
    export_cmd.register(parser.add_subparsers())
    argv = ["export", str(project_path), "-o", str(docx), "--pdf", str(pdf_path)]
    args = parser.parse_args([*argv, "--font", STAND_IN_FONT])
    assert args.run(args) == 0
    expected = len(lay_out(build_table(project), DocxOptions(font=STAND_IN_FONT)))
    return Printed(docx, pdf_path, _pages(pdf_path), expected)


def _first_row(words: list[Word]) -> list[Word]:
    top = min(w.y for w in words)
    return [w for w in words if w.y < top + 3]


def _continues(words: list[Word]) -> bool:
    return any(
        w.text == CONTINUED_FROM_ABOVE and _column_of(w.x) in (2, 3) for w in _first_row(words)
    )


def test_the_pages_are_the_computed_ones(printed: Printed) -> None:
    """Within 1 %: a row the renderer sets taller than estimated moves on whole."""
    assert printed.expected_pages > 300
    assert printed.expected_pages <= len(printed.pages) <= printed.expected_pages * 1.01


def test_every_page_starts_a_new_entry_or_a_marked_part(printed: Printed) -> None:
    for number, words in enumerate(printed.pages[1:], start=2):
        first = _first_row(words)
        has_date = any(_column_of(w.x) == 0 and w.text.startswith("令") for w in first)
        assert has_date or _continues(words), f"page {number}: {[w.text for w in first]}"


def test_every_page_that_ends_inside_an_entry_ends_with_the_mark(printed: Printed) -> None:
    ends_inside = 0
    for number, (words, following) in enumerate(
        zip(printed.pages, printed.pages[1:], strict=False), start=1
    ):
        if not _continues(following):
            continue
        ends_inside += 1
        text = [w for w in words if _column_of(w.x) in (2, 3)]
        bottom = max(w.y for w in text)
        last = [w.text for w in text if w.y > bottom - 3]
        assert CONTINUES_BELOW in last, f"page {number} ends with {last}"
    assert ends_inside > 50


def test_no_part_holds_only_a_heading(printed: Printed) -> None:
    with zipfile.ZipFile(printed.docx) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    marks = {CONTINUED_FROM_ABOVE, CONTINUES_BELOW, "（以下空欄）", ""}
    parts = 0
    for tr in document.iter(f"{{{W}}}tr"):
        cells = tr.findall(f"{{{W}}}tc")
        for tc in cells[2:4]:
            lines = ["".join(p.itertext()) for p in tc.iter(f"{{{W}}}p")]
            if CONTINUES_BELOW not in lines:
                continue
            parts += 1
            body = [line for line in lines if line not in marks]
            assert not (body and all(is_heading(line) for line in body)), lines
    assert parts > 100


def test_a_conversion_given_too_little_time_fails_cleanly_and_leaves_no_soffice(
    printed: Printed, tmp_path: Path, monkeypatch
) -> None:
    started: list[int] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process.pid)
        return process

    monkeypatch.setattr(pdf.subprocess, "Popen", popen)
    target = tmp_path / "late.pdf"
    with pytest.raises(PdfConversionError, match="秒で終わらなかったため中止しました"):
        convert_docx_to_pdf(printed.docx, target, timeout=3)
    assert not target.exists()
    assert started
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _group_alive(started[0]):
        time.sleep(0.05)
    assert not _group_alive(started[0])
    assert not [p for p in _processes() if p[0] == started[0]]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _processes() -> list[tuple[int, str]]:
    """(process group, command) of every soffice process on the machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            pgid = os.getpgid(int(entry.name))
        except (OSError, ProcessLookupError):
            continue
        if re.search(r"soffice", command):
            found.append((pgid, command))
    return found

"""The exported table as LibreOffice prints it: pages, header rows, fonts, every row.

The 27 real rows of the shared sample go through the whole path a user takes:
project file → `pia-desk export --pdf` → LibreOffice → PDF, converted once per session.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from pia_desk.cli import main
from pia_desk.domain.entries import ChangeEntry, Revision, RevisionStatus, Timing
from pia_desk.domain.project import Project
from pia_desk.export.docx_writer import DocxOptions, lay_out
from pia_desk.export.layout import PAGE_MARGIN_MM, TableGeometry
from pia_desk.export.table import HEADERS, ChangeTable, build_table
from pia_desk.storage.project_file import new_project, save_project

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent"),
]

A4_LANDSCAPE = re.compile(r"size:\s+841\.\d+ x 595\.\d+ pts")


def sample_project(rows: list[dict]) -> Project:
    """A project whose history is the sample rows (imported rows: no tree node)."""
    project = new_project("juten", org="○○市長", title="予防接種に関する事務")
    by_date: dict[str, Revision] = {}
    for i, row in enumerate(rows):
        day = date.fromisoformat(row["date_iso"])
        revision = by_date.get(row["date_iso"])
        if revision is None:
            revision = Revision(f"r{len(by_date) + 1}", day, RevisionStatus.SUBMITTED, day)
            by_date[row["date_iso"]] = revision
            project.revisions.append(revision)
        revision.entries.append(
            ChangeEntry(
                id=f"e{i + 1}",
                item_path=tuple(row["item_path"]),
                before=row["before"],
                after=row["after"],
                timing=Timing(row["timing"]),
                explanation=row["explanation"],
            )
        )
    return project


class Rendered:
    def __init__(self, table: ChangeTable, pdf: Path) -> None:
        self.table = table
        self.pdf = pdf
        info = run("pdfinfo", "-f", "1", "-l", "9999", pdf)
        self.pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        self.page_sizes = re.findall(r"^Page\s+\d+ size:.*$", info, re.M)
        self.page_texts = run("pdftotext", "-enc", "UTF-8", pdf, "-").split("\f")[: self.pages]
        self.fonts = run("pdffonts", pdf)
        self.page_words = _words(run("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"))


def _words(xhtml: str) -> list[list[tuple[float, float, float, str]]]:
    """(yMin, xMin, xMax, text) of every word, per page, from `pdftotext -bbox`."""
    root = etree.fromstring(xhtml.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    pages = []
    for page in root.iter("{*}page"):
        pages.append(
            [
                (float(w.get("yMin")), float(w.get("xMin")), float(w.get("xMax")), w.text or "")
                for w in page.iter("{*}word")
            ]
        )
    return pages


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=True, timeout=120
    ).stdout


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, shared_rows: list[dict]) -> Rendered:
    folder = tmp_path_factory.mktemp("render")
    project = sample_project(shared_rows)
    project_path = folder / "sample.piadesk"
    save_project(project, project_path)
    docx, pdf = folder / "table.docx", folder / "table.pdf"
    assert main(["export", str(project_path), "-o", str(docx), "--pdf", str(pdf)]) == 0
    return Rendered(build_table(project), pdf)


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction adds spaces and breaks lines."""
    return re.sub(r"\s+", "", text)


def test_every_page_is_a4_landscape(rendered: Rendered) -> None:
    assert rendered.pages > 5
    assert len(rendered.page_sizes) == rendered.pages
    assert all(A4_LANDSCAPE.search(size) for size in rendered.page_sizes)


def test_header_row_and_page_number_on_every_page(rendered: Rendered) -> None:
    for number, text in enumerate(rendered.page_texts, start=1):
        flat = squeeze(text)
        assert all(header in flat for header in HEADERS), f"page {number}"
        assert f"{number}/{rendered.pages}" in flat, f"page {number}"


def test_a_japanese_font_is_embedded(rendered: Rendered) -> None:
    cjk = [
        line
        for line in rendered.fonts.splitlines()
        if re.search(r"CJK|Mincho|Gothic|IPA|明朝", line, re.I)
    ]
    assert cjk
    assert all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


def column_edges(column: int, font_size: float = 9.0) -> tuple[float, float]:
    """Left and right edge of a column on the page, in points."""
    widths = [w / 20 for w in TableGeometry(font_size).column_twips]
    left = PAGE_MARGIN_MM * 72 / 25.4 + sum(widths[:column])
    return left, left + widths[column]


def column_text(rendered: Rendered, column: int) -> str:
    """One column of the table as printed, read by word positions, header and footer removed.

    pdftotext's reading order wanders between cells, so the words whose centre lies
    in the column are taken page by page, top to bottom, left to right.
    """
    left, right = column_edges(column)
    pieces = []
    for number, words in enumerate(rendered.page_words, start=1):
        inside = [w for w in words if left < (w[1] + w[2]) / 2 < right]
        flat = "".join(w[3] for w in sorted(inside, key=lambda w: (round(w[0]), w[1])))
        flat = flat.removeprefix(squeeze(rendered.table.title) if number == 1 else "")
        flat = flat.removeprefix(HEADERS[column]).removesuffix(f"{number}/{rendered.pages}")
        pieces.append(flat)
    return "".join(pieces)


@pytest.mark.parametrize("column", range(6), ids=HEADERS)
def test_every_character_of_every_row_is_printed_in_order(rendered: Rendered, column: int) -> None:
    """Cropping each column out of each page gives exactly its cells, row after row."""
    printed = [row for page in lay_out(rendered.table, DocxOptions()) for row in page]
    expected = "".join(squeeze(row.cells[column]) for row in printed)
    assert column_text(rendered, column) == expected
    assert len(rendered.table.rows) == 27

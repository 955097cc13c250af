"""The sample's 評価書 as LibreOffice prints it: `pia-desk export-assessment --pdf`, then
pdftotext finds every label and value in tree order; body pages A4 portrait, annex pages
A4 landscape, each with the header row of the change table."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_assessment_docx import expected_blocks

from pia_desk.cli import main
from pia_desk.domain.assessment import build_assessment
from pia_desk.domain.assessment_text import text_state
from pia_desk.export.table import HEADERS, build_table
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None,
        reason="LibreOffice (soffice) or poppler-utils is absent",
    ),
]

PAGE_SIZE = re.compile(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts")


class Rendered:
    def __init__(self, pdf: Path) -> None:
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True
        ).stdout
        self.sizes = [(float(w), float(h)) for w, h in PAGE_SIZE.findall(info)]
        text = subprocess.run(
            ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True
        ).stdout
        self.pages = text.split("\f")[: len(self.sizes)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("assessment-render")
    pdf = folder / "評価書.pdf"
    code = main(
        [
            "export-assessment",
            str(sample_project_path()),
            "-o",
            str(folder / "評価書.docx"),
            "--pdf",
            str(pdf),
        ]
    )
    assert code == 0
    return Rendered(pdf)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_label_and_value_in_tree_order(rendered: Rendered) -> None:
    project = load_project(sample_project_path()).project
    document = build_assessment(project, text_state(project))
    footer = re.compile(rf"^{re.escape(squeeze(document.name))}\d+/\d+$")
    lines = [
        line
        for page in rendered.pages
        for line in page.splitlines()
        if not footer.match(squeeze(line))  # a value may run on past a page's footer
    ]
    text = squeeze("".join(lines))
    position = 0
    for expected in expected_blocks(document):
        needle = squeeze(expected)
        found = text.find(needle, position)
        assert found >= 0, f"not found after position {position}: {expected[:60]!r}"
        position = found + len(needle)


def test_body_pages_are_portrait_and_annex_pages_landscape(rendered: Rendered) -> None:
    portrait = [i for i, (w, h) in enumerate(rendered.sizes) if (round(w), round(h)) == (595, 842)]
    landscape = [i for i, (w, h) in enumerate(rendered.sizes) if (round(w), round(h)) == (842, 595)]
    assert len(portrait) + len(landscape) == len(rendered.sizes)
    assert portrait == list(range(len(portrait))) and len(landscape) >= 2  # annex last
    for index in landscape:
        page = squeeze(rendered.pages[index])
        assert all(squeeze(header) in page for header in HEADERS), index
    assert "（別添２）変更箇所" in rendered.pages[landscape[0]]
    rows = build_table(load_project(sample_project_path()).project).rows
    annex_text = squeeze("".join(rendered.pages[i] for i in landscape))
    assert all(squeeze(row.after.split("\n")[0]) in annex_text for row in rows)


def test_every_page_has_n_of_m_and_the_title(rendered: Rendered) -> None:
    total = len(rendered.sizes)
    for number, page in enumerate(rendered.pages, start=1):
        assert f"{number}/{total}" in squeeze(page)
        assert "予防接種に関する事務" in page

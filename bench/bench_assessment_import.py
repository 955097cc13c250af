"""Benchmark: taking in a 100-page 全項目評価書 PDF (not a test).

A 全項目評価書 project with repeat groups (システム×6, 委託事項×4, 提供先×3) and long
values is printed into a Word document with bordered tables, a running header and
page numbers (tests/assessment_docs.py, the way offices make them), converted to PDF
by LibreOffice, and taken in with `plan_assessment` (read, drop headers/footers, place
every label, read values). Baseline measured in the same run: the bare text
extraction of the same PDF with pypdfium2 (all pages, no placing). Target: <= 10 s.

    /work/venv/bin/python bench/bench_assessment_import.py [PAGES]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pypdfium2 as pdfium  # noqa: E402
from assessment_docs import docx_to_pdf, filled_project, make_docx  # noqa: E402

from pia_desk.domain.values import Value  # noqa: E402
from pia_desk.importing.assessment_import import plan_assessment  # noqa: E402

REPEATS = {"I.2.sys1": 6, "II.4.item1": 4, "II.5.prov1": 3}
RUNS = 3


def long_project(lines: int):
    project = filled_project("zenkoumoku", REPEATS)
    for node in project.items():
        value = project.value(node.id)
        if value.text and not value.checked and node.kind.value == "text":
            extra = "\n".join(
                f"・{node.label}に係る措置{k}を規程に基づき実施する。" for k in range(lines)
            )
            project.set_value(node.id, Value(text=value.text + "\n" + extra))
    project.adopt_working_as_baseline()
    return project


def bare_extraction(pdf: Path) -> int:
    document = pdfium.PdfDocument(str(pdf))
    total = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        total += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return total


def best(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    pages_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        lines = 2
        while True:
            project = long_project(lines)
            pdf = docx_to_pdf(make_docx(project, out / "全項目.docx", header="全項目評価書"), out)
            pages = len(pdfium.PdfDocument(str(pdf)))
            if pages >= pages_wanted:
                break
            lines = max(lines + 1, round(lines * pages_wanted / pages) + 1)
        plan = plan_assessment(pdf)
        extract = best(lambda: bare_extraction(pdf))
        take_in = best(lambda: plan_assessment(pdf))
        size = pdf.stat().st_size / 1024 / 1024
        print(f"PDF: {pages} pages, {size:.1f} MB, {len(plan.flow.segments)} lines")
        print(
            f"items placed: {plan.match.items_found} / {plan.match.items_total}, "
            f"missing {len(plan.match.missing)}, unplaced {len(plan.match.unplaced)}"
        )
        print(f"bare pypdfium2 text extraction: {extract:.2f} s (best of {RUNS})")
        print(f"take in (plan_assessment):      {take_in:.2f} s (best of {RUNS}), target <= 10 s")
        print(f"ratio to bare extraction: {take_in / extract:.1f}x")
        print(f"per page: {take_in / pages * 1000:.1f} ms")


if __name__ == "__main__":
    main()

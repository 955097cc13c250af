"""Benchmark: exporting 1,000 rows of sample-sized text to .docx (not a test).

Compares, in one run, PIA Desk's writer (page-aware layout, the default, and `flow`)
with
  (a) a naive python-docx exporter (table.add_row() and cell.text), and
  (b) a floor: the same rows' document.xml built with lxml alone and zipped.
Targets: <= 1.5 s, >= 5x faster than (a), page-aware export <= 3x the floor (b).

    /work/venv/bin/python bench/bench_export.py [ROWS]
"""

from __future__ import annotations

import io
import json
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pia_desk.export.docx_writer import DocxOptions, build_document
from pia_desk.export.table import ChangeTable, TableRow

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "bessoe2-sample.json"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def sample_table(count: int) -> ChangeTable:
    rows = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return ChangeTable(
        "（別添２）変更箇所",
        tuple(
            TableRow(
                r["date"],
                "\n".join(r["item_path"]),
                r["before"],
                r["after"],
                r["timing"],
                r["explanation"],
                f"e{i}",
            )
            for i, r in ((i, rows[i % len(rows)]) for i in range(count))
        ),
    )


def pia_desk(table: ChangeTable, underline: bool = False, flow: bool = False) -> bytes:
    buffer = io.BytesIO()
    build_document(table, DocxOptions(underline=underline, flow=flow)).save(buffer)
    return buffer.getvalue()


def naive(table: ChangeTable) -> bytes:
    document = Document()
    document.add_paragraph(table.title)
    out = document.add_table(rows=1, cols=6)
    for cell, text in zip(out.rows[0].cells, table.headers, strict=True):
        cell.text = text
    for row in table.rows:
        for cell, text in zip(out.add_row().cells, row.cells, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def floor(table: ChangeTable) -> bytes:
    """The least work a .docx of these rows takes: lxml elements, serialise, zip."""

    def el(parent: etree._Element, name: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{W}}}{name}")

    root = etree.Element(f"{{{W}}}document", nsmap={"w": W})
    body = el(root, "body")
    tbl = el(body, "tbl")
    for cells in [table.headers, *(row.cells for row in table.rows)]:
        tr = el(tbl, "tr")
        for text in cells:
            tc = el(tr, "tc")
            for line in text.split("\n"):
                t = el(el(el(tc, "p"), "r"), "t")
                t.text = line
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "word/document.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        )
    return buffer.getvalue()


def best_of(runs: int, work: Callable[[], bytes]) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    table = sample_table(count)
    chars = sum(len(c) for row in table.rows for c in row.cells)
    print(f"{count} rows, {chars:,} characters")
    ours, ours_size = best_of(3, lambda: pia_desk(table))
    flowing, _ = best_of(3, lambda: pia_desk(table, flow=True))
    floor_time, _ = best_of(3, lambda: floor(table))
    naive_time, _ = best_of(3, lambda: naive(table))
    underline = sample_table(count)  # fresh rows: the diff is cached per row
    underline_time, _ = best_of(1, lambda: pia_desk(underline, underline=True))
    print(f"PIA Desk writer, page-aware: {ours:5.3f} s  ({ours_size / 1e6:.1f} MB)")
    print(f"  --flow (no page layout):  {flowing:6.3f} s")
    print(f"  with underline (diffs):   {underline_time:6.3f} s")
    print(
        f"(a) naive python-docx:      {naive_time:6.3f} s  -> PIA Desk {naive_time / ours:.1f}x faster"
    )
    print(
        f"(b) floor, lxml + zip:      {floor_time:6.3f} s  -> PIA Desk {ours / floor_time:.2f}x the floor"
    )
    checks = [
        ("<= 1.5 s", ours <= 1.5),
        (">= 5x faster than naive", naive_time / ours >= 5),
        ("<= 3x the floor", ours / floor_time <= 3),
    ]
    for name, ok in checks:
        print(f"  target {name}: {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()

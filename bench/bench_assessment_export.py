"""Export of the whole 評価書 of a large 全項目評価書 project against a bare lxml + zip floor.

The project of bench_storage (every text item filled with 300–3,000 characters, 10
submitted revisions of 100 rows each). Reports:
  export = document model + .docx (body, 1,000-row 変更箇所 annex, atomic write)
  floor  = the same texts as paragraphs of a bare document.xml built with lxml, zipped
Targets: export <= 2 s and <= 3x the floor.  Run: python bench/bench_assessment_export.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_storage import large_project, timed

from pia_desk.domain.assessment import AnnexBox, Section, build_assessment
from pia_desk.domain.assessment_text import text_state
from pia_desk.export.assessment_docx import write_assessment_docx
from pia_desk.export.table import build_table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def all_texts(document, table) -> list[str]:
    texts: list[str] = []
    for part in document.parts:
        rows = part.rows if isinstance(part, Section) else [part]
        for row in rows:
            if isinstance(row, AnnexBox):
                texts.extend(row.value)
            else:
                texts.extend(t for t in (row.outer, row.label) if t)
                texts.extend(row.value or ())
    for row in table.rows:
        for cell in row.cells:
            texts.extend(cell.split("\n"))
    return texts


def bare_floor(texts: list[str], path: Path) -> None:
    """One paragraph per line in a bare document.xml, zipped: the least any writer does."""
    body_tag, p_tag, r_tag, t_tag = (f"{{{W}}}{t}" for t in ("body", "p", "r", "t"))
    root = etree.Element(f"{{{W}}}document", nsmap={"w": W})
    body = etree.SubElement(root, body_tag)
    for text in texts:
        t = etree.SubElement(etree.SubElement(etree.SubElement(body, p_tag), r_tag), t_tag)
        t.text = text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", data)
    path.write_bytes(buffer.getvalue())


def main() -> int:
    project = large_project()
    state = text_state(project)
    document = build_assessment(project, state)
    table = build_table(project)
    texts = all_texts(document, table)
    chars = sum(map(len, texts))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "評価書.docx"

        def export() -> None:
            model = build_assessment(project, text_state(project))
            write_assessment_docx(model, build_table(project), out, author=project.org)

        floor = timed(lambda: bare_floor(texts, Path(folder) / "bare.docx"))
        best = timed(export)
        table_only = timed(lambda: build_table(project))
        writer = timed(lambda: write_assessment_docx(document, table, out))
        size = out.stat().st_size
    print(
        f"project: {len(list(project.items()))} items, {len(table.rows)} annex rows, "
        f"{chars / 1e6:.2f} M characters, .docx {size / 1e6:.1f} MB"
    )
    print(f"bare lxml + zip floor   {floor * 1000:8.1f} ms")
    print(
        f"export-assessment       {best * 1000:8.1f} ms   ratio {best / floor:4.2f}x "
        "(targets <= 2000 ms, <= 3x)"
    )
    print(
        f"  of which table model  {table_only * 1000:8.1f} ms   (rows, excerpts: shared with export)"
    )
    print(f"  of which .docx writer {writer * 1000:8.1f} ms   ratio {writer / floor:4.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

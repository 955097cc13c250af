"""Hostile tables given to `pia-desk import-table`: each is refused with exit code 2 and a
Japanese message (no traceback) within 5 s of CPU time and a bounded address space,
set by the test on the subprocess, and leaves no project file and no other file behind.

The generators build each input in a few KB (bench/bench_hostile_imports.py reuses them
to print the CPU time and memory each one costs).
"""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from test_import_tables import sample_cells, write_xlsx  # noqa: E402

from pia_desk.domain.table_text import HEADERS  # noqa: E402
from pia_desk.storage import limits  # noqa: E402

CPU_SECONDS = 5
# A Qt-free import of a real 2,000-row table peaks at about 120 MB of address space
# (bench/bench_hostile_imports.py prints it); before the limits, these inputs took
# 3–10 GB. The test refuses anything above this.
ADDRESS_SPACE_BYTES = 300 * 1024 * 1024
HANG_GUARD_SECONDS = 120  # a blocked open uses no CPU time: only this ends it

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    b'/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# -- building packages ------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A zip member given as raw deflate data, with the sizes it declares."""

    name: str
    deflated: bytes
    crc: int
    size: int


def deflate(data: bytes) -> Member:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member("", compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def repeated(prefix: bytes, chunk: bytes, times: int, suffix: bytes) -> Member:
    """prefix + chunk * times + suffix, deflated without unpacking it: each piece is a
    flushed deflate segment, so the chunk's segment is repeated as bytes."""

    def segment(data: bytes, last: bool = False) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = compressor.compress(data)
        return packed + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)

    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    data = segment(prefix) + segment(chunk) * times + segment(suffix, last=True)
    return Member("", data, crc, len(prefix) + len(chunk) * times + len(suffix))


def write_zip(
    path: Path, members: Iterable[tuple[str, Member]], declare: int | None = None
) -> Path:
    """A zip written by hand, so that a member may declare a size other than its own."""
    out = io.BytesIO()
    central = []
    for name, member in members:
        encoded = name.encode()
        size = member.size if declare is None else declare
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21,
                              member.crc, len(member.deflated), size, len(encoded), 0))  # fmt: skip
        out.write(encoded + member.deflated)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21,
                                   member.crc, len(member.deflated), size, len(encoded),
                                   0, 0, 0, 0, 0, offset) + encoded)  # fmt: skip
    start = out.tell()
    out.write(b"".join(central))
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))  # fmt: skip
    path.write_bytes(out.getvalue())
    return path


def cell(text: str = "", props: str = "") -> str:
    return f"<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def header_row() -> str:
    return "<w:tr>" + "".join(cell(h) for h in HEADERS) + "</w:tr>"


def document(rows: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W}"><w:body>'
        f"<w:tbl>{header_row()}{rows}</w:tbl></w:body></w:document>"
    ).encode()


def docx(path: Path, main: bytes | Member, extra: Iterable[tuple[str, Member]] = ()) -> Path:
    body = main if isinstance(main, Member) else deflate(main)
    return write_zip(path, [("_rels/.rels", deflate(RELS)), ("word/document.xml", body), *extra])


def replace_part(source: Path, target: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, edit(data) if info.filename == name else data)
    return target


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">' for i in range(9))
    + "]>"
)
XXE = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# -- the hostile inputs -------------------------------------------------------------


def huge_spans(folder: Path) -> Path:
    """gridBefore / gridSpan of 2e8 (a 1.4 KB file took 19 s and 3 GB)."""
    props = '<w:tcPr><w:gridSpan w:val="200000000"/></w:tcPr>'
    before = '<w:tr><w:trPr><w:gridBefore w:val="200000000"/></w:trPr>' + cell("x") + "</w:tr>"
    span = "<w:tr>" + cell("", props) + cell("x") + "</w:tr>"
    return docx(folder / "spans.docx", document((before + span) * 25))


def many_huge_spans(folder: Path) -> Path:
    """2,000 cells each spanning a million columns (a 12.6 KB file hung)."""
    props = '<w:tcPr><w:gridSpan w:val="1000000"/></w:tcPr>'
    row = "<w:tr>" + cell("令和6年4月1日", props) * 100 + "</w:tr>"
    return docx(folder / "many-spans.docx", document(row * 20))


def _good_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "good.xlsx", [sample_cells({"date": "令和6年4月1日",
        "item_path": ["Ⅰ"], "before": "前", "after": "後", "timing": "事前",
        "explanation": ""})])  # fmt: skip


def huge_dimension(folder: Path) -> Path:
    """A sheet declaring A1:XFD1048576 with a cell in its last row (ran for minutes)."""

    def edit(sheet: bytes) -> bytes:
        sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
        last = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        far = b'<row r="999999999999"><c t="inlineStr"><is><t>y</t></is></c></row>'
        return sheet.replace(b"</sheetData>", last + far + b"</sheetData>")

    good = _good_xlsx(folder)
    return replace_part(good, folder / "dimension.xlsx", "xl/worksheets/sheet1.xml", edit)


def wide_row(folder: Path) -> Path:
    """A sheet row of cells without coordinates, as many as the markup limit allows:
    the most a sheet within the limits can cost."""
    cells = limits.MAX_XML_MARKUP - 5_000

    def edit(sheet: bytes) -> bytes:
        row = b'<row r="4">' + b"<c/>" * cells + b"</row>"
        return sheet.replace(b"</sheetData>", row + b"</sheetData>")

    return replace_part(_good_xlsx(folder), folder / "wide.xlsx", "xl/worksheets/sheet1.xml", edit)


def merged_everything(folder: Path) -> Path:
    """One merged range over a whole sheet: 1.7e10 cells for openpyxl to make."""

    def edit(sheet: bytes) -> bytes:
        merge = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        return sheet.replace(b"</sheetData>", b"</sheetData>" + merge)

    return replace_part(_good_xlsx(folder), folder / "merge.xlsx", "xl/worksheets/sheet1.xml", edit)


def long_csv_cell(folder: Path) -> Path:
    """A cell longer than the csv module's default field limit (131,072 characters)."""
    row = ["令和6年4月1日", "Ⅰ 基本情報", "前", "後" * 200_000, "事前", ""]
    path = folder / "long.csv"
    path.write_text(",".join(HEADERS) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def zip_bomb(folder: Path) -> Path:
    """A cell of 490 MB of text in a file under 1 MB (took 10 GB before refusal)."""
    prefix, suffix = document("<w:tr>" + cell("@") * 6 + "</w:tr>").split(b"@", 1)
    return docx(folder / "bomb.docx", repeated(prefix, b"A" * (1 << 20), 490, suffix))


def lying_bomb(folder: Path) -> Path:
    """The same bomb declaring 1 KB: stopped by the sizes read, not the sizes declared."""
    prefix = b'<?xml version="1.0"?><w:document xmlns:w="' + W.encode() + b'"><w:body><w:p><w:t>'
    body = repeated(prefix, b"A" * (1 << 20), 490, b"</w:t></w:p></w:body></w:document>")
    path = folder / "lying-bomb.docx"
    return write_zip(path, [("_rels/.rels", deflate(RELS)), ("word/document.xml", body)], 1024)


def element_bomb(folder: Path) -> Path:
    """Five million empty rows: 35 MB of XML in a 50 KB file."""
    prefix, suffix = document("").split(b"</w:tbl>")
    body = repeated(prefix, b"<w:tr/>" * 150_000, 34, b"</w:tbl>" + suffix)
    return docx(folder / "rows.docx", body)


def long_cell(folder: Path) -> Path:
    """One cell over the cell limit, within every other limit."""
    text = "あ" * (limits.MAX_TEXT_CHARS + 1)
    return docx(folder / "long-cell.docx", document("<w:tr>" + cell(text) * 6 + "</w:tr>"))


def damaged_deflate(folder: Path) -> Path:
    """Deflate data overwritten in the middle (zlib.error)."""
    main = deflate(document("<w:tr>" + cell("令和6年4月1日") * 6 + "</w:tr>" * 1))
    broken = bytearray(main.deflated)
    broken[len(broken) // 3 : len(broken) // 3 + 16] = b"\xff" * 16
    return docx(folder / "deflate.docx", Member("", bytes(broken), main.crc, main.size))


def truncated(folder: Path) -> Path:
    whole = docx(folder / "whole.docx", document(("<w:tr>" + cell("x") * 6 + "</w:tr>") * 200))
    path = folder / "truncated.docx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    return path


def malformed_sheet(folder: Path) -> Path:
    def edit(sheet: bytes) -> bytes:
        return sheet.replace(b"</sheetData>", b"<row><c><v>1</c></row></sheetData>")

    return replace_part(
        _good_xlsx(folder), folder / "malformed.xlsx", "xl/worksheets/sheet1.xml", edit
    )


def doctype_in_xlsx_part(name: str, doctype: str, stem: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        def edit(xml: bytes) -> bytes:
            return re.sub(
                rb"(<\?xml[^>]*\?>)?", lambda m: (m[0] or b"") + doctype.encode(), xml, count=1
            )

        return replace_part(_good_xlsx(folder), folder / f"{stem}.xlsx", name, edit)

    return build


def doctype_after_white_space(folder: Path) -> Path:
    """A sheet without an XML declaration: a megabyte of white space, then a DOCTYPE."""

    def edit(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return b"\n" * (1 << 20) + XXE.encode() + body

    good = _good_xlsx(folder)
    return replace_part(good, folder / "white.xlsx", "xl/worksheets/sheet1.xml", edit)


def doctype_in_docx(doctype: str, stem: str, before: str = "") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        use = "&{};".format(re.findall(r"ENTITY (\w+) ", doctype)[-1])  # the outermost
        rows = "<w:tr>" + cell("令和6年4月1日") + cell(use) * 5 + "</w:tr>"
        return docx(folder / f"{stem}.docx", document(rows, prolog=before + doctype))

    return build


def garbage(folder: Path) -> Path:
    path = folder / "garbage.docx"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(20_000)))
    return path


def zip_garbage(folder: Path) -> Path:
    path = folder / "zip-garbage.docx"
    path.write_bytes(b"PK\x03\x04" + bytes((i * 104729) % 251 for i in range(20_000)))
    return path


def fifo(folder: Path) -> Path:
    path = folder / "fifo.docx"
    os.mkfifo(path)
    return path


def dev_zero(folder: Path) -> Path:
    path = folder / "zero.docx"
    path.symlink_to("/dev/zero")
    return path


# name -> (generator, words the message must contain)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb: 490 MB in a 0.5 MB docx": (zip_bomb, "展開後のサイズが大きすぎる"),
    "zip bomb declaring 1 KB": (lying_bomb, "壊れて"),
    "five million rows in a 50 KB docx": (element_bomb, "要素が多すぎる"),
    "a cell over the cell limit": (long_cell, "文字数が多すぎます"),
    "damaged deflate data (zlib.error)": (damaged_deflate, "壊れて"),
    "docx cut in half": (truncated, "壊れて"),
    "malformed sheet XML": (malformed_sheet, "壊れて"),
    "billion laughs in an xlsx sheet": (
        doctype_in_xlsx_part("xl/worksheets/sheet1.xml", LAUGHS, "laughs"),
        "DOCTYPE",
    ),
    "XXE in xlsx workbook.xml": (doctype_in_xlsx_part("xl/workbook.xml", XXE, "xxe"), "DOCTYPE"),
    "DOCTYPE after 1 MB of white space in a sheet": (doctype_after_white_space, "DOCTYPE"),
    "billion laughs in a docx": (doctype_in_docx(LAUGHS, "laughs"), "DOCTYPE"),
    "XXE in a docx": (doctype_in_docx(XXE, "xxe"), "DOCTYPE"),
    "DOCTYPE after a 5 KB comment": (
        doctype_in_docx('<!DOCTYPE d [<!ENTITY e "E">]>', "late", "<!--" + "<a>" * 1700 + "-->"),
        "DOCTYPE",
    ),
    "binary garbage named .docx": (garbage, "別の形式"),
    "zip header then garbage": (zip_garbage, "壊れて"),
    "FIFO named .docx": (fifo, "通常のファイルではありません"),
    "symlink to /dev/zero named .docx": (dev_zero, "通常のファイルではありません"),
}
# Hostile 評価書 files for `import-assessment` (openpyxl builds every cell of a workbook;
# its .docx reader unpacks whole parts).
HOSTILE_ASSESSMENTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a merged range A1:XFD1048576": (merged_everything, "セルが多すぎる"),
    "a sheet row of cells up to the markup limit": (wide_row, "セルが多すぎる"),
    "zip bomb declaring 1 KB": (lying_bomb, "壊れて"),
    "damaged deflate data (zlib.error)": (damaged_deflate, "壊れて"),
}
# Read within the same bounds (what the file holds beyond the limits is left out):
# name -> (generator, words of the report).
BOUNDED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "docx gridBefore/gridSpan 2e8": (huge_spans, "空欄の行 50 行"),
    "docx 2,000 cells spanning 1e6 columns": (many_huge_spans, "読み込んだ行: 20"),
    "xlsx declaring A1:XFD1048576": (huge_dimension, "読み込んだ行: 2"),
    "a sheet row of cells up to the markup limit": (wide_row, "空欄の行 1 行"),
    "a CSV cell of 200,000 characters": (long_csv_cell, "読み込んだ行: 1"),
}


# -- running the command under limits ---------------------------------------------------


def _set_limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


def import_table(
    table: Path, project: Path, limited: bool = True, command_name: str = "import-table"
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pia_desk", command_name, str(table), "-o", str(project)]
    env = os.environ | {"PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=project.parent,
        timeout=HANG_GUARD_SECONDS,
        preexec_fn=_set_limits if limited else None,
    )


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture(scope="module")
def existing_project(tmp_path_factory) -> Path:
    """A project made by the command itself, copied into each test's folder."""
    folder = tmp_path_factory.mktemp("existing")
    table = folder / "t.csv"
    row = ["令和6年4月1日", "Ⅰ 基本情報", "前", "後", "事前", ""]
    table.write_text(",".join(HEADERS) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    result = import_table(table, folder / "existing.piadesk", limited=False)
    assert result.returncode == 0, result.stderr
    return folder / "existing.piadesk"


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_table_is_refused_within_bounds_and_writes_nothing(
    name, tmp_path, existing_project
):
    generate, words = HOSTILE[name]
    table = generate(tmp_path)
    # Half the cases import into a new project, half into an existing one.
    into_existing = list(HOSTILE).index(name) % 2 == 1
    project = tmp_path / ("existing.piadesk" if into_existing else "new.piadesk")
    if into_existing:
        project.write_bytes(existing_project.read_bytes())
    before = files_in(tmp_path)

    result = import_table(table, project)

    assert result.returncode == 2, (result.returncode, result.stderr)
    assert words in result.stderr
    assert JAPANESE.search(result.stderr)
    assert "Traceback" not in result.stderr and "メモリ" not in result.stderr
    assert files_in(tmp_path) == before  # no project, lock, backup or temporary file
    if into_existing:
        assert project.read_bytes() == existing_project.read_bytes()


@pytest.mark.parametrize("name", list(BOUNDED))
def test_table_within_the_limits_is_read_within_bounds(name, tmp_path):
    generate, words = BOUNDED[name]
    table = generate(tmp_path)
    result = import_table(table, tmp_path / "new.piadesk")
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert words in result.stdout
    assert (tmp_path / "new.piadesk").is_file()


@pytest.mark.parametrize("name", list(HOSTILE_ASSESSMENTS))
def test_hostile_assessment_document_is_refused_within_bounds(name, tmp_path):
    generate, words = HOSTILE_ASSESSMENTS[name]
    table = generate(tmp_path)
    before = files_in(tmp_path)
    result = import_table(table, tmp_path / "new.piadesk", command_name="import-assessment")
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert files_in(tmp_path) == before

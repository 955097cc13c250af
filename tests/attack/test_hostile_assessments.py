"""Hostile documents given to `pia-desk import-assessment`: each ends with a Japanese
message and exit code 1 (no 評価書 in it) or 2 (refused or unreadable), no traceback,
within 5 s of CPU time and a bounded address space set on the subprocess, and leaves
every file as it was (no project, lock, backup or copy of the document).

The PDFs are written here byte by byte (objects, cross-reference table, trailer), so
each hostile trait is exactly what the test says and costs a few KB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_hostile_imports import JAPANESE, REPO, W, cell, docx, files_in, import_table

from pia_desk.storage import limits

# -- Word documents ---------------------------------------------------------------------


def _one_row_docx(path: Path, *texts: str) -> Path:
    row = "<w:tr>" + "".join(cell(text) for text in texts) + "</w:tr>"
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
        f"<w:tbl>{row}</w:tbl></w:body></w:document>"
    )
    return docx(path, body.encode())


def cell_at_the_text_limit(folder: Path) -> Path:
    """18 KB unpacking to a cell of a million characters (once a MemoryError)."""
    return _one_row_docx(folder / "long.docx", "事務の名称", "あ" * limits.MAX_TEXT_CHARS)


def cell_over_the_text_limit(folder: Path) -> Path:
    return _one_row_docx(folder / "longer.docx", "事務の名称", "あ" * (limits.MAX_TEXT_CHARS + 1))


def text_over_the_document_limit(folder: Path) -> Path:
    cells = limits.MAX_ASSESSMENT_CHARS // limits.MAX_TEXT_CHARS + 1
    return _one_row_docx(folder / "much.docx", *["い" * limits.MAX_TEXT_CHARS] * cells)


def many_words_in_a_cell(folder: Path) -> Path:
    """A million characters in 500,000 words: work per word, not per character."""
    return _one_row_docx(folder / "words.docx", "事務の名称", "あ " * (limits.MAX_TEXT_CHARS // 2))


# -- PDFs -------------------------------------------------------------------------------


def pdf_bytes(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (1 0 obj is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_objects(pages: list[bytes]) -> list[bytes]:
    """Objects of a PDF with one page per content stream and Helvetica as /F1:
    1 catalog, 2 pages, 3 font, then a page and its content for each page."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        FONT,
    ]
    for i, content in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(stream(content))
    return objects


def text_pdf(pages: list[bytes]) -> bytes:
    return pdf_bytes(text_objects(pages))


def line(text: str) -> bytes:
    return b"BT /F1 10 Tf 50 800 Td (%s) Tj ET" % text.encode("ascii")


def encrypted_pdf(folder: Path) -> Path:
    """A standard security handler whose user password is not empty (as a PDF saved with
    a password to open it): the empty password fails its check."""
    objects = text_objects([line("Kihon")])
    objects.append(
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
        b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
    )
    trailer = b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (len(objects), b"ab" * 16, b"ab" * 16)
    return _write(folder / "encrypted.pdf", pdf_bytes(objects, trailer))


def truncated_pdf(folder: Path) -> Path:
    """A text PDF cut in the middle of its content stream (a broken download)."""
    data = text_pdf([line("Kihon joho " * 50)])
    return _write(folder / "truncated.pdf", data[: data.index(b"stream\n") + 20])


def not_a_pdf(folder: Path) -> Path:
    """A PNG named .pdf."""
    return _write(folder / "picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000)


def pdf_of_many_pages(folder: Path) -> Path:
    return _write(folder / "pages.pdf", text_pdf([b""] * (limits.MAX_ASSESSMENT_PAGES + 1)))


def pdf_of_enormous_text_runs(folder: Path) -> Path:
    """Pages of 100,000 characters each (four text runs; PDFium reads at most 32,767
    characters of one string), more than a whole document may hold, in a few KB."""
    page = b"BT /F1 1 Tf 0 800 Td " + (b"(" + b"A" * 25_000 + b") Tj ") * 4 + b"ET"
    return _write(
        folder / "runs.pdf", text_pdf([page] * (limits.MAX_ASSESSMENT_CHARS // 100_000 + 1))
    )


def scanned_pdf(folder: Path) -> Path:
    """A page that is one grey image and no text, as a scanner makes it."""
    image = stream(
        b"\x80" * (64 * 64),
        b" /Type /XObject /Subtype /Image /Width 64 /Height 64"
        b" /ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        image,
    ]
    return _write(folder / "scan.pdf", pdf_bytes(objects))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# name -> (generator, exit code, words of the message)
HOSTILE: dict[str, tuple[Callable[[Path], Path], int, str]] = {
    "docx: a cell of a million characters": (
        cell_at_the_text_limit,
        1,
        "評価書として読み取れません",
    ),
    "docx: a cell of a million words": (many_words_in_a_cell, 1, "評価書として読み取れません"),
    "docx: a cell over the text limit": (cell_over_the_text_limit, 2, "文字が多すぎる"),
    "docx: more text than a document may hold": (text_over_the_document_limit, 2, "文字が多すぎる"),
    "pdf: encrypted": (encrypted_pdf, 2, "パスワード"),
    "pdf: truncated": (truncated_pdf, 2, "壊れて"),
    "pdf: a PNG named .pdf": (not_a_pdf, 2, "PDF ではありません"),
    "pdf: more pages than the limit": (pdf_of_many_pages, 2, "ページが多すぎる"),
    "pdf: enormous text runs": (pdf_of_enormous_text_runs, 2, "文字が多すぎる"),
    "pdf: a scan without text": (scanned_pdf, 1, "文字がありません"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("into", ["new", "existing"])
def test_hostile_assessment_ends_with_a_message_and_changes_nothing(
    name, into, tmp_path, juten_project_file
):
    generate, code, words = HOSTILE[name]
    document = generate(tmp_path)
    project = tmp_path / f"{into}.piadesk"
    if into == "existing":
        project.write_bytes(juten_project_file.read_bytes())
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    listing = files_in(tmp_path)

    result = import_table(document, project, command_name="import-assessment")

    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert words in result.stderr
    assert JAPANESE.search(result.stderr) and "Traceback" not in result.stderr
    assert files_in(tmp_path) == listing
    assert {p: p.read_bytes() for p in before} == before


@pytest.fixture(scope="module")
def juten_project_file(tmp_path_factory) -> Path:
    """An existing project (made by `pia-desk new`) that the import must leave as it is."""
    target = tmp_path_factory.mktemp("existing") / "existing.piadesk"
    done = subprocess.run(
        [sys.executable, "-m", "pia_desk", "new", "--form", "juten", "-o", str(target)],
        capture_output=True,
        env=os.environ | {"PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 0, done.stderr
    return target

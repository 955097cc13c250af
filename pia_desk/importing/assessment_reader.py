"""Read an assessment document (.docx, .xlsx, .pdf, .txt) into a text flow, safely.

Before a parser sees the file: its size is limited, an encrypted or old binary Office
file, a file that is not what its extension says, a package that unpacks to too much
or holds too many parts, and any XML part with a DOCTYPE are refused, each with a
Japanese message. Nothing is ever written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pia_desk.domain.document_flow import TextFlow
from pia_desk.importing.assessment_docx import read_docx_flow
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.assessment_pdf import read_pdf_flow
from pia_desk.importing.assessment_xlsx import read_xlsx_flow
from pia_desk.importing.errors import TableImportError
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, Package
from pia_desk.importing.table_reader import ZIP_MAGIC, _check_format
from pia_desk.storage.errors import UnreadableFileError
from pia_desk.storage.safe_xml import read_limited

MAX_FILE_BYTES = 100 * 1024 * 1024  # a published 全項目評価書 PDF is a few MB
MAX_TEXT_LINES = 500_000
SUPPORTED_SUFFIXES = (".docx", ".xlsx", ".pdf", ".txt")
PDF_MAGIC = b"%PDF-"
_KIND = {".docx": "Word 文書", ".xlsx": "Excel ブック", ".pdf": "PDF", ".txt": "テキストファイル"}


def _read_text_flow(path: Path, data: bytes) -> TextFlow:
    """Plain text (what a user copies out of a document): one piece per line."""
    if b"\x00" in data[:65536]:
        raise UnreadableDocumentError(
            "テキストファイルではありません（中身が別の形式です）。", path
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableDocumentError(
            "文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。", path
        )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_TEXT_LINES:
        raise UnreadableDocumentError("行が多すぎるため読み込みません。", path)
    flow = TextFlow(kind="text")
    for number, line in enumerate(lines, start=1):
        flow.add(line, f"{number}行目", ("line", number - 1))
    return flow


_READERS: dict[str, Callable[[Path, bytes], TextFlow]] = {
    ".docx": read_docx_flow,
    ".xlsx": read_xlsx_flow,
    ".pdf": read_pdf_flow,
    ".txt": _read_text_flow,
}


def read_document(path: Path | str) -> TextFlow:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocumentError(
            "取り込めるのは Word 文書（.docx）、Excel ブック（.xlsx）、PDF（.pdf）、"
            "テキスト（.txt）です。",
            path,
        )
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except UnreadableFileError as error:
        raise UnreadableDocumentError(error.message, path) from None
    check_document(path, suffix, data)
    return _READERS[suffix](path, data)


def check_document(path: Path, suffix: str, data: bytes) -> None:
    """Refuse what no reader should see (see the module's docstring)."""
    if suffix in (".docx", ".xlsx"):
        try:
            _check_format(path, suffix, data)  # encrypted, .doc/.xls, mislabelled, zip bomb
        except TableImportError as error:
            raise UnreadableDocumentError(error.message, path) from None
        _check_parts(path, data)
    elif suffix == ".pdf":
        if PDF_MAGIC not in data[:1024]:
            raise UnreadableDocumentError(
                "拡張子は .pdf ですが、PDF ではありません（中身が別の形式です）。", path
            )
    elif data.startswith((ZIP_MAGIC, PDF_MAGIC)):
        raise UnreadableDocumentError(
            "拡張子は .txt ですが、中身は Word / Excel / PDF の文書です。拡張子を確かめてください。",
            path,
        )


def _check_parts(path: Path, data: bytes) -> None:
    """The package within the import limits (parts, unpacked size, XML markup), and no
    DOCTYPE in any XML part, found by the parser (importing.package). A part that cannot
    be unpacked or parsed is refused here: the readers load whole parts at once."""
    try:
        package = Package(data, path)
    except TableImportError as error:
        raise UnreadableDocumentError(error.message, path) from None
    except DAMAGED_FILE_ERRORS:
        return  # not a zip at all: the reader says so
    with package:
        try:
            package.check_xml_parts()
        except TableImportError as error:
            raise UnreadableDocumentError(error.message, path) from None
        except DAMAGED_FILE_ERRORS:
            raise UnreadableDocumentError(
                "文書の内容を読み取れません。ファイルが壊れている可能性があります。", path
            ) from None

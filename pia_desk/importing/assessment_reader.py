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
from pia_desk.importing.assessment_errors import AssessmentImportError, UnreadableDocumentError
from pia_desk.importing.assessment_pdf import read_pdf_flow
from pia_desk.importing.assessment_xlsx import read_xlsx_flow
from pia_desk.importing.errors import TableImportError, with_xml_cause
from pia_desk.importing.package import DAMAGED_FILE_ERRORS, Package
from pia_desk.importing.table_reader import ZIP_MAGIC, _check_format
from pia_desk.storage import limits
from pia_desk.storage.errors import UnreadableFileError
from pia_desk.storage.safe_xml import read_limited

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
    if len(lines) > limits.MAX_ASSESSMENT_LINES:
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
        data = read_limited(path, limits.MAX_ASSESSMENT_FILE_BYTES)
    except UnreadableFileError as error:
        raise UnreadableDocumentError(error.message, path) from None
    check_document(path, suffix, data)
    try:
        flow = _READERS[suffix](path, data)
    except AssessmentImportError:
        raise
    except DAMAGED_FILE_ERRORS:  # what a reader did not foresee is still a damaged file
        raise UnreadableDocumentError(
            f"{_KIND[suffix]}の内容を読み取れません。ファイルが壊れている可能性があります。", path
        ) from None
    except (MemoryError, RecursionError):
        raise UnreadableDocumentError(
            "メモリが足りないため読み込めません（ファイルが大きすぎるか、壊れています）。", path
        ) from None
    check_text(path, flow)
    return flow


def check_text(path: Path, flow: TextFlow) -> None:
    """The text within the limits before anything matches it: one piece (a cell, a
    paragraph, a line) at most MAX_TEXT_CHARS, the whole at most MAX_ASSESSMENT_CHARS."""
    total = 0
    for segment in flow.segments:
        if len(segment.text) > limits.MAX_TEXT_CHARS:
            raise UnreadableDocumentError(
                f"{segment.where}の文字が多すぎるため読み込みません"
                f"（{len(segment.text):,} 文字、上限 {limits.MAX_TEXT_CHARS:,} 文字）。",
                path,
            )
        total += len(segment.text)
    if total > limits.MAX_ASSESSMENT_CHARS:
        raise UnreadableDocumentError(
            f"文字が多すぎるため読み込みません（{total:,} 文字、上限 "
            f"{limits.MAX_ASSESSMENT_CHARS:,} 文字）。",
            path,
        )


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
        except DAMAGED_FILE_ERRORS as error:
            raise UnreadableDocumentError(
                with_xml_cause(
                    "文書の内容を読み取れません。ファイルが壊れている可能性があります。", error
                ),
                path,
            ) from None

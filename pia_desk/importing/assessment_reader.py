"""Read an assessment document (.docx, .xlsx, .pdf, .txt) into a text flow, safely.

Before a parser sees the file: its size is limited, an encrypted or old binary Office
file, a file that is not what its extension says, a package that unpacks to too much
or holds too many parts, and any XML part with a DOCTYPE are refused, each with a
Japanese message. Nothing is ever written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from pia_desk.domain.document_flow import TextFlow
from pia_desk.importing.assessment_docx import MAX_MEMBERS, read_docx_flow
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.assessment_pdf import read_pdf_flow
from pia_desk.importing.assessment_xlsx import read_xlsx_flow
from pia_desk.importing.errors import TableImportError
from pia_desk.importing.table_reader import MAX_UNPACKED_BYTES, ZIP_MAGIC, _check_format
from pia_desk.storage.errors import UnreadableFileError
from pia_desk.storage.safe_xml import read_limited

MAX_FILE_BYTES = 100 * 1024 * 1024  # a published 全項目評価書 PDF is a few MB
MAX_TEXT_LINES = 500_000
SUPPORTED_SUFFIXES = (".docx", ".xlsx", ".pdf", ".txt")
PDF_MAGIC = b"%PDF-"
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if len(infos) > MAX_MEMBERS:
                raise UnreadableDocumentError("文書の部品が多すぎるため読み込みません。", path)
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                raise UnreadableDocumentError(
                    "展開後のサイズが大きすぎるため読み込みません。", path
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _has_doctype(package, info):
                    raise UnreadableDocumentError(
                        "文書型宣言（DOCTYPE）を含む文書は、安全のため読み込みません。", path
                    )
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # damaged: the reader says so


def _has_doctype(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether the part's prolog (after its declaration, comments and PIs) has a DOCTYPE."""
    with package.open(info) as stream:
        head = stream.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    position = 0
    if head.startswith(b"\xef\xbb\xbf"):
        position = 3
    while (match := _PROLOG_ITEM.match(head, position)) is not None and match.end() > position:
        position = match.end()
    return head[position:].lstrip()[:9].upper() == b"<!DOCTYPE"

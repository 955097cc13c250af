"""Reading untrusted XML: no DTD, no entities, no network, a size limit.

Every refusal raises UnreadableFileError with a Japanese message; nothing is written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lxml import etree

from pia_desk.storage import limits
from pia_desk.storage.errors import UnreadableFileError, describe_os_error
from pia_desk.storage.limits import describe_bytes
from pia_desk.storage.xml_errors import describe_xml_error, xml_error_location


def safe_parser(schema: etree.XMLSchema | None = None) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # long item texts are legitimate; entity expansion is refused anyway
        remove_pis=True,
        remove_comments=False,
        schema=schema,
    )


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, refusing missing, unreadable, empty and oversized files, and
    anything but a regular file (a named pipe would block, a device never ends): the
    kind and the size are checked on the open handle, and no more than `limit` bytes
    are ever read (default: limits.MAX_PROJECT_BYTES)."""
    limit = limits.MAX_PROJECT_BYTES if limit is None else limit
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableFileError("ファイルが見つかりません。", path) from None
    except IsADirectoryError:
        raise _folder_error(path) from None
    except PermissionError:
        raise UnreadableFileError("ファイルを読む権限がありません。", path) from None
    except OSError as error:
        raise UnreadableFileError(
            f"ファイルを読み込めません（{describe_os_error(error)}）。", path
        ) from None
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise _folder_error(path)
        if not stat.S_ISREG(mode):
            raise UnreadableFileError(
                "通常のファイルではありません（名前付きパイプや装置などは読み込みません）。", path
            )
        size = os.fstat(fd).st_size
        try:
            data = b"" if size > limit else stream.read(limit + 1)
        except OSError as error:
            raise UnreadableFileError(
                f"ファイルを読み込めません（{describe_os_error(error)}）。", path
            ) from None
    if size > limit or len(data) > limit:
        raise UnreadableFileError(
            f"ファイルが大きすぎます（{describe_bytes(max(size, len(data)))}、"
            f"上限 {describe_bytes(limit)}）。",
            path,
        )
    if not data or data.isspace():
        raise UnreadableFileError("ファイルが空です。", path)
    return data


def _folder_error(path: Path) -> UnreadableFileError:
    return UnreadableFileError("フォルダーが指定されました。ファイルを指定してください。", path)


def parse_bytes(data: bytes, path: Path | None = None) -> etree._ElementTree:
    """Parse UTF-8 XML bytes safely; DOCTYPE and entity declarations are refused."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise UnreadableFileError(
            "PIA Desk のプロジェクトファイルではありません（XML 形式のファイルではありません）。",
            path,
        )
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as error:
        _raise_encoding_error(data, path, error)
        raise UnreadableFileError(
            f"XML として読み取れません（{describe_xml_error(error)}）。"
            "ファイルが壊れているか、途中で切れている可能性があります。",
            path,
        ) from None
    # What the parser met, wherever it stood (a text scan of the prolog was fooled by
    # a comment holding "<a>"); the DTD was neither loaded nor expanded.
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnreadableFileError(
            "ファイルに DOCTYPE（文書型宣言）または実体宣言が含まれています。"
            "安全のため、このようなファイルは開きません。",
            path,
        )
    encoding = (tree.docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if encoding not in ("UTF-8", "UTF8"):
        raise UnreadableFileError(
            f"文字コード {tree.docinfo.encoding} のファイルは読み込めません（UTF-8 のみ）。", path
        )
    return tree


def _raise_encoding_error(data: bytes, path: Path | None, error: etree.XMLSyntaxError) -> None:
    """Explain a parse failure caused by bytes that are not UTF-8 (called on failure only)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad_bytes:
        if bad_bytes.reason == "unexpected end of data":
            raise UnreadableFileError(
                "ファイルが途中で切れています（保存の途中で中断された可能性があります）。", path
            ) from None
        raise UnreadableFileError(
            f"文字コードが UTF-8 ではありません（{xml_error_location(error)}"
            f"{bad_bytes.start} バイト目）。"
            "PIA Desk のプロジェクトファイルは UTF-8 で保存されます。",
            path,
        ) from None

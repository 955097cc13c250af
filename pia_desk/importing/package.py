"""The parts of a .docx / .xlsx package, read within the import limits.

Before any part is read, the package's directory is checked: how many files it holds
and how much they declare to unpack to. Every part is then read as a stream through a
meter that counts its real bytes (never more than it declared) and its markup, so a
tiny file that unpacks to millions of elements is stopped while it is read, not after.
XML is parsed by lxml with entities, DTD loading and network off, and a DOCTYPE is
refused by what the parser found (docinfo), wherever it stands in the prolog.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

from lxml import etree

from pia_desk.importing.errors import UnreadableTableError
from pia_desk.storage import limits

__all__ = ["DAMAGED_FILE_ERRORS", "SAFE_PARSING", "Package", "refuse_doctype"]

# What libraries raise on a damaged package or part (a bad zip, a broken deflate
# stream, malformed XML, an encrypted or oddly compressed member, a bad number).
DAMAGED_FILE_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    struct.error,
    etree.XMLSyntaxError,
    ParseError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    OverflowError,
    OSError,
)

_CHUNK = 1024 * 1024
# A part is XML when it starts with "<" (after a byte order mark or white space).
_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<")


class Package:
    """An opened .docx / .xlsx whose directory passed the limits; shares one budget
    of unpacked bytes and markup over every part read through it."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.infos = self.zip.infolist()
        self._check_directory()
        self.bytes_left = limits.MAX_UNPACKED_BYTES
        self.markup_left = limits.MAX_XML_MARKUP

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.zip.close()

    @property
    def names(self) -> set[str]:
        return {info.filename for info in self.infos}

    def _check_directory(self) -> None:
        if len(self.infos) > limits.MAX_PACKAGE_MEMBERS:
            raise UnreadableTableError(
                f"ファイルの中の部品が多すぎるため読み込みません（{len(self.infos):,} 個、"
                f"上限 {limits.MAX_PACKAGE_MEMBERS:,} 個）。",
                self.path,
            )
        if sum(info.file_size for info in self.infos) > limits.MAX_UNPACKED_BYTES:
            raise self._too_large()

    def _too_large(self) -> UnreadableTableError:
        return UnreadableTableError(
            "展開後のサイズが大きすぎるため読み込みません"
            f"（上限 {limits.MAX_UNPACKED_BYTES // limits.MIB} MB）。",
            self.path,
        )

    def chunks(self, name: str) -> Iterator[bytes]:
        """The unpacked bytes of part `name`, metered against the package's budget."""
        info = self.zip.getinfo(name)
        left = info.file_size
        with self.zip.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                left -= len(chunk)
                self.bytes_left -= len(chunk)
                self.markup_left -= chunk.count(b"<") + chunk.count(b"=")
                if left < 0:
                    raise zipfile.BadZipFile(f"{name} unpacks to more than it declares")
                if self.bytes_left < 0:
                    raise self._too_large()
                if self.markup_left < 0:
                    raise UnreadableTableError(
                        "ファイルの中の XML の要素が多すぎるため読み込みません"
                        f"（タグと属性の上限 {limits.MAX_XML_MARKUP:,} 個）。",
                        self.path,
                    )
                yield chunk

    def parse(self, name: str) -> etree._Element:
        """Part `name` as an XML tree (KeyError when the package has no such part)."""
        parser = etree.XMLParser(**SAFE_PARSING)
        prolog = _Prolog(self)
        try:
            for chunk in self.chunks(name):
                prolog.feed(chunk)
                parser.feed(chunk)
            root = parser.close()
        except etree.XMLSyntaxError as error:
            error.xml_part = name  # the message names the damaged part
            raise
        refuse_doctype(root, self.path)
        return root

    def check_xml_parts(self) -> None:
        """Read every part once within the budget and refuse a DOCTYPE in any XML part,
        before a library that parses on its own (openpyxl) sees the package."""
        for info in self.infos:
            prolog = _Prolog(self)
            try:
                for chunk in self.chunks(info.filename):
                    prolog.feed(chunk)
                prolog.close()
            except etree.XMLSyntaxError as error:
                error.xml_part = info.filename  # the message names the damaged part
                raise


def refuse_doctype(element: etree._Element, path: Path) -> None:
    """Refuse the document of `element` if its parser met a DOCTYPE (docinfo)."""
    info = element.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise UnreadableTableError(
            "ファイルに DOCTYPE（文書型宣言）が含まれています。"
            "安全のため、このようなファイルは読み込みません。",
            path,
        )


SAFE_PARSING = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "dtd_validation": False,
    "huge_tree": True,  # long cell texts are legitimate; the meter bounds the size
    "remove_pis": True,
}


class _Prolog:
    """Parses a part up to the start of its root element, where the parser has seen any
    DOCTYPE: refused there, before an error it causes later (billion laughs) and before
    the content is parsed. A part that does not start like XML (an image) is skipped."""

    _PIECE = 4096  # fed in small pieces, so that parsing stops soon after the root starts

    def __init__(self, package: Package) -> None:
        self.package = package
        self.parser: etree.XMLPullParser | None = None
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        if self.parser is None:
            chunk = chunk.lstrip(b" \t\r\n")  # white space before a prolog is no content
            if not chunk:
                return  # only white space so far: not decided yet
            if not chunk.startswith(_XML_STARTS):
                self.done = True
                return
            self.parser = etree.XMLPullParser(events=("start",), **SAFE_PARSING)
        for start in range(0, len(chunk), self._PIECE):
            try:
                self.parser.feed(chunk[start : start + self._PIECE])
            finally:
                self.done = self._root_started()
            if self.done:
                return

    def _root_started(self) -> bool:
        assert self.parser is not None
        root = next((element for _event, element in self.parser.read_events()), None)
        if root is not None:
            refuse_doctype(root, self.package.path)
        return root is not None

    def close(self) -> None:
        """Raise XMLSyntaxError for an XML part that ended before its root element."""
        if self.parser is not None and not self.done:
            self.parser.close()

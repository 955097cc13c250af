"""Errors of importing an existing change table; every message is Japanese, for the user.

Whatever the error, no project file has been written or changed.
"""

from __future__ import annotations

from pathlib import Path

from pia_desk.storage.xml_errors import describe_xml_error


def with_xml_cause(message: str, error: BaseException) -> str:
    """`message`, followed by where and why the XML was malformed when that was the cause."""
    cause = describe_xml_error(error)
    return f"{message}\n（{cause}）" if cause else message


class TableImportError(Exception):
    """The table could not be imported: `str(error)` is a complete Japanese message."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        super().__init__(f"{message}\n（ファイル: {self.path}）" if self.path else message)


class UnreadableTableError(TableImportError):
    """Missing, damaged, encrypted, too large, or not the format its extension says."""


class NoTableFoundError(TableImportError):
    """Readable, but without a table headed 変更日 / 項目 / 変更前の記載 / … ."""

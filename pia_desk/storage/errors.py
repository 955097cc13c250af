"""Errors of reading and writing project files; every message is for the user (Japanese).

Whatever the error, the file on disk is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ProjectFileError(Exception):
    """Base class: `str(error)` is a complete Japanese message naming the file."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{message}\n（ファイル: {self.path}）" if self.path else message)


class UnreadableFileError(ProjectFileError):
    """Not a PIA Desk project at all: missing, empty, not XML, not UTF-8, too large, hostile."""


class InvalidProjectError(ProjectFileError):
    """XML of the right kind that breaks the schema or the model's rules."""

    def __init__(
        self, message: str, path: Path | str | None = None, problems: list[str] | None = None
    ):
        self.problems = problems or []
        detail = "\n".join(f"・{p}" for p in self.problems[:20])
        super().__init__(f"{message}\n{detail}" if detail else message, path)


class NewerVersionError(ProjectFileError):
    """Written by a newer PIA Desk; it can be read but must not be overwritten."""


class FileChangedOnDiskError(ProjectFileError):
    """The file was changed by someone else since it was loaded."""


class SaveError(ProjectFileError):
    """Writing failed (disk full, read-only folder …); the previous file is intact."""


@dataclass(frozen=True)
class LockInfo:
    host: str
    user: str
    pid: int
    time: str  # ISO 8601, local time with offset
    app: str = "PIA Desk"

    def describe(self) -> str:
        return f"{self.user}（端末: {self.host}、{self.time} から）"


class LockedError(ProjectFileError):
    """Someone else has the project open for writing."""

    def __init__(self, message: str, path: Path | str | None, holder: LockInfo | None, stale: bool):
        self.holder = holder
        self.stale = stale
        super().__init__(message, path)

"""Errors of reading and writing project files; every message is for the user (Japanese).

Whatever the error, the file on disk is left as it was.
"""

from __future__ import annotations

import errno
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_OS_REASONS = {
    errno.ENOSPC: "ディスクの空き容量が不足しています",
    errno.EDQUOT: "ディスクの容量制限を超えています",
    errno.EACCES: "権限がありません（読み取り専用のフォルダーかもしれません）",
    errno.EPERM: "この操作は許可されていません（ファイルが保護されているかもしれません）",
    errno.EROFS: "読み取り専用の場所です",
    errno.ENOENT: "ファイルまたはフォルダーが見つかりません",
    errno.EISDIR: "フォルダーが指定されました",
    errno.ENOTDIR: "途中にフォルダーではないものが含まれています",
    errno.ENAMETOOLONG: "ファイル名が長すぎます",
    errno.EBUSY: "ほかのプログラムが使用中です",
    errno.EIO: "読み書きの途中で装置のエラーが起きました",
    errno.ELOOP: "シンボリックリンクが循環しています",
}


def shown(text: str, limit: int = 80) -> str:
    """A name from a file others can write (a lock on a shared folder), safe to show:
    control and format characters escaped (no escape sequence reaches a terminal), cut
    at `limit` characters."""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return "".join(ascii(ch)[1:-1] if unicodedata.category(ch)[0] == "C" else ch for ch in cut)


def describe_os_error(error: OSError) -> str:
    """The reason of an OS error in Japanese (the system's own text only as a fallback)."""
    if isinstance(error, PermissionError) and error.errno is None:
        return _OS_REASONS[errno.EACCES]
    return _OS_REASONS.get(error.errno or 0, error.strerror or str(error))


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


class ProjectExistsError(ProjectFileError):
    """A new project would replace an existing file."""


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
        return f"{shown(self.user)}（端末: {shown(self.host)}、{self.since()} から）"

    def since(self) -> str:
        """The lock's time as people read it: 和暦 and local time."""
        from pia_desk.domain.wareki import format_wareki_moment

        return format_wareki_moment(self.time) or shown(self.time)


class LockedError(ProjectFileError):
    """Someone else has the project open for writing."""

    def __init__(self, message: str, path: Path | str | None, holder: LockInfo | None, stale: bool):
        self.holder = holder
        self.stale = stale
        super().__init__(message, path)

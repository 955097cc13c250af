"""An open project file: the project, where it came from, its lock and write access."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pia_desk.domain.project import Project
from pia_desk.storage.errors import LockedError
from pia_desk.storage.lock import ProjectLock
from pia_desk.storage.project_file import load_project


@dataclass
class Session:
    project: Project
    path: Path | None = None
    digest: str | None = None  # of the bytes loaded or last saved, to detect others' saves
    read_only: bool = False
    read_only_reason: str = ""
    lock: ProjectLock | None = None
    warnings: tuple[str, ...] = ()
    newer_version: bool = False  # written by a newer PIA Desk: never saved over
    sample: bool = False  # a copy of the bundled sample: no file of its own until saved

    def is_own_file(self, path: Path) -> bool:
        """Whether `path` is this session's project file."""
        return self.path is not None and self.path.resolve() == Path(path).resolve()

    @property
    def display_name(self) -> str:
        if self.path:
            return self.path.name
        return "サンプル（無題）" if self.sample else "無題"

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


READ_ONLY_NOTE = "読み取り専用で開いています。"
# Called when someone else's lock could be taken over; True takes it over. The lock
# may be stale (its holder is provably gone) or belong to another PC, which cannot
# be checked: then only the user can tell whether that person still edits.
TakeoverQuestion = Callable[[LockedError], bool]


def can_take_over(error: LockedError) -> bool:
    """A lock of another PIA Desk (named holder, or a provably stale lock file)."""
    holder = error.holder
    if holder is None:
        return error.stale
    return not (holder.pid == os.getpid() and holder.host == socket.gethostname())


def read_only_reason(message: str) -> str:
    """The banner of a project opened read-only: why, and that it is read-only, once."""
    if "読み取り専用で開" in message:  # the reason says it already (…開きます。)
        return message
    return f"{message}{READ_ONLY_NOTE}"


def open_sample_copy(path: Path) -> Session:
    """The bundled sample as an untitled project: no path, no lock; 保存 asks for a name.

    The sample lives in the program folder, which must never be written to.
    """
    loaded = load_project(path)
    return Session(loaded.project, warnings=tuple(loaded.warnings), sample=True)


def open_session(path: Path, ask_takeover: TakeoverQuestion) -> Session:
    """Load a project file and lock it; raises ProjectFileError (nothing changes then).

    Held by someone else, the project opens read-only with the reason to show.
    """
    loaded = load_project(path, allow_newer=True)
    session = Session(
        loaded.project,
        loaded.path,
        loaded.digest,
        loaded.read_only,
        warnings=tuple(loaded.warnings),
        newer_version=loaded.read_only,
    )
    if loaded.read_only:
        session.read_only_reason = (
            "新しい版の PIA Desk で作成されたファイルのため、読み取り専用で開いています。"
        )
        return session
    lock = ProjectLock(loaded.path)
    try:
        lock.acquire()
    except LockedError as error:
        if can_take_over(error) and ask_takeover(error):
            lock.acquire(force=True)
        else:
            session.read_only = True
            session.read_only_reason = read_only_reason(error.message)
            return session
    session.lock = lock
    return session

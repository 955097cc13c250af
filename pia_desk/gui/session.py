"""An open project file: the project, where it came from, its lock and write access."""

from __future__ import annotations

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

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "無題"

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


# Called when the lock is stale (its holder seems gone); True takes it over.
TakeoverQuestion = Callable[[LockedError], bool]


def open_session(path: Path, ask_takeover: TakeoverQuestion) -> Session:
    """Load a project file and lock it; raises ProjectFileError (nothing changes then).

    Held by someone else, the project opens read-only with the reason to show.
    """
    loaded = load_project(path)
    session = Session(
        loaded.project,
        loaded.path,
        loaded.digest,
        loaded.read_only,
        warnings=tuple(loaded.warnings),
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
        if error.stale and ask_takeover(error):
            lock.acquire(force=True)
        else:
            session.read_only = True
            session.read_only_reason = f"{error.message}読み取り専用で開いています。"
            return session
    session.lock = lock
    return session


def relock(session: Session, new_path: Path) -> str | None:
    """Move the lock to `new_path` after 名前を付けて保存; returns a warning or None."""
    session.release()
    lock = ProjectLock(new_path)
    try:
        lock.acquire()
    except LockedError as error:
        return error.message
    session.lock = lock
    return None

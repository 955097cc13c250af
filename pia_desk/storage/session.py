"""An open project file, the same for the editor and the command line.

`ProjectSession` is the one record of a project's file state: the project, the path,
the bytes as read or last written (to see whether someone else saved meanwhile and
to keep the saved-time stamp of an unchanged project), whether it may be written,
and the lock. Opening locks before reading; saving compares the file on disk with
what was read before replacing it; closing releases the lock:

    with ProjectSession.open(path, takeover=ask) as session:
        edit(session.project)
        session.save()

Someone else's lock is taken over only through the one policy below: `can_take_over`
says whether it may be, the caller's `TakeoverQuestion` (the editor's dialog, the
command line's --take-over) whether it is. The user's own lock left on this PC by a
PIA Desk that is gone (`is_own_left_lock`) is not someone else's: it is taken back
without asking, and the session says so (`reclaimed_lock`).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path

from pia_desk.domain.project import Project
from pia_desk.storage.errors import (
    LockedError,
    LockInfo,
    NewerVersionError,
    ProjectExistsError,
    ProjectFileError,
    SaveError,
)
from pia_desk.storage.lock import ProjectLock, current_info
from pia_desk.storage.project_file import (
    ABSENT,
    READ_ONLY_FILE,
    digest_of,
    is_read_only_file,
    pending_upgrade,
    project_from_bytes,
    remove_leftovers,
    save_project,
    upgrade_message,
)
from pia_desk.storage.safe_xml import read_limited

READ_ONLY_NOTE = "読み取り専用で開いています。"
NEWER_VERSION_REASON = (
    "新しい版の PIA Desk で作成されたファイルのため、読み取り専用で開いています。"
)
NEWER_VERSION_SAVE = (
    "このファイルは新しい版の PIA Desk で作成されたため、同じファイルには保存できません"
    "（この版で上書きすると、新しい版で記入した内容が失われるおそれがあります）。"
)

# Asked when someone else's lock could be taken over; True takes it over. The lock may
# be stale (its holder is provably gone) or belong to another PC, which cannot be
# checked: then only the user can tell whether that person still edits.
TakeoverQuestion = Callable[[LockedError], bool]


def never_take_over(error: LockedError) -> bool:
    return False


def can_take_over(error: LockedError) -> bool:
    """A lock of another PIA Desk (named holder, or a provably stale lock file); never
    this process's own lock, nor a lock file that could not be created."""
    holder = error.holder
    if holder is None:
        return error.stale
    return not (holder.pid == os.getpid() and holder.host == socket.gethostname())


def is_own_left_lock(error: LockedError) -> bool:
    """This user's own lock on this PC, left by a PIA Desk that ended without closing
    the project (its process is gone): the user's own, taken back without asking.
    (Another user's lock, a lock of another PC and a live process are never this.)"""
    holder = error.holder
    if holder is None or not error.stale:  # stale: this host, and the process is gone
        return False
    me = current_info()
    return holder.host == me.host and holder.user == me.user and holder.pid != me.pid


def takeover_notice(error: LockedError) -> str:
    """What to tell after taking a lock over: whose it was and since when."""
    if error.holder is None:
        return "壊れたロックファイルを削除して、ロックを引き継ぎました。"
    return f"{error.holder.describe()} のロックを引き継ぎました。"


def acquire_lock(path: Path, takeover: TakeoverQuestion = never_take_over) -> ProjectLock:
    """The lock of `path`, taken over when the policy allows and `takeover` agrees;
    raises LockedError otherwise."""
    lock = ProjectLock(path)
    try:
        lock.acquire()
    except LockedError as error:
        own = is_own_left_lock(error)
        if not (own or (can_take_over(error) and takeover(error))):
            raise
        lock.acquire(force=True)
        if own:
            lock.reclaimed = error.holder
    return lock


def read_only_reason(message: str) -> str:
    """The banner of a project opened read-only: why, and that it is read-only, once."""
    if "読み取り専用で開" in message:  # the reason says it already (…開きます。)
        return message
    return f"{message}{READ_ONLY_NOTE}"


class ProjectSession:
    """A project and its file. Create with `read`, `open`, `untitled`; end with `close`
    (or use it as a context manager)."""

    def __init__(
        self,
        project: Project,
        path: Path | None = None,
        data: bytes | None = None,
        *,
        warnings: tuple[str, ...] = (),
        sample: bool = False,
    ) -> None:
        self.project = project
        self.path = Path(path) if path is not None else None
        self.data = data  # the file's bytes as read or last written; None: not yet written
        self.warnings = warnings
        self.read_only = False
        self.read_only_reason = ""
        self.newer_version = False  # written by a newer PIA Desk: never saved over
        self.sample = sample  # a copy of the bundled sample: no file of its own until saved
        self.lock: ProjectLock | None = None
        # Set by the save that wrote an older file in the latest version: said once.
        self.upgrade_notice: str | None = None

    # -- opening ------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path | str, *, allow_newer: bool = False) -> ProjectSession:
        """Read a project without locking it (for reading only). A file of a newer PIA
        Desk raises NewerVersionError, unless `allow_newer`: then it is read as far as
        this version understands it and marked read-only."""
        path = Path(path)
        data = read_limited(path)
        project, newer, warnings = project_from_bytes(data, path, allow_newer=allow_newer)
        session = cls(project, path, data, warnings=tuple(warnings))
        if newer:
            session.read_only = session.newer_version = True
            session.read_only_reason = NEWER_VERSION_REASON
        return session

    @classmethod
    def open(
        cls,
        path: Path | str,
        takeover: TakeoverQuestion = never_take_over,
        *,
        read_only_when_locked: bool = False,
        create: Callable[[], Project] | None = None,
    ) -> ProjectSession:
        """Lock and read a project to edit it; raises ProjectFileError (nothing changes).

        Held by someone who is not taken over, it opens read-only with the reason when
        `read_only_when_locked` (the editor), else LockedError is raised. A file of a
        newer PIA Desk, or one marked read-only, opens read-only, unlocked. With
        `create`, a missing file is a new project (made by `create`) whose first save
        refuses a file that appeared meanwhile; the lock is held from before the check.
        """
        path = Path(path)
        try:
            lock = acquire_lock(path, takeover)
        except LockedError as error:
            if not read_only_when_locked:
                raise
            session = cls.read(path, allow_newer=True)
            if not session.read_only:
                session.read_only = True
                session.read_only_reason = read_only_reason(error.message)
            return session
        try:
            if create is not None and not os.path.lexists(path):
                session = cls(create(), path)
            else:
                session = cls.read(path, allow_newer=True)
        except BaseException:
            lock.release()
            raise
        if session.newer_version:
            lock.release()
        elif is_read_only_file(path):
            lock.release()
            session.read_only = True
            session.read_only_reason = read_only_reason(READ_ONLY_FILE)
        else:
            session.lock = lock
        return session

    @classmethod
    def create(
        cls,
        path: Path | str,
        project: Project,
        takeover: TakeoverQuestion = never_take_over,
        *,
        replace: bool = False,
    ) -> ProjectSession:
        """Write a new project to `path` under its lock and keep it open. An existing
        file is refused (ProjectExistsError) unless `replace` (the old file is then kept
        as a backup); a project of a newer PIA Desk is never replaced."""
        path = Path(path)
        session = cls(project, path)
        session.lock = acquire_lock(path, takeover)
        try:
            if os.path.lexists(path):
                if not replace:
                    raise ProjectExistsError("ファイルが既にあります。", path)
                _refuse_newer(path)
            session.save(overwrite=replace)
        except BaseException:
            session.release()
            raise
        return session

    @classmethod
    def untitled(cls, project: Project, *, sample: bool = False) -> ProjectSession:
        """A project with no file yet: saving asks for a name."""
        return cls(project, sample=sample)

    @classmethod
    def sample_copy(cls, path: Path) -> ProjectSession:
        """The bundled sample as an untitled project (the program folder is never written)."""
        loaded = cls.read(path)
        return cls(loaded.project, warnings=loaded.warnings, sample=True)

    # -- state ----------------------------------------------------------------------
    @property
    def reclaimed_lock(self) -> LockInfo | None:
        """The user's own lock left by a PIA Desk that ended abnormally, if the session
        took it back on opening."""
        return self.lock.reclaimed if self.lock is not None else None

    @property
    def digest(self) -> str | None:
        """sha256 of the file as read or last written (None: not written yet)."""
        return digest_of(self.data) if self.data is not None else None

    @property
    def display_name(self) -> str:
        if self.path:
            return self.path.name
        return "サンプル（無題）" if self.sample else "無題"

    def is_own_file(self, path: Path | str) -> bool:
        """Whether `path` is this session's project file."""
        return self.path is not None and self.path.resolve() == Path(path).resolve()

    # -- saving ---------------------------------------------------------------------
    def save(self, *, overwrite: bool = False) -> None:
        """Write the project to its file under the lock, if the file is still as read
        (FileChangedOnDiskError otherwise, unless `overwrite`)."""
        if self.path is None:
            raise SaveError("保存先のファイル名が決まっていません。")
        self.save_as(self.path, overwrite=overwrite)

    def save_as(self, path: Path | str, *, overwrite: bool = False) -> None:
        """Write the project to `path` holding its lock; the session then belongs to
        `path`. A file someone else has open is refused (LockedError). For the own
        file, a change on disk since reading is refused unless `overwrite`."""
        path = Path(path)
        own_file = self.is_own_file(path)
        if own_file and self.newer_version:
            raise NewerVersionError(NEWER_VERSION_SAVE, path)
        held = own_file and self.lock is not None
        lock = self.lock if held else acquire_lock(path)
        assert lock is not None
        expected = None
        if own_file and not overwrite:
            expected = self.digest or ABSENT
        upgraded = pending_upgrade(self.project)
        try:
            remove_leftovers(path)  # of saves killed midway; the lock is ours
            data = save_project(
                self.project,
                path,
                expected_digest=expected,
                previous=self.data if own_file else None,
            )
        except BaseException:
            if not held:
                lock.release()
            raise
        if not held:
            self.release()
            self.lock = lock
        self.path, self.data = path, data
        self.upgrade_notice = upgrade_message(upgraded) if upgraded is not None else None
        self.read_only, self.read_only_reason = False, ""
        self.newer_version = self.sample = False

    # -- closing --------------------------------------------------------------------
    def release(self) -> None:
        """Give the lock back (the project stays readable in memory)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def close(self) -> None:
        self.release()

    def __enter__(self) -> ProjectSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _refuse_newer(path: Path) -> None:
    """A project of a newer PIA Desk is never replaced; anything else unreadable may be
    (a backup is kept)."""
    try:
        ProjectSession.read(path)
    except NewerVersionError:
        raise NewerVersionError(
            "新しい版の PIA Desk で保存されたプロジェクトのため、上書きできません。", path
        ) from None
    except ProjectFileError:
        pass


def load_project(path: Path | str, *, allow_newer: bool = False) -> ProjectSession:
    """Read a project without locking it (see `ProjectSession.read`)."""
    return ProjectSession.read(path, allow_newer=allow_newer)

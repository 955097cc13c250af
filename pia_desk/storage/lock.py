"""A lock file beside the project so that two people never write it at once.

`NAME.piadesk.lock` holds JSON: host, user, pid, time. It is created with O_EXCL
(atomic on local disks and SMB shares). A lock left by a crashed PIA Desk on this
host (its pid is gone) is stale; a lock from another host cannot be checked, so the
user is asked before taking it over (`acquire(force=True)`).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path

from pia_desk.storage.errors import LockedError, LockInfo, ProjectFileError, describe_os_error
from pia_desk.storage.safe_xml import read_limited


def lock_path_for(project_path: Path) -> Path:
    return project_path.with_name(project_path.name + ".lock")


def current_info() -> LockInfo:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in some service contexts
        user = "不明"
    return LockInfo(
        host=socket.gethostname(),
        user=user,
        pid=os.getpid(),
        time=datetime.now().astimezone().isoformat(timespec="seconds"),
    )


def _pid_alive(pid: int) -> bool:
    if not 0 < pid <= MAX_PID:  # e.g. 10**30 from a damaged lock file: no such process
        return False
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only checks (on POSIX; on Windows it would be Ctrl+C)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False  # no such process (or not ours to see: then not a PIA Desk of this user)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


# Process ids fit 32 bits on every system PIA Desk runs on.
MAX_PID = 2**31 - 1
# A lock file is a few hundred bytes; a larger one is not read.
LOCK_FILE_BYTES = 64 * 1024

# A lock file younger than this may still be being written by its holder.
FRESH_LOCK_SECONDS = 10.0
# How long a lock file without its holder's name is waited for before answering.
WRITER_WAIT_SECONDS = 1.0


def _write_payload(fd: int, payload: bytes) -> None:
    """Write the lock's JSON and close the descriptor (the one step a full disk fails)."""
    with os.fdopen(fd, "wb") as stream:
        stream.write(payload)
        stream.flush()


class ProjectLock:
    def __init__(self, project_path: Path | str) -> None:
        self.project_path = Path(project_path)
        self.path = lock_path_for(self.project_path)
        self.owned = False
        # The user's own lock left by a PIA Desk that ended abnormally, taken back.
        self.reclaimed: LockInfo | None = None

    def holder(self) -> LockInfo | None:
        """Who holds the lock now (None: nobody, or an unreadable lock file)."""
        try:  # a lock file is a few hundred bytes; anything else is not one of ours
            data = json.loads(read_limited(self.path, LOCK_FILE_BYTES).decode("utf-8"))
            return LockInfo(
                host=str(data["host"]),
                user=str(data["user"]),
                pid=int(data["pid"]),
                time=str(data["time"]),
                app=str(data.get("app", "PIA Desk")),
            )
        except (ProjectFileError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def is_stale(self, holder: LockInfo | None) -> bool:
        """Provably left behind: a PIA Desk of this host that is gone, or a damaged
        lock file that nobody is writing. A lock of another host cannot be proven stale."""
        if holder is None:
            return self.path.exists() and self._age() > FRESH_LOCK_SECONDS
        same_host = holder.host == socket.gethostname()
        return same_host and not _pid_alive(holder.pid)

    def _age(self) -> float:
        try:
            return time.time() - self.path.stat().st_mtime
        except OSError:
            return 0.0

    def acquire(self, force: bool = False) -> LockInfo:
        """Take the lock; raises LockedError naming the holder when someone has it."""
        me = current_info()
        payload = json.dumps(me.__dict__, ensure_ascii=False).encode("utf-8")
        if force:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        deadline = time.monotonic() + WRITER_WAIT_SECONDS
        while True:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                # Another PIA Desk may be between creating its lock and writing its name
                # (a few milliseconds): wait for the name, or for the file to go, not
                # answering "someone is just opening it" for a moment's overlap.
                if self.holder() is not None or time.monotonic() > deadline:
                    raise self._locked_error() from None
                time.sleep(0.01)
            except OSError as error:
                raise self._cannot_create(error) from None
        try:
            _write_payload(fd, payload)
        except OSError as error:  # a full disk: no empty lock may block the next attempt
            with contextlib.suppress(OSError):
                self.path.unlink()
            raise self._cannot_create(error) from None
        self.owned = True
        return me

    def _cannot_create(self, error: OSError) -> LockedError:
        return LockedError(
            f"ロックファイルを作成できません（{describe_os_error(error)}）。",
            self.project_path,
            None,
            stale=False,
        )

    def _locked_error(self) -> LockedError:
        holder = self.holder()
        stale = self.is_stale(holder)
        if holder and holder.pid == os.getpid() and holder.host == socket.gethostname():
            message = "このプロジェクトは既にこの PIA Desk で開いています。"
        elif holder:
            message = f"このプロジェクトは {holder.describe()} が編集中です。"
            if stale:
                message += "ただし、その PIA Desk は終了しているようです（古いロック）。"
        elif stale:
            message = "このプロジェクトのロックファイルが壊れています（古いロック）。"
        else:
            message = "このプロジェクトは、ほかの人がちょうど開こうとしています。"
        return LockedError(message, self.project_path, holder, stale)

    def release(self) -> None:
        if not self.owned:
            return
        holder = self.holder()
        me = current_info()
        if holder is None or (holder.pid == me.pid and holder.host == me.host):
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.owned = False

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

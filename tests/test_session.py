"""The one project session of the editor and the command line: lock, read, save, close."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from pia_desk.cli import main
from pia_desk.storage.errors import (
    FileChangedOnDiskError,
    LockedError,
    NewerVersionError,
    ProjectExistsError,
    SaveError,
)
from pia_desk.storage.lock import lock_path_for
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import ProjectSession, can_take_over, load_project


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "事務.piadesk"
    project = new_project("juten", org="架空市長")
    project.set_text("I.1.1", "当市区町村の事務")
    save_project(project, path)
    return path


def foreign_lock(path: Path, host: str = "PC-042", pid: int = 4242) -> None:
    lock_path_for(path).write_text(
        json.dumps(
            {"host": host, "user": "tanaka", "pid": pid, "time": "2026-11-20T09:00:00+09:00"}
        ),
        encoding="utf-8",
    )


def test_open_locks_save_writes_and_close_releases(project_file: Path) -> None:
    with ProjectSession.open(project_file) as session:
        assert lock_path_for(project_file).exists()
        session.project.set_text("I.1.1", "記載")
        session.save()
    assert not lock_path_for(project_file).exists()
    assert load_project(project_file).project.text_of("I.1.1") == "記載"


def test_saving_an_unchanged_project_gives_the_same_bytes(project_file: Path) -> None:
    before = project_file.read_bytes()
    with ProjectSession.open(project_file) as session:
        session.save()
    assert project_file.read_bytes() == before


def test_a_file_saved_by_someone_else_meanwhile_is_not_overwritten(project_file: Path) -> None:
    with ProjectSession.open(project_file) as session:
        other = new_project("juten", org="別の人")
        save_project(other, project_file)  # a writer that ignores the lock
        theirs = project_file.read_bytes()
        with pytest.raises(FileChangedOnDiskError):
            session.save()
        assert project_file.read_bytes() == theirs
        session.save(overwrite=True)
    assert load_project(project_file).project.org == "架空市長"


def test_someone_elses_lock_is_refused_unless_taken_over(project_file: Path) -> None:
    foreign_lock(project_file)
    asked: list[LockedError] = []
    with pytest.raises(LockedError):
        ProjectSession.open(project_file, lambda error: asked.append(error) or False)
    assert [e.holder.user for e in asked] == ["tanaka"]
    with ProjectSession.open(project_file, lambda error: True) as session:
        assert session.lock is not None
        assert json.loads(lock_path_for(project_file).read_text())["pid"] == os.getpid()


def test_the_editor_opens_a_locked_project_read_only(project_file: Path) -> None:
    foreign_lock(project_file)
    session = ProjectSession.open(project_file, lambda error: False, read_only_when_locked=True)
    assert session.read_only and session.lock is None
    assert "tanaka" in session.read_only_reason and "読み取り専用" in session.read_only_reason
    assert json.loads(lock_path_for(project_file).read_text())["user"] == "tanaka"


def test_own_lock_is_never_offered_for_takeover(project_file: Path) -> None:
    with ProjectSession.open(project_file):
        with pytest.raises(LockedError) as caught:
            ProjectSession.open(project_file, lambda error: True)
        assert not can_take_over(caught.value)


def test_a_stale_lock_of_this_host_may_be_taken_over(project_file: Path) -> None:
    foreign_lock(project_file, host=socket.gethostname(), pid=999_999_999)
    with pytest.raises(LockedError) as caught:
        ProjectSession.open(project_file)
    assert caught.value.stale and can_take_over(caught.value)


def test_create_refuses_an_existing_file_and_replaces_only_when_asked(
    project_file: Path,
) -> None:
    before = project_file.read_bytes()
    with pytest.raises(ProjectExistsError):
        ProjectSession.create(project_file, new_project("kiso"))
    assert project_file.read_bytes() == before
    assert not lock_path_for(project_file).exists()
    ProjectSession.create(project_file, new_project("kiso"), replace=True).close()
    assert load_project(project_file).project.meta.form == "kiso"


def test_a_new_project_whose_file_appears_meanwhile_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "new.piadesk"
    with ProjectSession.open(path, create=lambda: new_project("kiso")) as session:
        assert session.data is None
        path.write_bytes(b"someone else's")
        with pytest.raises(FileChangedOnDiskError):
            session.save()
    assert path.read_bytes() == b"someone else's"


def test_a_newer_project_is_never_replaced(project_file: Path) -> None:
    data = project_file.read_bytes().replace(b'fileVersion="2"', b'fileVersion="9"', 1)
    project_file.write_bytes(data)
    with pytest.raises(NewerVersionError):
        ProjectSession.create(project_file, new_project("kiso"), replace=True)
    session = ProjectSession.open(project_file, read_only_when_locked=True)
    assert session.newer_version and session.lock is None
    with pytest.raises(NewerVersionError):
        session.save()
    assert project_file.read_bytes() == data


def test_cli_refusal_names_take_over_and_take_over_says_whose_lock(
    project_file: Path, capsys
) -> None:
    foreign_lock(project_file)
    before = project_file.read_bytes()
    assert main(["replace", str(project_file), "当市区町村", "当市"]) == 2
    err = capsys.readouterr().err
    assert "tanaka" in err and "--take-over" in err
    assert project_file.read_bytes() == before
    assert main(["replace", str(project_file), "当市区町村", "当市", "--take-over"]) == 0
    captured = capsys.readouterr()
    assert "tanaka" in captured.err and "引き継ぎました" in captured.err
    assert load_project(project_file).project.text_of("I.1.1") == "当市の事務"
    assert not lock_path_for(project_file).exists()


def test_a_file_marked_read_only_opens_read_only_and_is_never_replaced(
    project_file: Path,
) -> None:
    project_file.chmod(0o444)  # by its mode bits: as root a write would succeed anyway
    try:
        session = ProjectSession.open(project_file, read_only_when_locked=True)
        assert session.read_only and session.lock is None
        assert "読み取り専用に設定" in session.read_only_reason
        assert not lock_path_for(project_file).exists()
        before = project_file.read_bytes()
        session.project.set_text("I.1.1", "変えた")
        with pytest.raises(SaveError, match="読み取り専用"):
            session.save()
        assert project_file.read_bytes() == before
    finally:
        project_file.chmod(0o644)


def test_the_next_save_removes_what_a_killed_save_left(project_file: Path) -> None:
    backups = project_file.with_name(f"{project_file.stem}.backup")
    backups.mkdir()
    killed = [  # as a kill -9 leaves them: mkstemp's file, a backup copy being made
        project_file.with_name(f".{project_file.name}.k2j4_x.tmp"),
        backups / f".{project_file.stem}-20261129-070000-000001{project_file.suffix}.tmp",
    ]
    for path in killed:
        path.write_bytes(b"<?xml vers")
    others = [project_file.with_name(".other.piadesk.abc.tmp"), backups / "note.txt"]
    for path in others:
        path.write_bytes(b"not ours")
    with ProjectSession.open(project_file) as session:
        session.save()
    assert [p.exists() for p in killed] == [False, False]
    assert [p.exists() for p in others] == [True, True]

"""The project file: round trips, hostile and broken files, failing saves, locks."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from pia_desk.domain.entries import Timing
from pia_desk.domain.values import Value
from pia_desk.storage import project_file
from pia_desk.storage.errors import (
    FileChangedOnDiskError,
    InvalidProjectError,
    LockedError,
    NewerVersionError,
    SaveError,
    UnreadableFileError,
)
from pia_desk.storage.lock import ProjectLock, lock_path_for
from pia_desk.storage.project_file import new_project, project_schema, save_project
from pia_desk.storage.session import load_project


def _edited_project():
    project = new_project(
        "juten", org="架空市長", title="予防接種に関する事務", today=date(2024, 4, 1)
    )
    items = list(project.items())
    text_items = [n for n in items if n.kind.value == "text"]
    checks = next(n for n in items if n.kind.value == "checks")
    project.set_text(text_items[2].id, "  先頭の空白と\r\n改行\n\n、𠮷野家の「引用」<&>  ")
    project.set_value(checks.id, Value(checked=(checks.options[0],), other=""))
    project.submit_draft(date(2024, 4, 2))
    project.start_revision(date(2024, 10, 1))
    project.set_text(text_items[2].id, "変更後の記載")
    entry = project.draft.entries[0]
    project.update_entry(entry.id, timing=Timing.POST, explanation="時点修正")
    group = next(n for n in project.root.walk() if n.repeat_label)
    project.add_repeat_instance(group.id)
    return project


@pytest.fixture
def saved_file(tmp_path: Path) -> Path:
    path = tmp_path / "事務.piadesk"
    save_project(_edited_project(), path)
    return path


def test_round_trip_is_byte_identical(saved_file: Path) -> None:
    first = saved_file.read_bytes()
    with load_project(saved_file) as session:
        session.save()
    assert saved_file.read_bytes() == first


def test_round_trip_keeps_values_entries_and_tree(saved_file: Path) -> None:
    original = _edited_project()
    project = load_project(saved_file).project
    assert project.working == original.working
    assert project.baseline == original.baseline
    assert [n.id for n in project.root.walk()] == [n.id for n in original.root.walk()]
    assert [n.baseline_label for n in project.root.walk()] == [
        n.baseline_label for n in original.root.walk()
    ]
    got = [
        (e.item_path, e.before, e.after, e.timing, e.explanation) for _, e in project.all_entries()
    ]
    want = [
        (e.item_path, e.before, e.after, e.timing, e.explanation) for _, e in original.all_entries()
    ]
    assert got == want
    assert project.draft is not None and project.draft.date == date(2024, 10, 1)


def test_text_is_kept_except_carriage_returns(saved_file: Path) -> None:
    project = load_project(saved_file).project
    texts = [v.text for v in project.baseline.values()]
    assert "  先頭の空白と\n改行\n\n、𠮷野家の「引用」<&>  " in texts


def test_saved_file_is_schema_valid_and_pretty(saved_file: Path) -> None:
    document = etree.parse(str(saved_file))
    assert project_schema().validate(document)
    assert saved_file.read_text(encoding="utf-8").count("\n") > 50


def test_edited_project_gets_a_new_saved_stamp(saved_file: Path) -> None:
    loaded = load_project(saved_file)
    loaded.project.meta.affair = "1234"
    data = project_file.project_to_bytes(loaded.project, saved="2030-01-01T00:00:00+09:00")
    assert b'saved="2030-01-01T00:00:00+09:00"' in data


# -- hostile and broken files --------------------------------------------------
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<project xmlns="urn:pia-desk:project" fileVersion="1">&x;</project>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<project>&lol3;</project>"""

DOCTYPE_ONLY = b"""<?xml version="1.0"?><!DOCTYPE project SYSTEM "http://example.invalid/p.dtd">
<project xmlns="urn:pia-desk:project" fileVersion="1"/>"""


def _bad_files(valid: bytes) -> dict[str, tuple[bytes, type, str]]:
    newer = valid.replace(b'fileVersion="2"', b'fileVersion="99"', 1)
    return {
        "xxe": (XXE, UnreadableFileError, "DOCTYPE"),
        "billion_laughs": (LAUGHS, UnreadableFileError, "DOCTYPE"),
        "doctype": (DOCTYPE_ONLY, UnreadableFileError, "DOCTYPE"),
        "truncated": (valid[: len(valid) // 2], UnreadableFileError, "途中で切れて"),
        "wrong_root": (
            b'<?xml version="1.0"?><office:document xmlns:office="x"/>',
            UnreadableFileError,
            "プロジェクトファイルではありません",
        ),
        "newer_version": (newer, NewerVersionError, "新しい版"),
        "not_utf8": (
            valid.replace("予防接種".encode(), "予防接種".encode("cp932")),
            UnreadableFileError,
            "UTF-8",
        ),
        "empty": (b"", UnreadableFileError, "空"),
        "schema_violation": (
            valid.replace(b'timing="\xe4\xba\x8b\xe5\xbe\x8c"', b'timing="sometime"', 1),
            InvalidProjectError,
            "形式が正しくありません",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "xxe",
        "billion_laughs",
        "doctype",
        "truncated",
        "wrong_root",
        "newer_version",
        "not_utf8",
        "empty",
        "schema_violation",
    ],
)
def test_bad_file_gives_clear_error_and_stays_untouched(
    tmp_path: Path, saved_file: Path, case: str
) -> None:
    data, error_type, words = _bad_files(saved_file.read_bytes())[case]
    path = tmp_path / f"{case}.piadesk"
    path.write_bytes(data)
    with pytest.raises(error_type) as caught:
        load_project(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(case)) == [path.name]


def test_xxe_never_reads_the_referenced_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "x.piadesk"
    path.write_bytes(XXE.replace(b"file:///etc/passwd", secret.as_uri().encode()))
    with pytest.raises(UnreadableFileError) as caught:
        load_project(path)
    assert "TOP-SECRET" not in str(caught.value)


def test_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    from pia_desk.storage import limits

    path = tmp_path / "big.piadesk"
    path.write_bytes(b"<project>" + b" " * 5000 + b"</project>")
    monkeypatch.setattr(limits, "MAX_PROJECT_BYTES", 1000)
    with pytest.raises(UnreadableFileError, match="大きすぎます"):
        load_project(path)


def test_newer_version_can_be_opened_read_only(tmp_path: Path, saved_file: Path) -> None:
    path = tmp_path / "newer.piadesk"
    path.write_bytes(saved_file.read_bytes().replace(b'fileVersion="2"', b'fileVersion="3"', 1))
    loaded = load_project(path, allow_newer=True)
    assert loaded.read_only
    assert "読み取り専用" in loaded.warnings[0]


def test_two_drafts_are_invalid(tmp_path: Path, saved_file: Path) -> None:
    data = saved_file.read_bytes().replace(b'status="submitted"', b'status="draft"', 1)
    path = tmp_path / "two.piadesk"
    path.write_bytes(data)
    with pytest.raises(InvalidProjectError, match="作成中の改訂"):
        load_project(path)


# -- failing saves -------------------------------------------------------------
def test_disk_full_midway_leaves_previous_file_intact(saved_file: Path, monkeypatch) -> None:
    before = saved_file.read_bytes()
    loaded = load_project(saved_file)
    loaded.project.set_text(next(iter(loaded.project.working)), "新しい記載")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SaveError, match="空き容量"):
        save_project(loaded.project, saved_file, expected_digest=loaded.digest)
    assert saved_file.read_bytes() == before
    assert not [p for p in saved_file.parent.iterdir() if p.suffix == ".tmp"]


def test_read_only_folder_gives_clear_error(saved_file: Path, monkeypatch) -> None:
    before = saved_file.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(project_file.tempfile, "mkstemp", refuse)
    monkeypatch.setattr(project_file, "_backup", lambda path, keep: None)
    with pytest.raises(SaveError, match="権限がありません"):
        save_project(load_project(saved_file).project, saved_file)
    assert saved_file.read_bytes() == before


def test_refuses_to_overwrite_a_file_changed_on_disk(saved_file: Path) -> None:
    loaded = load_project(saved_file)
    saved_file.write_bytes(saved_file.read_bytes() + b"\n")  # someone else saved
    changed = saved_file.read_bytes()
    with pytest.raises(FileChangedOnDiskError, match="変更されています"):
        save_project(loaded.project, saved_file, expected_digest=loaded.digest)
    assert saved_file.read_bytes() == changed
    save_project(loaded.project, saved_file, expected_digest=None)  # forced
    assert saved_file.read_bytes() != changed


def test_saves_keep_rolling_backups(saved_file: Path) -> None:
    project = load_project(saved_file).project
    for i in range(8):
        project.meta.affair = str(i)
        save_project(project, saved_file, backups=3)
    backups = list(project_file.backup_folder(saved_file).iterdir())
    assert len(backups) == 3
    assert all(load_project(b).project.meta.form == "juten" for b in backups)


def test_the_newest_backups_are_the_ones_kept(saved_file: Path) -> None:
    project = load_project(saved_file).project
    for i in range(8):
        project.meta.affair = str(i)
        save_project(project, saved_file, backups=3)
    kept = project_file.backup_folder(saved_file).iterdir()
    # Each save backs up the file it replaces: the last three replaced versions 4, 5, 6.
    assert sorted(load_project(b).project.meta.affair for b in kept) == ["4", "5", "6"]
    assert load_project(saved_file).project.meta.affair == "7"


# -- locks ---------------------------------------------------------------------
def test_second_lock_holder_is_refused_with_holder_named(saved_file: Path) -> None:
    first = ProjectLock(saved_file)
    info = first.acquire()
    second = ProjectLock(saved_file)
    with pytest.raises(LockedError) as caught:
        second.acquire()
    assert caught.value.holder == info
    assert not caught.value.stale
    first.release()
    second.acquire()
    second.release()
    assert not lock_path_for(saved_file).exists()


def test_lock_of_another_host_is_described(saved_file: Path) -> None:
    lock_path_for(saved_file).write_text(
        '{"host": "PC-042", "user": "tanaka", "pid": 4242, "time": "2026-11-20T09:00:00+09:00"}',
        encoding="utf-8",
    )
    with pytest.raises(LockedError) as caught:
        ProjectLock(saved_file).acquire()
    message = str(caught.value)
    assert "tanaka" in message and "PC-042" in message and "令和8年11月20日" in message
    assert not caught.value.stale


def test_stale_lock_of_dead_process_can_be_taken_over(saved_file: Path) -> None:
    import socket

    lock_path_for(saved_file).write_text(
        f'{{"host": "{socket.gethostname()}", "user": "x", "pid": 999999, "time": "t"}}',
        encoding="utf-8",
    )
    lock = ProjectLock(saved_file)
    with pytest.raises(LockedError) as caught:
        lock.acquire()
    assert caught.value.stale
    assert lock.acquire(force=True).pid == os.getpid()
    lock.release()


def test_reused_revision_elements_serialise_like_fresh_ones(saved_file: Path) -> None:
    from pia_desk.storage import project_xml

    project = load_project(saved_file).project
    project.meta.affair = "99"
    project.set_text("I.1.1", "編集後")
    reused = project_file.project_to_bytes(project, saved="2030-01-01T00:00:00+09:00")
    project_xml._FROZEN.clear()
    fresh = project_file.project_to_bytes(project, saved="2030-01-01T00:00:00+09:00")
    assert reused == fresh


def test_a_project_that_would_not_load_again_is_not_written(saved_file: Path) -> None:
    before = saved_file.read_bytes()
    project = load_project(saved_file).project
    project.root.children[1].children[0].id = project.root.children[0].id  # duplicate id
    with pytest.raises(SaveError, match="矛盾"):
        save_project(project, saved_file)
    assert saved_file.read_bytes() == before


def test_new_files_are_readable_by_colleagues(tmp_path: Path) -> None:
    path = tmp_path / "共有.piadesk"
    umask = os.umask(0o022)
    try:
        save_project(new_project("kiso"), path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644  # as any other new file, not mkstemp's 0600


def test_backups_are_pruned_for_names_with_brackets(tmp_path: Path) -> None:
    path = tmp_path / "予防接種[令和7年].piadesk"
    project = new_project("kiso")
    for i in range(5):
        project.meta.affair = str(i)
        save_project(project, path, backups=2)
    assert len(list(project_file.backup_folder(path).iterdir())) == 2


def test_a_lock_being_written_is_not_taken_for_a_broken_one(saved_file: Path) -> None:
    lock_path_for(saved_file).write_bytes(b"")  # created, payload not yet written
    with pytest.raises(LockedError) as caught:
        ProjectLock(saved_file).acquire()
    assert not caught.value.stale
    assert "ちょうど開こうとしています" in str(caught.value)
    old = os.path.getmtime(lock_path_for(saved_file)) - 60
    os.utime(lock_path_for(saved_file), (old, old))
    with pytest.raises(LockedError) as caught:
        ProjectLock(saved_file).acquire()
    assert caught.value.stale and "壊れています" in str(caught.value)


def test_resubmitting_after_undo_writes_the_new_texts(tmp_path: Path) -> None:
    project = new_project("juten", today=date(2025, 4, 1))
    project.set_text("I.1.1", "最初")
    path = tmp_path / "p.piadesk"
    record = project.submit_draft_undoable(date(2025, 4, 2))
    save_project(project, path)  # the submitted revision's element is cached here
    project.undo_submit(record)
    project.set_text("I.1.1", "やり直した記載")
    project.submit_draft(date(2025, 4, 2))
    save_project(project, path)
    (entry,) = load_project(path).project.revisions[0].entries
    assert entry.after == "やり直した記載"


def test_a_file_of_another_kind_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "photo.piadesk"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(UnreadableFileError, match="プロジェクトファイルではありません"):
        load_project(path)

"""A full disk by fault injection, and saves that would go beyond a limit.

The failing step is patched to write part of its bytes and then raise ENOSPC, as a
full disk does; whatever the failed step created is removed, the project and its kept
backups stay as they were, and the next attempt works. A save that would write what
the reader refuses (a text or a file over a limit of limits.py) is refused before
anything is written.
"""

from __future__ import annotations

import errno
from datetime import date
from pathlib import Path

import pytest
from cli_runner import is_japanese_message, snapshot

from pia_desk.cli import main
from pia_desk.storage import limits, lock, project_file
from pia_desk.storage.project_file import backup_folder, new_project, save_project
from pia_desk.storage.session import load_project

TERM = "当市区町村"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = new_project("juten", org="架空市長", today=date(2025, 4, 1))
    project.set_text("I.1.1", f"{TERM}の事務")
    path = tmp_path / "事務.piadesk"
    save_project(project, path)
    return path


def full_disk_after(written: int):
    """A writer that writes `written` bytes of what it is given, then fails as a full
    disk does."""

    def write(stream, data: bytes) -> None:
        stream.write(data[:written])
        stream.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    return write


def test_a_lock_that_cannot_be_written_is_not_left_behind(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    before = snapshot(tmp_path)

    def no_space(fd: int, payload: bytes) -> None:
        with open(fd, "wb") as stream:
            full_disk_after(0)(stream, payload)

    monkeypatch.setattr(lock, "_write_payload", no_space)
    assert main(["replace", str(project), TERM, "当市"]) == 2
    err = capsys.readouterr().err
    assert is_japanese_message(err) and "空き容量" in err
    assert snapshot(tmp_path) == before  # no 0-byte lock
    monkeypatch.undo()
    assert main(["replace", str(project), TERM, "当市"]) == 0


def test_a_backup_cut_short_is_removed_and_never_kept(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    for number in "12345":  # five kept backups
        with load_project(project) as session:
            session.project.meta.affair = number
            session.save()
    before = snapshot(tmp_path)

    def cut_short(source, copy) -> None:
        full_disk_after(100)(copy, source.read())

    monkeypatch.setattr(project_file, "_copy_into", cut_short)
    assert main(["replace", str(project), TERM, "当市"]) == 2
    err = capsys.readouterr().err
    assert is_japanese_message(err) and "バックアップ" in err and "空き容量" in err
    assert snapshot(tmp_path) == before  # the five backups are still the kept ones
    monkeypatch.undo()
    assert main(["replace", str(project), TERM, "当市"]) == 0
    kept = [load_project(b).project.meta.affair for b in sorted(backup_folder(project).iterdir())]
    assert kept == ["1", "2", "3", "4", "5"]  # the oldest went, a whole copy of 5 came


def test_a_text_over_the_limit_is_not_saved(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 500)
    before = snapshot(tmp_path)
    assert main(["replace", str(project), TERM, "長" * 600]) == 2
    err = capsys.readouterr().err
    assert is_japanese_message(err) and "文字数が多すぎます" in err and "I.1.1" in err
    assert snapshot(tmp_path) == before


def test_a_project_over_the_size_limit_is_not_saved(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(limits, "MAX_PROJECT_BYTES", project.stat().st_size + 100)
    before = snapshot(tmp_path)
    assert main(["replace", str(project), TERM, "当" * 400]) == 2
    err = capsys.readouterr().err
    assert is_japanese_message(err) and "大きくなりすぎます" in err
    assert snapshot(tmp_path) == before


def test_an_imported_cell_over_the_limit_is_not_saved(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 500)
    table = tmp_path / "table.csv"
    header = "変更日,項目,変更前の記載,変更後の記載,提出時期,提出時期に係る説明"
    row = f"令和3年10月20日,Ⅰ基本情報,{'前' * 600},後,事後,説明"
    table.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["import-table", str(table), "-o", str(project)]) == 2
    err = capsys.readouterr().err
    assert is_japanese_message(err) and "文字数が多すぎます" in err
    assert snapshot(tmp_path) == before


def test_a_project_the_reader_would_refuse_is_refused_by_the_writer(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_XML_DEPTH", 4)  # the form tree is deeper than this
    path = tmp_path / "new.piadesk"
    assert main(["new", "--form", "kiso", "-o", str(path)]) == 2
    assert not path.exists() and list(tmp_path.iterdir()) == []

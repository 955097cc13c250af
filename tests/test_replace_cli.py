"""`pia-desk replace`: lists before applying, saves atomically, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

from pia_desk.cli import main
from pia_desk.domain.replace import find_occurrences
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project


def sample_copy(tmp_path: Path) -> Path:
    path = tmp_path / "sample.piadesk"
    shutil.copy(sample_project_path(), path)
    return path


def test_dry_run_lists_every_occurrence_and_writes_nothing(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    original = path.read_bytes()
    occurrences = find_occurrences(load_project(path).project, "当市区町村")
    assert main(["replace", str(path), "当市区町村", "当市", "--dry-run"]) == 0
    out = capsys.readouterr().out
    for occurrence in occurrences:
        assert occurrence.item_path[-1] in out and occurrence.preview in out
    assert "--dry-run" in out
    assert path.read_bytes() == original


def test_replace_saves_entries_for_every_item(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    before = load_project(path).project
    expected = {o.node_id for o in find_occurrences(before, "当市区町村")}
    assert main(["replace", str(path), "当市区町村", "当市"]) == 0
    out = capsys.readouterr().out
    assert f"{len(expected)} 項目を置換し、保存しました" in out
    after = load_project(path).project
    assert find_occurrences(after, "当市区町村") == []
    assert expected <= {e.node_id for e in after.draft.entries}
    assert not list(tmp_path.glob(".*.tmp"))  # atomic save left no temporary file


def test_nothing_found_exits_1_and_unreadable_exits_2(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    original = path.read_bytes()
    assert main(["replace", str(path), "存在しない語句", "別の語句"]) == 1
    assert "見つかりませんでした" in capsys.readouterr().out
    assert path.read_bytes() == original
    assert main(["replace", str(tmp_path / "none.piadesk"), "a", "b"]) == 2
    assert main(["replace", str(path), "", "b"]) == 2
    assert path.read_bytes() == original


def test_same_old_and_new_is_refused_before_anything_is_listed(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    before = path.read_bytes()
    assert main(["replace", str(path), "当市区町村", "当市区町村"]) == 2
    captured = capsys.readouterr()
    assert "同じです" in captured.err and captured.out == ""
    assert path.read_bytes() == before

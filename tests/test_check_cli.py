"""`pia-desk check`: exit codes, human lines and the JSON contract."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pia_desk.cli import main
from pia_desk.paths import sample_project_path
from pia_desk.storage.project_file import save_project
from pia_desk.storage.session import load_project


def sample_copy(tmp_path: Path) -> Path:
    path = tmp_path / "sample.piadesk"
    shutil.copy(sample_project_path(), path)
    return path


def test_sample_with_an_unset_timing_exits_1_with_japanese_lines(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("エラー: ") and "提出時期が入力されていません" in line for line in lines
    )
    assert lines[-1].startswith("合計: エラー")


def test_json_output(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    assert main(["check", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    project = load_project(path).project
    assert [e["id"] for e in data["entries"]] == [e.id for _, e in project.all_entries()]
    assert any(f["code"] == "timing-missing" and "entry" in f for f in data["findings"])
    for entry in data["entries"]:  # the documented keys stay, confidence is added
        assert {"id", "date", "item", "timing", "suggested_timing"} <= set(entry)
        assert {"suggested_explanation", "reasons"} <= set(entry)
        assert entry["confidence"] in {"高", "中", "低"}


def test_revision_and_range_options(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    project = load_project(path).project
    first = project.submitted[0]
    assert main(["check", str(path), "--json", "--revision", first.date.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in data["entries"]] == [e.id for e in first.entries]
    day = first.date.isoformat()
    assert main(["check", str(path), "--json", "--from", day, "--to", day]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == data["entries"]


def test_no_errors_exit_0(tmp_path, capsys) -> None:
    path = sample_copy(tmp_path)
    loaded = load_project(path)
    for _, entry in loaded.project.all_entries():
        if not entry.timing:
            loaded.project.update_entry(entry.id, timing="事前")
    save_project(loaded.project, path, expected_digest=loaded.digest, previous=loaded.data)
    assert main(["check", str(path)]) == 0
    assert "エラー: " not in capsys.readouterr().out


def test_unreadable_project_and_bad_dates_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.piadesk"
    bad.write_text("これはプロジェクトではない", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert "pia-desk: " in capsys.readouterr().err
    path = sample_copy(tmp_path)
    with pytest.raises(SystemExit) as bad_date:  # an invalid option value is a usage error
        main(["check", str(path), "--from", "令和99年13月1日"])
    assert bad_date.value.code == 2
    assert "存在しない日付です" in capsys.readouterr().err
    assert main(["check", str(path), "--revision", "2000-01-01"]) == 2
    assert "改訂はありません" in capsys.readouterr().err

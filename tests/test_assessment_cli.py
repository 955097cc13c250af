"""`pia-desk export-assessment`: which text, output safety, exit codes, Japanese messages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_assessment_docx import part, text_blocks, w
from test_assessment_text import R1, history_project

from pia_desk.cli import main
from pia_desk.domain.wareki import format_wareki
from pia_desk.storage.project_file import save_project


@pytest.fixture()
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "履歴.piadesk"
    save_project(history_project(), path)
    return path


def blocks(path: Path) -> list[str]:
    return text_blocks(part(path, "word/document.xml").find(w("body")))


def test_default_is_the_working_text_with_the_annex(
    project_file: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "評価書.docx"
    assert main(["export-assessment", str(project_file), "-o", str(out)]) == 0
    assert "内容　作成中" in blocks(out)
    assert "（別添２）変更箇所" in blocks(out)
    captured = capsys.readouterr()
    assert "現在の記載" in captured.out and "公式様式と細部が異なる" in captured.err


def test_as_submitted_and_revision_choose_the_text(
    project_file: Path, tmp_path: Path, capsys
) -> None:
    submitted, old = tmp_path / "a.docx", tmp_path / "b.docx"
    assert (
        main(["export-assessment", str(project_file), "-o", str(submitted), "--as-submitted"]) == 0
    )
    assert "内容　その３" in blocks(submitted)
    assert (
        main(
            [
                "export-assessment",
                str(project_file),
                "-o",
                str(old),
                "--revision",
                format_wareki(R1),
                "--no-annex",
            ]
        )
        == 0
    )
    assert "内容　その１" in blocks(old) and "（別添２）変更箇所" not in blocks(old)
    err = capsys.readouterr().err
    assert "復元できませんでした" in err and "保管場所※" in err and "抜粋" in err


def test_refusals_exit_2_and_write_nothing(project_file: Path, tmp_path: Path, capsys) -> None:
    existing = tmp_path / "既存.docx"
    existing.write_bytes(b"keep")
    cases = [
        (["-o", str(existing)], "--force"),
        (["-o", str(project_file)], ".docx"),
        (["-o", str(tmp_path / "x.docx"), "--revision", "令和2年1月1日"], "改訂はありません"),
        (["-o", str(tmp_path / "x.docx"), "--font-size", "40"], "6～16"),
    ]
    for extra, message in cases:
        assert main(["export-assessment", str(project_file), *extra]) == 2
        assert message in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse's own usage error
        main(
            [
                "export-assessment",
                str(project_file),
                "-o",
                str(tmp_path / "x.docx"),
                "--as-submitted",
                "--revision",
                "R4.4.1",
            ]
        )
    assert usage.value.code == 2 and "同時には指定できません" in capsys.readouterr().err
    assert existing.read_bytes() == b"keep"
    assert not (tmp_path / "x.docx").exists()
    assert main(["export-assessment", str(project_file), "-o", str(existing), "--force"]) == 0
    assert zipfile.is_zipfile(existing)


def test_an_unreadable_project_exits_2_in_japanese(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "壊れた.piadesk"
    broken.write_text("<not a project", encoding="utf-8")
    assert main(["export-assessment", str(broken), "-o", str(tmp_path / "x.docx")]) == 2
    assert "プロジェクトを読み込めません" in capsys.readouterr().err

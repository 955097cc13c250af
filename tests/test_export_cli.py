"""`pia-desk export`: options, exit codes, no half-written output, no Qt."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pia_desk.cli import export_cmd, main
from pia_desk.storage.project_file import new_project, save_project

REPO = Path(__file__).resolve().parent.parent


def run_cli(*argv: str | Path) -> int:
    try:
        return main(["export", *map(str, argv)])
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    project = new_project("juten", org="○○市長", title="予防接種に関する事務")
    project.start_revision(date(2021, 4, 1))
    project.set_text("I.6.1", "健康推進課")
    project.submit_draft(date(2021, 4, 1))
    project.start_revision(date(2021, 10, 20))
    project.set_text("I.6.1", "健康づくり課")
    path = tmp_path / "project.piadesk"
    save_project(project, path)
    return path


def table_texts(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_exports_all_rows(project_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.docx"
    assert run_cli(project_file, "-o", out) == 0
    xml = table_texts(out)
    assert "健康づくり課" in xml and "健康推進課" in xml
    assert "令和3年10月20日" in xml
    assert "2 件の変更箇所を出力しました" in capsys.readouterr().out


def test_revision_and_range_filters_accept_wareki_and_iso(
    project_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.docx"
    assert run_cli(project_file, "-o", out, "--revision", "R3.10.20") == 0
    assert "令和3年4月1日" not in table_texts(out)
    assert (
        run_cli(
            project_file, "-o", out, "--from", "2021-10-01", "--to", "令和3年12月31日", "--force"
        )
        == 0
    )
    xml = table_texts(out)
    assert "令和3年10月20日" in xml and "令和3年4月1日" not in xml


def test_options_reach_the_document(project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    argv = ["-o", out, "--underline", "--font", "ＭＳ ゴシック", "--font-size", "10.5"]
    assert run_cli(project_file, *argv, "--split-lines", "20") == 0
    with zipfile.ZipFile(out) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="ＭＳ ゴシック"' in styles and 'w:val="21"' in styles
    assert "<w:u " in table_texts(out)


@pytest.mark.parametrize(
    "argv",
    [
        ["--from", "令和2年2月30日"],
        ["--to", "あした"],
        ["--revision", "2020-01-01"],
        ["--revision", "R3.10.20", "--from", "R3.1.1"],
        ["--from", "R3.12.1", "--to", "R3.1.1"],
        ["--split-lines", "2"],
        ["--font-size", "99"],
        ["--font", ""],
    ],
)
def test_bad_options_exit_2_and_write_nothing(
    project_file: Path, tmp_path: Path, argv: list[str], capsys
) -> None:
    out = tmp_path / "out.docx"
    assert run_cli(project_file, "-o", out, *argv) == 2
    assert not out.exists()
    assert capsys.readouterr().err.strip()  # a message, not silence


def test_unreadable_project_exits_2_and_keeps_old_output(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.piadesk"
    broken.write_text("<これは壊れたファイル", encoding="utf-8")
    out = tmp_path / "out.docx"
    out.write_bytes(b"old export")
    assert run_cli(broken, "-o", out, "--force") == 2
    assert out.read_bytes() == b"old export"
    assert "プロジェクトを読み込めません" in capsys.readouterr().err
    assert run_cli(tmp_path / "missing.piadesk", "-o", out) == 2


def test_pdf_without_libreoffice_is_a_clear_error(
    project_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(export_cmd, "find_soffice", lambda: None)
    out = tmp_path / "out.docx"
    assert run_cli(project_file, "-o", out, "--pdf", tmp_path / "out.pdf") == 2
    assert "LibreOffice" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "out.pdf").exists()


def test_export_runs_without_importing_qt(project_file: Path, tmp_path: Path) -> None:
    """`pia-desk export` (the real entry point) never loads Qt: it runs without a display."""
    out = tmp_path / "out.docx"
    command = [sys.executable, "-X", "importtime", "-m", "pia_desk", "export"]
    done = subprocess.run(
        [*command, str(project_file), "-o", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "pia_desk.export.docx_writer" in imported  # the import log is complete
    assert not [m for m in imported if m.startswith(("PySide6", "shiboken6"))]
    assert out.is_file()


def test_output_never_replaces_the_project_or_an_existing_file(project_file, tmp_path, capsys):
    project_bytes = project_file.read_bytes()
    assert run_cli(project_file, "-o", project_file, "--force") == 2
    assert ".docx で終わる" in capsys.readouterr().err
    assert project_file.read_bytes() == project_bytes
    other = tmp_path / "other.docx"
    other.write_bytes(project_bytes)  # a project saved under a .docx name
    assert run_cli(project_file, "-o", other, "--force") == 2
    assert "プロジェクトファイルです" in capsys.readouterr().err
    assert other.read_bytes() == project_bytes
    assert run_cli(project_file, "-o", tmp_path / "out.txt") == 2
    assert ".docx で終わる" in capsys.readouterr().err
    out = tmp_path / "out.docx"
    out.write_bytes(b"last year's export")
    assert run_cli(project_file, "-o", out) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == b"last year's export"
    assert run_cli(project_file, "-o", out, "--force") == 0
    assert out.read_bytes().startswith(b"PK")
    assert project_file.read_bytes() == project_bytes


def test_a_wrong_pdf_name_is_named_before_an_existing_docx(project_file, tmp_path, capsys):
    out = tmp_path / "n2.docx"
    out.write_bytes(b"keep")
    assert run_cli(project_file, "-o", out, "--pdf", out) == 2
    assert ".pdf で終わる" in capsys.readouterr().err
    assert out.read_bytes() == b"keep"


def _long_project_file(tmp_path: Path) -> Path:
    """A draft whose one row is longer than a page, without 提出時期."""
    project = new_project("juten", org="○○市長", title="予防接種に関する事務")
    project.start_revision(date(2024, 4, 1))
    long_text = "\n".join(f"第{i}段落：特定個人情報の取扱いを見直すもの。" for i in range(80))
    project.set_text("I.6.1", long_text)
    path = tmp_path / "long.piadesk"
    save_project(project, path)
    return path


def test_rows_are_split_at_page_ends_unless_flow(tmp_path: Path, capsys) -> None:
    project_file = _long_project_file(tmp_path)
    out = tmp_path / "paged.docx"
    assert run_cli(project_file, "-o", out) == 0
    xml = table_texts(out)
    assert "（下段に続く）" in xml and "cantSplit" in xml
    printed = xml.count("<w:tr>") + xml.count("<w:tr ") - 1
    assert f"1 件の変更箇所を {printed} 行で出力しました" in capsys.readouterr().out
    flowing = tmp_path / "flow.docx"
    assert run_cli(project_file, "-o", flowing, "--flow") == 0
    xml = table_texts(flowing)
    assert "（下段に続く）" not in xml and "cantSplit" not in xml
    assert "1 件の変更箇所を出力しました" in capsys.readouterr().out


def test_rows_without_timing_are_named_before_writing(tmp_path: Path, capsys, monkeypatch) -> None:
    project_file = _long_project_file(tmp_path)
    warned_before: list[str] = []

    def write(*args, **kwargs):
        warned_before.append(capsys.readouterr().err)
        raise export_cmd.ProjectFileError("書けません")

    monkeypatch.setattr(export_cmd, "write_docx", write)
    assert run_cli(project_file, "-o", tmp_path / "out.docx") == 2
    assert "提出時期が未設定の行が 1 行あります" in warned_before[0]
    assert "令和6年4月1日 Ⅰ基本情報" in warned_before[0]


def test_author_option_and_no_organisation_by_default(project_file: Path, tmp_path: Path) -> None:
    plain, named = tmp_path / "plain.docx", tmp_path / "named.docx"
    assert run_cli(project_file, "-o", plain) == 0
    assert run_cli(project_file, "-o", named, "--author", "健康づくり課 山田") == 0
    with zipfile.ZipFile(plain) as z:
        assert "○○市長" not in z.read("docProps/core.xml").decode("utf-8")
    with zipfile.ZipFile(named) as z:
        assert "<dc:creator>健康づくり課 山田</dc:creator>" in z.read("docProps/core.xml").decode()


@pytest.mark.parametrize("order", ["date", "tree", "user"])
def test_order_option_reaches_the_table(project_file: Path, tmp_path: Path, order, monkeypatch):
    seen: list[str] = []
    real = export_cmd.build_table

    def spy(project, **kwargs):
        seen.append(kwargs["order"])
        return real(project, **kwargs)

    monkeypatch.setattr(export_cmd, "build_table", spy)
    assert run_cli(project_file, "-o", tmp_path / "o.docx", "--order", order) == 0
    assert seen == [order]

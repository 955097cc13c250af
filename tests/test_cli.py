"""The command line contract: names, options, exit codes, Japanese messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pia_desk.cli import main
from pia_desk.paths import sample_project_path

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "pia_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "form,name",
    [("juten", "重点項目評価書"), ("zenkoumoku", "全項目評価書"), ("kiso", "基礎項目評価書")],
)
def test_new_info_validate(tmp_path: Path, capsys, form: str, name: str) -> None:
    path = tmp_path / "p.piadesk"
    assert (
        main(["new", "--form", form, "-o", str(path), "--org", "架空市長", "--title", "評価書"])
        == 0
    )
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert name in out and "架空市長" in out and "改訂: 0 件" in out
    assert main(["validate", str(path)]) == 0
    assert "正常です" in capsys.readouterr().out


def test_new_refuses_to_overwrite(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.piadesk"
    path.write_text("大事なファイル", encoding="utf-8")
    assert main(["new", "--form", "juten", "-o", str(path)]) == 2
    assert "既にあります" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "大事なファイル"


def test_info_counts_entries_by_timing(capsys) -> None:
    assert main(["info", str(sample_project_path())]) == 0
    out = capsys.readouterr().out
    assert "作成中" in out and "提出済み" in out
    assert "事前" in out and "事後" in out and "未設定" in out


def test_validate_exit_codes(tmp_path: Path, capsys) -> None:
    sample = sample_project_path().read_bytes()
    invalid = tmp_path / "invalid.piadesk"
    invalid.write_bytes(sample.replace(b'kind="changed"', b'kind="renamed"', 1))
    assert main(["validate", str(invalid)]) == 1
    assert "問題があります" in capsys.readouterr().out
    unreadable = tmp_path / "broken.piadesk"
    unreadable.write_bytes(sample[:100])
    assert main(["validate", str(unreadable)]) == 2
    assert "XML として読み取れません" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.piadesk")]) == 2
    assert "見つかりません" in capsys.readouterr().err


def test_unknown_form_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("new", "--form", "nanika", "-o", str(tmp_path / "x.piadesk"))
    assert result.returncode == 2
    assert "エラー" in result.stderr


def test_version_and_help() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("new", "info", "validate"):
        assert command in result.stdout
    assert run_cli("--version").stdout.startswith("PIA Desk ")


def test_every_command_of_the_contract_is_registered() -> None:
    result = run_cli("--help")
    for command in ("new", "info", "validate", "export", "import-table", "check", "replace"):
        assert command in result.stdout


def test_starting_the_editor_imports_no_command_module() -> None:
    code = (
        "import sys, types\n"
        "fake = types.ModuleType('pia_desk.gui.app')\n"
        "fake.run_gui = lambda args: print('gui', args.sample) or 0\n"
        "sys.modules['pia_desk.gui.app'] = fake\n"
        "from pia_desk import cli\n"
        "code = cli.main(['--sample'])\n"
        "print(code, sorted(m for m in sys.modules if m.endswith('_cmd')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.splitlines() == ["gui True", "0 []"]


def test_new_force_keeps_a_backup_and_respects_the_lock(tmp_path: Path, capsys) -> None:
    from pia_desk.storage.lock import ProjectLock
    from pia_desk.storage.project_file import backup_folder

    path = tmp_path / "p.piadesk"
    assert main(["new", "--form", "kiso", "-o", str(path)]) == 0
    first = path.read_bytes()
    holder = ProjectLock(path)
    holder.acquire()
    assert main(["new", "--form", "juten", "-o", str(path), "--force"]) == 2
    assert "開いています" in capsys.readouterr().err  # same process here: "already open"
    assert path.read_bytes() == first
    holder.release()
    assert main(["new", "--form", "juten", "-o", str(path), "--force"]) == 0
    assert [b.read_bytes() for b in backup_folder(path).iterdir()] == [first]


def test_reading_commands_open_a_newer_file_and_say_so(tmp_path: Path, capsys) -> None:
    newer = tmp_path / "newer.piadesk"
    newer.write_bytes(
        sample_project_path().read_bytes().replace(b'fileVersion="2"', b'fileVersion="3"', 1)
    )
    assert main(["info", str(newer)]) == 0
    captured = capsys.readouterr()
    assert "みどり野市長" in captured.out and "読み取り専用" in captured.err
    assert main(["validate", str(newer)]) == 2
    assert "新しい版" in capsys.readouterr().err


def test_usage_errors_and_help_are_japanese() -> None:
    result = run_cli("new", "--form", "nanika", "-o", "x.piadesk")
    assert result.returncode == 2
    assert "使い方: pia-desk new" in result.stderr
    assert "'nanika' は指定できません" in result.stderr
    assert "usage" not in result.stderr and "invalid choice" not in result.stderr
    help_text = run_cli("--help").stdout
    assert "オプション:" in help_text and "このヘルプを表示して終了する" in help_text
    assert "show this help" not in help_text and "version number" not in help_text


def test_new_force_never_replaces_a_newer_project(tmp_path: Path, capsys) -> None:
    path = tmp_path / "newer.piadesk"
    newer = sample_project_path().read_bytes().replace(b'fileVersion="2"', b'fileVersion="3"', 1)
    path.write_bytes(newer)
    assert main(["new", "--form", "kiso", "-o", str(path), "--force"]) == 2
    assert "新しい版" in capsys.readouterr().err
    assert path.read_bytes() == newer


def test_a_command_imports_only_its_own_readers_and_writers() -> None:
    """`pia-desk info` starts without the table, document and PDF libraries that other
    commands need (each command costs only its own start-up)."""
    code = (
        "import sys, contextlib, io\n"
        "from pia_desk.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['info', {str(sample_project_path())!r}])\n"
        "print(code, ' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    status, *imported = done.stdout.split()
    assert status == "0", done.stderr
    assert "pia_desk.cli.info_cmd" in imported  # the command really ran
    heavy = ("openpyxl", "pypdfium2", "docx", "pia_desk.importing", "pia_desk.export", "PySide6")
    assert not [m for m in imported if m.startswith(heavy)]

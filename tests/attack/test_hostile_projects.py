"""Hostile project files, special files, read-only files, stale locks and terminals.

Every case runs the real command in a child process with CPU and memory limits and
asserts the documented exit code, a Japanese message without a traceback, the
project's bytes unchanged and no file left behind (the hardening issue's attack).
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cli_runner import child_env, is_japanese_message, run_cli, snapshot

from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")

TERM = "当市区町村"


def make_project(folder: Path, text: str = f"{TERM}の事務") -> Path:
    project = new_project("juten", org="架空市長", today=date(2025, 4, 1))
    project.set_text("I.1.1", text)
    project.submit_draft(date(2025, 4, 2))
    project.start_revision(date(2025, 10, 1))
    project.set_text("I.1.1", text + "（変更）")
    path = folder / "事務.piadesk"
    save_project(project, path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def assert_refused(run, before: dict, folder: Path, code: int = 2, *words: str) -> None:
    """Refused with `code` and a Japanese message naming `words`; nothing changed."""
    assert run.code == code, run.err
    assert is_japanese_message(run.err), run.err
    for word in words:
        assert word in run.err
    assert snapshot(folder) == before


# -- hostile project files (read path) -------------------------------------------------
def deeply_nested(data: bytes, levels: int) -> bytes:
    opening = "".join(f'<node id="d{i}" kind="group" label="x">' for i in range(levels))
    return data.replace(b"</tree>", (opening + "</node>" * levels + "</tree>").encode(), 1)


@pytest.mark.parametrize("command", ["info", "validate", "check"])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path, command: str) -> None:
    path = make_project(tmp_path)
    path.write_bytes(deeply_nested(path.read_bytes(), 1500))
    before = snapshot(tmp_path)
    run = run_cli(command, path, cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "入れ子が深すぎます")


LAUGHS = (
    '<!DOCTYPE project [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize(
    "prolog",
    [
        "<!-- <a> -->\n<!DOCTYPE project>",  # a comment holding an element-like text first
        "<!-- <a> -->\n" + LAUGHS,
        '<!DOCTYPE project SYSTEM "http://example.invalid/x.dtd">',
    ],
)
@pytest.mark.parametrize("version", [b"1", b"2"])
def test_a_doctype_anywhere_in_the_prolog_is_refused(tmp_path: Path, prolog: str, version):
    path = make_project(tmp_path)
    declaration, rest = path.read_bytes().split(b"\n", 1)
    rest = rest.replace(b'fileVersion="1"', b'fileVersion="' + version + b'"', 1)
    path.write_bytes(declaration + b"\n" + prolog.encode() + b"\n" + rest)
    before = snapshot(tmp_path)
    for command in ("info", "validate"):
        run = run_cli(command, path, cwd=tmp_path)
        assert_refused(run, before, tmp_path, 2, "DOCTYPE")


def test_newer_file_with_an_entry_missing_its_id_is_refused(tmp_path: Path) -> None:
    path = make_project(tmp_path)
    data = path.read_bytes().replace(b'fileVersion="1"', b'fileVersion="9"', 1)
    path.write_bytes(re.sub(rb'<entry id="e\d+" node="[^"]*" kind="[^"]*"', b"<entry", data))
    before = snapshot(tmp_path)
    for command in ("info", "check"):
        run = run_cli(command, path, cwd=tmp_path)
        assert_refused(run, before, tmp_path, 2, "正しくありません")


def test_a_named_pipe_is_refused_and_replace_leaves_no_lock(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.piadesk"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    for args in (("info", fifo), ("replace", fifo, TERM, "当市"), ("validate", fifo)):
        run = run_cli(*args, cwd=tmp_path)
        assert_refused(run, before, tmp_path, 2, "通常のファイルではありません")


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.piadesk").symlink_to("/dev/zero")
    before = snapshot(tmp_path)
    for args in (("info", "zero.piadesk"), ("replace", "zero.piadesk", TERM, "当市")):
        run = run_cli(*args, cwd=tmp_path)
        assert_refused(run, before, tmp_path, 2, "通常のファイルではありません")


def test_a_symlink_loop_as_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "loop.piadesk").symlink_to("loop.piadesk")
    before = snapshot(tmp_path)
    for args in (("info", "loop.piadesk"), ("replace", "loop.piadesk", TERM, "当市")):
        run = run_cli(*args, cwd=tmp_path)
        assert_refused(run, before, tmp_path, 2, "循環")


def test_a_symlink_loop_as_export_target_is_refused(project: Path, tmp_path: Path) -> None:
    (tmp_path / "loop.docx").symlink_to("loop.docx")
    before = snapshot(tmp_path)
    run = run_cli("export", project, "-o", "loop.docx", cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "循環")


def test_export_checks_every_output_before_writing_any(project: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    run = run_cli("export", project, "-o", "out.docx", "--pdf", "nope/x.pdf", cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "フォルダーがありません")


def test_a_font_with_a_control_character_is_refused(project: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    run = run_cli("export", project, "-o", "out.docx", "--font", "MS\x07明朝", cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "制御文字", "\\x07")


# -- read-only project files --------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ("replace", "事務.piadesk", TERM, "当市"),
        ("new", "--form", "kiso", "-o", "事務.piadesk", "--force"),
    ],
)
def test_a_read_only_project_is_never_replaced(project: Path, tmp_path: Path, args) -> None:
    project.chmod(0o444)  # by its mode bits: as root the write would succeed anyway
    before = snapshot(tmp_path)
    try:
        run = run_cli(*args, cwd=tmp_path)
    finally:
        mode = stat.S_IMODE(project.stat().st_mode)
        project.chmod(0o644)
    assert mode == 0o444
    assert_refused(run, before, tmp_path, 2, "読み取り専用")


# -- stale and hostile locks -----------------------------------------------------------
def write_lock(project: Path, **fields: object) -> Path:
    lock = project.with_name(project.name + ".lock")
    info = {"host": "PC-042", "user": "tanaka", "pid": 4242, "time": "2026-11-20T09:00:00+09:00"}
    lock.write_text(json.dumps({**info, **fields}), encoding="utf-8")
    return lock


def test_a_lock_with_an_impossible_pid_is_a_stale_lock(project: Path, tmp_path: Path) -> None:
    lock = write_lock(project, host=socket.gethostname(), pid=10**30)
    before = snapshot(tmp_path)
    run = run_cli("replace", project, TERM, "当市", cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "古いロック", "--take-over")
    run = run_cli("replace", project, TERM, "当市", "--take-over", cwd=tmp_path)
    assert run.code == 0 and "引き継ぎました" in run.err and "Traceback" not in run.err
    assert not lock.exists()
    assert load_project(project).project.text_of("I.1.1") == "当市の事務（変更）"


@pytest.mark.parametrize(
    "args",
    [
        ("replace", "事務.piadesk", TERM, "当市"),
        ("import-table", "table.csv", "-o", "事務.piadesk"),
        ("new", "--form", "kiso", "-o", "事務.piadesk", "--force"),
    ],
)
def test_every_writing_command_names_take_over(project: Path, tmp_path: Path, args) -> None:
    (tmp_path / "table.csv").write_text("x", encoding="utf-8")
    write_lock(project)
    before = snapshot(tmp_path)
    run = run_cli(*args, cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "tanaka", "--take-over")


def test_names_from_a_lock_file_reach_the_terminal_escaped(project: Path, tmp_path: Path) -> None:
    write_lock(project, user="tanaka\x1b]2;owned\x07\x1b[2J", host="PC\r\n-042")
    before = snapshot(tmp_path)
    run = run_cli("replace", project, TERM, "当市", cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "tanaka\\x1b]2;owned\\x07", "PC\\r\\n-042")


# -- replacement text cleaned to nothing ------------------------------------------------
@pytest.mark.parametrize("new", ["\x1b", b"\xff\xfe", "\x01\x02"])
def test_a_replacement_cleaned_to_nothing_is_refused(project: Path, tmp_path: Path, new) -> None:
    before = snapshot(tmp_path)
    run = run_cli("replace", project, TERM, new, cwd=tmp_path)
    assert_refused(run, before, tmp_path, 2, "空になります", "U+")


def test_a_cleaned_replacement_says_what_was_removed(project: Path, tmp_path: Path) -> None:
    run = run_cli("replace", project, TERM, "当\x1b市", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "U+001B" in run.err and "取り除きました" in run.err
    assert load_project(project).project.text_of("I.1.1") == "当市の事務（変更）"


def test_replacing_with_nothing_typed_as_nothing_deletes(project: Path, tmp_path: Path) -> None:
    run = run_cli("replace", project, TERM, "", cwd=tmp_path)
    assert run.code == 0, run.err
    assert load_project(project).project.text_of("I.1.1") == "の事務（変更）"


# -- the terminal never decides whether the work is saved --------------------------------
def test_a_console_that_cannot_show_a_character_still_saves(tmp_path: Path) -> None:
    project = make_project(tmp_path, text=f"𠮷野家の{TERM}")
    run = run_cli("replace", project, TERM, "当市", cwd=tmp_path, PYTHONIOENCODING="cp932")
    assert run.code == 0 and "Traceback" not in run.err, run.err
    assert "?野家" in run.out and "保存しました" in run.out
    assert load_project(project).project.text_of("I.1.1") == "𠮷野家の当市（変更）"


@pytest.mark.parametrize("round_", range(3))
def test_a_closed_pipe_still_saves(project: Path, tmp_path: Path, round_: int) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # `| head -0`: nobody reads the output
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pia_desk", "replace", str(project), TERM, "当市"],
            cwd=tmp_path,
            env=child_env(),
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(writer)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
    assert load_project(project).project.text_of("I.1.1") == "当市の事務（変更）"
    assert not project.with_name(project.name + ".lock").exists()

"""After a crash: the user's own lock is theirs, and the recovery prompt says when (和暦,
local time) and never throws the recovered work away by default."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from pia_desk.domain.wareki import format_wareki
from pia_desk.gui import dialogs
from pia_desk.gui.settings import recovery_folder
from pia_desk.storage.errors import LockedError
from pia_desk.storage.lock import current_info, lock_path_for
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.recovery import KEPT_FOLDER, RecoveryStore
from pia_desk.storage.session import ProjectSession, load_project
from tests.test_gui_main_window import Answers, open_window

GONE_PID = 999_999_999  # no such process
LEFT_AT = "2026-11-27T16:45:00+09:00"


@pytest.fixture
def answers(monkeypatch, tmp_path) -> Answers:
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    return Answers(monkeypatch)


@pytest.fixture
def project_file(tmp_path) -> Path:
    project = new_project("juten", org="架空市長")
    project.set_text("I.1.1", "予防接種に関する事務")
    path = tmp_path / "予防接種.piadesk"
    save_project(project, path)
    return path


def leave_lock(path: Path, *, user: str | None = None, host: str | None = None, pid: int) -> None:
    """The lock file a PIA Desk leaves when it ends without closing the project."""
    me = current_info()
    info = {
        "host": host or me.host,
        "user": user or me.user,
        "pid": pid,
        "time": LEFT_AT,
    }
    lock_path_for(path).write_text(json.dumps(info), encoding="utf-8")


def crash_with_recovery(path: Path, text: str) -> RecoveryStore:
    """Unsaved work in the recovery folder and the lock left behind."""
    store = RecoveryStore(recovery_folder())
    project = load_project(path).project
    project.set_text("I.1.1", text)
    store.write(project, path)
    leave_lock(path, pid=GONE_PID)
    return store


# -- the lock (storage policy) ------------------------------------------------------------
def test_own_lock_of_a_crashed_session_is_taken_back_without_asking(project_file):
    leave_lock(project_file, pid=GONE_PID)

    def never(error: LockedError) -> bool:
        raise AssertionError(f"asked about {error.message}")

    with ProjectSession.open(project_file, never) as session:
        assert not session.read_only
        assert session.reclaimed_lock is not None and session.reclaimed_lock.pid == GONE_PID
        assert json.loads(lock_path_for(project_file).read_text())["pid"] == os.getpid()


@pytest.mark.parametrize(
    "whose",
    [
        {"user": "tanaka", "pid": GONE_PID},  # another user of this PC
        {"host": "PC-042", "pid": GONE_PID},  # this user on another PC: cannot be checked
        {"pid": os.getppid()},  # this user, a PIA Desk still running
    ],
)
def test_other_locks_are_still_someone_elses(project_file, whose):
    leave_lock(project_file, **whose)
    with pytest.raises(LockedError):
        ProjectSession.open(project_file)
    session = ProjectSession.open(project_file, read_only_when_locked=True)
    assert session.read_only and session.reclaimed_lock is None


def test_a_writing_command_takes_back_the_users_own_lock(project_file, capsys):
    from pia_desk.cli import main

    leave_lock(project_file, pid=GONE_PID)
    assert main(["replace", str(project_file), "予防接種", "定期接種"]) == 0
    assert load_project(project_file).project.text_of("I.1.1") == "定期接種に関する事務"
    assert not lock_path_for(project_file).exists()


# -- the editor ---------------------------------------------------------------------------
def test_reopening_after_a_crash_is_the_users_own_session(qtbot, answers, project_file):
    store = crash_with_recovery(project_file, "予防接種に関する事務等")
    saved_at = store.find_for(project_file).saved_at
    window = open_window(qtbot, project_file)
    assert not window.read_only
    assert not any("編集中" in m or "ロックを解除して" in m for m in answers.shown)
    left = datetime.fromisoformat(LEFT_AT).astimezone()  # told in this PC's local time
    reclaimed = f"正常に終了しなかった PIA Desk（{format_wareki(left.date())} {left:%H:%M}）"
    assert reclaimed in window.statusBar().currentMessage()
    # The prompt names the time of the copy in 和暦 and local time.
    moment = datetime.fromisoformat(saved_at).astimezone()
    when = f"{format_wareki(moment.date())} {moment:%H:%M}"
    prompt = next(m for m in answers.shown if "復元データがあります" in m)
    assert f"（{when} 保存）" in prompt and "T" not in prompt.split("\n")[0]
    assert window.project.text_of("I.1.1") == "予防接種に関する事務等"  # restored


def test_the_recovery_question_defaults_to_restoring_and_escape_keeps_the_copy(qapp, monkeypatch):
    seen: dict[str, str] = {}

    def look(box: QMessageBox) -> int:
        seen["default"] = box.defaultButton().text()
        seen["escape"] = box.escapeButton().text()
        box.escapeButton().click()  # what Esc does
        return 0

    monkeypatch.setattr(QMessageBox, "exec", look)
    assert dialogs.ask_recovery(None, "復元しますか？", "") == dialogs.KEEP
    assert seen == {"default": "復元する(&R)", "escape": "復元しない(&N)"}


def test_not_restoring_keeps_the_copy_as_a_project_file(qtbot, answers, project_file):
    store = crash_with_recovery(project_file, "予防接種に関する事務等")
    answers.recovery = dialogs.KEEP
    window = open_window(qtbot, project_file)
    assert window.project.text_of("I.1.1") == "予防接種に関する事務"  # the saved text
    assert store.find_for(project_file) is None  # not offered again
    kept = list((store.folder / KEPT_FOLDER).glob("*.piadesk"))
    assert len(kept) == 1 and kept[0].name.startswith("予防接種_復元データ_")
    assert str(kept[0]) in answers.shown[-1]  # told where it went
    # Later recovery copies and a clean save leave it alone.
    window.project.set_text("I.1.2", "別の記載")
    window._dirty_without_undo = True
    window.autosave_now()
    assert window.save() and window.close_project()
    assert load_project(kept[0]).project.text_of("I.1.1") == "予防接種に関する事務等"


def test_deleting_the_copy_is_a_choice_of_its_own(qtbot, answers, project_file):
    store = crash_with_recovery(project_file, "予防接種に関する事務等")
    answers.recovery = dialogs.DISCARD
    window = open_window(qtbot, project_file)
    assert window.project.text_of("I.1.1") == "予防接種に関する事務"
    assert store.leftovers() == [] and not (store.folder / KEPT_FOLDER).exists()


def test_untitled_copy_not_restored_at_start_is_kept(qtbot, answers):
    store = RecoveryStore(recovery_folder())
    project = new_project("juten")
    project.set_text("I.1.1", "未保存の記載")
    store.write(project, None)
    answers.recovery = dialogs.KEEP
    window = open_window(qtbot, None)
    assert not window.offer_untitled_recovery()
    assert store.untitled() == []
    kept = list((store.folder / KEPT_FOLDER).glob("無題_復元データ_*.piadesk"))
    assert len(kept) == 1 and str(kept[0]) in answers.shown[-1]
    assert any("保存）。復元しますか" in m for m in answers.shown)

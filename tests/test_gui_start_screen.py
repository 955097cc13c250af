"""Start screen: recent files show their 評価書名, remembered without reading the files."""

from __future__ import annotations

import json

from pia_desk.gui.app import create_main_window
from pia_desk.gui.settings import Settings
from pia_desk.storage.project_file import new_project, save_project
from tests.test_gui_main_window import Answers

TITLE = "予防接種に関する事務　重点項目評価書"


def test_recent_entries_show_the_title_as_last_opened(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    Answers(monkeypatch)
    path = tmp_path / "予防接種.piadesk"
    save_project(new_project("juten", title=TITLE), path)
    settings = Settings.load(tmp_path / "settings.json")
    window = create_main_window(path, settings=settings)
    qtbot.addWidget(window)
    assert window.close_project()
    first = window.recent_list.item(0).text().split("\n")
    assert first[0].startswith(f"{TITLE}　予防接種.piadesk　（最終保存 令和")
    assert first[1].strip() == str(tmp_path)
    # Tall enough for both lines (the folder line was cut off at the default height).
    metrics = window.recent_list.fontMetrics()
    assert window.recent_list.item(0).sizeHint().height() > 2 * metrics.height()
    # Kept in the settings file: the next start shows it without opening the project.
    stored = json.loads(settings.path.read_text(encoding="utf-8"))
    assert stored["recent_titles"] == {str(path.resolve()): TITLE}
    path.write_bytes(b"not read at start")
    again = create_main_window(settings=Settings.load(settings.path))
    qtbot.addWidget(again)
    assert again.recent_list.item(0).text().startswith(f"{TITLE}　予防接種.piadesk")


def test_damaged_titles_in_the_settings_are_ignored(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"recent_files": ["/a.piadesk"], "recent_titles": ["x"]}), encoding="utf-8"
    )
    assert Settings.load(path).recent_titles == {}
    path.write_text(
        json.dumps({"recent_files": ["/a.piadesk"], "recent_titles": {"/a.piadesk": 3, "/b": "t"}}),
        encoding="utf-8",
    )
    assert Settings.load(path).recent_titles == {}


def test_a_file_without_a_title_shows_its_name_first(tmp_path, qtbot, monkeypatch):
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    Answers(monkeypatch)
    path = tmp_path / "無題の評価書.piadesk"
    save_project(new_project("juten"), path)
    settings = Settings.load(tmp_path / "settings.json")
    window = create_main_window(path, settings=settings)
    qtbot.addWidget(window)
    assert window.close_project()
    assert window.recent_list.item(0).text().startswith("無題の評価書.piadesk　（最終保存")

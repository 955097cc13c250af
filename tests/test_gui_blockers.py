"""The editor's blockers (issue 11): closing a dialog any way leaves no listener behind,
Escape closes every dialog, the change list highlights the shown item's row, and
windows fit the screen.

Dialogs here are really shown and answered with the keyboard (no ask() replaced): an
`Escaper` presses the key in whatever modal window appears, the way a person would,
in the widget that has the focus there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWidget

from pia_desk.gui import dialogs
from pia_desk.gui.app import create_main_window
from pia_desk.gui.dialogs import NewProjectDialog, RevisionDialog
from pia_desk.gui.main_window import MainWindow
from pia_desk.gui.project_info_dialog import ProjectInfoDialog
from pia_desk.gui.project_source import create_project
from pia_desk.gui.revision_browser import RevisionBrowser
from pia_desk.gui.settings import Settings
from pia_desk.gui.ui_loader import child
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import ProjectSession

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def own_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    # Closing the window at the end of a test drops its changes without asking.
    discard = QMessageBox.StandardButton.Discard
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: discard)


def flush_deletes() -> None:
    """Run the pending deleteLater()s, as the event loop does after a dialog closes."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def listeners(project) -> int:
    return len(project.events._listeners)


def sample_window(qtbot) -> MainWindow:
    window = create_main_window(sample=True)
    qtbot.addWidget(window)
    window.show()
    return window


def submitted_project_window(qtbot, tmp_path) -> MainWindow:
    """A project whose last revision is submitted (no draft): 新しい改訂を開始 asks a date."""
    project = new_project("juten", org="架空市長", title="予防接種に関する事務")
    project.set_text("I.1.1", "予防接種に関する事務")
    project.submit_draft(date(2021, 4, 1))
    path = tmp_path / "予防接種.piadesk"
    save_project(project, path)
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    return window


# -- 1. listeners end with their owner ---------------------------------------------------
def close_by_button(browser: QDialog) -> None:
    buttons = child(browser, QDialogButtonBox, "buttonBox")
    buttons.button(QDialogButtonBox.StandardButton.Close).click()


def close_by_escape(browser: QDialog) -> None:
    QTest.keyClick(focus_in(browser), Qt.Key.Key_Escape)


def close_by_window(browser: QDialog) -> None:
    browser.close()


@pytest.mark.parametrize("close", [close_by_button, close_by_escape, close_by_window])
def test_submit_after_closing_the_revision_list(qtbot, monkeypatch, close):
    window = sample_window(qtbot)
    project = window.project
    before = listeners(project)
    window.actions_by_name["actionRevisionList"].trigger()
    browser = window.findChild(RevisionBrowser)
    assert browser.isVisible() and listeners(project) > before
    browser.table.setFocus()
    close(browser)
    flush_deletes()
    assert window.findChild(RevisionBrowser) is None  # deleted, not only hidden
    assert listeners(project) == before
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(RevisionDialog, "ask", classmethod(lambda cls, *a: date(2025, 3, 1)))
    window.actions_by_name["actionSubmitRevision"].trigger()  # crashed here before
    assert project.draft is None and project.submitted[-1].submitted_on == date(2025, 3, 1)


def test_revision_list_of_a_deleted_window_stops_listening(qtbot):
    window = create_main_window(sample=True)
    project = window.project
    window.show_revisions()
    assert window.findChild(RevisionBrowser) is not None
    window.deleteLater()  # the parent goes: the browser with it
    flush_deletes()
    assert listeners(project) == 0
    project.submit_draft(date(2025, 3, 1))  # events reach nobody deleted


def test_every_view_of_a_deleted_window_stops_listening(qtbot):
    window = create_main_window(sample=True)
    project = window.project
    window.show_check_panel()
    window.open_find_bar()
    assert listeners(project) >= 6  # window, tree, compare, list and its model, check, find
    window.deleteLater()
    flush_deletes()
    assert listeners(project) == 0
    project.set_text("I.1.1", "変更")


def test_check_panel_closed_then_project_switched(qtbot, tmp_path):
    window = sample_window(qtbot)
    project = window.project
    base = listeners(project)
    window.show_check_panel()
    assert listeners(project) == base + 1
    window.check_dock.close()  # the dock's close button: the panel is kept, still listening
    window.close_project()
    flush_deletes()
    assert listeners(project) == 0
    project.set_text("I.1.1", "変更")


# -- 2. Escape closes every dialog ---------------------------------------------------------
def focus_in(window: QWidget) -> QWidget:
    """Where typing goes in `window`: its focus widget, else the first field that takes
    the focus (an offscreen window may not be active yet)."""
    if window.focusWidget() is not None:
        return window.focusWidget()
    fields = [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    return fields[0] if fields else window


class Escaper:
    """Presses `key` in each modal window that appears, in its focus widget (as a person
    types), and notes any window the key did not close (closing it so the test ends)."""

    def __init__(self, key: Qt.Key = Qt.Key.Key_Escape) -> None:
        self.key = key
        self.pressed: list[str] = []
        self.stuck: list[str] = []
        self._last: QWidget | None = None
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            return
        if modal is self._last:
            self.stuck.append(modal.windowTitle())
            modal.reject() if isinstance(modal, QDialog) else modal.close()
            return
        self._last = modal
        self.pressed.append(modal.windowTitle())
        QTest.keyClick(focus_in(modal), self.key)

    def stop(self) -> None:
        self.timer.stop()


def assert_main_window_usable(window: MainWindow) -> None:
    QApplication.processEvents()
    assert QApplication.activeModalWidget() is None
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert [w.windowTitle() for w in shown if isinstance(w, QDialog)] == []
    assert window.isEnabled() and window.isVisible()
    window.filter_edit.setFocus()
    QTest.keyClicks(window.filter_edit, "abc")
    assert window.filter_edit.text().endswith("abc")
    window.filter_edit.clear()


SAMPLE_DIALOG_ACTIONS = (
    "actionNew",
    "actionOpen",
    "actionSaveAs",
    "actionExportWord",
    "actionPrint",
    "actionPrintPreview",
    "actionExportPdf",
    "actionImport",
    "actionImportAssessment",
    "actionExportAssessment",
    "actionPrintAssessment",
    "actionProjectInfo",
    "actionSubmitRevision",
    "actionReplace",
    "actionAddItem",
    "actionRename",
    "actionAbout",
)


@pytest.mark.parametrize("action", SAMPLE_DIALOG_ACTIONS)
def test_escape_closes_each_dialog(qtbot, action):
    window = sample_window(qtbot)
    window.select_node("I.1.1")
    escaper = Escaper()
    try:
        window.findChild(QAction, action).trigger()
    finally:
        escaper.stop()
    assert escaper.pressed, "no dialog was shown"
    assert escaper.stuck == []
    assert_main_window_usable(window)


def test_escape_closes_the_submission_date(qtbot, monkeypatch):
    window = sample_window(qtbot)
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)  # 未設定 rows: submit anyway
    escaper = Escaper()
    try:
        window.actions_by_name["actionSubmitRevision"].trigger()
    finally:
        escaper.stop()
    assert escaper.pressed == ["提出済みにする"] and escaper.stuck == []
    assert window.project.draft is not None
    assert_main_window_usable(window)


def test_cancelled_new_project_keeps_the_open_one(qtbot):
    window = sample_window(qtbot)
    project = window.project
    escaper = Escaper()
    try:
        window.actions_by_name["actionNew"].trigger()
    finally:
        escaper.stop()
    assert escaper.pressed == ["新しいプロジェクト"]
    assert window.project is project and window.pages.currentWidget() is window.editor_page


def test_escape_closes_the_first_use_question(qtbot):
    window = sample_window(qtbot)
    window.set_session(ProjectSession.untitled(create_project("juten")))
    escaper = Escaper()
    try:
        window.actions_by_name["actionAdoptBaseline"].trigger()
    finally:
        escaper.stop()
    assert len(escaper.pressed) == 1 and escaper.stuck == []
    assert_main_window_usable(window)


def test_escape_closes_the_start_revision_date(qtbot, tmp_path):
    window = submitted_project_window(qtbot, tmp_path)
    escaper = Escaper()
    try:
        window.actions_by_name["actionStartRevision"].trigger()
    finally:
        escaper.stop()
    assert escaper.pressed == ["新しい改訂を開始"] and escaper.stuck == []
    assert window.project.draft is None
    assert_main_window_usable(window)


def test_escape_closes_the_revision_list(qtbot):
    window = sample_window(qtbot)
    window.actions_by_name["actionRevisionList"].trigger()
    browser = window.findChild(RevisionBrowser)
    browser.activateWindow()
    browser.table.setFocus()
    QTest.keyClick(browser.focusWidget(), Qt.Key.Key_Escape)
    flush_deletes()
    assert window.findChild(RevisionBrowser) is None
    assert_main_window_usable(window)


def test_escape_on_the_start_screen_new_project(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    escaper = Escaper()
    try:
        window.actions_by_name["actionNew"].trigger()
    finally:
        escaper.stop()
    assert escaper.pressed == ["新しいプロジェクト"] and escaper.stuck == []
    assert window.session is None
    assert_main_window_usable(window)


def enter_in(dialog: QDialog, field: QWidget) -> None:
    QTimer.singleShot(0, lambda: QTest.keyClick(field, Qt.Key.Key_Return))


def test_enter_accepts_the_form_dialogs(qtbot):
    new = NewProjectDialog()
    qtbot.addWidget(new)
    new.org_edit.setText("架空市長")
    enter_in(new, new.org_edit)
    assert new.exec() == QDialog.DialogCode.Accepted
    assert new.answer().org == "架空市長"

    revision = RevisionDialog(None, "提出済みにする", "提出日", date(2025, 3, 1))
    qtbot.addWidget(revision)
    enter_in(revision, revision.date_edit)
    assert revision.exec() == QDialog.DialogCode.Accepted
    assert revision.value == date(2025, 3, 1)

    info = ProjectInfoDialog(create_project("juten"))
    qtbot.addWidget(info)
    info.edits["title"].setText("新しい評価書名")
    enter_in(info, info.edits["title"])
    assert info.exec() == QDialog.DialogCode.Accepted
    assert info.changes == {"title": "新しい評価書名"}


@pytest.mark.parametrize(
    "make",
    [
        lambda: NewProjectDialog(),
        lambda: RevisionDialog(None, "改訂", "日付", date(2025, 3, 1)),
        lambda: ProjectInfoDialog(create_project("juten")),
    ],
)
def test_window_close_button_rejects_the_form_dialogs(qtbot, make):
    dialog = make()
    qtbot.addWidget(dialog)
    QTimer.singleShot(0, dialog.close)  # the title bar's ×
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


# -- 3. the change list highlights the shown item's row ------------------------------------
def test_change_list_selection_follows_the_tree(qtbot):
    window = sample_window(qtbot)
    table = window.change_list.table
    model = window.change_list.model
    assert model.rowCount() >= 2
    first, second = (model.row_of(r)[1].node_id for r in (0, 1))
    repaints: list[int] = []
    table.selectionModel().selectionChanged.connect(lambda *a: repaints.append(1))
    window.select_node(first)
    assert window.change_list.selected_rows() == [0]
    window.select_node(second)
    assert window.change_list.selected_rows() == [1]
    assert table.currentIndex().row() == 1
    assert repaints, "the view was not told: it keeps painting the old row"
    unchanged = next(
        n
        for n in ("I.1.1", "I.1.2", "I.1.3")
        if model.row_for_node(n) < 0 and window.project.find_node(n)
    )
    window.select_node(unchanged)
    assert window.change_list.selected_rows() == []
    assert not table.currentIndex().isValid()
    assert window.compare.node_id == unchanged  # the tree kept the item chosen


def test_clicking_a_row_selects_one_whole_row(qtbot):
    window = sample_window(qtbot)
    table = window.change_list.table
    model = window.change_list.model
    window.select_node(model.row_of(0)[1].node_id)
    table.selectionModel().setCurrentIndex(
        table.model().index(1, 2),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert window.change_list.selected_rows() == [1]
    assert window.compare.node_id == model.row_of(1)[1].node_id
    selected = {(i.row(), i.column()) for i in table.selectionModel().selectedIndexes()}
    assert {row for row, _ in selected} == {1}


# -- 4. windows fit the screen ---------------------------------------------------------------
GEOMETRY_PROBE = r"""
import json, sys
from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication
from pia_desk.gui.app import create_main_window
from pia_desk.gui import screen_fit
from pia_desk.gui.settings import Settings
out = {}
window = create_main_window(sample=True)
window.show()
QApplication.processEvents()
area = screen_fit.available_geometry(window)
out["area"] = [area.width(), area.height()]
out["dpr"] = window.devicePixelRatio()
out["first"] = [window.frameGeometry().getRect(), screen_fit.within(window)]
out["minimum"] = [window.minimumWidth(), window.minimumHeight()]
window.resize(1024, window.height()); QApplication.processEvents()
out["at1024"] = window.main_splitter.sizes()
window.save_layout(); window.close()
# a layout saved on a larger screen: 2400x1500 at (300, 200)
settings = Settings.load()
big = create_main_window(settings=settings)
big.setMinimumSize(0, 0); big.setGeometry(300, 200, 2400, 1500)
settings.geometry = bytes(big.saveGeometry().toHex().data()).decode("ascii")
big.close()
restored = create_main_window(sample=True, settings=settings)
restored.show(); QApplication.processEvents()
out["restored"] = [restored.frameGeometry().getRect(), screen_fit.within(restored)]
from pia_desk.gui.revision_browser import RevisionBrowser
from pia_desk.storage.session import ProjectSession
from pia_desk.gui.import_dialog import ImportDialog
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtCore import QTimer
browser = RevisionBrowser(restored.project, restored); browser.show(); QApplication.processEvents()
out["revisions"] = screen_fit.within(browser)
importer = ImportDialog(restored.project, restored); importer.show(); QApplication.processEvents()
out["import"] = screen_fit.within(importer)
from pia_desk.gui import printing
def check_preview():
    dialog = QApplication.activeModalWidget()
    out["preview"] = [dialog.frameGeometry().getRect(), screen_fit.within(dialog)]
    dialog.reject()
QTimer.singleShot(200, check_preview)
printing.print_preview(restored, restored.project)
print(json.dumps(out))
"""


def probe_geometry(tmp_path: Path, width: int, height: int, scale: str) -> dict:
    config = tmp_path / "screen.json"
    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
        "PYTHONPATH": str(REPO),
        "PIA_DESK_CONFIG_DIR": str(tmp_path / "config"),
        "PIA_DESK_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-c", GEOMETRY_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("width", "height", "scale", "area"),
    [(1366, 768, "1", [1366, 768]), (1920, 1080, "1.5", [1280, 720])],
)
def test_windows_fit_the_screen(tmp_path, width, height, scale, area):
    found = probe_geometry(tmp_path, width, height, scale)
    assert found["area"] == area
    assert found["dpr"] == float(scale)
    assert found["first"][1], found["first"]
    *_, w, h = found["first"][0]
    assert w >= area[0] * 0.8 and h >= area[1] * 0.8  # uses the screen, not a fixed size
    assert found["minimum"][0] <= area[0] and found["minimum"][1] <= area[1]
    assert found["restored"][1], found["restored"]
    assert found["revisions"] and found["import"]
    assert found["preview"][1], found["preview"]
    tree, editors = found["at1024"]
    assert editors >= 2 * tree, found["at1024"]  # the tree does not squeeze the editors


def test_window_state_is_saved_and_restored(qtbot, tmp_path):
    """The check panel stays where the user put it (QMainWindow.saveState in settings)."""
    settings = Settings.load(tmp_path / "settings.json")
    window = create_main_window(sample=True, settings=settings)
    qtbot.addWidget(window)
    window.show_check_panel()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.check_dock)
    window.close()
    saved = Settings.load(tmp_path / "settings.json")
    assert saved.window_state
    again = create_main_window(sample=True, settings=saved)
    qtbot.addWidget(again)
    again.show_check_panel()
    assert again.dockWidgetArea(again.check_dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_damaged_layout_settings_are_ignored(qtbot, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"geometry": "日本語", "window_state": 12, "splitters": {"main": [0, -5]}}),
        encoding="utf-8",
    )
    settings = Settings.load(path)
    assert (settings.geometry, settings.window_state) == ("", "")
    window = create_main_window(sample=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert all(size > 0 for size in window.main_splitter.sizes())


# -- issue 18: zoom, 編集 and 表示 menus, toolbar ---------------------------------------------
def point_size(widget: QWidget) -> float:
    return widget.font().pointSizeF()


def test_zoom_by_keys_menu_and_wheel_is_kept(qtbot, tmp_path):
    settings = Settings.load(tmp_path / "settings.json")
    window = create_main_window(sample=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    base = point_size(window.compare.after_edit)
    window.select_node("I.1.1")
    window.compare.after_edit.setFocus()
    QTest.keyClick(window.compare.after_edit, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert settings.zoom == 110
    views = (window.tree_view, window.compare.after_edit, window.change_list.table)
    assert all(point_size(v) == pytest.approx(base * 1.1) for v in views)
    QTest.keyClick(window.compare.after_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.compare.after_edit, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert settings.zoom == 90
    window.actions_by_name["actionZoomReset"].trigger()
    assert settings.zoom == 100 and point_size(window.tree_view) == pytest.approx(base)
    wheel_up(window.change_list.table.viewport())
    wheel_up(window.tree_view.viewport())
    assert settings.zoom == 125
    window.close()
    again = create_main_window(sample=True, settings=Settings.load(tmp_path / "settings.json"))
    qtbot.addWidget(again)
    assert again.zoom == 125
    assert point_size(again.change_list.table) == pytest.approx(base * 1.25)


def wheel_up(widget: QWidget) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_edit_menu_works_on_the_focused_field(qtbot):
    window = sample_window(qtbot)
    edit = window.filter_edit
    edit.setText("予防接種")
    edit.setFocus()
    QApplication.processEvents()
    window.actions_by_name["actionSelectAll"].trigger()
    assert edit.selectedText() == "予防接種"
    window.actions_by_name["actionCut"].trigger()
    assert edit.text() == ""
    window.actions_by_name["actionPaste"].trigger()
    window.actions_by_name["actionPaste"].trigger()
    assert edit.text() == "予防接種予防接種"


def test_toolbar_offers_the_daily_steps(qtbot):
    window = sample_window(qtbot)
    texts = [a.text() for a in window.toolbar.actions()]
    assert [t.split("(")[0] for t in texts] == [
        "上書き保存",
        "元に戻す",
        "やり直し",
        "検索",
        window.actions_by_name["actionExportWord"].text().split("(")[0],
        "印刷",
    ]


def mnemonic(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].upper() if at >= 0 else None


def test_no_shortcut_letter_twice_in_a_menu(qtbot):
    window = sample_window(qtbot)
    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions() if a.menu() is not None]
    groups = {"menubar": [a.text() for a in bar.actions()]}
    for menu in menus:
        menu.aboutToShow.emit()  # menus filled when opened (最近使ったファイル)
        groups[menu.title()] = [a.text() for a in menu.actions() if not a.isSeparator()]
    for name, texts in groups.items():
        letters = [m for m in map(mnemonic, texts) if m]
        assert len(letters) == len(set(letters)), (name, texts)

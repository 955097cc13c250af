"""The editor window: item tree, compare editor, change list, menus and file handling.

The window's layout, menus and actions come from ui/main_window.ui (loaded at run
time); this module wires them to the project. Features written by colleagues (export,
printing, import, checks, replace) are reached through the hook methods near the end,
which import their modules only when used.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
    QTextCursor,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from pia_desk import __version__
from pia_desk.domain.entries import Timing
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.textdiff import utf16_offset
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.wareki import format_wareki
from pia_desk.gui import dialogs, screen_fit, zoom
from pia_desk.gui.actions import (
    ACTIONS,
    MAIN_ACTIONS,
    PROJECT_ACTIONS,
    TOOLBAR_ACTIONS,
    WRITE_ACTIONS,
)
from pia_desk.gui.assessment_menu import install_assessment_actions
from pia_desk.gui.change_list import ChangeListWidget
from pia_desk.gui.commands import (
    AddItemCommand,
    AddRepeatCommand,
    AdoptBaselineCommand,
    RemoveNodeCommand,
    RenameNodeCommand,
    SetMetaCommand,
    SetRevisionDateCommand,
    StartRevisionCommand,
    SubmitRevisionCommand,
    changed_node,
)
from pia_desk.gui.compare_editor import CompareEditor
from pia_desk.gui.dialogs import NewProjectDialog, RevisionDialog
from pia_desk.gui.find_bar import FindBar, Match
from pia_desk.gui.first_entry_banner import FirstEntryBanner
from pia_desk.gui.help_window import install_guide_action
from pia_desk.gui.project_events import ProjectListener
from pia_desk.gui.project_source import create_project
from pia_desk.gui.roles import NodeIdRole
from pia_desk.gui.settings import Settings, recovery_folder
from pia_desk.gui.tree_model import ProjectTreeModel, TreeFilterProxy
from pia_desk.gui.ui_loader import child, load_ui
from pia_desk.gui.zoom import WheelZoom
from pia_desk.paths import sample_project_path
from pia_desk.storage.errors import (
    FileChangedOnDiskError,
    LockedError,
    LockInfo,
    NewerVersionError,
    ProjectFileError,
    shown,
)
from pia_desk.storage.project_file import EXTENSION
from pia_desk.storage.recovery import RecoveryCopy, RecoveryStore, describe_differences
from pia_desk.storage.session import ProjectSession

if TYPE_CHECKING:
    from pia_desk.gui.entry_panel import EntryPanel

APP_NAME = "PIA Desk"
INITIAL_ENTRY_HINT = (
    "初回入力中: 入力・貼り付け・取り込んだ記載は変更箇所になりません。"
    "入力を終えたら「改訂 > 現在の記載を基準にする」を実行してください。"
)
AUTOSAVE_MS = 60_000
STATUS_DELAY_MS = 50  # actions and the status bar follow the project after a burst of events
FILE_FILTER = f"PIA Desk プロジェクト (*{EXTENSION});;すべてのファイル (*)"


NO_RECENT_TEXT = (
    "最近使ったファイルはありません。「様式から新規作成」「プロジェクトを開く」"
    "または「サンプルを開く」から始めてください。"
)


def recent_entry_text(path: Path, title: str = "") -> str:
    """A recent file: its 評価書名 (when known), its name, when it was last saved (和暦)
    and its folder."""
    heading = f"{title}　" if title else ""  # two lines: the list shows no third
    try:
        saved = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return f"{heading}{path.name}\n    {path.parent}"
    return (
        f"{heading}{path.name}　（最終保存 {format_wareki(saved.date())} {saved:%H:%M}）"
        f"\n    {path.parent}"
    )


def export_action_text(annex_label: str) -> str:
    """「別添２をWordで出力」 for 重点, 「別添３…」 for 全項目, 「変更箇所…」 for 基礎."""
    name = annex_label.replace("変更箇所", "").strip("（）") or "変更箇所"
    return f"{name}をWordで出力(&W)..."


def about_text() -> str:
    """ヘルプ > バージョン情報: the version, and that nothing goes over the network."""
    return (
        f"{APP_NAME} {__version__}\n\n"
        "特定個人情報保護評価書の変更箇所を記録し、変更箇所の表を作成するエディタです。\n\n"
        f"{APP_NAME} はネットワークに接続しません。評価書の記載は、このパソコンの"
        "ファイルにだけ保存されます。"
    )


def kept_note(kept: Path) -> str:
    return (
        "復元データは次のファイルに残しました。ファイル > 開く で開くと内容を確認できます。"
        f"\n{kept}"
    )


def reclaimed_note(holder: LockInfo) -> str:
    """Said when the user's own lock of a PIA Desk that ended abnormally was taken back."""
    return f"正常に終了しなかった PIA Desk（{holder.since()}）のロックを解除しました。"


class MainWindow(QMainWindow):
    def __init__(
        self, settings: Settings | None = None, recovery: RecoveryStore | None = None
    ) -> None:
        super().__init__()
        self.settings = settings or Settings.load()
        self.recovery = recovery or RecoveryStore(recovery_folder())
        self.undo_stack = QUndoStack(self)
        self.session: ProjectSession | None = None
        self._dirty_without_undo = False  # e.g. a project restored from a recovery copy
        self._tree_model: ProjectTreeModel | None = None
        self._proxy = TreeFilterProxy(self)
        self._listener = ProjectListener(self, self._on_project_event)
        self._remembered: tuple[set[str], str | None] = (set(), None)
        self.check_dock: QDockWidget | None = None
        self.entry_panel: EntryPanel | None = None  # created when first needed
        self._load_form()
        self._build_panes()
        self._connect_actions()
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(STATUS_DELAY_MS)
        self._status_timer.timeout.connect(self._update_status)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self._autosave_timer.start()
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_app_state)
        self._placed = False  # clamped to the screen once shown (showEvent)
        self._build_toolbar()
        self._restore_layout()
        self._wheel_zoom = WheelZoom(
            lambda direction: self.set_zoom(zoom.step(self.zoom, direction)), self
        )
        self._wheel_zoom.watch(self._zoomed_views())
        self._apply_zoom()
        self._update_title()
        self._update_actions()

    # -- construction -----------------------------------------------------------------
    def _load_form(self) -> None:
        self._form = load_ui("main_window.ui")  # kept alive: it owns nothing we use after
        form = self._form
        self.setCentralWidget(form.takeCentralWidget())
        self.setMenuBar(form.menuBar())
        self.setStatusBar(child(form, QStatusBar, "statusbar"))
        self.summary_label = QLabel("")
        self.statusBar().addPermanentWidget(self.summary_label)
        self.actions_by_name: dict[str, QAction] = {}
        for name in MAIN_ACTIONS:
            action = child(form, QAction, name)
            action.setParent(self)
            self.addAction(action)
            self.actions_by_name[name] = action
        self.recent_menu = child(self.menuBar(), QMenu, "menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        central = self.centralWidget()
        self.pages = child(central, QStackedWidget, "pages")
        self.start_page = child(central, QWidget, "startPage")
        self.editor_page = child(central, QWidget, "editorPage")
        self.read_only_banner = child(central, QLabel, "readOnlyBanner")
        self.first_entry_banner = FirstEntryBanner(
            self.editor_page, self.open_assessment_import_dialog, self.adopt_baseline
        )
        banner_layout = self.read_only_banner.parentWidget().layout()
        banner_layout.insertWidget(
            banner_layout.indexOf(self.read_only_banner) + 1, self.first_entry_banner
        )
        self.main_splitter = child(central, QSplitter, "mainSplitter")
        self.right_splitter = child(central, QSplitter, "rightSplitter")
        self.filter_edit = child(central, QLineEdit, "filterEdit")
        self.changed_only = child(central, QCheckBox, "changedOnlyCheck")
        self.tree_view = child(central, QTreeView, "treeView")
        self.no_match_label = child(central, QLabel, "noMatchLabel")
        self._filter_anchor: str | None = None
        self.start_screen: QWidget | None = None  # loaded when first shown

    def _build_panes(self) -> None:
        central = self.centralWidget()
        self.compare = CompareEditor(self.undo_stack)
        child(central, QVBoxLayout, "compareLayout").addWidget(self.compare)
        self.change_list = ChangeListWidget(self.undo_stack)
        child(central, QVBoxLayout, "changeListLayout").addWidget(self.change_list)
        self._find_bar: FindBar | None = None  # created on first Ctrl+F
        self.tree_view.setModel(self._proxy)
        self.tree_view.selectionModel().currentChanged.connect(self._on_tree_current)
        self.tree_view.activated.connect(self._focus_editor)  # Enter: start writing
        self._proxy.modelAboutToBeReset.connect(self._remember_tree)
        self._proxy.modelReset.connect(self._restore_tree)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.changed_only.toggled.connect(self._on_filter)
        self.change_list.nodeActivated.connect(self.select_node)
        self.change_list.applied.connect(lambda text: self.statusBar().showMessage(text, 8000))
        a = self.actions_by_name
        self.compare.after_edit.use_stack_actions(a["actionUndo"], a["actionRedo"])
        # Stretch in proportion to the default shares: a narrower window takes from the
        # tree and the editors alike instead of squeezing the editors only.
        share = round(screen_fit.TREE_SHARE * 10)
        self.main_splitter.setStretchFactor(0, share)
        self.main_splitter.setStretchFactor(1, 10 - share)
        share = round(screen_fit.COMPARE_SHARE * 10)
        self.right_splitter.setStretchFactor(0, share)
        self.right_splitter.setStretchFactor(1, 10 - share)
        self.setTabOrder(self.filter_edit, self.changed_only)
        self.setTabOrder(self.changed_only, self.tree_view)
        self.setTabOrder(self.tree_view, self.compare.after_edit)
        self.setTabOrder(self.compare.after_edit, self.change_list.scope_combo)

    def _connect_actions(self) -> None:
        a = self.actions_by_name
        for spec in ACTIONS:
            slot = getattr(self, spec.slot)
            a[spec.name].triggered.connect(lambda checked=False, s=slot: s())
        # Right click (or the menu key) on the tree: the 項目 menu's actions.
        self.tree_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for name in ("actionAddRepeat", "actionAddItem", "actionRename", "actionDelete"):
            self.tree_view.addAction(a[name])
        # Delete only where items are chosen: in the editors it deletes characters.
        self.removeAction(a["actionDelete"])
        stack = self.undo_stack
        for signal in (stack.canUndoChanged, stack.canRedoChanged, stack.indexChanged):
            signal.connect(self._update_actions)
        stack.undoTextChanged.connect(self._on_undo_text)
        stack.redoTextChanged.connect(self._on_redo_text)
        stack.cleanChanged.connect(self._update_title)
        menu_file = child(self.menuBar(), QMenu, "menuFile")
        install_assessment_actions(self, menu_file, a["actionExportPdf"])
        install_guide_action(self, child(self.menuBar(), QMenu, "menuHelp"))

    def _build_toolbar(self) -> None:
        """保存, 元に戻す, やり直し, 検索, Word出力, 印刷: the daily steps one click away."""
        self.toolbar = self.addToolBar("標準")
        self.toolbar.setObjectName("mainToolBar")  # its place and visibility are saved
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in TOOLBAR_ACTIONS:
            self.toolbar.addAction(self.actions_by_name[name])
        toggle = self.toolbar.toggleViewAction()
        toggle.setText("ツールバー(&T)")
        view_menu = child(self.menuBar(), QMenu, "menuView")
        view_menu.addAction(toggle)
        zoom_in = self.actions_by_name["actionZoomIn"]
        zoom_in.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )

    def _build_start_screen(self) -> QWidget:
        start = load_ui("start_screen.ui")
        child(self.centralWidget(), QVBoxLayout, "startLayout").addWidget(start)
        child(start, QPushButton, "newButton").clicked.connect(self.new_project)
        child(start, QPushButton, "openButton").clicked.connect(self.open_project_dialog)
        child(start, QPushButton, "sampleButton").clicked.connect(self.open_sample)
        child(start, QPushButton, "openRecentButton").clicked.connect(self._open_recent_selected)
        self.recent_list = child(start, QListWidget, "recentList")
        self.recent_list.itemActivated.connect(self._open_recent_item)
        self.recent_list.currentItemChanged.connect(self._update_open_recent)
        return start

    @property
    def find_bar(self) -> FindBar:
        if self._find_bar is None:
            self._find_bar = FindBar()
            self._find_bar.hide()
            child(self.centralWidget(), QVBoxLayout, "findBarLayout").addWidget(self._find_bar)
            self._find_bar.matchChosen.connect(self._show_match)
            self._find_bar.set_project(self.project)
        return self._find_bar

    # -- state ------------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.session.project if self.session else None

    @property
    def read_only(self) -> bool:
        return bool(self.session and self.session.read_only)

    def is_modified(self) -> bool:
        return self.session is not None and (
            not self.undo_stack.isClean() or self._dirty_without_undo
        )

    def _update_title(self, *args: object) -> None:
        if not isValid(self):
            return
        if self.session is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)
            return
        suffix = "（読み取り専用）" if self.read_only else ""
        self.setWindowTitle(f"{self.session.display_name}{suffix}[*] - {APP_NAME}")
        self.setWindowModified(self.is_modified())

    def _on_undo_text(self, text: str) -> None:
        if isValid(self.actions_by_name["actionUndo"]):
            self.actions_by_name["actionUndo"].setText(
                f"元に戻す(&U): {text}" if text else "元に戻す(&U)"
            )

    def _on_redo_text(self, text: str) -> None:
        if isValid(self.actions_by_name["actionRedo"]):
            self.actions_by_name["actionRedo"].setText(
                f"やり直し(&R): {text}" if text else "やり直し(&R)"
            )

    def _update_actions(self, *args: object) -> None:
        a = self.actions_by_name
        if not all(isValid(action) for action in a.values()):
            return  # the window is being destroyed (the undo stack clears itself)
        has_project = self.session is not None
        writable = has_project and not self.read_only
        for name in PROJECT_ACTIONS:
            a[name].setEnabled(has_project)
        for name in WRITE_ACTIONS:
            a[name].setEnabled(writable)
        self.first_entry_banner.show_for(self.project, writable)
        a["actionUndo"].setEnabled(writable and self.undo_stack.canUndo())
        a["actionRedo"].setEnabled(writable and self.undo_stack.canRedo())
        project = self.project
        a["actionSubmitRevision"].setEnabled(
            writable and project is not None and project.draft is not None
        )
        a["actionAdoptBaseline"].setEnabled(
            writable and project is not None and (project.initial_entry or not project.submitted)
        )
        node = self.current_node()
        a["actionAddRepeat"].setEnabled(writable and self._repeat_prototype(node) is not None)
        a["actionAddItem"].setEnabled(writable and self._container_for(node) is not None)
        a["actionRename"].setEnabled(writable and node is not None and not node.is_deleted)
        a["actionDelete"].setEnabled(
            writable
            and node is not None
            and not node.is_deleted
            and node.kind not in (NodeKind.ROOT, NodeKind.SECTION)
        )

    # -- project in the window ---------------------------------------------------------------
    def set_session(self, session: ProjectSession | None, dirty: bool = False) -> None:
        """Show a project (or the start page for None); the previous one must be closed."""
        if self._tree_model is not None:
            self._tree_model.detach()
            self._tree_model.deleteLater()
        self.undo_stack.clear()
        self.session = session
        self._dirty_without_undo = dirty
        self.statusBar().clearMessage()  # nothing said about the previous project stays
        project = session.project if session else None
        self._tree_model = ProjectTreeModel(project, self) if project else None
        self._proxy.setSourceModel(self._tree_model)
        self.compare.set_project(project)
        if self.entry_panel is not None:
            self.entry_panel.set_project(project)
        self.change_list.set_project(project)
        if self._find_bar is not None:
            self._find_bar.set_project(project)
        self._listener.switch(project)
        self._drop_check_panel()
        if project is not None:
            self._name_annex(project.meta.annex_label)
            if project.initial_entry:
                self.statusBar().showMessage(INITIAL_ENTRY_HINT)
        read_only = self.read_only
        self.compare.set_read_only(read_only)
        self.change_list.set_read_only(read_only)
        if self.entry_panel is not None:
            self.entry_panel.set_read_only(read_only)
        self.read_only_banner.setVisible(read_only)
        self.read_only_banner.setText(session.read_only_reason if session else "")
        if session is None:
            self.show_start_page()
        else:
            self._size_tree_columns()
            self.pages.setCurrentWidget(self.editor_page)
            self._expand_sections()
            self.tree_view.setFocus()
            if session.warnings:
                dialogs.show_info(self, "\n".join(session.warnings))
        self._update_title()
        self._update_actions()
        self._update_summary()

    def _name_annex(self, annex_label: str) -> None:
        """Actions about the change table name this form's annex (別添２, 別添３ …)."""
        a = self.actions_by_name
        a["actionExportWord"].setText(export_action_text(annex_label))
        a["actionExportWord"].setStatusTip(f"{annex_label}の表を .docx で出力します")
        a["actionImport"].setStatusTip(
            f"既存の{annex_label}の表（Word・Excel・CSV）から変更履歴を取り込みます"
        )

    def _on_project_event(self, event: object) -> None:
        self._status_timer.start()  # one update after a burst of events (each keystroke)

    def _update_status(self) -> None:
        if isValid(self):
            self._update_actions()
            self._update_summary()
            if self.entry_panel is None:  # the first edit may have given the item its row
                node = self.current_node()
                self._show_entry(node.id if node is not None else None)

    def _update_summary(self) -> None:
        """The status bar's permanent note: the draft revision and its open questions."""
        project = self.project
        draft = project.draft if project else None
        if project is None:
            text = ""
        elif draft is None:
            text = f"作成中の改訂なし（提出済み {len(project.submitted)} 件）"
        else:
            unset = sum(1 for e in draft.entries if e.timing is Timing.UNSET)
            text = (
                f"作成中の改訂: {format_wareki(draft.date)}　変更箇所 {len(draft.entries)} 件"
                + (f"（提出時期 未設定 {unset} 件）" if unset else "")
            )
        self.summary_label.setText(text)

    def show_start_page(self) -> None:
        if self.start_screen is None:
            self.start_screen = self._build_start_screen()
        self.pages.setCurrentWidget(self.start_page)
        self.recent_list.clear()
        recent = self.settings.existing_recent()
        for path in recent:
            text = recent_entry_text(path, self.settings.recent_title(path))
            item = QListWidgetItem(text)
            # Both lines: the default height leaves no room for the item's margins.
            bound = self.recent_list.fontMetrics().boundingRect(QRect(0, 0, 10_000, 1_000), 0, text)
            item.setSizeHint(QSize(bound.width() + 16, bound.height() + 8))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        if recent:
            self.recent_list.setCurrentRow(0)
        else:  # says so, instead of an empty white box
            item = QListWidgetItem(NO_RECENT_TEXT)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(item)
        self._update_open_recent()
        child(self.start_screen, QPushButton, "sampleButton").setEnabled(
            sample_project_path().is_file()
        )

    def _size_tree_columns(self) -> None:
        header = self.tree_view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, header.fontMetrics().horizontalAdvance("提出時期") + 16)

    def _expand_sections(self) -> None:
        for row in range(self._proxy.rowCount()):
            self.tree_view.expand(self._proxy.index(row, 0))

    # -- tree ----------------------------------------------------------------------------------
    def current_node(self) -> Node | None:
        index = self.tree_view.currentIndex()
        if not index.isValid() or self.project is None:
            return None
        return self.project.find_node(index.data(NodeIdRole))

    def select_node(self, node_id: str) -> None:
        """Make `node_id` the current item of the tree (clearing a filter that hides it)."""
        if self._tree_model is None:
            return
        source = self._tree_model.index_of_id(node_id)
        proxy_index = self._proxy.mapFromSource(source)
        if source.isValid() and not proxy_index.isValid():
            self.filter_edit.clear()
            self.changed_only.setChecked(False)
            proxy_index = self._proxy.mapFromSource(source)
        if proxy_index.isValid():
            self.tree_view.setCurrentIndex(proxy_index)
            self.tree_view.scrollTo(proxy_index)

    def _on_tree_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        node_id = current.data(NodeIdRole) if current.isValid() else None
        self.compare.show_node(node_id)
        self.change_list.select_node(node_id)
        self._show_entry(node_id)
        self._update_actions()

    # -- the entry panel (created when an item with a change is first shown) ----------------
    def _show_entry(self, node_id: str | None) -> None:
        if self.entry_panel is None:
            project = self.project
            if project is None or node_id is None or project.entry_for_node(node_id) is None:
                return
            self._build_entry_panel()
        assert self.entry_panel is not None
        self.entry_panel.show_node(node_id)

    def _build_entry_panel(self) -> None:
        from pia_desk.gui.entry_panel import EntryPanel

        def suggestion_for(revision, entry):
            model = self.change_list.model
            return model.suggestion_for(revision, entry) if model is not None else None

        panel = EntryPanel(self.undo_stack, suggestion_for)
        panel.setFont(zoom.zoomed_font(self.settings.zoom))
        panel.set_project(self.project)
        panel.set_read_only(self.read_only)
        total = sum(self.right_splitter.sizes()) or self.height()
        saved = self.settings.splitters.get("right", [])
        self.right_splitter.insertWidget(1, panel)
        self.right_splitter.setStretchFactor(1, 3)
        if len(saved) == 3 and all(n > 0 for n in saved):
            self.right_splitter.setSizes(saved)
        else:
            shares = screen_fit.ENTRY_PANEL_SHARES
            self.right_splitter.setSizes([round(total * s) for s in shares])
        self.entry_panel = panel

    def _focus_editor(self, index: QModelIndex) -> None:
        node = self.current_node()
        if node is None or not node.is_leaf_item:
            self.tree_view.setExpanded(index, not self.tree_view.isExpanded(index))
        elif self.compare.pages.currentWidget() is self.compare.text_page:
            self.compare.after_edit.setFocus()
        else:
            self.compare.options_page.focusNextChild()

    def _on_filter(self, *args: object) -> None:
        filtering = bool(self.filter_edit.text().strip()) or self.changed_only.isChecked()
        current = self.current_node()
        if current is not None:
            self._filter_anchor = current.id  # the item to come back to
        self._proxy.set_text(self.filter_edit.text())
        self._proxy.set_changed_only(self.changed_only.isChecked())
        self.no_match_label.setVisible(filtering and self._proxy.rowCount() == 0)
        if filtering:
            self.tree_view.expandAll()
        elif self._filter_anchor:
            # Filter cleared: the item chosen stays chosen, its branch open.
            self.select_node(self._filter_anchor)
            self.tree_view.scrollTo(self.tree_view.currentIndex())

    def _remember_tree(self) -> None:
        expanded: set[str] = set()
        stack = [QModelIndex()]
        while stack:
            parent = stack.pop()
            for row in range(self._proxy.rowCount(parent)):
                index = self._proxy.index(row, 0, parent)
                if self.tree_view.isExpanded(index):
                    expanded.add(index.data(NodeIdRole))
                    stack.append(index)
        current = self.tree_view.currentIndex()
        self._remembered = (expanded, current.data(NodeIdRole) if current.isValid() else None)

    def _restore_tree(self) -> None:
        expanded, current = self._remembered
        if self._tree_model is None:
            return
        for node_id in expanded:
            index = self._proxy.mapFromSource(self._tree_model.index_of_id(node_id))
            if index.isValid():
                self.tree_view.expand(index)
        if current:
            self.select_node(current)

    # -- find ----------------------------------------------------------------------------------
    def open_find_bar(self) -> None:
        if self.session is not None:
            self.find_bar.open_bar(self.compare.after_edit.textCursor().selectedText())

    def _show_match(self, match: Match) -> None:
        self.select_node(match.node_id)
        edit = self.compare.after_edit
        if self.compare.node_id != match.node_id or not edit.isVisible():
            return
        text = edit.toPlainText()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(utf16_offset(text, match.start))
        cursor.setPosition(
            utf16_offset(text, match.start + match.length), QTextCursor.MoveMode.KeepAnchor
        )
        edit.setTextCursor(cursor)
        edit.ensureCursorVisible()

    # -- files -----------------------------------------------------------------------------------
    def new_project(self) -> bool:
        """Ask for the new project first: cancelling keeps the open project open."""
        answer = NewProjectDialog.ask(self)
        if answer is None or not self.close_project():
            return False
        project = create_project(answer.form, answer.org, answer.title)
        self.set_session(ProjectSession.untitled(project))
        return True

    def open_project_dialog(self) -> bool:
        start = str(self.session.path.parent) if self.session and self.session.path else ""
        name, _ = QFileDialog.getOpenFileName(self, "プロジェクトを開く", start, FILE_FILTER)
        return bool(name) and self.open_path(Path(name))

    def open_sample(self) -> bool:
        """The bundled sample as an untitled copy (the program folder is never written)."""
        try:
            session = ProjectSession.sample_copy(sample_project_path())
        except ProjectFileError as error:
            dialogs.show_error(self, str(error))
            return False
        if not self.close_project():
            return False
        self.set_session(session)
        self.statusBar().showMessage(
            "サンプルを開きました。保存するときは、名前を付けて別の場所に保存してください。"
        )
        return True

    def open_path(self, path: Path, remember: bool = True) -> bool:
        """Open a project file; on any error the current project stays as it was."""
        path = Path(path)
        current = self.session.path if self.session else None
        if current is not None and current.resolve() == path.resolve():
            return True  # already open here
        try:
            session = ProjectSession.open(path, self._ask_takeover, read_only_when_locked=True)
        except ProjectFileError as error:
            dialogs.show_error(self, str(error))
            return False
        if not self.close_project():
            session.close()
            return False
        dirty, kept = False, None
        if not session.read_only:
            session, dirty, kept = self._offer_recovery(session)
        self.set_session(session, dirty=dirty)
        if session.read_only and session.read_only_reason and not session.warnings:
            dialogs.show_info(self, session.read_only_reason)  # the warnings said it already
        if session.reclaimed_lock is not None:
            self.statusBar().showMessage(reclaimed_note(session.reclaimed_lock), 30_000)
        if kept:
            dialogs.show_info(self, kept_note(kept))
        if remember:
            self.settings.add_recent(path, self._title_of_open_project())
            self.settings.save()
        return True

    def _ask_takeover(self, error: LockedError) -> bool:
        """Take over someone's lock? The default answer (いいえ) opens read-only."""
        holder = error.holder
        if error.stale or holder is None:
            return dialogs.confirm(
                self,
                f"{error.message}\n\nロックを解除して編集を始めますか？",
                "他の人が本当に編集していないことを確かめてから「はい」を選んでください。"
                "「いいえ」を選ぶと読み取り専用で開きます。",
            )
        return dialogs.confirm(
            self,
            f"このプロジェクトは {shown(holder.user)} さん（端末: {shown(holder.host)}）が"
            f" {holder.since()} から編集中です。\n\nロックを解除して編集を始めますか？",
            f"{shown(holder.user)} さんがまだ編集している場合、ロックを解除して編集すると、"
            "どちらかの変更が失われます。その端末で PIA Desk が終了していること"
            "（パソコンが止まった等）を確かめてから「はい」を選んでください。"
            "「いいえ」を選ぶと読み取り専用で開きます。",
        )

    def _offer_recovery(self, session: ProjectSession) -> tuple[ProjectSession, bool, Path | None]:
        """The session (with the recovered project if the user restores it), whether it
        was restored, and where a copy not restored was kept."""
        assert session.path is not None
        copy = self.recovery.find_for(session.path)
        if copy is None:
            return session, False, None
        try:
            recovered = copy.load()
        except ProjectFileError:
            self.recovery.discard(copy)
            return session, False, None
        detail = describe_differences(recovered, session.project)
        restore, kept = self._ask_recovery(
            copy,
            "前回、このプロジェクトを正常に閉じられなかったときの復元データがあります"
            f"（{copy.saved_when()} 保存）。復元しますか？",
            detail,
        )
        if restore:
            session.project = recovered
        return session, restore, kept

    def _ask_recovery(self, copy: RecoveryCopy, text: str, detail: str) -> tuple[bool, Path | None]:
        """Whether to restore `copy`, and where it was kept when not: a copy not restored
        is kept aside (also on Esc) unless the user chose to delete it."""
        answer = dialogs.ask_recovery(
            self,
            text,
            f"{detail}\n「復元しない」を選んでも復元データは削除せず、別のファイルとして残します。",
        )
        if answer == dialogs.RESTORE:
            return True, None
        if answer == dialogs.DISCARD:
            self.recovery.discard(copy)
            return False, None
        try:
            return False, self.recovery.set_aside(copy)
        except OSError as error:
            dialogs.show_error(
                self, f"復元データを移せませんでした（{error}）。元の場所に残します。"
            )
            return False, None

    def offer_untitled_recovery(self) -> bool:
        """At start-up: offer recovery copies of projects that were never saved."""
        for copy in self.recovery.untitled():
            try:
                recovered = copy.load()
            except ProjectFileError:
                self.recovery.discard(copy)
                continue
            detail = describe_differences(recovered, None)
            restore, kept = self._ask_recovery(
                copy,
                "保存されていないプロジェクトの復元データがあります"
                f"（{copy.saved_when()} 保存）。復元しますか？",
                detail,
            )
            if restore:
                self.recovery.discard(copy)
                self.set_session(ProjectSession.untitled(recovered), dirty=True)
                return True
            if kept:
                dialogs.show_info(self, kept_note(kept))
        return False

    def save(self) -> bool:
        if self.session is None:
            return False
        if self.read_only or self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_as(self) -> bool:
        if self.session is None:
            return False
        suggested = str(self.session.path or Path.home() / f"{self._default_name()}{EXTENSION}")
        name, _ = QFileDialog.getSaveFileName(self, "名前を付けて保存", suggested, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(EXTENSION)
        return self._save_to(path)

    def _title_of_open_project(self) -> str | None:
        project = self.project
        return project.title if project is not None else None

    def _default_name(self) -> str:
        project = self.project
        return (project.title if project else "") or "無題"

    def _save_to(self, path: Path, overwrite: bool = False) -> bool:
        """Write the project to `path` holding its lock; `overwrite` skips the check that
        nobody else saved the session's own file since it was loaded."""
        session = self.session
        assert session is not None
        old_path = session.path
        try:
            session.save_as(path, overwrite=overwrite)
        except NewerVersionError as error:
            dialogs.show_error(self, f"{error.message}別の名前を付けて保存してください。")
            return False
        except LockedError as error:
            dialogs.show_error(self, f"{error.message}\nこのファイルには保存できません。")
            return False
        except FileChangedOnDiskError as error:
            choice = dialogs.ask_choice(self, str(error), ["上書きする", "名前を付けて保存"])
            if choice == 0:
                return self._save_to(path, overwrite=True)
            return self.save_as() if choice == 1 else False
        except ProjectFileError as error:
            dialogs.show_error(self, str(error))
            return False
        self._saved(old_path, path)
        if session.upgrade_notice:  # said once: the file is now of the latest version
            dialogs.show_info(self, session.upgrade_notice)
        return True

    def _saved(self, old_path: Path | None, path: Path) -> None:
        self.recovery.remove(old_path)
        self.recovery.remove(path)
        self._dirty_without_undo = False
        self.undo_stack.setClean()
        self.settings.add_recent(path, self._title_of_open_project())
        self.settings.save()
        self.set_read_only_view()
        self.statusBar().showMessage(f"保存しました: {path}", 5000)

    def set_read_only_view(self) -> None:
        read_only = self.read_only
        self.compare.set_read_only(read_only)
        self.change_list.set_read_only(read_only)
        if self.entry_panel is not None:
            self.entry_panel.set_read_only(read_only)
        self.read_only_banner.setVisible(read_only)
        self._update_title()
        self._update_actions()

    def close_project(self) -> bool:
        """Close the open project (asking about unsaved changes); False if cancelled."""
        if self.session is None:
            return True
        if self.is_modified() and not self.read_only:
            answer = dialogs.ask_save_changes(self, self.session.display_name)
            if answer == dialogs.QMessageBox.StandardButton.Cancel:
                return False
            if answer == dialogs.QMessageBox.StandardButton.Save and not self.save():
                return False
        if not self.read_only:
            self.recovery.remove(self.session.path)
        self.session.close()
        self.set_session(None)
        return True

    def autosave_now(self) -> None:
        """Write a recovery copy of a project with unsaved changes."""
        session = self.session
        if session is None or session.read_only or not self.is_modified():
            return
        with contextlib.suppress(OSError, ProjectFileError):
            self.recovery.write(session.project, session.path)

    def _on_app_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave_now()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.existing_recent()
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
        if not recent:
            self.recent_menu.addAction("（なし）").setEnabled(False)

    def _update_open_recent(self, *args: object) -> None:
        """「選んだファイルを開く」 only when a file is chosen."""
        item = self.recent_list.currentItem()
        chosen = item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
        child(self.start_screen, QPushButton, "openRecentButton").setEnabled(chosen)

    def _open_recent_selected(self) -> None:
        item = self.recent_list.currentItem()
        if item is not None:
            self._open_recent_item(item)

    def _open_recent_item(self, item: QListWidgetItem) -> None:
        self.open_path(Path(item.data(Qt.ItemDataRole.UserRole)))

    # -- items ---------------------------------------------------------------------------------
    @staticmethod
    def _repeat_prototype(node: Node | None) -> Node | None:
        while node is not None:
            if node.repeat_label is not None and not node.is_deleted:
                return node
            node = node.parent
        return None

    @staticmethod
    def _container_for(node: Node | None) -> Node | None:
        if node is None:
            return None
        container = node if node.kind.is_container else node.parent
        return None if container is None or container.is_deleted else container

    # -- 編集 on the focused text field --------------------------------------------------------
    def _edit_focused(self, operation: str) -> None:
        """切り取り / コピー / 貼り付け / すべて選択 in the field that has the focus."""
        widget = QApplication.focusWidget()
        method = getattr(widget, operation, None)
        if callable(method):
            method()

    def cut_text(self) -> None:
        self._edit_focused("cut")

    def copy_text(self) -> None:
        self._edit_focused("copy")

    def paste_text(self) -> None:
        self._edit_focused("paste")

    def select_all_text(self) -> None:
        self._edit_focused("selectAll")

    # -- 表示: text size ------------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        return self.settings.zoom

    def zoom_in(self) -> None:
        self.set_zoom(zoom.step(self.zoom, +1))

    def zoom_out(self) -> None:
        self.set_zoom(zoom.step(self.zoom, -1))

    def zoom_reset(self) -> None:
        self.set_zoom(zoom.DEFAULT)

    def set_zoom(self, percent: int) -> None:
        """Text size of the tree, the editors and the change list; kept in the settings."""
        percent = min(max(percent, zoom.STEPS[0]), zoom.STEPS[-1])
        if percent == self.settings.zoom:
            return
        self.settings.zoom = percent
        self._apply_zoom()
        self.settings.save()
        self.statusBar().showMessage(f"文字の大きさ: {percent}%", 3000)

    def _zoomed_views(self) -> list[QWidget]:
        compare = self.compare
        return [self.tree_view, compare.before_edit, compare.after_edit, self.change_list.table]

    def _apply_zoom(self) -> None:
        font = zoom.zoomed_font(self.settings.zoom)
        for widget in (self.tree_view, self.compare, self.change_list, self.entry_panel):
            if widget is not None:
                widget.setFont(font)
        self.actions_by_name["actionZoomReset"].setEnabled(self.settings.zoom != zoom.DEFAULT)

    def undo(self) -> None:
        """Undo, and show the item the undone step changed."""
        stack = self.undo_stack
        command = stack.command(stack.index() - 1) if stack.canUndo() else None
        stack.undo()
        self._show_changed_item(command)

    def redo(self) -> None:
        stack = self.undo_stack
        command = stack.command(stack.index()) if stack.canRedo() else None
        stack.redo()
        self._show_changed_item(command)

    def _show_changed_item(self, command: QUndoCommand | None) -> None:
        node_id = changed_node(command, self.project) if command is not None else None
        if node_id and node_id != self.compare.node_id:
            self.select_node(node_id)

    def _push(self, command) -> bool:
        try:
            self.undo_stack.push(command)
        except DomainError as error:
            dialogs.show_error(self, str(error))
            return False
        return True

    def add_repeat(self) -> None:
        prototype = self._repeat_prototype(self.current_node())
        if self.project is None or prototype is None:
            return
        command = AddRepeatCommand(self.project, prototype.id)
        if self._push(command) and command.node_id:
            self.select_node(command.node_id)
            self.tree_view.expand(self.tree_view.currentIndex())

    def add_item(self) -> None:
        container = self._container_for(self.current_node())
        if self.project is None or container is None:
            return
        label = dialogs.ask_text(self, "項目を追加", f"「{container.label}」の下に追加する項目名:")
        if label:
            command = AddItemCommand(self.project, container.id, label)
            if self._push(command) and command.node_id:
                self.select_node(command.node_id)

    def rename_item(self) -> None:
        node = self.current_node()
        if self.project is None or node is None:
            return
        label = dialogs.ask_text(self, "名前の変更", "新しい項目名:", node.label)
        if label and label != node.label:
            self._push(RenameNodeCommand(self.project, node.id, label))

    def delete_item(self) -> None:
        node = self.current_node()
        if self.project is None or node is None:
            return
        if dialogs.confirm(
            self,
            f"「{node.label}」を削除しますか？",
            "提出済みの記載がある項目は、変更後の記載が（削除）の変更箇所になります。"
            "元に戻す（Ctrl+Z）で取り消せます。",
        ):
            self._push(RemoveNodeCommand(self.project, node.id))

    # -- revisions -----------------------------------------------------------------------------
    def start_revision(self) -> None:
        project = self.project
        if project is None:
            return
        if project.initial_entry:
            dialogs.show_info(
                self,
                "初回入力中です（入力した記載は変更箇所になりません）。"
                "入力を終えたら「改訂 > 現在の記載を基準にする」を実行してから、"
                "新しい改訂を開始してください。",
            )
            return
        draft = project.draft
        if draft is not None and draft.entries:
            dialogs.show_info(
                self,
                f"{format_wareki(draft.date)} の改訂を作成中です（変更箇所 {len(draft.entries)} 件）。"
                "新しい改訂は、この改訂を提出済みにしてから始めてください。",
            )
            return
        on = RevisionDialog.ask(
            self,
            "新しい改訂を開始",
            "この改訂の変更日を入力してください（和暦または西暦）。",
            draft.date if draft else project.today(),
        )
        if on is None:
            return
        if draft is not None:
            self._push(SetRevisionDateCommand(project, draft.id, on))
        else:
            self._push(StartRevisionCommand(project, on))

    def submit_revision(self) -> None:
        project = self.project
        draft = project.draft if project else None
        if project is None or draft is None:
            return
        unset = sum(1 for e in draft.entries if e.timing is Timing.UNSET)
        if unset and not dialogs.confirm(
            self,
            f"提出時期が未設定の変更箇所が {unset} 件あります。このまま提出済みにしますか？",
        ):
            return
        on = RevisionDialog.ask(
            self,
            "提出済みにする",
            f"{format_wareki(draft.date)} の改訂（変更箇所 {len(draft.entries)} 件）を提出済みにします。"
            "提出日を入力してください。提出済みの改訂は変更できなくなります。",
            project.today(),
        )
        if on is not None:
            self._push(SubmitRevisionCommand(project, on))

    def adopt_baseline(self) -> None:
        """改訂 > 現在の記載を基準にする（初回入力）: the text typed in at first use is the
        評価書 as submitted, not changes (only before any revision is submitted)."""
        project = self.project
        if project is None or self.read_only:
            return
        if project.submitted and not project.initial_entry:
            return
        if not dialogs.confirm(
            self,
            "現在の記載を、提出済みの評価書の記載（変更前の記載）として扱いますか？",
            "既存の評価書の記載を初めて入力したときに使います。作成中の改訂の変更箇所"
            f"（{len(project.draft.entries) if project.draft else 0} 件）は変更箇所でなくなり、"
            "これ以後の編集が変更箇所として記録されます。元に戻す（Ctrl+Z）で取り消せます。",
        ):
            return
        if self._push(AdoptBaselineCommand(project)):
            self.statusBar().clearMessage()  # 初回入力 is over

    def edit_project_info(self) -> None:
        """ファイル > プロジェクトの情報…: edit the metadata as one undoable step."""
        project = self.project
        if project is None or self.read_only:
            return
        from pia_desk.gui.project_info_dialog import ProjectInfoDialog

        changes = ProjectInfoDialog.ask(self, project)
        if changes:
            self._push(SetMetaCommand(project, **changes))

    def show_revisions(self) -> None:
        if self.project is None:
            return
        from pia_desk.gui.revision_browser import RevisionBrowser

        browser = RevisionBrowser(self.project, self)
        browser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        browser.show()

    # -- output, import, check, replace (modules loaded on first use) ------------------
    def open_export_dialog(self) -> None:
        if self.session is None:
            return
        from pia_desk.gui.export_dialog import show_export_dialog

        show_export_dialog(self, self.session.project, self.session.path, self.settings)

    def _ask_print_rows(self, title: str, ok_text: str):
        """Which rows and format (the draft revision by default); None if cancelled."""
        if self.project is None:
            return None
        from pia_desk.gui.print_dialog import PrintDialog

        return PrintDialog.ask(self, self.project, title, ok_text, self.settings)

    def print_preview(self) -> None:
        choice = self._ask_print_rows("印刷プレビュー", "プレビュー(&V)")
        if choice is not None and self.project is not None:
            from pia_desk.gui import printing

            printing.print_preview(self, self.project, choice.options, choice.table_filter)

    def print_table(self) -> None:
        choice = self._ask_print_rows("印刷", "印刷(&P)...")
        if choice is not None and self.project is not None:
            from pia_desk.gui import printing

            printing.print_table(self, self.project, choice.options, choice.table_filter)

    def export_pdf(self) -> None:
        choice = self._ask_print_rows("PDFに出力", "出力(&E)...")
        if choice is not None and self.project is not None:
            from pia_desk.gui import printing

            path = self.session.path if self.session else None
            printing.export_pdf(
                self,
                self.project,
                options=choice.options,
                table_filter=choice.table_filter,
                project_path=path,
            )

    def open_import_dialog(self) -> None:
        if self.project is None or self.read_only:
            return
        from pia_desk.gui.import_dialog import show_import_dialog

        path = self.session.path if self.session else None
        show_import_dialog(self, self.project, path, self.undo_stack)

    def write_into_city_file(self) -> None:
        if self.project is None:
            return
        from pia_desk.gui.write_into import write_into_city_file

        write_into_city_file(self, self.project, self.session.path if self.session else None)

    def open_assessment_import_dialog(self) -> None:
        if self.project is None or self.read_only:
            return
        from pia_desk.gui.assessment_import_dialog import show_assessment_import_dialog

        path = self.session.path if self.session else None
        show_assessment_import_dialog(self, self.project, path, self.undo_stack)

    def show_check_panel(self) -> None:
        if self.project is None:
            return
        if self.check_dock is not None:
            self.check_dock.show()
            self.check_dock.raise_()
            return
        from pia_desk.gui.check_panel import CheckPanel

        panel = CheckPanel(self.project)
        panel.activated.connect(self.activate_reference)
        self.check_dock = QDockWidget("提出前チェック", self)
        self.check_dock.setObjectName("checkDock")
        self.check_dock.setWidget(panel)
        # Where it was last time (window_state), else under the editors.
        if not self.restoreDockWidget(self.check_dock):
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.check_dock)
        self.check_dock.show()

    def _drop_check_panel(self) -> None:
        """The panel belongs to one project: stop its listening and free it."""
        if self.check_dock is None:
            return
        panel = self.check_dock.widget()
        if panel is not None:
            panel.set_project(None)
        self.removeDockWidget(self.check_dock)
        self.check_dock.deleteLater()
        self.check_dock = None

    def open_replace_dialog(self) -> None:
        if self.project is None or self.read_only:
            return
        from pia_desk.gui.replace_dialog import show_replace_dialog

        show_replace_dialog(self, self.project, self.undo_stack)

    def activate_reference(self, ref: str) -> None:
        """Show an entry (by entry id) or an item (by node id) named by another panel."""
        project = self.project
        if project is None:
            return
        try:
            _revision, entry = project.find_entry(ref)
        except DomainError:
            node_id: str | None = ref
        else:
            node_id = entry.node_id
        if node_id and project.find_node(node_id):
            self.select_node(node_id)

    def show_about(self) -> None:
        QMessageBox.about(self, f"{APP_NAME} について", about_text())

    # -- window ----------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        """The size and panes of last time, on the screen as it is now (a smaller screen or
        a larger scale than then shrinks the window); first time: fractions of the screen."""
        s = self.settings
        area = screen_fit.available_geometry(self)
        self.setMinimumSize(screen_fit.fraction_of(area, screen_fit.MAIN_MINIMUM_FRACTION))
        restored = bool(s.geometry) and self.restoreGeometry(
            QByteArray.fromHex(s.geometry.encode("ascii"))
        )
        if s.window_state:  # tool bars and panels; a damaged state is ignored by Qt
            self.restoreState(QByteArray.fromHex(s.window_state.encode("ascii")))
        if restored:
            screen_fit.clamp_to_screen(self)
        else:
            screen_fit.fit_window(self, screen_fit.MAIN_FRACTION, QSize(area.size()))
        shares = {"main": screen_fit.TREE_SHARE, "right": screen_fit.COMPARE_SHARE}
        lengths = {"main": self.width(), "right": self.height()}
        for name, splitter in (("main", self.main_splitter), ("right", self.right_splitter)):
            sizes = s.splitters.get(name)
            if not (sizes and len(sizes) == splitter.count() and all(n > 0 for n in sizes)):
                first = round(lengths[name] * shares[name])
                sizes = [first, lengths[name] - first]
            splitter.setSizes(sizes)  # scaled to the splitter's length, proportions kept

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:
            # The frame (title bar) is known only once shown: clamp again with it.
            self._placed = True
            QTimer.singleShot(0, self, lambda: screen_fit.clamp_to_screen(self))

    def save_layout(self) -> None:
        s = self.settings
        s.geometry = bytes(self.saveGeometry().toHex().data()).decode("ascii")
        s.splitters = {"main": self.main_splitter.sizes(), "right": self.right_splitter.sizes()}
        s.window_state = bytes(self.saveState().toHex().data()).decode("ascii")
        s.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()  # before closing the project takes its panels away
        if not self.close_project():
            event.ignore()
            return
        event.accept()

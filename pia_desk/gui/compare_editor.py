"""Side-by-side 変更前 / 変更後 editor of one item, with the changed characters marked.

変更前 is the baseline (read-only), 変更後 the working value. Typing pushes a
SetValueCommand at once (bursts merge), so the change list is always current; the
diff highlight is recomputed on a short single-shot timer and never while an input
method composition (preedit) is open, so conversion of Japanese input is not disturbed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from pia_desk.domain.events import Event, EventKind
from pia_desk.domain.option_groups import group_headings
from pia_desk.domain.project import Project
from pia_desk.domain.textdiff import (
    Span,
    changed_spans,
    diff_chunks,
    is_degenerate,
    spans_to_utf16,
    utf16_offset,
)
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import DELETED_MARK, Value
from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date
from pia_desk.gui.commands import SetValueCommand
from pia_desk.gui.project_events import ProjectListener
from pia_desk.gui.text_edit import TextEdit
from pia_desk.gui.tree_model import timing_label

DIFF_DELAY_MS = 120
DELETED_BACKGROUND = QColor("#ffd7d5")
INSERTED_BACKGROUND = QColor("#d3f5d6")
CHANGED_OPTION_STYLE = "color: #1b5e20; font-weight: bold;"
PLACEHOLDER = "左の一覧から項目を選んでください。"


def _deleted_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(DELETED_BACKGROUND)
    fmt.setFontStrikeOut(True)
    return fmt


def _inserted_format() -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(INSERTED_BACKGROUND)
    fmt.setFontUnderline(True)
    return fmt


def preedit_active(edit: QPlainTextEdit) -> bool:
    """Whether an input method is composing text in `edit` (not yet committed)."""
    layout = edit.textCursor().block().layout()
    return bool(layout is not None and layout.preeditAreaText())


def apply_text(edit: QPlainTextEdit, text: str) -> None:
    """Replace the text with a minimal edit, so caret and scroll position survive undo."""
    old = edit.toPlainText()
    if old == text:
        return
    change = TextEdit.between(old, text)
    cursor = QTextCursor(edit.document())
    cursor.setPosition(utf16_offset(old, change.start))
    cursor.setPosition(utf16_offset(old, change.end), QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(change.inserted)


def _selections(
    edit: QPlainTextEdit, spans: list[Span], fmt: QTextCharFormat
) -> list[QTextEdit.ExtraSelection]:
    selections = []
    document = edit.document()
    for span in spans:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        cursor.setPosition(span.start)
        cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        selections.append(selection)
    return selections


def show_diff(before_edit: QPlainTextEdit, after_edit: QPlainTextEdit) -> bool:
    """Mark deleted characters on the left and inserted ones on the right.

    Returns False (and marks nothing) when the diff is degenerate (too different).
    """
    before, after = before_edit.toPlainText(), after_edit.toPlainText()
    chunks = diff_chunks(before, after)
    deleted: list[Span] = []
    inserted: list[Span] = []
    degenerate = is_degenerate(chunks, before, after)
    if not degenerate:
        deleted, inserted = changed_spans(before, after, chunks=chunks)
    before_edit.setExtraSelections(
        _selections(before_edit, spans_to_utf16(before, deleted), _deleted_format())
    )
    after_edit.setExtraSelections(
        _selections(after_edit, spans_to_utf16(after, inserted), _inserted_format())
    )
    return not degenerate


class TextPane(QPlainTextEdit):
    """A plain text pane whose undo/redo keys drive the project's undo stack."""

    def __init__(self, undo_stack: QUndoStack | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._undo_stack = undo_stack
        self._stack_actions: dict[str, QAction] = {}
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)

    def use_stack_actions(self, undo: QAction, redo: QAction) -> None:
        """The context menu's 元に戻す / やり直し are the window's (the project's undo
        stack, with the same names and shortcuts as the 編集 menu)."""
        self._stack_actions = {"edit-undo": undo, "edit-redo": redo}

    def context_menu(self) -> QMenu:
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            replacement = self._stack_actions.get(action.objectName())
            if replacement is not None:
                menu.insertAction(action, replacement)
                menu.removeAction(action)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def _stack_key(self, event: QKeyEvent) -> bool:
        return self._undo_stack is not None and (
            event.matches(QKeySequence.StandardKey.Undo)
            or event.matches(QKeySequence.StandardKey.Redo)
        )

    def event(self, event) -> bool:  # type: ignore[override]
        if event.type() == event.Type.ShortcutOverride and self._stack_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._stack_key(event):
            assert self._undo_stack is not None
            if event.matches(QKeySequence.StandardKey.Undo):
                self._undo_stack.undo()
            else:
                self._undo_stack.redo()
            event.accept()
            return
        super().keyPressEvent(event)


def keep_readable(widget: QWidget) -> None:
    """Options that cannot be changed (変更前, a read-only project) drawn in the colours
    of enabled ones: greyed-out text of the submitted choices was hard to read."""
    palette = widget.palette()
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.Button,
    ):
        active = palette.color(QPalette.ColorGroup.Active, role)
        palette.setColor(QPalette.ColorGroup.Disabled, role, active)
    widget.setPalette(palette)


def scroll_together(first: QScrollBar, second: QScrollBar) -> None:
    """The 変更前 and 変更後 option lists show the same options side by side."""
    first.valueChanged.connect(second.setValue)
    second.valueChanged.connect(first.setValue)


class OptionPanel(QWidget):
    """Radio buttons (choice) or check boxes (checks) of an item, with その他 text."""

    changed = Signal()

    def __init__(self, node: Node, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._node = node
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(node.kind is NodeKind.CHOICE)
        self._buttons: dict[str, QAbstractButton] = {}
        headings = group_headings(node.options) if node.kind is NodeKind.CHECKS else {}
        for index, option in enumerate(node.options):
            if index in headings:  # 識別情報 / 連絡先等情報 / 業務関係情報, as the form groups them
                heading = QLabel(f"＜{headings[index]}＞")
                heading.setObjectName("optionGroupHeading")
                layout.addWidget(heading)
            button: QAbstractButton = (
                QRadioButton(option) if node.kind is NodeKind.CHOICE else QCheckBox(option)
            )
            button.setEnabled(editable)
            self._group.addButton(button)
            self._buttons[option] = button
            layout.addWidget(button)
        self.other = QLineEdit()
        self.other.setPlaceholderText("その他の内容")
        self.other.setReadOnly(not editable)
        self.other.setVisible(node.other_option is not None)
        layout.addWidget(self.other)
        if not editable:
            keep_readable(self)
        layout.addStretch(1)
        self._group.buttonToggled.connect(lambda *_: self.changed.emit())
        self.other.textEdited.connect(lambda *_: self.changed.emit())

    def set_value(self, value: Value) -> None:
        blockers = [QSignalBlocker(self._group), QSignalBlocker(self.other)]
        if self._node.kind is NodeKind.CHOICE:
            self._group.setExclusive(False)
            for option, button in self._buttons.items():
                button.setChecked(option == value.text)
            self._group.setExclusive(True)
        else:
            for option, button in self._buttons.items():
                button.setChecked(option in value.checked)
        if self.other.text() != value.other:
            self.other.setText(value.other)
        del blockers

    def value(self) -> Value:
        chosen = [o for o, b in self._buttons.items() if b.isChecked()]
        if self._node.kind is NodeKind.CHOICE:
            return Value(text=chosen[0] if chosen else "", other=self.other.text())
        return Value(checked=tuple(chosen), other=self.other.text())

    def mark_differences(self, other: Value) -> None:
        """Emphasise options whose state differs from `other` (the other side's value)."""
        mine = self.value()
        for option, button in self._buttons.items():
            if self._node.kind is NodeKind.CHOICE:
                differs = (option == mine.text) != (option == other.text)
            else:
                differs = (option in mine.checked) != (option in other.checked)
            button.setStyleSheet(CHANGED_OPTION_STYLE if differs else "")

    def buttons(self) -> dict[str, QAbstractButton]:
        return dict(self._buttons)


class CompareEditor(QWidget):
    """The 変更前 / 変更後 panes of the selected item."""

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareEditor")
        self._stack = undo_stack
        self._project: Project | None = None
        self._listener = ProjectListener(self, self._on_event)
        self._node: Node | None = None
        self._read_only = False
        self._applying = False
        self._pushing = False
        self._before_panel: OptionPanel | None = None
        self.option_areas: tuple[QScrollArea, ...] = ()  # 変更前, 変更後 option lists
        self._after_panel: OptionPanel | None = None
        self._shown_deleted = False  # whether the panes show the item as （削除）
        self._diff_timer = QTimer(self)
        self._diff_timer.setSingleShot(True)
        self._diff_timer.setInterval(DIFF_DELAY_MS)
        self._diff_timer.timeout.connect(self.refresh_highlight)
        self._build()

    # -- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        self.path_label = QLabel("")  # the empty page says what to do
        self.path_label.setObjectName("itemPathLabel")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.important_label = QLabel("※ 重要な変更の対象となる項目")
        self.important_label.setObjectName("importantLabel")
        self.important_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.important_label.hide()
        header.addWidget(self.path_label, 1)
        header.addWidget(self.important_label)
        layout.addLayout(header)
        self.status_label = QLabel("")
        self.status_label.setObjectName("diffStatusLabel")
        self.status_label.setStyleSheet("color: #555;")
        layout.addWidget(self.status_label)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._build_text_page())
        self.options_page = QWidget()
        self._options_layout = QGridLayout(self.options_page)
        self.pages.addWidget(self.options_page)
        self.empty_page = QLabel(PLACEHOLDER)
        self.empty_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.empty_page)
        self.pages.setCurrentWidget(self.empty_page)

    def _build_text_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Horizontal)
        page.setChildrenCollapsible(False)
        self.before_edit = TextPane(None)
        self.before_edit.setObjectName("beforeEdit")
        self.before_edit.setReadOnly(True)
        self.after_edit = TextPane(self._stack)
        self.after_edit.setObjectName("afterEdit")
        self.after_edit.setAccessibleName("変更後の記載")
        self.before_edit.setAccessibleName("変更前の記載")
        for title, edit in (("変更前", self.before_edit), ("変更後", self.after_edit)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            caption = QLabel(f"<b>{title}</b>")
            caption.setBuddy(edit)
            box_layout.addWidget(caption)
            box_layout.addWidget(edit)
            page.addWidget(box)
        self.before_edit.setStyleSheet("QPlainTextEdit { background: #f6f6f6; }")
        self.after_edit.textChanged.connect(self._on_text_changed)
        self._sync_scrollbars()
        self.text_page = page
        return page

    def _sync_scrollbars(self) -> None:
        bars = (self.before_edit.verticalScrollBar(), self.after_edit.verticalScrollBar())
        syncing = [False]

        def follow(source, target):
            def on_change(value: int) -> None:
                if syncing[0]:
                    return
                syncing[0] = True
                span = max(source.maximum(), 1)
                target.setValue(round(value / span * target.maximum()))
                syncing[0] = False

            return on_change

        bars[0].valueChanged.connect(follow(bars[0], bars[1]))
        bars[1].valueChanged.connect(follow(bars[1], bars[0]))

    # -- project and node ---------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        self._project = self._listener.switch(project)
        self.show_node(None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.show_node(self._node.id if self._node else None)

    @property
    def node_id(self) -> str | None:
        return self._node.id if self._node else None

    def show_node(self, node_id: str | None) -> None:
        project = self._project
        node = project.find_node(node_id) if project and node_id else None
        self._node = node
        self._shown_deleted = bool(node and node.is_deleted)
        self._clear_options()
        if node is None or project is None:
            self.path_label.clear()
            self.important_label.hide()
            self.status_label.clear()
            self.pages.setCurrentWidget(self.empty_page)
            return
        self.path_label.setText(" ＞ ".join(node.path_labels()))
        self.important_label.setVisible(node.is_important())
        if not node.is_leaf_item:
            self.status_label.setText("見出しです。下位の項目を選んでください。")
            self.pages.setCurrentWidget(self.empty_page)
            return
        if node.kind in (NodeKind.CHOICE, NodeKind.CHECKS, NodeKind.DATE):
            self._show_options(project, node)
        else:
            self._show_text(project, node)
        self._update_status()

    def _editable(self, node: Node) -> bool:
        return not self._read_only and not node.is_deleted

    def _show_text(self, project: Project, node: Node) -> None:
        self._applying = True
        self.before_edit.setPlainText(project.text_of(node.id, baseline=True))
        # A deleted item reads （削除） in the table; its last text stays in the file.
        after = DELETED_MARK if node.is_deleted else project.value(node.id).text
        self.after_edit.setPlainText(after)
        self._applying = False
        self.after_edit.setReadOnly(not self._editable(node))
        self.pages.setCurrentWidget(self.text_page)
        self.refresh_highlight()

    def _show_options(self, project: Project, node: Node) -> None:
        grid = self._options_layout
        grid.addWidget(QLabel("<b>変更前</b>"), 0, 0)
        grid.addWidget(QLabel("<b>変更後</b>"), 0, 1)
        if node.kind is NodeKind.DATE:
            self._show_date(project, node)
        else:
            self._before_panel = OptionPanel(node, editable=False)
            self._after_panel = OptionPanel(node, editable=self._editable(node))
            self._before_panel.set_value(project.baseline_value(node.id))
            self._after_panel.set_value(project.value(node.id))
            self._after_panel.changed.connect(self._on_option_changed)
            areas = [self._scrolled(p) for p in (self._before_panel, self._after_panel)]
            for column, area in enumerate(areas):
                grid.addWidget(area, 1, column)
            scroll_together(*(area.verticalScrollBar() for area in areas))
            self.option_areas = tuple(areas)
            self._mark_options()
        self.pages.setCurrentWidget(self.options_page)

    def _show_date(self, project: Project, node: Node) -> None:
        before = QLabel(self._date_text(project.baseline_value(node.id).text))
        before.setObjectName("beforeDate")
        self.date_edit = QLineEdit(self._date_text(project.value(node.id).text))
        self.date_edit.setObjectName("afterDate")
        self.date_edit.setPlaceholderText("令和3年10月20日")
        self.date_edit.setReadOnly(not self._editable(node))
        self.date_edit.editingFinished.connect(self._on_date_edited)
        self._options_layout.addWidget(before, 1, 0, Qt.AlignmentFlag.AlignTop)
        self._options_layout.addWidget(self.date_edit, 1, 1, Qt.AlignmentFlag.AlignTop)
        self._options_layout.setRowStretch(2, 1)

    @staticmethod
    def _date_text(iso: str) -> str:
        try:
            return format_wareki(date.fromisoformat(iso)) if iso else ""
        except ValueError:
            return iso

    @staticmethod
    def _scrolled(panel: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.StyledPanel)
        area.setWidget(panel)
        return area

    def _clear_options(self) -> None:
        self._before_panel = self._after_panel = None
        self.option_areas = ()
        while self._options_layout.count():
            item = self._options_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._options_layout.setRowStretch(2, 0)

    # -- editing ----------------------------------------------------------------------
    def _push(self, value: Value) -> None:
        project, node = self._project, self._node
        if project is None or node is None or value == project.value(node.id):
            return
        self._pushing = True
        try:
            self._stack.push(SetValueCommand(project, node.id, value))
        finally:
            self._pushing = False

    def _on_text_changed(self) -> None:
        if self._applying or self._node is None or preedit_active(self.after_edit):
            return
        assert self._project is not None
        current = self._project.value(self._node.id)
        self._push(Value(text=self.after_edit.toPlainText(), other=current.other))
        self._diff_timer.start()

    def _on_option_changed(self) -> None:
        if self._after_panel is not None:
            self._push(self._after_panel.value())
            self._mark_options()
            self._update_status()

    def _on_date_edited(self) -> None:
        text = self.date_edit.text().strip()
        try:
            iso = parse_date(text).isoformat() if text else ""
        except WarekiError as error:
            self.status_label.setText(str(error))
            return
        self._push(Value(text=iso))
        self.date_edit.setText(self._date_text(iso))
        self._update_status()

    def _mark_options(self) -> None:
        if self._before_panel is None or self._after_panel is None:
            return
        self._after_panel.mark_differences(self._before_panel.value())
        self._before_panel.mark_differences(self._after_panel.value())

    def _on_event(self, event: Event) -> None:
        if event.kind is EventKind.RESET_END:
            self.show_node(self.node_id)
        elif event.node_id != self.node_id or self._pushing:
            return
        elif event.kind is EventKind.NODE_CHANGED:
            self._refresh_header()
        elif event.kind is EventKind.VALUE_CHANGED:
            self._reload_value()

    def _refresh_header(self) -> None:
        """Label, deletion or entry state of the shown item changed (not its value)."""
        node = self._node
        assert node is not None
        if node.is_deleted != self._shown_deleted:
            self.show_node(node.id)  # deleted or restored: panes change as a whole
            return
        self.path_label.setText(" ＞ ".join(node.path_labels()))
        self._update_status()

    def _reload_value(self) -> None:
        """The value changed elsewhere (undo, replace): bring the panes up to date."""
        assert self._project is not None and self._node is not None
        value = self._project.value(self._node.id)
        if self.pages.currentWidget() is self.text_page:
            self._applying = True
            apply_text(self.after_edit, value.text)
            self._applying = False
            self._diff_timer.start()
        elif self._after_panel is not None:
            self._after_panel.set_value(value)
            self._mark_options()
        else:
            self.show_node(self._node.id)
        self._update_status()

    # -- highlight ----------------------------------------------------------------------
    def refresh_highlight(self) -> None:
        """Recompute the character diff of the visible item (deferred during preedit)."""
        if self.pages.currentWidget() is not self.text_page:
            return
        if preedit_active(self.after_edit):
            self._diff_timer.start()
            return
        if not show_diff(self.before_edit, self.after_edit):
            self.status_label.setText("差分が大きすぎるため、変更箇所を色分けできません。")
            return
        self._update_status()

    def highlighted_spans(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(deleted, inserted) ranges currently marked, in UTF-16 units (for tests)."""

        def ranges(edit: QPlainTextEdit) -> list[tuple[int, int]]:
            return [
                (s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in edit.extraSelections()
            ]

        return ranges(self.before_edit), ranges(self.after_edit)

    def _update_status(self) -> None:
        project, node = self._project, self._node
        if project is None or node is None or not node.is_leaf_item:
            return
        entry = project.entry_for_node(node.id)
        if node.is_deleted:
            self.status_label.setText("この項目は削除されています（変更後の記載:（削除））。")
        elif entry is None:
            self.status_label.setText("変更なし")
        else:
            self.status_label.setText(f"変更あり（提出時期: {timing_label(entry.timing)}）")

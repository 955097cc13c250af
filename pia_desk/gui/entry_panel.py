"""The entry panel: deciding the change row of the selected item, at a glance.

Under the 変更前 / 変更後 panes: 提出時期 as 事前 / 事後 radio buttons (Alt+1 / Alt+2, which
do not clash with typing), the suggestion with all its reasons and its confidence, a
button to take it, a multi-line 説明 with the common phrases shown whole, 変更日, 引用,
and a preview of exactly what the exported row will hold. Every change is one
UpdateEntryCommand on the undo stack (the domain decides what the row becomes).
The panel is created the first time an item with a change is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pia_desk.domain.entries import ChangeEntry, QuoteMode, Revision, Timing
from pia_desk.domain.events import Event, EventKind
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date
from pia_desk.export.table import row_for_entry
from pia_desk.gui.change_list import COMMON_EXPLANATIONS
from pia_desk.gui.commands import UpdateEntryCommand
from pia_desk.gui.project_events import ProjectListener
from pia_desk.gui.tree_model import TIMING_COLORS, timing_label

# Alt+digit: chosen while typing anywhere in the window, and typing nothing.
TIMING_BUTTONS = (
    (Timing.PRE, "事前", "Alt+1"),
    (Timing.POST, "事後", "Alt+2"),
    (Timing.UNSET, "未設定", "Alt+3"),
)
QUOTE_BUTTONS = (
    (QuoteMode.WHOLE, "項目全体(&W)"),
    (QuoteMode.CHANGED_PARAGRAPHS, "変更段落のみ(&P)"),
)
EXPLANATION_DELAY_MS = 700  # typing in 説明 becomes one undo step after a pause
PREVIEW_LINES = 6
BOX_SHARES = (4, 3, 4)  # 提出時期, 説明, 出力される行
REFRESH_DELAY_MS = 60

SuggestionSource = Callable[[Revision, ChangeEntry], object | None]


def _wrapping_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class EntryPanel(QWidget):
    """The change row of one item of the draft revision (read-only for submitted rows)."""

    def __init__(
        self, undo_stack: QUndoStack, suggestions: SuggestionSource, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("entryPanel")
        self._stack = undo_stack
        self._suggestions = suggestions
        self._project: Project | None = None
        self._listener = ProjectListener(self, self._on_event)
        self._node_id: str | None = None
        self._read_only = False
        self._explanation_timer = QTimer(self)
        self._explanation_timer.setSingleShot(True)
        self._explanation_timer.setInterval(EXPLANATION_DELAY_MS)
        self._explanation_timer.timeout.connect(self.commit_explanation)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        # Fixed shares whatever their contents would ask for (説明 is never squeezed).
        boxes = (self._timing_box(), self._explanation_box(), self._output_box())
        for box, share in zip(boxes, BOX_SHARES, strict=True):
            policy = box.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            box.setSizePolicy(policy)
            row.addWidget(box, share)
        layout.addLayout(row)
        self.state_label = QLabel("")
        layout.addWidget(self.state_label)

    def _timing_box(self) -> QGroupBox:
        box = QGroupBox("提出時期")
        grid = QVBoxLayout(box)
        buttons = QHBoxLayout()
        self.timing_group = QButtonGroup(self)
        self.timing_buttons: dict[Timing, QRadioButton] = {}
        for timing, text, keys in TIMING_BUTTONS:
            button = QRadioButton(text)
            button.setToolTip(f"{text}にする（{keys}）")
            button.setObjectName(f"timing{timing.name.title()}Radio")
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda t=timing: self.set_timing(t))
            self.timing_group.addButton(button)
            self.timing_buttons[timing] = button
            buttons.addWidget(button)
            button.clicked.connect(lambda checked=False, t=timing: self.set_timing(t))
        buttons.addStretch(1)
        grid.addLayout(buttons)
        keys = QLabel("／".join(f"{text} {keys}" for _t, text, keys in TIMING_BUTTONS))
        keys.setObjectName("timingKeysLabel")
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #666666;")
        grid.addWidget(keys)
        self.suggestion_label = _wrapping_label()
        self.suggestion_label.setObjectName("suggestionLabel")
        self.confidence_label = QLabel("")
        self.confidence_label.setObjectName("confidenceLabel")
        # All the reasons, scrolled when long (never only a tooltip).
        self.reasons_label = QPlainTextEdit()
        self.reasons_label.setObjectName("reasonsText")
        self.reasons_label.setReadOnly(True)
        self.reasons_label.setAccessibleName("提案の理由")
        self.reasons_label.setFrameShape(QFrame.Shape.NoFrame)
        self.reasons_label.viewport().setAutoFillBackground(False)
        self.reasons_label.setMinimumWidth(120)
        self.take_button = QPushButton("提案を採用(&T)")
        self.take_button.setObjectName("takeSuggestionButton")
        self.take_button.setToolTip("提案された提出時期と説明（説明が空のとき）を入れます")
        self.take_button.clicked.connect(self.take_suggestion)
        head = QHBoxLayout()
        head.addWidget(self.suggestion_label, 1)
        head.addWidget(self.confidence_label)
        grid.addLayout(head)
        grid.addWidget(self.reasons_label, 1)
        grid.addWidget(self.take_button, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _explanation_box(self) -> QGroupBox:
        box = QGroupBox("提出時期に係る説明")
        column = QVBoxLayout(box)
        self.explanation_edit = QPlainTextEdit()
        self.explanation_edit.setObjectName("explanationEdit")
        self.explanation_edit.setAccessibleName("提出時期に係る説明")
        self.explanation_edit.setTabChangesFocus(True)
        self.explanation_edit.textChanged.connect(self._on_explanation_typed)
        column.addWidget(self.explanation_edit, 1)
        buttons = QHBoxLayout()
        self.phrase_button = QToolButton()
        self.phrase_button.setObjectName("phraseButton")
        self.phrase_button.setText("よく使う説明(&K)")
        self.phrase_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.phrase_menu = QMenu(self.phrase_button)
        self.phrase_menu.aboutToShow.connect(self._fill_phrases)
        self.phrase_button.setMenu(self.phrase_menu)
        buttons.addWidget(self.phrase_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        return box

    def _output_box(self) -> QGroupBox:
        box = QGroupBox("出力される行")
        grid = QGridLayout(box)
        date_label = QLabel("変更日(&D)：")
        self.date_edit = QLineEdit()
        self.date_edit.setObjectName("entryDateEdit")
        self.date_edit.setPlaceholderText("改訂の変更日")
        self.date_edit.editingFinished.connect(self.commit_date)
        date_label.setBuddy(self.date_edit)
        grid.addWidget(date_label, 0, 0)
        grid.addWidget(self.date_edit, 0, 1)
        grid.addWidget(QLabel("引用："), 1, 0)
        quotes = QHBoxLayout()
        self.quote_group = QButtonGroup(self)
        self.quote_buttons: dict[QuoteMode, QRadioButton] = {}
        for mode, text in QUOTE_BUTTONS:
            button = QRadioButton(text)
            self.quote_group.addButton(button)
            self.quote_buttons[mode] = button
            quotes.addWidget(button)
            button.clicked.connect(lambda checked=False, m=mode: self.set_quote(m))
        quotes.addStretch(1)
        grid.addLayout(quotes, 1, 1)
        label_label = QLabel("見出し(&G)：")
        self.excerpt_edit = QLineEdit()
        self.excerpt_edit.setObjectName("excerptEdit")
        self.excerpt_edit.setPlaceholderText("変更した段落のみのとき、段落の前に付ける見出し")
        self.excerpt_edit.editingFinished.connect(self.commit_excerpt_label)
        label_label.setBuddy(self.excerpt_edit)
        grid.addWidget(label_label, 2, 0)
        grid.addWidget(self.excerpt_edit, 2, 1)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("rowPreview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("出力される行の内容")
        lines = self.preview.fontMetrics().lineSpacing() * PREVIEW_LINES
        self.preview.setMaximumHeight(lines + 12)
        grid.addWidget(self.preview, 3, 0, 1, 2)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #b00020;")
        grid.addWidget(self.error_label, 4, 0, 1, 2)
        return box

    # -- what is shown ------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        self._explanation_timer.stop()
        self._project = self._listener.switch(project)
        self.show_node(None)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.refresh()

    def show_node(self, node_id: str | None) -> None:
        if self._explanation_timer.isActive():
            self.commit_explanation()  # typing in 説明 is kept when moving on
        self._node_id = node_id
        self.refresh()

    def current(self) -> tuple[Revision, ChangeEntry] | None:
        """The shown item's row in the draft revision, if it has one."""
        project = self._project
        if project is None or self._node_id is None or project.draft is None:
            return None
        entry = project.draft.entry_for_node(self._node_id)
        return (project.draft, entry) if entry is not None else None

    def suggestion(self) -> object | None:
        row = self.current()
        return self._suggestions(*row) if row else None

    def refresh(self) -> None:
        row = self.current()
        editable = row is not None and not self._read_only
        for widget in (
            *self.timing_buttons.values(),
            *self.quote_buttons.values(),
            self.explanation_edit,
            self.phrase_button,
            self.date_edit,
            self.excerpt_edit,
        ):
            widget.setEnabled(editable)
        if row is None:
            self._show_no_row()
            return
        revision, entry = row
        self._check(self.timing_group, self.timing_buttons[entry.timing])
        self._check(self.quote_group, self.quote_buttons[entry.quote])
        if not self._explanation_timer.isActive():  # typing not yet committed stays
            self._set_quietly(self.explanation_edit, entry.explanation)
        if not self.date_edit.hasFocus():
            self.date_edit.setText(format_wareki(entry.date) if entry.date else "")
        if not self.excerpt_edit.hasFocus():
            self.excerpt_edit.setText(entry.excerpt_label)
        self._show_suggestion(entry, editable)
        self._show_preview(revision, entry)
        self.state_label.setText("" if editable else "読み取り専用のため変更できません。")

    def _show_no_row(self) -> None:
        for group in (self.timing_group, self.quote_group):
            self._check(group, None)
        self._set_quietly(self.explanation_edit, "")
        self.date_edit.clear()
        self.excerpt_edit.clear()
        self.suggestion_label.clear()
        self.confidence_label.clear()
        self.reasons_label.clear()
        self.take_button.setEnabled(False)
        self.preview.clear()
        self.error_label.clear()
        self.state_label.setText("この項目には作成中の改訂の変更箇所がありません。")

    def _show_suggestion(self, entry: ChangeEntry, editable: bool) -> None:
        suggestion = self.suggestion()
        if suggestion is None:
            self.suggestion_label.setText("提案：（準備中）")
            self.confidence_label.clear()
            self.reasons_label.clear()
            self.take_button.setEnabled(False)
            return
        timing = suggestion.timing
        color = TIMING_COLORS[timing_label(timing)].name()
        self.suggestion_label.setText(
            f'提案：<b style="color:{color}">{timing_label(timing)}</b>'
            + (f"　{suggestion.explanation}" if suggestion.explanation else "")
        )
        confidence = getattr(suggestion, "confidence", None)  # 高 / 中 / 低, when known
        self.confidence_label.setText(f"確からしさ：{confidence}" if confidence else "")
        self.reasons_label.setPlainText("\n".join(f"・{r}" for r in suggestion.reasons))
        differs = entry.timing not in (Timing.UNSET, timing)
        self.take_button.setEnabled(editable and (entry.timing != timing or differs))

    def _show_preview(self, revision: Revision, entry: ChangeEntry) -> None:
        assert self._project is not None
        row = row_for_entry(self._project, revision, entry)
        self.preview.setPlainText(
            f"【変更日】{row.date_text}\n【項目】{row.item_text}\n"
            f"【変更前の記載】\n{row.before}\n【変更後の記載】\n{row.after}\n"
            f"【提出時期】{row.timing}\n【提出時期に係る説明】{row.explanation}"
        )

    @staticmethod
    def _check(group: QButtonGroup, button: QRadioButton | None) -> None:
        group.setExclusive(False)  # lets every button be unchecked
        for other in group.buttons():
            other.setChecked(other is button)
        group.setExclusive(True)

    @staticmethod
    def _set_quietly(edit: QPlainTextEdit, text: str) -> None:
        if edit.toPlainText() != text:
            with QSignalBlocker(edit):
                edit.setPlainText(text)
            edit.moveCursor(QTextCursor.MoveOperation.End)  # ready to add to a phrase

    # -- editing (each change one undo step) -----------------------------------------------
    def _update(self, text: str, **fields: object) -> bool:
        row = self.current()
        if row is None or self._read_only or self._project is None:
            return False
        _revision, entry = row
        fields = {k: v for k, v in fields.items() if getattr(entry, k) != v}
        if not fields:
            return False
        try:
            self._stack.push(UpdateEntryCommand(self._project, entry.id, text, **fields))
        except DomainError as error:
            self.error_label.setText(str(error))
            return False
        return True

    def set_timing(self, timing: Timing) -> None:
        self._update(f"提出時期を{timing_label(timing)}にする", timing=timing)

    def set_quote(self, mode: QuoteMode) -> None:
        self._update("引用の範囲の変更", quote=mode)

    def take_suggestion(self) -> None:
        row, suggestion = self.current(), self.suggestion()
        if row is None or suggestion is None:
            return
        fields: dict[str, object] = {"timing": suggestion.timing}
        if suggestion.explanation and not row[1].explanation.strip():
            fields["explanation"] = suggestion.explanation
        self._explanation_timer.stop()
        self._update("提案を採用", **fields)

    def _on_explanation_typed(self) -> None:
        self._explanation_timer.start()

    def commit_explanation(self) -> None:
        self._explanation_timer.stop()
        self._update(
            "提出時期に係る説明の変更", explanation=self.explanation_edit.toPlainText().strip()
        )

    def choose_phrase(self, phrase: str) -> None:
        self._explanation_timer.stop()
        self._set_quietly(self.explanation_edit, phrase)
        self._update("提出時期に係る説明の変更", explanation=phrase)

    def _fill_phrases(self) -> None:
        menu = self.phrase_menu
        menu.clear()
        suggestion = self.suggestion()
        if suggestion is not None and suggestion.explanation:
            action = menu.addAction(f"提案の説明: {suggestion.explanation}")
            action.triggered.connect(lambda: self.choose_phrase(suggestion.explanation))
            menu.addSeparator()
        for phrase in COMMON_EXPLANATIONS:
            action = menu.addAction(phrase.replace("&", "&&"))
            action.triggered.connect(lambda checked=False, p=phrase: self.choose_phrase(p))

    def commit_date(self) -> None:
        text = self.date_edit.text().strip()
        try:
            day = parse_date(text) if text else None
        except WarekiError as error:
            self.error_label.setText(f"変更日: {error}")
            return
        self.error_label.clear()
        self._update("変更日の変更", date=day)

    def commit_excerpt_label(self) -> None:
        self._update("見出しの変更", excerpt_label=self.excerpt_edit.text().strip())

    # -- project events --------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        # After a burst (each keystroke in 変更後 changes the row): refresh once.
        if event.kind in _REFRESH_EVENTS and not self._refresh_timer.isActive():
            self._refresh_timer.start()


_REFRESH_EVENTS = frozenset(
    {
        EventKind.ENTRY_CHANGED,
        EventKind.ENTRY_INSERT_END,
        EventKind.ENTRY_REMOVE_END,
        EventKind.REVISION_INSERT_END,
        EventKind.REVISION_REMOVE_END,
        EventKind.REVISION_CHANGED,
        EventKind.RESET_END,
        EventKind.META_CHANGED,
    }
)

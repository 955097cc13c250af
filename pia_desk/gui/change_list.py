"""The change list: the entries (rows of （別添２）変更箇所) of the draft or of revisions.

A table model over the domain's entries (no copies) plus in-place editors for the
fields the user decides. Every edit is an UpdateEntryCommand on the undo stack; rows of
submitted revisions are read-only.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pia_desk.domain.entries import ChangeEntry, QuoteMode, Revision, Timing
from pia_desk.domain.events import Event, EventKind
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date
from pia_desk.export.table import row_for_entry
from pia_desk.gui import dialogs
from pia_desk.gui.commands import UpdateEntryCommand
from pia_desk.gui.project_events import ProjectListener, listen_while_alive
from pia_desk.gui.roles import DiffersRole, EntryIdRole, NodeIdRole, SortKeyRole, UnsetRole
from pia_desk.gui.tree_model import TIMING_COLORS, timing_label

# Common wordings of 提出時期に係る説明 (domain.md, real tables).
COMMON_EXPLANATIONS = (
    "当市区町村→当市　に修正するもの。",
    "誤字脱字の修正であり、重要な変更に当たらない。",
    "組織改編に伴う部署名の変更であり、重要な変更に当たらない。",
    "番号法の改正に伴う号ズレによる変更",
    "リスクを明らかに軽減させる変更であり、重要な変更に当たらない。",
    "時点修正",
)
TIMING_CHOICES = (Timing.PRE, Timing.POST, Timing.UNSET)
QUOTE_LABELS = {QuoteMode.WHOLE: "全文", QuoteMode.CHANGED_PARAGRAPHS: "変更段落のみ"}

DRAFT_SCOPE = "draft"
ALL_SCOPE = "all"

COL_DATE, COL_ITEM, COL_TIMING, COL_EXPLANATION, COL_QUOTE, COL_EXCERPT = range(6)
COL_PREVIEW, COL_SUGGESTION = 6, 7
HEADERS = (
    "変更日",
    "項目",
    "提出時期",
    "提出時期に係る説明",
    "引用",
    "抜粋見出し",
    "変更前 → 変更後",
    "提案",
)
EDITABLE_COLUMNS = {COL_DATE, COL_TIMING, COL_EXPLANATION, COL_QUOTE, COL_EXCERPT}
PREVIEW_CHARS = 30
# Suggestions follow typing only after a pause: each keystroke changes the entry.
SUGGESTION_DELAY_MS = 300
DIFFERS_BACKGROUND = QColor("#fff3cd")


Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def suggest_module() -> ModuleType | None:
    """The module giving 提出時期/説明 suggestions (imported when a list is first built)."""
    return importlib.import_module("pia_desk.domain.suggest")


def _preview(text: str) -> str:
    line = text.replace("\n", " ")
    return line if len(line) <= PREVIEW_CHARS else line[:PREVIEW_CHARS] + "…"


# Entry insertions (True) and removals (False) that move rows of the list.
_ROW_BEGIN = {EventKind.ENTRY_INSERT_BEGIN: True, EventKind.ENTRY_REMOVE_BEGIN: False}
_ROW_END = {EventKind.ENTRY_INSERT_END: True, EventKind.ENTRY_REMOVE_END: False}


class EntryTableModel(QAbstractTableModel):
    """Rows: (revision, entry) of the draft, of one revision, or of all revisions."""

    error = Signal(str)

    def __init__(
        self, project: Project, undo_stack: QUndoStack, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._stack = undo_stack
        self._scope = DRAFT_SCOPE
        self._read_only = False
        self._rows: list[tuple[Revision, ChangeEntry]] = []
        self._suggestions: dict[str, object] = {}
        self._stale_revisions: set[str] = set()  # cached suggestions to drop after a pause
        self._suggestion_timer = QTimer(self)
        self._suggestion_timer.setSingleShot(True)
        self._suggestion_timer.setInterval(SUGGESTION_DELAY_MS)
        self._suggestion_timer.timeout.connect(self.refresh_suggestions)
        # Loaded just after the list is first shown, so that start-up does not wait for it.
        self._suggest: ModuleType | None = None
        QTimer.singleShot(0, self, self.ensure_suggestions)
        self._rebuild()
        self._listener = listen_while_alive(self, project, self._on_event)

    def detach(self) -> None:
        self._suggestion_timer.stop()
        self._listener.switch(None)

    # -- scope ------------------------------------------------------------------------
    @property
    def scope(self) -> str:
        return self._scope

    def set_scope(self, scope: str) -> None:
        self.beginResetModel()
        self._scope = scope
        self._rebuild()
        self.endResetModel()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only

    def _revisions_in_scope(self) -> list[Revision]:
        revisions = self._project.revisions
        if self._scope == ALL_SCOPE:
            return list(revisions)
        if self._scope == DRAFT_SCOPE:
            draft = self._project.draft
            return [draft] if draft else []
        return [r for r in revisions if r.id == self._scope]

    def _rebuild(self) -> None:
        self._rows = [(r, e) for r in self._revisions_in_scope() for e in r.entries]

    def _offset(self, revision_id: str | None) -> int | None:
        offset = 0
        for revision in self._revisions_in_scope():
            if revision.id == revision_id:
                return offset
            offset += len(revision.entries)
        return None

    # -- access -----------------------------------------------------------------------
    def row_of(self, row: int) -> tuple[Revision, ChangeEntry]:
        return self._rows[row]

    def row_for_entry(self, entry_id: str) -> int:
        return next((i for i, (_, e) in enumerate(self._rows) if e.id == entry_id), -1)

    def row_for_node(self, node_id: str) -> int:
        return next((i for i, (_, e) in enumerate(self._rows) if e.node_id == node_id), -1)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        revision, _entry = self._rows[index.row()]
        if revision.is_draft and not self._read_only and index.column() in EDITABLE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- data ---------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        revision, entry = self._rows[index.row()]
        column = index.column()
        if role == EntryIdRole:
            return entry.id
        if role == NodeIdRole:
            return entry.node_id
        if role == DiffersRole:
            return self.differs_from_suggestion(revision, entry)
        if role == UnsetRole:
            return entry.timing is Timing.UNSET
        if role == SortKeyRole:
            return self._sort_key(revision, entry, index.row(), column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(revision, entry, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(revision, entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(revision, entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_TIMING:
            return QBrush(TIMING_COLORS[timing_label(entry.timing)])
        if role == Qt.ItemDataRole.BackgroundRole and self.differs_from_suggestion(revision, entry):
            return QBrush(DIFFERS_BACKGROUND)
        return None

    def _display(self, revision: Revision, entry: ChangeEntry, column: int) -> str:
        if column == COL_DATE:
            return format_wareki(revision.entry_date(entry), self._project.meta.digit_style)
        if column == COL_ITEM:
            return " ＞ ".join(entry.item_path)
        if column == COL_TIMING:
            return timing_label(entry.timing)
        if column == COL_EXPLANATION:
            return entry.explanation
        if column == COL_QUOTE:
            return QUOTE_LABELS[entry.quote]
        if column == COL_EXCERPT:
            return entry.excerpt_label
        if column == COL_PREVIEW:
            row = row_for_entry(self._project, revision, entry)  # as it will be printed
            return f"{_preview(row.before) or '（なし）'} → {_preview(row.after)}"
        if column == COL_SUGGESTION:
            suggestion = self._suggestion(revision, entry)
            if suggestion is None:
                return "…" if self._suggest is None else ""
            # The overview shows the timing and how sure it is; the entry panel the rest.
            confidence = getattr(suggestion, "confidence", None)
            timing = timing_label(suggestion.timing)
            return f"{timing}（{confidence}）" if confidence else timing
        return ""

    def _sort_key(self, revision: Revision, entry: ChangeEntry, row: int, column: int) -> object:
        if column == COL_DATE:
            return f"{revision.entry_date(entry).isoformat()}:{row:06d}"
        if column == COL_ITEM:
            return row  # rows are in the tree's order
        return f"{self._display(revision, entry, column)}:{row:06d}"

    def _edit_value(self, revision: Revision, entry: ChangeEntry, column: int) -> object:
        if column == COL_TIMING:
            return entry.timing.value
        if column == COL_QUOTE:
            return entry.quote.value
        return self._display(revision, entry, column)

    def _tooltip(self, revision: Revision, entry: ChangeEntry, column: int) -> str | None:
        if column == COL_PREVIEW:
            row = row_for_entry(self._project, revision, entry)
            return f"【変更前の記載】\n{row.before}\n\n【変更後の記載】\n{row.after}"
        if column == COL_ITEM:
            return entry.item_text
        differs = self.differs_from_suggestion(revision, entry)
        if column == COL_SUGGESTION or differs:
            suggestion = self._suggestion(revision, entry)
            if suggestion is not None:
                reasons = "\n".join(f"・{r}" for r in suggestion.reasons)
                head = "提案と異なる選択です。\n" if differs else ""
                return f"{head}提案: {timing_label(suggestion.timing)}\n{reasons}"
        if not revision.is_draft:
            return "提出済みの改訂の行は変更できません。"
        return None

    # -- suggestions ----------------------------------------------------------------------
    def ensure_suggestions(self) -> None:
        """Load the suggestion rules (once) and show the suggestions."""
        if self._suggest is not None:
            return
        self._suggest = suggest_module()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, COL_SUGGESTION))

    def suggestion_for(self, revision: Revision, entry: ChangeEntry) -> object | None:
        """The suggested 提出時期/説明 (pia_desk.domain.suggest), cached per entry state."""
        self.ensure_suggestions()
        return self._suggestion(revision, entry)

    def _suggestion(self, revision: Revision, entry: ChangeEntry) -> object | None:
        if self._suggest is None:
            return None
        if entry.id not in self._suggestions:
            suggestion = self._suggest.suggest_for_entry(self._project, revision, entry)
            self._suggestions[entry.id] = suggestion
        return self._suggestions[entry.id]

    def differs_from_suggestion(self, revision: Revision, entry: ChangeEntry) -> bool:
        if entry.timing is Timing.UNSET or self._suggest is None:
            return False
        suggestion = self._suggestion(revision, entry)
        return suggestion is not None and suggestion.timing != entry.timing

    def _suggestions_stale(self, revision_id: str | None) -> None:
        """An entry of `revision_id` changed: its revision's advice may follow (later)."""
        if revision_id is None:
            self._suggestions.clear()
            return
        self._stale_revisions.add(revision_id)
        self._suggestion_timer.start()

    def refresh_suggestions(self) -> None:
        """Drop the cached suggestions of the revisions changed since, and show new ones."""
        self._suggestion_timer.stop()
        for revision_id in self._stale_revisions:
            try:
                revision = self._project.revision(revision_id)
            except DomainError:
                continue  # removed meanwhile: its entries left the list
            for entry in revision.entries:
                self._suggestions.pop(entry.id, None)
        self._stale_revisions.clear()
        if self._rows:
            last = self.index(len(self._rows) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- editing ------------------------------------------------------------------------------
    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        _revision, entry = self._rows[index.row()]
        fields = self._fields_for(entry, index.column(), value)
        if fields is None:
            return False
        if all(getattr(entry, k) == v for k, v in fields.items()):
            return True
        self._stack.push(UpdateEntryCommand(self._project, entry.id, **fields))
        return True

    def _fields_for(self, entry: ChangeEntry, column: int, value: object) -> dict | None:
        text = "" if value is None else str(value)
        if column == COL_TIMING:
            return {"timing": Timing(text)}
        if column == COL_EXPLANATION:
            return {"explanation": text.strip()}
        if column == COL_QUOTE:
            return {"quote": QuoteMode(text)}
        if column == COL_EXCERPT:
            return {"excerpt_label": text.strip()}
        if column == COL_DATE:
            return self._date_fields(text)
        return None

    def _date_fields(self, text: str) -> dict | None:
        try:
            return {"date": parse_date(text)}
        except WarekiError as error:
            self.error.emit(str(error))
            return None

    def apply_suggestions(self, rows: list[int] | None = None) -> int:
        """Fill the undecided rows (提出時期 未設定) from the suggestions as one undo step;
        returns how many rows were filled. A row the user decided is never changed, nor
        an explanation the user wrote. `rows`: all rows of the list by default."""
        commands = []
        for row in range(len(self._rows)) if rows is None else rows:
            revision, entry = self._rows[row]
            if not revision.is_draft or entry.timing is not Timing.UNSET:
                continue
            suggestion = self.suggestion_for(revision, entry)
            if suggestion is None or suggestion.timing is Timing.UNSET:
                continue
            fields: dict[str, object] = {"timing": suggestion.timing}
            if suggestion.explanation and not entry.explanation.strip():
                fields["explanation"] = suggestion.explanation
            commands.append(UpdateEntryCommand(self._project, entry.id, **fields))
        if commands:
            self._stack.beginMacro("提案を適用")
            for command in commands:
                self._stack.push(command)
            self._stack.endMacro()
        return len(commands)

    # -- project events ---------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind in _ENTRY_EVENTS:  # one entry's change may change its siblings' advice
            self._suggestions_stale(event.revision_id)
        if kind in _ROW_BEGIN:
            offset = self._offset(event.revision_id)
            if offset is not None:
                begin = self.beginInsertRows if _ROW_BEGIN[kind] else self.beginRemoveRows
                begin(_ROOT, offset + event.index, offset + event.index)
        elif kind in _ROW_END:
            if self._offset(event.revision_id) is not None:
                self._rebuild()
                (self.endInsertRows if _ROW_END[kind] else self.endRemoveRows)()
        elif kind is EventKind.ENTRY_CHANGED:
            row = self.row_for_entry(event.entry_id or "")
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        elif kind is EventKind.META_CHANGED:
            # A cover item or 数字の書き方 changed: the rows stay, their text may read
            # differently (dates) and the advice follows after the pause, as for typing.
            self._stale_revisions.update(r.id for r in self._project.revisions)
            self._suggestion_timer.start()
            if self._rows:
                last = self.index(len(self._rows) - 1, len(HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
        elif kind in _RESET_EVENTS:
            self._suggestions.clear()
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()


_ENTRY_EVENTS = frozenset(
    {EventKind.ENTRY_CHANGED, EventKind.ENTRY_INSERT_END, EventKind.ENTRY_REMOVE_END}
)
_RESET_EVENTS = frozenset(
    {
        EventKind.RESET_END,
        EventKind.REVISION_INSERT_END,
        EventKind.REVISION_REMOVE_END,
        EventKind.REVISION_CHANGED,
    }
)


class EntryDelegate(QStyledItemDelegate):
    """Combo boxes for 提出時期, 説明 (with common phrases) and 引用; text for the rest."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Tall enough for the whole wrapped text (Qt's hint can be a line short when
        Japanese text, which has no spaces, wraps anywhere)."""
        one_line = option.fontMetrics.height() + CELL_PADDING
        if index.column() not in WRAPPED_COLUMNS:
            # One line; not asking the model (a suggestion may cost a classification).
            return QSize(option.rect.width(), one_line)
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        width = option.rect.width() - CELL_PADDING
        if not text or width <= 0:
            return size
        flags = Qt.TextFlag.TextWrapAnywhere
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, str(text))
        return QSize(size.width(), max(size.height(), bounds.height() + CELL_PADDING))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        if column == COL_TIMING:
            combo = QComboBox(parent)
            for timing in TIMING_CHOICES:
                combo.addItem(timing_label(timing), timing.value)
            return combo
        if column == COL_QUOTE:
            combo = QComboBox(parent)
            for mode, label in QUOTE_LABELS.items():
                combo.addItem(label, mode.value)
            return combo
        if column == COL_EXPLANATION:
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.addItems(COMMON_EXPLANATIONS)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            if editor.isEditable():
                editor.setEditText(str(value or ""))
            else:
                editor.setCurrentIndex(max(editor.findData(value), 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # type: ignore[override]
        if isinstance(editor, QComboBox):
            value = editor.currentText() if editor.isEditable() else editor.currentData()
            model.setData(index, value, Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


FILTER_ALL, FILTER_UNSET, FILTER_DIFFERS = "all", "unset", "differs"
FILTERS = (
    (FILTER_ALL, "すべての行"),
    (FILTER_UNSET, "提出時期が未設定の行"),
    (FILTER_DIFFERS, "提案と異なる行"),
)
# Shown in the overview; 引用 and the text columns are the entry panel's.
OVERVIEW_COLUMNS = (COL_DATE, COL_ITEM, COL_TIMING, COL_EXPLANATION, COL_SUGGESTION)
SUGGESTION_WIDTH_CHARS = 8
ROW_FIT_DELAY_MS = 0
CELL_PADDING = 10  # px around a cell's text (margins, focus frame)
WIDEST_DATE = "令和10年12月31日"
REFILTER_DELAY_MS = 300
WRAPPED_COLUMNS = frozenset({COL_ITEM, COL_EXPLANATION})  # the rows grow for these


class EntryFilterProxy(QSortFilterProxyModel):
    """The change list's rows sorted by a clicked header and filtered (未設定 / 提案と異なる)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mode = FILTER_ALL
        self.setSortRole(SortKeyRole)
        # Not re-sorted and re-filtered on every change of a row (each keystroke changes
        # one, a new suggestion all): the widget asks for it when a filter is on.
        self.setDynamicSortFilter(False)

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        self.beginFilterChange()
        self._mode = mode
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._mode == FILTER_ALL:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        role = UnsetRole if self._mode == FILTER_UNSET else DiffersRole
        return bool(index.data(role))


def legend_html() -> str:
    """What the colours of the change list mean."""
    parts = [
        f'<span style="color:{TIMING_COLORS[timing_label(t)].name()}">■</span> {timing_label(t)}'
        for t in (Timing.PRE, Timing.POST, Timing.UNSET)
    ]
    differs = f'<span style="background-color:{DIFFERS_BACKGROUND.name()}">&nbsp;提案と異なる提出時期&nbsp;</span>'
    return "色の意味：" + "　".join([*parts, differs])


class ChangeListWidget(QWidget):
    """The list of change entries with a scope selector and the 提案を適用 action."""

    nodeActivated = Signal(str)
    applied = Signal(str)  # 提案を適用 done: what it did, for the status bar

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeList")
        self._stack = undo_stack
        self._project: Project | None = None
        self._listener = ProjectListener(self, self._on_event)
        self._selected_node: str | None = None
        self._selecting = False  # select_node() at work: do not announce the row
        self._scroll_to_current = False
        self.model: EntryTableModel | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        caption = QLabel("変更箇所の一覧(&L)：")
        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("scopeCombo")
        self.scope_combo.setAccessibleName("表示する改訂")
        self.apply_button = QPushButton("提案を適用(&A)")
        self.apply_button.setObjectName("applySuggestionButton")
        self.apply_button.setToolTip(
            "表示している改訂の、提出時期が未設定のすべての行に提案を入れます"
            "（選ばれている提出時期と書かれた説明は変えません）。"
        )
        self.count_label = QLabel("")
        filter_caption = QLabel("絞り込み(&Y)：")
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("rowFilterCombo")
        for mode, label in FILTERS:
            self.filter_combo.addItem(label, mode)
        filter_caption.setBuddy(self.filter_combo)
        bar.addWidget(caption)
        bar.addWidget(self.scope_combo, 1)
        bar.addWidget(filter_caption)
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.count_label)
        bar.addWidget(self.apply_button)
        layout.addLayout(bar)
        self.proxy = EntryFilterProxy(self)
        self.table = QTableView()
        self.table.setObjectName("entryTable")
        self.table.setModel(self.proxy)
        caption.setBuddy(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegate(EntryDelegate(self.table))
        # An overview: 項目 and 説明 wrap, rows grow to fit, no sideways scrolling.
        self.table.setWordWrap(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the tree's order first
        self.table.setSortingEnabled(True)
        self._fit_rows()
        self.table.setTabKeyNavigation(False)
        layout.addWidget(self.table, 1)
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("changeListLegend")
        layout.addWidget(self.legend)
        self._row_fit_timer = QTimer(self)
        self._row_fit_timer.setSingleShot(True)
        self._row_fit_timer.setInterval(ROW_FIT_DELAY_MS)
        self._row_fit_timer.timeout.connect(self._fit_visible_rows)
        self._refilter_timer = QTimer(self)
        self._refilter_timer.setSingleShot(True)
        self._refilter_timer.setInterval(REFILTER_DELAY_MS)
        self._refilter_timer.timeout.connect(self._refilter)
        self._fitted: set[int] = set()  # rows (of the view) already as high as their text
        self.table.verticalScrollBar().valueChanged.connect(self._row_fit_timer.start)
        for signal in (
            header.sectionResized,
            self.proxy.layoutChanged,
            self.proxy.modelReset,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
        ):
            signal.connect(self._refit_all)
        self.proxy.dataChanged.connect(self._on_rows_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_changed)
        self.apply_button.clicked.connect(self.apply_suggestions)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # 表示 > 拡大 / 縮小
            self._fit_rows()
            self._size_fixed_columns()
            self._refit_all()

    def _fit_rows(self) -> None:
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def resizeEvent(self, event) -> None:  # type: ignore[override]
        super().resizeEvent(event)
        self._row_fit_timer.start()

    def _on_rows_changed(self, first: QModelIndex, last: QModelIndex, *args: object) -> None:
        if self.proxy.mode != FILTER_ALL:
            self._refilter_timer.start()  # a decided row leaves 未設定のみ, after a pause
        if first.row() == last.row():
            self.table.resizeRowToContents(first.row())  # one row: at once, and only it
            self._fitted.add(first.row())
        else:
            self._refit_all()

    def _refit_all(self, *args: object) -> None:
        self._fitted.clear()
        self._row_fit_timer.start()

    def _refilter(self) -> None:
        self.proxy.invalidate()
        self._update_count()
        self._reselect()

    def _fit_visible_rows(self) -> None:
        """Rows on screen as high as their wrapped 項目 / 説明 (only those: a list of a
        thousand rows is not measured on each keystroke)."""
        table = self.table
        first = table.rowAt(0)
        if first < 0:
            return
        last = table.rowAt(table.viewport().height() - 1)
        last = self.proxy.rowCount() - 1 if last < 0 else last
        for row in range(first, min(last + 2, self.proxy.rowCount())):
            if row not in self._fitted:
                self._fitted.add(row)
                table.resizeRowToContents(row)
        if self._scroll_to_current:
            self._scroll_to_current = False
            table.scrollTo(table.currentIndex())
            self._fit_visible_rows()  # the rows now on screen

    # -- project ------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        if self.model is not None:
            self.model.detach()
        self._project = self._listener.switch(project)
        self.model = None
        if project is None:
            self.proxy.setSourceModel(None)
            return
        self.model = EntryTableModel(project, self._stack, self)
        self.model.error.connect(self._show_error)
        self.proxy.setSourceModel(self.model)
        self.model.modelReset.connect(self._update_count)
        self.model.modelReset.connect(self._reselect)
        self.model.rowsInserted.connect(self._update_count)
        self.model.rowsInserted.connect(self._reselect)
        self.model.rowsRemoved.connect(self._update_count)
        self._fill_scopes()
        self._size_columns()
        self._update_count()
        self.apply_button.setEnabled(True)

    def set_read_only(self, read_only: bool) -> None:
        if self.model is not None:
            self.model.set_read_only(read_only)
        self.apply_button.setEnabled(not read_only and self.model is not None)

    def _size_columns(self) -> None:
        """The overview's columns share the width (no sideways scrolling at 1366 px)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        mode = QHeaderView.ResizeMode
        for column in range(len(HEADERS)):
            self.table.setColumnHidden(column, column not in OVERVIEW_COLUMNS)
        # Widths from the font, never measured over the rows: a thousand rows would be
        # measured again on every keystroke (ResizeToContents).
        for column in (COL_ITEM, COL_EXPLANATION):
            header.setSectionResizeMode(column, mode.Stretch)
        for column in (COL_DATE, COL_TIMING, COL_SUGGESTION):
            header.setSectionResizeMode(column, mode.Interactive)
        self._size_fixed_columns()

    def _size_fixed_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        widest = {
            COL_DATE: metrics.horizontalAdvance(WIDEST_DATE),
            COL_TIMING: metrics.horizontalAdvance(HEADERS[COL_TIMING]),
            COL_SUGGESTION: metrics.horizontalAdvance("事") * SUGGESTION_WIDTH_CHARS,
        }
        for column, width in widest.items():
            header.resizeSection(column, width + 2 * CELL_PADDING)

    def _fill_scopes(self) -> None:
        project = self._project
        current = self.model.scope if self.model else DRAFT_SCOPE
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem("作成中の改訂", DRAFT_SCOPE)
        for revision in reversed(project.submitted if project else []):
            label = f"{format_wareki(revision.date)} の改訂（提出済み）"
            self.scope_combo.addItem(label, revision.id)
        self.scope_combo.addItem("すべての改訂", ALL_SCOPE)
        index = self.scope_combo.findData(current)
        self.scope_combo.setCurrentIndex(max(index, 0))
        self.scope_combo.blockSignals(False)
        if index < 0 and self.model is not None:
            self.model.set_scope(DRAFT_SCOPE)

    def show_scope(self, scope: str) -> None:
        index = self.scope_combo.findData(scope)
        if index >= 0:
            self.scope_combo.setCurrentIndex(index)

    def _on_scope_changed(self) -> None:
        if self.model is not None:
            self.model.set_scope(self.scope_combo.currentData() or DRAFT_SCOPE)

    def _on_event(self, event: Event) -> None:
        if event.kind in (
            EventKind.REVISION_INSERT_END,
            EventKind.REVISION_REMOVE_END,
            EventKind.REVISION_CHANGED,
            EventKind.RESET_END,
        ):
            self._fill_scopes()

    def _update_count(self, *args: object) -> None:
        count = self.model.rowCount() if self.model else 0
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{count} 件" if shown == count else f"{shown} / {count} 件")

    def _on_filter_changed(self) -> None:
        self.proxy.set_mode(self.filter_combo.currentData() or FILTER_ALL)
        self._update_count()
        self._reselect()

    # -- selection ------------------------------------------------------------------------
    def _on_current_row(self, current: QModelIndex, previous: QModelIndex) -> None:
        node_id = current.data(NodeIdRole) if current.isValid() else None
        if node_id and not self._selecting:
            self.nodeActivated.emit(node_id)

    def select_node(self, node_id: str | None) -> None:
        """Select the entry of an item (without re-announcing it).

        The selection model's signals are not blocked: the view repaints from them.
        """
        self._selected_node = node_id
        if self.model is None or node_id is None:
            return
        row = self.model.row_for_node(node_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        selection = self.table.selectionModel()
        self._selecting = True
        try:
            if not index.isValid():  # no row, or filtered out
                selection.clear()
            else:
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(index, flags)
                self.table.scrollTo(index)
                self._scroll_to_current = True  # again once the rows got their heights
                self._row_fit_timer.start()
        finally:
            self._selecting = False

    def _reselect(self, *args: object) -> None:
        """An entry appeared (or the list was rebuilt): keep the shown item's row selected."""
        if self._selected_node is not None:
            self.select_node(self._selected_node)

    def selected_rows(self) -> list[int]:
        """The selected rows of the model (not of the sorted, filtered view)."""
        selection = self.table.selectionModel()
        if selection is None:
            return []
        return sorted({self.proxy.mapToSource(i).row() for i in selection.selectedRows()})

    def apply_suggestions(self) -> int:
        """提案を適用: every undecided row of the shown revision, whatever is selected."""
        if self.model is None:
            return 0
        filled = self.model.apply_suggestions()
        message = (
            f"提出時期が未設定の {filled} 件に提案を入れました（元に戻す: Ctrl+Z）。"
            if filled
            else "提出時期が未設定の行はありません。選ばれている提出時期は変えません。"
        )
        self.count_label.setText(f"{self.model.rowCount()} 件（提案を {filled} 件に適用）")
        self.applied.emit(message)
        return filled

    def _show_error(self, message: str) -> None:
        dialogs.show_error(self, message)

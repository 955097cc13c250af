"""A Qt item model over the project's own Node tree (no copies of the nodes).

`createIndex(row, column, node)` stores the Node object that the project's tree owns
(pitfalls §2.5): the model never keeps nodes alive itself. The model listens to
`project.events` and turns the domain's BEGIN/END pairs into Qt's begin/end calls.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from pia_desk.domain.entries import Timing
from pia_desk.domain.events import Event, EventKind
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node
from pia_desk.gui.project_events import listen_while_alive
from pia_desk.gui.roles import ChangedRole, DeletedRole, ImportantRole, NodeIdRole, TimingRole

COLUMNS = ("項目", "提出時期")
UNSET_LABEL = "未設定"
TIMING_COLORS = {
    Timing.PRE.value: QColor("#1f6fd1"),
    Timing.POST.value: QColor("#d17a00"),
    UNSET_LABEL: QColor("#c62828"),
}
IMPORTANT_BADGE = "※"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def timing_label(timing: Timing) -> str:
    """提出時期 as shown: 事前 / 事後, or 未設定 while undecided."""
    return timing.value or UNSET_LABEL


def _dot_icon(color: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pixmap)


class ProjectTreeModel(QAbstractItemModel):
    """Rows are the children of a Node; column 0 the label, column 1 the entry's 提出時期."""

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._icons: dict[str, QIcon] = {}
        self._changed_cache: set[str] | None = None
        self._listener = listen_while_alive(self, project, self._on_event)

    @property
    def project(self) -> Project:
        return self._project

    def detach(self) -> None:
        """Stop listening to the project (before the model is dropped)."""
        self._listener.switch(None)

    # -- structure ---------------------------------------------------------------
    def node_at(self, index: Index) -> Node:
        if index.isValid():
            return index.internalPointer()
        return self._project.root

    def index_of(self, node: Node | None, column: int = 0) -> QModelIndex:
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.index_in_parent(), column, node)

    def index_of_id(self, node_id: str, column: int = 0) -> QModelIndex:
        return self.index_of(self._project.find_node(node_id), column)

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self.node_at(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        return self.index_of(node.parent)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node_at(parent).children)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        return self.rowCount(parent) > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    # -- data ----------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        column = index.column()
        if role == NodeIdRole:
            return node.id
        if role == TimingRole:
            return self._timing_of(node)
        if role == ImportantRole:
            return node.is_important()
        if role == DeletedRole:
            return node.is_deleted
        if role == ChangedRole:
            return self._has_change(node)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(node)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(node, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._decoration(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        return None

    def _display(self, node: Node, column: int) -> str:
        if column == 1:
            return self._timing_of(node) or ""
        text = node.label
        if node.note:
            text = f"{text} {node.note}"
        if node.is_leaf_item and node.is_important() and IMPORTANT_BADGE not in node.label:
            text = f"{text} {IMPORTANT_BADGE}"
        return text

    def _font(self, node: Node) -> QFont | None:
        important = node.is_leaf_item and node.is_important()
        deleted = node.is_deleted
        if not (important or deleted):
            return None
        font = QFont()
        font.setBold(important)
        font.setStrikeOut(deleted)
        return font

    def _foreground(self, node: Node, column: int) -> QBrush | None:
        if node.is_deleted:
            return QBrush(QColor("#888888"))
        if column == 1:
            timing = self._timing_of(node)
            if timing:
                return QBrush(TIMING_COLORS[timing])
        return None

    def _decoration(self, node: Node) -> QIcon | None:
        timing = self._timing_of(node)
        if timing is None:
            return (
                self._icon("#9e9e9e") if node.kind.is_container and self._has_change(node) else None
            )
        return self._icon(TIMING_COLORS[timing].name())

    def _icon(self, color: str) -> QIcon:
        if color not in self._icons:
            self._icons[color] = _dot_icon(QColor(color))
        return self._icons[color]

    def _tooltip(self, node: Node) -> str:
        lines = ["\n".join(node.path_labels())]
        if node.is_important():
            lines.append("※ 重要な変更の対象となる項目")
        if node.is_deleted:
            lines.append("（削除）提出済みにするまで一覧に残ります")
        timing = self._timing_of(node)
        if timing is not None:
            lines.append(f"変更あり（提出時期: {timing}）")
        return "\n".join(lines)

    def _timing_of(self, node: Node) -> str | None:
        if not node.is_leaf_item:
            return None
        entry = self._project.entry_for_node(node.id)
        return None if entry is None else timing_label(entry.timing)

    def _changed_ids(self) -> set[str]:
        if self._changed_cache is None:
            draft = self._project.draft
            entries = draft.entries if draft else []
            self._changed_cache = {e.node_id for e in entries if e.node_id}
        return self._changed_cache

    def _has_change(self, node: Node) -> bool:
        changed = self._changed_ids()
        if not changed:
            return False
        if node.is_leaf_item:
            return node.id in changed
        return any(n.id in changed for n in node.walk())

    # -- project events --------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        kind = event.kind
        if kind in _ENTRY_EVENTS:
            self._changed_cache = None
            return
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, event)

    def _insert_begin(self, event: Event) -> None:
        parent = self._parent_index(event.parent_id)
        self.beginInsertRows(parent, event.index, event.index)

    def _insert_end(self, event: Event) -> None:
        self.endInsertRows()

    def _remove_begin(self, event: Event) -> None:
        parent = self._parent_index(event.parent_id)
        self.beginRemoveRows(parent, event.index, event.index)

    def _remove_end(self, event: Event) -> None:
        self._changed_cache = None
        self.endRemoveRows()

    def _node_changed(self, event: Event) -> None:
        node = self._project.find_node(event.node_id)
        self._changed_cache = None
        while node is not None and node.parent is not None:
            first = self.index_of(node, 0)
            last = self.index_of(node, len(COLUMNS) - 1)
            self.dataChanged.emit(first, last)
            node = node.parent  # ancestors show the "changed inside" marker

    def _reset_begin(self, event: Event) -> None:
        self.beginResetModel()

    def _reset_end(self, event: Event) -> None:
        self._changed_cache = None
        self.endResetModel()

    def _parent_index(self, parent_id: str | None) -> QModelIndex:
        return self.index_of(self._project.find_node(parent_id))


_ENTRY_EVENTS = frozenset(
    {
        EventKind.ENTRY_INSERT_END,
        EventKind.ENTRY_REMOVE_END,
        EventKind.REVISION_INSERT_END,
        EventKind.REVISION_REMOVE_END,
    }
)

_HANDLERS = {
    EventKind.NODE_INSERT_BEGIN: ProjectTreeModel._insert_begin,
    EventKind.NODE_INSERT_END: ProjectTreeModel._insert_end,
    EventKind.NODE_REMOVE_BEGIN: ProjectTreeModel._remove_begin,
    EventKind.NODE_REMOVE_END: ProjectTreeModel._remove_end,
    EventKind.NODE_CHANGED: ProjectTreeModel._node_changed,
    EventKind.RESET_BEGIN: ProjectTreeModel._reset_begin,
    EventKind.RESET_END: ProjectTreeModel._reset_end,
}


class TreeFilterProxy(QSortFilterProxyModel):
    """Filters the tree by label (recursively: ancestors of a match stay) or changes only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
        self._changed_only = False
        self._text = ""

    def set_changed_only(self, on: bool) -> None:
        self.beginFilterChange()
        self._changed_only = on
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._changed_only:
            node = index.internalPointer()
            if not node.is_leaf_item or not index.data(ChangedRole):
                return False
        if not self._text:
            return True
        return self._text in str(index.data(Qt.ItemDataRole.DisplayRole)).casefold()

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange()

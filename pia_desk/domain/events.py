"""Notifications a project sends to its views (Qt models subscribe to them).

Structural changes come as BEGIN/END pairs so that a Qt model can call
beginInsertRows/endInsertRows with the row index before the data changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto


class EventKind(Enum):
    VALUE_CHANGED = auto()  # node_id
    NODE_CHANGED = auto()  # node_id: label, deleted flag, entry state
    NODE_INSERT_BEGIN = auto()  # parent_id, index
    NODE_INSERT_END = auto()
    NODE_REMOVE_BEGIN = auto()  # parent_id, index
    NODE_REMOVE_END = auto()
    ENTRY_CHANGED = auto()  # revision_id, entry_id
    ENTRY_INSERT_BEGIN = auto()  # revision_id, index
    ENTRY_INSERT_END = auto()
    ENTRY_REMOVE_BEGIN = auto()  # revision_id, index, entry_id
    ENTRY_REMOVE_END = auto()
    REVISION_CHANGED = auto()  # revision_id
    REVISION_INSERT_BEGIN = auto()  # index
    REVISION_INSERT_END = auto()
    REVISION_REMOVE_BEGIN = auto()  # index, revision_id
    REVISION_REMOVE_END = auto()
    META_CHANGED = auto()
    RESET_BEGIN = auto()  # many things change at once (submit, restore)
    RESET_END = auto()


@dataclass(frozen=True)
class Event:
    kind: EventKind
    node_id: str | None = None
    parent_id: str | None = None
    revision_id: str | None = None
    entry_id: str | None = None
    index: int = -1


Listener = Callable[[Event], None]


class EventSource:
    """A minimal observer list; listeners must not raise."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, kind: EventKind, **fields: object) -> None:
        if not self._listeners:
            return
        event = Event(kind, **fields)  # type: ignore[arg-type]
        for listener in list(self._listeners):
            listener(event)

"""Find (Ctrl+F) across the working text of all items, with next / previous."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from pia_desk.domain.events import Event
from pia_desk.domain.project import Project
from pia_desk.gui.project_events import ProjectListener
from pia_desk.gui.ui_loader import child, load_ui


@dataclass(frozen=True)
class Match:
    node_id: str
    start: int  # code points in the item's working text
    length: int


def find_matches(project: Project, needle: str) -> list[Match]:
    """Every occurrence of `needle` (case-insensitive) in the working text of all items."""
    key = needle.casefold()
    if not key:
        return []
    matches: list[Match] = []
    for node in project.items():
        text = project.text_of(node.id).casefold()
        start = text.find(key)
        while start >= 0:
            matches.append(Match(node.id, start, len(needle)))
            start = text.find(key, start + max(len(key), 1))
    return matches


class FindBar(QWidget):
    """A bar under the editor; `matchChosen` asks the window to show a match."""

    matchChosen = Signal(object)  # Match
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        form = load_ui("find_bar.ui")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form)
        self.edit = child(form, QLineEdit, "findEdit")
        self.status = child(form, QLabel, "statusLabel")
        child(form, QPushButton, "nextButton").clicked.connect(self.find_next)
        child(form, QPushButton, "prevButton").clicked.connect(self.find_previous)
        child(form, QToolButton, "closeButton").clicked.connect(self.close_bar)
        self.edit.returnPressed.connect(self.find_next)
        self.edit.textChanged.connect(self._invalidate)
        for keys, slot in (
            (QKeySequence.StandardKey.FindNext, self.find_next),
            (QKeySequence.StandardKey.FindPrevious, self.find_previous),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self._project: Project | None = None
        self._listener = ProjectListener(self, self._on_event)
        self._matches: list[Match] | None = None
        self._current = -1

    def set_project(self, project: Project | None) -> None:
        self._project = self._listener.switch(project)
        self._invalidate()

    def open_bar(self, text: str = "") -> None:
        if text:
            self.edit.setText(text)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def _on_event(self, event: Event) -> None:
        self._matches = None  # values or tree changed: search again on the next step

    def _invalidate(self, *args: object) -> None:
        self._matches = None
        self._current = -1
        self.status.clear()

    def _ensure_matches(self) -> list[Match]:
        if self._matches is None:
            self._matches = find_matches(self._project, self.edit.text()) if self._project else []
            self._current = min(self._current, len(self._matches) - 1)
        return self._matches

    def find_next(self) -> Match | None:
        return self._step(+1)

    def find_previous(self) -> Match | None:
        return self._step(-1)

    def _step(self, direction: int) -> Match | None:
        matches = self._ensure_matches()
        if not matches:
            self.status.setText("見つかりません" if self.edit.text() else "")
            return None
        if self._current < 0:
            self._current = 0 if direction > 0 else len(matches) - 1
        else:
            self._current = (self._current + direction) % len(matches)
        match = matches[self._current]
        self.status.setText(f"{self._current + 1} / {len(matches)} 件")
        self.matchChosen.emit(match)
        return match

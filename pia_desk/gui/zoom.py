"""表示 > 拡大 / 縮小: the text size of the tree, the editors and the change list.

The size is a percentage of the application's font (kept in the settings); Ctrl+wheel
over any of those views steps it like Ctrl+plus / Ctrl+minus, for all of them at once
(a text field's own Ctrl+wheel zoom would change that field only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

STEPS = (60, 70, 80, 90, 100, 110, 125, 150, 175, 200, 250)
DEFAULT = 100


def step(current: int, direction: int) -> int:
    """The next size up (direction > 0) or down from `current` (which may be off-step)."""
    if direction > 0:
        return next((s for s in STEPS if s > current), STEPS[-1])
    return next((s for s in reversed(STEPS) if s < current), STEPS[0])


def zoomed_font(percent: int) -> QFont:
    font = QFont(QApplication.font())
    font.setPointSizeF(max(font.pointSizeF(), 1.0) * percent / 100)
    return font


class WheelZoom(QObject):
    """Turns Ctrl+wheel over the watched views into `zoom(+1 / -1)`."""

    def __init__(self, zoom: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._zoom = zoom

    def watch(self, widgets: Iterable[QWidget]) -> None:
        for widget in widgets:
            target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel:
            return False
        wheel: QWheelEvent = event  # type: ignore[assignment]
        if not wheel.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        delta = wheel.angleDelta().y()
        if delta:
            self._zoom(1 if delta > 0 else -1)
        return True

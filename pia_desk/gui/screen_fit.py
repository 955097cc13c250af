"""Window sizes that fit the screen the window is on (1366x768 laptops, 150 % screens).

Sizes are fractions of the available screen geometry (without the task bar), never
fixed pixels: a 1400x900 window runs off a 1366x768 laptop, and at 150 % Qt's logical
pixels make a 1920x1080 screen only 1280x720 wide.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The main window's first size, and the smallest size it may be made.
MAIN_FRACTION = (0.9, 0.9)
MAIN_MINIMUM_FRACTION = (0.5, 0.5)
# Dialogs that show tables (revision list, import preview, print preview).
LARGE_DIALOG_FRACTION = (0.85, 0.85)
# The share of the main window's width the item tree gets; the rest goes to the editors.
TREE_SHARE = 0.3
# Of the editors' height: the compare panes, the rest the change list.
COMPARE_SHARE = 0.6
# Once the entry panel is there: compare panes, entry panel, change list.
ENTRY_PANEL_SHARES = (0.34, 0.33, 0.33)
FALLBACK = QRect(0, 0, 1366, 768)  # no screen at all (never in practice)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable area of the screen `widget` is on (else of the primary screen)."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(FALLBACK)


def fraction_of(area: QRect, fraction: tuple[float, float]) -> QSize:
    return QSize(round(area.width() * fraction[0]), round(area.height() * fraction[1]))


def cap_minimum(widget: QWidget, area: QRect | None = None) -> None:
    """No minimum size larger than the screen (a form's minimum was set for a big one)."""
    area = area or available_geometry(widget)
    minimum = widget.minimumSize()
    widget.setMinimumSize(
        min(minimum.width(), area.width() * 9 // 10), min(minimum.height(), area.height() * 9 // 10)
    )


def fit_window(
    widget: QWidget, fraction: tuple[float, float], preferred: QSize | None = None
) -> None:
    """Size a window to `preferred` (its size hint by default) but at most `fraction` of
    the available screen, centred on it."""
    area = available_geometry(widget)
    cap_minimum(widget, area)
    largest = fraction_of(area, fraction)
    wanted = preferred if preferred is not None else widget.sizeHint()
    size = wanted.boundedTo(largest).expandedTo(widget.minimumSize())
    widget.resize(size)
    widget.move(area.center() - QPoint(size.width() // 2, size.height() // 2))


def fit_large_dialog(dialog: QWidget, preferred: QSize | None = None) -> None:
    """A dialog showing tables or pages: as large as `preferred` (default: the whole
    available screen), at most LARGE_DIALOG_FRACTION of it; no minimum beyond it."""
    for form in dialog.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        cap_minimum(form)  # an embedded form's minimum was set for a big screen
    wanted = preferred if preferred is not None else available_geometry(dialog).size()
    fit_window(dialog, LARGE_DIALOG_FRACTION, wanted)


def clamp_to_screen(widget: QWidget) -> None:
    """Bring a restored window wholly onto the available screen: smaller, then moved."""
    area = available_geometry(widget)
    cap_minimum(widget, area)
    frame = widget.frameGeometry()
    extra = frame.size() - widget.size()  # title bar and borders
    width = min(widget.width(), area.width() - extra.width())
    height = min(widget.height(), area.height() - extra.height())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, 1), max(height, 1))
        frame = widget.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)


def within(widget: QWidget, area: QRect | None = None) -> bool:
    """Whether the whole window (frame included) is on the available screen."""
    area = area or available_geometry(widget)
    return area.contains(widget.frameGeometry())

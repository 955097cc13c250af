"""Listening to one project's events at a time (views that switch projects)."""

from __future__ import annotations

from collections.abc import Callable

from pia_desk.domain.events import Event
from pia_desk.domain.project import Project

Handler = Callable[[Event], None]


def switch_project(old: Project | None, new: Project | None, handler: Handler) -> Project | None:
    """Stop `handler` listening to `old`, start it on `new`; returns `new`."""
    if old is not None:
        old.events.unsubscribe(handler)
    if new is not None:
        new.events.subscribe(handler)
    return new

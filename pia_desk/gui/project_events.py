"""Listening to a project's events for exactly as long as a Qt object lives.

A view or model that listens to a project must stop when Qt deletes it, whichever way
that happens (a dialog's button, Escape, the window's close button, its parent
deleted): a deleted object left subscribed crashes the next edit in shiboken. So the
subscription is ended by the owner's `destroyed` signal, never by closeEvent (which
accept()/reject() do not send).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from pia_desk.domain.events import Event
from pia_desk.domain.project import Project

Handler = Callable[[Event], None]


class ProjectListener:
    """`handler` listening to one project at a time, until `owner` is destroyed."""

    def __init__(self, owner: QObject, handler: Handler) -> None:
        self.project: Project | None = None
        self._handler = handler
        # A closure, not a bound method: it must run after the owner's wrapper is gone.
        owner.destroyed.connect(lambda *_: self.switch(None))

    def switch(self, project: Project | None) -> Project | None:
        """Stop listening to the current project, start on `project`; returns it."""
        if self.project is not None:
            self.project.events.unsubscribe(self._handler)
        self.project = project
        if project is not None:
            project.events.subscribe(self._handler)
        return project


def listen_while_alive(owner: QObject, project: Project, handler: Handler) -> ProjectListener:
    """Subscribe `handler` to `project` until `owner` is destroyed (or switched away)."""
    listener = ProjectListener(owner, handler)
    listener.switch(project)
    return listener

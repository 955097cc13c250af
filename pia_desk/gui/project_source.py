"""Where the editor gets new projects from: the official forms shipped with PIA Desk."""

from __future__ import annotations

from pia_desk.domain.project import Project
from pia_desk.paths import resource_path
from pia_desk.storage.project_file import new_project

# The order the new-project dialog offers the forms in: the most used first.
OFFERED_FORMS = ("juten", "zenkoumoku", "kiso")


def available_forms() -> list[str]:
    return [f for f in OFFERED_FORMS if resource_path("templates", f"{f}.json").is_file()]


def create_project(form: str, org: str = "", title: str = "") -> Project:
    """A new, empty project of an official form, in 初回入力."""
    return new_project(form, org=org, title=title, initial_entry=True)

"""Where the editor gets projects from: a new one from an official form, or a file.

Storage modules are imported lazily so that the editor starts fast and keeps working
while parts of storage are still being written.
"""

from __future__ import annotations

import json

from pia_desk.domain.project import Project, ProjectMeta
from pia_desk.domain.tree import FormTemplate, template_from_dict
from pia_desk.paths import resource_path

FORM_NAMES = {
    "juten": "重点項目評価書",
    "zenkoumoku": "全項目評価書",
    "kiso": "基礎項目評価書",
}


def load_form_template(form: str) -> FormTemplate:
    try:
        from pia_desk.storage.templates import load_template
    except ImportError:  # storage.templates not installed yet: read the shipped JSON
        path = resource_path("templates", f"{form}.json")
        return template_from_dict(json.loads(path.read_text(encoding="utf-8")))
    return load_template(form)


def available_forms() -> list[str]:
    return [f for f in FORM_NAMES if resource_path("templates", f"{f}.json").is_file()]


def create_project(form: str, org: str = "", title: str = "") -> Project:
    """A new, empty project of an official form."""
    try:
        from pia_desk.storage.project_file import new_project
    except ImportError:
        meta = ProjectMeta(org=org, title=title)
        return Project.from_template(load_form_template(form), meta)
    return new_project(form, org=org, title=title)

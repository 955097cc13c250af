"""The official form templates (resources/templates/*.json) and their loader."""

from __future__ import annotations

import copy
import json
from functools import cache

from pia_desk.domain.tree import FORM_CODES, FormTemplate, template_from_dict
from pia_desk.paths import resource_path

FORM_NAMES: dict[str, str] = {
    "kiso": "基礎項目評価書",
    "juten": "重点項目評価書",
    "zenkoumoku": "全項目評価書",
}


class UnknownFormError(ValueError):
    """The form code is not one of FORM_CODES."""

    def __init__(self, form: str) -> None:
        self.form = form
        known = "、".join(FORM_CODES)
        super().__init__(f"不明な評価書の種類です: {form!r}（指定できるのは {known} です）")


@cache
def _template_data(form: str) -> dict:
    path = resource_path("templates", f"{form}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def load_template(form: str) -> FormTemplate:
    """A fresh template tree for `form` (juten | zenkoumoku | kiso); safe to mutate."""
    if form not in FORM_CODES:
        raise UnknownFormError(form)
    return template_from_dict(copy.deepcopy(_template_data(form)))


def available_forms() -> list[tuple[str, str]]:
    """(code, name) of the shipped forms, smallest first: 基礎, 重点, 全項目."""
    return [(code, FORM_NAMES[code]) for code in ("kiso", "juten", "zenkoumoku")]

"""Headings over groups of a check item's options (識別情報 / 連絡先等情報 / 業務関係情報),
as the forms print them. The groups are data (resources/templates/option_groups.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

from pia_desk.paths import resource_path


@cache
def _groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = json.loads(resource_path("templates", "option_groups.json").read_text("utf-8"))
    return tuple((g["label"], tuple(g["options"])) for g in data["groups"])


def group_headings(options: Sequence[str]) -> dict[int, str]:
    """Heading to show before the option at each index: a group is named only where all
    of its options stand together, in order, in `options`."""
    headings: dict[int, str] = {}
    for label, members in _groups():
        for start in range(len(options) - len(members) + 1):
            if tuple(options[start : start + len(members)]) == members:
                headings[start] = label
                break
    return headings

"""The reader of project files of version 1, migrating them in memory to the latest
version (the next save writes that version; see `project_file.pending_upgrade`).

Version 1 kept 評価書番号, 評価書名, 評価実施機関名 and 公表日 twice (in <meta> and on the
cover), had one 特定個人情報ファイル per project and knew neither 初回入力 nor a
tracking policy of the project.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from pia_desk.domain.project import COVER_ITEMS, Project
from pia_desk.domain.tree import FILE_SECTIONS, Node, NodeKind, add_file_level, is_file_block
from pia_desk.domain.values import Value
from pia_desk.domain.wareki import format_wareki
from pia_desk.storage.project_xml import element_text, q, read_common, read_meta

VERSION = 1
COVER_LABELS = {
    "number": "評価書番号",
    "title": "評価書名",
    "org": "評価実施機関名",
    "published": "公表日",
}


def project_from_v1_element(root: etree._Element) -> tuple[Project, list[str]]:
    """A Project of the latest version from a schema-valid version-1 root element, and
    notes on what the migration could not carry over unchanged (for the user)."""
    meta_element = root.find(q("meta"))
    meta = read_meta(meta_element)  # the fields version 2 keeps in <meta> are alike
    project = read_common(root, meta, lambda tree: _add_file_levels(tree, meta.form))
    notes = _move_meta_to_cover(project, _cover_meta(meta_element))
    # A project that never had a revision was being filled in: 初回入力.
    project.initial_entry = not project.revisions
    return project, notes


def _cover_meta(element: etree._Element) -> dict[str, str]:
    return {name: element_text(element.find(q(name))) for name in COVER_ITEMS}


def _add_file_levels(tree: Node, form: str) -> None:
    for section in tree.children:
        wanted = section.id in FILE_SECTIONS.get(form, ()) and section.kind is NodeKind.SECTION
        if wanted and not any(is_file_block(c) for c in section.children):
            add_file_level(section)


def _move_meta_to_cover(project: Project, meta: dict[str, str]) -> list[str]:
    """The cover becomes the one source: a value only <meta> had is taken as what the
    cover said all along (baseline and working, so it is no change row); where both
    had a value and they differ, the cover's (the tracked one) is kept."""
    notes = []
    for name, text in meta.items():
        if not text:
            continue
        node = project.find_node(COVER_ITEMS[name])
        label = COVER_LABELS[name]
        if node is None or node.is_deleted:
            notes.append(f"表紙に「{label}」の項目がないため、{label}「{text}」は引き継げません。")
            continue
        cover = project.value(node.id).text
        if not cover and not project.baseline_value(node.id).text:
            project.baseline[node.id] = project.working[node.id] = Value(text=text)
        elif cover != text:
            notes.append(
                f"プロジェクトの情報の{label}「{_shown(name, text)}」は表紙の"
                f"「{_shown(name, cover)}」と異なるため、表紙の記載を使います。"
            )
    return notes


def _shown(name: str, text: str) -> str:
    if name != "published" or not text:
        return text
    try:
        return format_wareki(date.fromisoformat(text))
    except ValueError:
        return text

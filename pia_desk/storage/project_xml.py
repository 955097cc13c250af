"""The project file's XML form: Project ⇄ lxml tree (no file I/O here).

Format (namespace urn:pia-desk:project, fileVersion 2), stable element order, one
attribute order, pretty-printed, so that two versions compare well in any diff tool.
Working values are stored only where they differ from the baseline. This module reads
and writes the latest version; older versions have a reader each (`project_v1`).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable
from datetime import date

from lxml import etree

from pia_desk import __version__
from pia_desk.domain.entries import (
    ChangeEntry,
    EntryKind,
    QuoteMode,
    Revision,
    RevisionStatus,
    Timing,
)
from pia_desk.domain.project import Project, ProjectMeta
from pia_desk.domain.tracking import TrackingPolicy
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import EMPTY, Value, normalize_text
from pia_desk.domain.wareki import DigitStyle

NS = "urn:pia-desk:project"
FILE_VERSION = 2
SAVED_PLACEHOLDER = "__PIA_DESK_SAVED__"
_Q = f"{{{NS}}}"


def q(tag: str) -> str:
    return _Q + tag


def clean_text(text: str) -> str:
    """Text as stored (see values.normalize_text); values are already in that form."""
    return normalize_text(text)


# -- writing -------------------------------------------------------------------
def project_to_element(project: Project, *, lend_frozen: bool = False) -> etree._Element:
    """The project as an element tree of the latest version.

    `lend_frozen`: put the cached elements of submitted revisions into the tree itself
    instead of copies, for a caller that serialises the tree and drops it (a save);
    the next such tree takes them over, so an earlier tree must not be used again."""
    root = etree.Element(q("project"), nsmap={None: NS})
    root.set("fileVersion", str(FILE_VERSION))
    root.set("appVersion", __version__)
    root.set("saved", SAVED_PLACEHOLDER)
    root.append(_meta_element(project.meta))
    root.append(_tracking_element(project))
    tree = etree.SubElement(root, q("tree"))
    for child in project.root.children:
        tree.append(_node_element(child))
    root.append(_values_element("baseline", project.baseline, None))
    root.append(_values_element("working", project.working, project.baseline))
    revisions = etree.SubElement(root, q("revisions"))
    for revision in project.revisions:
        revisions.append(_cached_revision_element(revision, lend_frozen))
    return root


# Submitted revisions are frozen, so their elements are built once and reused by each
# new tree (building text nodes is most of the cost of a save). An element has one
# parent: appending the cached element takes it out of the tree built before, so only
# a save, which drops its tree, borrows it; any other caller gets a copy.
_FROZEN: weakref.WeakKeyDictionary[Revision, tuple[_FrozenKey, etree._Element]] = (
    weakref.WeakKeyDictionary()
)


class _FrozenKey:
    """Everything a cached element was built from. Comparing is cheap when nothing
    changed (the same string objects compare by identity first) and exact when a
    submission was undone and the entries edited again."""

    def __init__(self, revision: Revision) -> None:
        self.value = _frozen_value(revision)

    def matches(self, revision: Revision) -> bool:
        return self.value == _frozen_value(revision)


def _frozen_value(revision: Revision) -> tuple:
    head = (revision.status, revision.date, revision.submitted_on, revision.note)
    entries = tuple(
        (e.id, e.node_id, e.kind, e.timing, e.quote, e.include, e.date, e.item_path,
         e.before, e.after, e.explanation, e.excerpt_label)
        for e in revision.entries
    )  # fmt: skip
    return (*head, *entries)


def _cached_revision_element(revision: Revision, lend: bool = False) -> etree._Element:
    if revision.is_draft:
        return _revision_element(revision)
    cached = _FROZEN.get(revision)
    if cached is None or not cached[0].matches(revision):
        cached = (_FrozenKey(revision), _revision_element(revision))
        _FROZEN[revision] = cached
    return cached[1] if lend else copy.deepcopy(cached[1])


def _text_child(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, q(tag))
    if not text:
        return element  # written <x/>, as a parsed empty element is
    try:
        element.text = text  # fast path: values are normalised when they are set
    except ValueError:  # control characters (e.g. from an imported table)
        element.text = clean_text(text)
    if "\r" in text:
        element.text = clean_text(text)
    return element


def _meta_element(meta: ProjectMeta) -> etree._Element:
    element = etree.Element(q("meta"))
    _text_child(element, "affair", meta.affair)
    form = etree.SubElement(element, q("form"))
    form.set("code", meta.form)
    form.set("name", meta.form_name)
    form.set("stamp", meta.form_stamp)
    form.set("annex", meta.annex_label)
    if meta.reviewed:
        _text_child(element, "reviewed", meta.reviewed.isoformat())
    _text_child(element, "digitStyle", meta.digit_style.value)
    return element


TRACKING_MODES = {False: "changes", True: "initial"}  # Project.initial_entry -> mode


def _tracking_element(project: Project) -> etree._Element:
    element = etree.Element(q("tracking"))
    element.set("mode", TRACKING_MODES[project.initial_entry])
    if project.tracking.excerpt_above is not None:
        element.set("excerptAbove", str(project.tracking.excerpt_above))
    return element


def _node_element(node: Node) -> etree._Element:
    element = etree.Element(q("node"))
    element.set("id", node.id)
    element.set("kind", node.kind.value)
    element.set("label", clean_text(node.label))
    if node.baseline_label != node.label:
        element.set("baselineLabel", "" if node.baseline_label is None else node.baseline_label)
        element.set("added", "true" if node.baseline_label is None else "false")
    if node.important is not None:
        element.set("important", "true" if node.important else "false")
    if node.note:
        element.set("note", node.note)
    if node.repeat_label:
        element.set("repeatLabel", node.repeat_label)
    if node.other_option:
        element.set("otherOption", node.other_option)
    if node.deleted:
        element.set("deleted", "true")
    for option in node.options:
        _text_child(element, "option", option)
    for child in node.children:
        element.append(_node_element(child))
    return element


def _values_element(
    state: str, values: dict[str, Value], baseline: dict[str, Value] | None
) -> etree._Element:
    element = etree.Element(q("values"))
    element.set("state", state)
    if baseline is None:
        changed = dict(values)
        cleared: list[str] = []
    else:  # working: only what differs from the baseline
        changed = {k: v for k, v in values.items() if baseline.get(k, EMPTY) != v}
        cleared = [k for k in baseline if k not in values]
    for node_id, value in changed.items():
        element.append(_value_element(node_id, value))
    for node_id in cleared:
        etree.SubElement(element, q("cleared")).set("node", node_id)
    return element


def _value_element(node_id: str, value: Value) -> etree._Element:
    element = etree.Element(q("value"))
    element.set("node", node_id)
    if value.text:
        _text_child(element, "text", value.text)
    for option in value.checked:
        _text_child(element, "checked", option)
    if value.other:
        _text_child(element, "other", value.other)
    return element


def _revision_element(revision: Revision) -> etree._Element:
    element = etree.Element(q("revision"))
    element.set("id", revision.id)
    element.set("date", revision.date.isoformat())
    element.set("status", revision.status.value)
    if revision.submitted_on:
        element.set("submittedOn", revision.submitted_on.isoformat())
    if revision.note:
        _text_child(element, "note", revision.note)
    for entry in revision.entries:
        element.append(_entry_element(entry))
    return element


def _entry_element(entry: ChangeEntry) -> etree._Element:
    element = etree.Element(q("entry"))
    element.set("id", entry.id)
    if entry.node_id:
        element.set("node", entry.node_id)
    element.set("kind", entry.kind.value)
    element.set("timing", entry.timing.value)
    element.set("quote", entry.quote.value)
    element.set("include", "true" if entry.include else "false")
    if entry.date:
        element.set("date", entry.date.isoformat())
    path = etree.SubElement(element, q("path"))
    for component in entry.item_path:
        _text_child(path, "c", component)
    _text_child(element, "before", entry.before)
    _text_child(element, "after", entry.after)
    _text_child(element, "explanation", entry.explanation)
    if entry.excerpt_label:
        _text_child(element, "excerpt", entry.excerpt_label)
    return element


# -- reading -------------------------------------------------------------------
def element_text(element: etree._Element | None) -> str:
    return "" if element is None or element.text is None else element.text


def iso_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def project_from_element(root: etree._Element) -> Project:
    """Build a Project from a schema-valid root element of the latest version."""
    project = read_common(root, read_meta(root.find(q("meta"))))
    tracking = root.find(q("tracking"))
    if tracking is not None:  # a newer file read as far as understood may lack it
        above = tracking.get("excerptAbove")
        project.tracking = TrackingPolicy(excerpt_above=int(above) if above else None)
        project.initial_entry = tracking.get("mode") == TRACKING_MODES[True]
    return project


def read_common(
    root: etree._Element, meta: ProjectMeta, adapt_tree: Callable[[Node], None] | None = None
) -> Project:
    """The parts every version stores alike: tree, values and revisions.
    `adapt_tree` lets the reader of an older version reshape the tree first."""
    tree_root = Node(id="root", label=meta.form_name, kind=NodeKind.ROOT)
    tree_root.baseline_label = tree_root.label
    for child in root.find(q("tree")).iterchildren(q("node")):
        tree_root.children.append(_read_node(child, tree_root))
    if adapt_tree is not None:
        adapt_tree(tree_root)
    baseline: dict[str, Value] = {}
    working: dict[str, Value] = {}
    cleared: set[str | None] = set()
    for values in root.iterchildren(q("values")):
        if values.get("state") == "baseline":
            baseline = _read_values(values)
        else:
            working = _read_values(values)
            cleared = {c.get("node") for c in values.iterchildren(q("cleared"))}
    working = {
        **{k: v for k, v in baseline.items() if k not in cleared},
        **working,
    }
    revisions = []
    for element in root.find(q("revisions")).iterchildren(q("revision")):
        revision = _read_revision(element)
        revisions.append(revision)
        if not revision.is_draft:  # reuse the parsed element on the next save
            element.tail = None  # the new parent indents it again
            _FROZEN[revision] = (_FrozenKey(revision), element)
    return Project(
        meta=meta, root=tree_root, baseline=baseline, working=working, revisions=revisions
    )


def read_meta(element: etree._Element) -> ProjectMeta:
    form = element.find(q("form"))
    return ProjectMeta(
        affair=element_text(element.find(q("affair"))),
        form=form.get("code"),
        form_name=form.get("name"),
        form_stamp=form.get("stamp", ""),
        annex_label=form.get("annex", ""),
        reviewed=iso_date(element_text(element.find(q("reviewed")))),
        digit_style=DigitStyle(element_text(element.find(q("digitStyle"))) or "half"),
    )


def _read_node(element: etree._Element, parent: Node) -> Node:
    important = element.get("important")
    node = Node(
        id=element.get("id"),
        label=element.get("label"),
        kind=NodeKind(element.get("kind")),
        options=[element_text(o) for o in element.iterchildren(q("option"))],
        other_option=element.get("otherOption"),
        important=None if important is None else important == "true",
        note=element.get("note", ""),
        repeat_label=element.get("repeatLabel"),
        parent=parent,
    )
    if element.get("added") == "true":
        node.baseline_label = None
    else:
        node.baseline_label = element.get("baselineLabel") or node.label
    node.deleted = element.get("deleted") == "true"
    for child in element.iterchildren(q("node")):
        node.children.append(_read_node(child, node))
    return node


def _read_values(element: etree._Element) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for value in element.iterchildren(q("value")):
        values[value.get("node")] = Value(
            text=element_text(value.find(q("text"))),
            checked=tuple(element_text(c) for c in value.iterchildren(q("checked"))),
            other=element_text(value.find(q("other"))),
        )
    return values


def _read_revision(element: etree._Element) -> Revision:
    return Revision(
        id=element.get("id"),
        date=date.fromisoformat(element.get("date")),
        status=RevisionStatus(element.get("status")),
        submitted_on=iso_date(element.get("submittedOn")),
        note=element_text(element.find(q("note"))),
        entries=[_read_entry(e) for e in element.iterchildren(q("entry"))],
    )


_ENTRY_TEXTS = {q("before"): "before", q("after"): "after", q("explanation"): "explanation"}


def _read_entry(element: etree._Element) -> ChangeEntry:
    fields: dict[str, str] = {}
    path: tuple[str, ...] = ()
    excerpt = ""
    for child in element:  # one pass: entries are the bulk of a file
        tag = child.tag
        if tag in _ENTRY_TEXTS:
            fields[_ENTRY_TEXTS[tag]] = child.text or ""
        elif tag == _PATH:
            path = tuple(c.text or "" for c in child)
        elif tag == _EXCERPT:
            excerpt = child.text or ""
    attrib = element.attrib
    return ChangeEntry(
        id=attrib["id"],
        node_id=attrib.get("node"),
        kind=EntryKind(attrib["kind"]),
        timing=Timing(attrib.get("timing", "")),
        quote=QuoteMode(attrib.get("quote", "whole")),
        include=attrib.get("include", "true") == "true",
        date=iso_date(attrib.get("date")),
        item_path=path,
        excerpt_label=excerpt,
        **fields,
    )


_PATH, _EXCERPT = q("path"), q("excerpt")

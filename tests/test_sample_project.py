"""The bundled sample project: what the README's first command opens."""

from __future__ import annotations

import importlib.util

from pia_desk.domain.entries import EntryKind, Timing
from pia_desk.paths import resource_path, sample_project_path
from pia_desk.storage.project_file import project_to_bytes
from pia_desk.storage.session import load_project


def _builder():
    spec = importlib.util.spec_from_file_location(
        "make_sample", resource_path("sample", "make_sample.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_loads_and_has_the_promised_history() -> None:
    project = load_project(sample_project_path()).project
    assert project.meta.form == "juten" and "予防接種" in project.title
    assert len(project.submitted) >= 2
    draft = project.draft
    assert draft is not None
    timings = {e.timing for e in draft.entries}
    assert {Timing.PRE, Timing.POST} <= timings
    assert any(e.kind is EntryKind.DELETED for e in draft.entries)
    repeat_ids = {n.id for n in project.root.walk() if n.repeat_label}
    assert any(
        e.node_id and e.node_id.rsplit(".", 1)[0] in repeat_ids for _, e in project.all_entries()
    )


def test_sample_file_is_what_its_builder_writes() -> None:
    builder = _builder()
    assert (
        project_to_bytes(builder.build(), saved=builder.SAVED) == sample_project_path().read_bytes()
    )


def test_sample_keeps_the_wording_to_replace() -> None:
    project = load_project(sample_project_path()).project
    holders = [n for n in project.items() if "当市区町村" in project.text_of(n.id)]
    assert len(holders) >= 3

"""Project files of older versions still load: frozen copies in tests/data/ are never
regenerated, so a format change that breaks them fails here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pia_desk.domain.entries import EntryKind, QuoteMode, RevisionStatus, Timing
from pia_desk.domain.values import DELETED_MARK, Value
from pia_desk.storage.session import load_project

DATA = Path(__file__).parent / "data"
V1_WITH_HISTORY = DATA / "project-v1.piadesk"  # written by fileVersion 1 (see tests/data/README.md)
V1_NEW = DATA / "project-v1-new.piadesk"
V1_SAMPLE = DATA / "sample-v1.piadesk"


@pytest.mark.parametrize("path", [V1_WITH_HISTORY, V1_NEW, V1_SAMPLE], ids=lambda p: p.name)
def test_version_1_files_load(path: Path) -> None:
    assert b'fileVersion="1"' in path.read_bytes()[:200]
    loaded = load_project(path)
    assert not loaded.read_only


def test_the_frozen_version_1_project_keeps_its_history_and_draft() -> None:
    project = load_project(V1_WITH_HISTORY).project
    assert [(r.date, r.status) for r in project.revisions] == [
        (date(2021, 10, 20), RevisionStatus.SUBMITTED),
        (date(2022, 1, 10), RevisionStatus.SUBMITTED),
        (date(2023, 4, 1), RevisionStatus.DRAFT),
    ]
    (imported,) = project.revisions[0].entries
    assert imported.node_id is None and imported.item_path == ("Ⅴ評価実施手続", "旧様式の項目")
    assert (imported.timing, imported.quote, imported.include) == (
        Timing.POST,
        QuoteMode.CHANGED_PARAGRAPHS,
        False,
    )
    assert (imported.excerpt_label, imported.date) == ("＜旧＞", date(2021, 10, 21))
    draft = project.draft
    kinds = {e.kind for e in draft.entries}
    assert kinds == {EntryKind.CHANGED, EntryKind.ADDED, EntryKind.DELETED}
    deleted = [e for e in draft.entries if e.kind is EntryKind.DELETED]
    assert [e.before for e in deleted] == ["予約システム", "接種予約の受付"]
    assert all(e.after == DELETED_MARK for e in deleted)
    group = project.node(deleted[0].node_id).parent
    assert group.deleted and group.label == "システム２"
    renamed = project.entry_for_node("I.1.2")
    assert renamed.item_path[-1] == "②事務の内容（概要）"
    assert project.node("I.1.2").baseline_label == "②事務の内容※"
    assert project.value("I.1.1") == Value() and project.baseline_value("I.1.1").text
    assert project.value("II.3.2") == Value(checked=("紙",))
    assert project.baseline_value("II.3.2") == Value(checked=("紙", "その他"), other="窓口")
    timed = project.entry_for_node("II.3.2")
    assert (timed.timing, timed.date) == (Timing.PRE, date(2023, 4, 2))

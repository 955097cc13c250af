"""Project-wide find and replace, and the suggestion it leads to."""

from __future__ import annotations

import pytest
from test_classify import new_project

from pia_desk.domain.entries import Timing
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.replace import apply_replace, find_occurrences, preview, replace_plan
from pia_desk.domain.suggest import suggest_for_entry
from pia_desk.domain.values import Value
from pia_desk.paths import sample_project_path
from pia_desk.storage.session import load_project

OLD, NEW = "当市区町村", "当市"
EXPLANATION = "当市区町村→当市　に修正するもの。"


def sample_project() -> Project:
    return load_project(sample_project_path()).project


def test_sample_project_holds_the_old_term_in_several_items() -> None:
    occurrences = find_occurrences(sample_project(), OLD)
    assert len(occurrences) >= 3
    for occurrence in occurrences:
        assert occurrence.count >= 1
        assert f"【{OLD}】" in occurrence.preview
        assert occurrence.item_path[-1]


def test_replacing_in_the_sample_gives_one_entry_per_item_with_the_explanation() -> None:
    project = sample_project()
    project.submit_draft()  # a clean revision: only the replacement in it
    project.start_revision()
    expected = [o.node_id for o in find_occurrences(project, OLD)]
    changed = apply_replace(project, OLD, NEW)
    assert changed == expected
    draft = project.draft
    assert sorted(e.node_id for e in draft.entries) == sorted(changed)
    for entry in draft.entries:
        assert OLD not in entry.after and OLD in entry.before
        suggestion = suggest_for_entry(project, draft, entry)
        assert suggestion.kind == "wording"
        assert suggestion.timing is Timing.POST
        assert suggestion.explanation == EXPLANATION
        assert "当市区町村" in suggestion.reasons[0]
    assert find_occurrences(project, OLD) == []


def test_replacing_beside_an_important_change_stays_post() -> None:
    project = sample_project()  # its draft already holds 重要な変更
    draft = project.draft
    edited_before = {e.node_id for e in draft.entries}
    changed = apply_replace(project, OLD, NEW)
    only_replaced = [n for n in changed if n not in edited_before]
    assert len(only_replaced) >= 2
    for node_id in only_replaced:
        entry = draft.entry_for_node(node_id)
        suggestion = suggest_for_entry(project, draft, entry)
        assert suggestion.kind == "wording"
        assert suggestion.timing is Timing.POST
        assert suggestion.explanation == EXPLANATION


def test_single_item_replacement_is_recognised_when_the_term_is_gone() -> None:
    project = new_project()
    project.baseline["II.3.5"] = Value(text="当市区町村への転入者について、当市区町村が照会する。")
    project.working = dict(project.baseline)
    assert apply_replace(project, OLD, NEW) == ["II.3.5"]
    entry = project.entry_for_node("II.3.5")
    suggestion = suggest_for_entry(project, project.draft, entry)
    assert (suggestion.timing, suggestion.explanation) == (Timing.POST, EXPLANATION)


def test_other_text_of_checks_is_replaced_but_option_labels_are_not() -> None:
    project = new_project()
    node = project.node("II.3.2")  # ②入手方法 (checks with その他)
    other = node.other_option
    assert other is not None
    project.baseline["II.3.2"] = Value(checked=("紙", other), other="当市区町村の窓口")
    project.baseline["II.2.2"] = Value(text="1万人以上10万人未満")  # a choice
    project.working = dict(project.baseline)
    plan = replace_plan(project, OLD, NEW)
    assert [p.node_id for p in plan] == ["II.3.2"]
    assert plan[0].after == Value(checked=("紙", other), other="当市の窓口")
    assert find_occurrences(project, "万人") == []  # option labels are the form's words


def test_count_and_preview() -> None:
    project = new_project()
    text = (
        "前置きの文章がここに入ります。その続きです。当市区町村では、当市区町村の職員が確認する。"
    )
    project.working["II.3.5"] = Value(text=text)
    (occurrence,) = find_occurrences(project, OLD)
    assert occurrence.count == 2
    assert occurrence.preview == preview(text, OLD)
    assert occurrence.preview.startswith("…") and f"【{OLD}】" in occurrence.preview


@pytest.mark.parametrize(("old", "new"), [("", "当市"), ("当市", "当市")])
def test_empty_or_identical_terms_are_refused(old: str, new: str) -> None:
    project = new_project()
    with pytest.raises(DomainError):
        replace_plan(project, old, new)


def test_nothing_found_changes_nothing() -> None:
    project = sample_project()
    before = dict(project.working)
    assert apply_replace(project, "存在しない語句", "別の語句") == []
    assert project.working == before

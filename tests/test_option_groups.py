"""Headings over groups of a check item's options, as the forms print them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from pia_desk.domain.option_groups import group_headings
from pia_desk.domain.project import Project
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import Value
from pia_desk.gui.compare_editor import OptionPanel
from pia_desk.storage.templates import load_template


def record_items(form: str):
    project = Project.from_template(load_template(form))
    return next(
        n for n in project.items() if n.kind is NodeKind.CHECKS and "個人番号対応符号" in n.options
    )


@pytest.mark.parametrize("form", ["juten", "zenkoumoku"])
def test_the_record_items_are_grouped_as_the_form_prints_them(form):
    node = record_items(form)
    headings = group_headings(node.options)
    assert [(node.options[i], label) for i, label in sorted(headings.items())] == [
        ("個人番号", "識別情報"),
        ("４情報（氏名、性別、生年月日、住所）", "連絡先等情報"),
        ("国税", "業務関係情報"),
    ]


def test_a_group_is_named_only_where_all_its_options_stand_together():
    node = record_items("juten")
    options = list(node.options)
    options.remove("連絡先（電話番号等）")  # a city's form without it
    assert sorted(group_headings(options).values()) == ["業務関係情報", "識別情報"]
    assert group_headings(["国税", "個人番号"]) == {}


def test_the_editor_shows_the_headings_and_the_value_is_unchanged(qtbot):
    node = record_items("juten")
    panel = OptionPanel(node, editable=True)
    qtbot.addWidget(panel)
    layout = panel.layout()
    shown = [layout.itemAt(i).widget() for i in range(layout.count())]
    texts = [w.text() for w in shown if isinstance(w, QLabel | QAbstractButton) and w is not None]
    assert texts[:2] == ["＜識別情報＞", "個人番号"]
    assert (
        texts.index("＜連絡先等情報＞") == texts.index("４情報（氏名、性別、生年月日、住所）") - 1
    )
    assert texts.index("＜業務関係情報＞") == texts.index("国税") - 1
    panel.set_value(Value(checked=("個人番号", "国税")))
    assert panel.value().checked == ("個人番号", "国税")

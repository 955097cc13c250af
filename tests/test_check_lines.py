"""Check lines of a checks item: one writer with the table's and the form's style, and a
reader that takes every way offices write them."""

from __future__ import annotations

import pytest

from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import (
    FORM_CHECKS,
    TABLE_CHECKS,
    Value,
    form_check_lines,
    parse_value,
    render_value,
)

CHECKS = Node("x", "入手方法", NodeKind.CHECKS, options=["紙", "電子メール", "その他"],
              other_option="その他")  # fmt: skip
VALUE = Value(checked=("紙", "その他"), other="窓口")


def test_the_table_writes_checks_as_real_tables_do() -> None:
    assert render_value(CHECKS, VALUE) == "[○]紙\n[]電子メール\n[○]その他（窓口）"
    assert form_check_lines(CHECKS, VALUE, *TABLE_CHECKS) == render_value(CHECKS, VALUE).split("\n")


def test_the_form_style_has_spaced_boxes() -> None:
    assert form_check_lines(CHECKS, VALUE, *FORM_CHECKS) == [
        "[ ○ ] 紙",
        "[ ] 電子メール",
        "[ ○ ] その他 （ 窓口 ）",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[○]紙\n[]電子メール\n[○]その他（窓口）",
        "[ ○ ] 紙\n[ ] 電子メール\n[ ○ ] その他 （ 窓口 ）",
        "［〇］紙\n［］電子メール\n［〇］その他（窓口）",
        "[〇]紙\n[ ]電子メール\n[◯]その他（窓口）",
    ],
    ids=["table", "form", "full-width", "mixed"],
)
def test_every_way_of_writing_checks_reads_back(text: str) -> None:
    assert parse_value(CHECKS, text) == VALUE


def test_lines_that_are_not_the_forms_options_do_not_read_as_checks() -> None:
    assert parse_value(CHECKS, "[○]紙\n[]電子メール") is None  # an option missing
    assert parse_value(CHECKS, "[]電子メール\n[○]紙\n[○]その他（窓口）") is None  # order
    assert parse_value(CHECKS, "（追加文）\n[○]紙") is None

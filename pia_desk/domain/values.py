"""Values of items and their text as written in the change table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.wareki import WarekiError, parse_date

DELETED_MARK = "（削除）"

# The table text of a checks item's line (`[○]紙`) and of a choice (`[ 選択肢 ]（…）`).
_CHECK_LINE = re.compile(r"^\[(?P<mark>[^\]]*)\](?P<label>.*)$")
_CHOICE = re.compile(r"^\[ ?(?P<option>[^\]]*?) ?\](?:（(?P<other>.*)）)?$")


@dataclass(frozen=True)
class Value:
    """The value of one item.

    text: free text; the ISO date of a date item; the chosen option of a choice.
    checked: the checked options of a checks item, in the form's order.
    other: free text of the その他 option (checks or choice).
    """

    text: str = ""
    checked: tuple[str, ...] = ()
    other: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.checked or self.other)


EMPTY = Value()


def render_value(node: Node, value: Value) -> str:
    """The value as the official tables write it (e.g. check lines `[○]紙`)."""
    if node.kind is NodeKind.CHECKS:
        return _render_checks(node, value)
    if node.kind is NodeKind.CHOICE:
        return _render_choice(node, value)
    return value.text


def _render_checks(node: Node, value: Value) -> str:
    if value.is_empty:
        return ""
    lines = []
    for option in node.options:
        mark = "○" if option in value.checked else ""
        line = f"[{mark}]{option}"
        if option == node.other_option and value.other:
            line += f"（{value.other}）"
        lines.append(line)
    return "\n".join(lines)


def _render_choice(node: Node, value: Value) -> str:
    if not value.text:
        return ""
    if value.text == node.other_option and value.other:
        return f"[ {value.text} ]（{value.other}）"
    return f"[ {value.text} ]"


def parse_value(node: Node, text: str) -> Value | None:
    """The value whose table text is `text`; None when `text` is not what the form's
    options (or a date) give."""
    if node.kind is NodeKind.DATE:
        return _parse_date(text)
    if node.kind is NodeKind.CHECKS:
        candidate = _parse_checks(node, text)
    elif node.kind is NodeKind.CHOICE:
        candidate = _parse_choice(node, text)
    else:
        return Value(text=text)
    if candidate is None or render_value(node, candidate) != text.strip("\n"):
        return None
    return candidate


def _parse_date(text: str) -> Value | None:
    if not text.strip():
        return None
    try:
        return Value(text=parse_date(text.strip()).isoformat())
    except WarekiError:
        return None


def _parse_checks(node: Node, text: str) -> Value | None:
    checked: list[str] = []
    other = ""
    for line in text.strip("\n").split("\n"):
        match = _CHECK_LINE.match(line)
        if match is None:
            return None
        label = match["label"]
        if node.other_option and label.startswith(f"{node.other_option}（") and label[-1] == "）":
            label, other = node.other_option, label[len(node.other_option) + 1 : -1]
        if match["mark"].strip():
            checked.append(label)
    return Value(checked=tuple(checked), other=other)


def _parse_choice(node: Node, text: str) -> Value | None:
    match = _CHOICE.match(text.strip("\n"))
    if match is None or match["option"] not in node.options:
        return None
    return Value(text=match["option"], other=match["other"] or "")


def form_check_lines(
    node: Node,
    value: Value,
    on: str = "[ ○ ] {option}",
    off: str = "[ ] {option}",
    other: str = "{line} （ {other} ）",
) -> list[str]:
    """A checks item as the 評価書 form prints it: one line per option, ticked `[ ○ ]`,
    unticked `[ ]`, その他 with its text (the change table keeps `[○]` / `[]`)."""
    lines = []
    for option in node.options:
        line = (on if option in value.checked else off).format(option=option)
        if option == node.other_option and value.other:
            line = other.format(line=line, other=value.other)
        lines.append(line)
    return lines


# Characters XML 1.0 cannot carry (lone surrogates included); none is typed on purpose.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def normalize_text(text: str) -> str:
    """The one form text is kept in: LF line breaks (CR LF, CR, and the vertical tab /
    form feed that Word and Excel use for soft breaks become LF), no control characters."""
    # str.replace, not str.translate: translate is ~10x slower on long Japanese text.
    for old in ("\r\n", "\r", "\x0b", "\x0c"):
        if old in text:
            text = text.replace(old, "\n")
    return XML_INVALID.sub("", text)


def normalize_value(node: Node, value: Value) -> Value:
    """Drop what a node cannot hold (unknown options), keep the form's option order."""
    text, other = normalize_text(value.text), normalize_text(value.other)
    if node.kind is NodeKind.CHECKS:
        checked = tuple(o for o in node.options if o in value.checked)
        return Value(checked=checked, other=other)
    return Value(text=text, checked=value.checked, other=other)

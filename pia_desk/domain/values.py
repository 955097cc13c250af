"""Values of items and their text as written in the change table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.wareki import WarekiError, parse_date

DELETED_MARK = "（削除）"

# How a checks item is written, one line per option: (ticked, unticked, その他 text).
# The change table keeps what real tables write (`[○]紙` / `[]電子メール`); the 評価書
# form prints `[ ○ ] 紙` / `[ ] 電子メール`. Both go through `form_check_lines`.
TABLE_CHECKS = ("[○]{option}", "[]{option}", "{line}（{other}）")
FORM_CHECKS = ("[ ○ ] {option}", "[ ] {option}", "{line} （ {other} ）")

# A checks line as any of them writes it: `[○]紙`, `[ ○ ] 紙`, `［〇］紙`, `[]紙`, `[ ] 紙`.
_CHECK_LINE = re.compile(
    r"^[ \u3000]*[\[［][ \u3000]*(?P<mark>[^\]］ \u3000]?)[ \u3000]*[\]］][ \u3000]*"
    r"(?P<label>.*?)[ \u3000]*$"
)
_OTHER_TEXT = re.compile(r"^(?P<option>.*?)[ \u3000]*（[ \u3000]*(?P<other>.*?)[ \u3000]*）$")
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
    return "\n".join(form_check_lines(node, value, *TABLE_CHECKS))


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
    if candidate is None:
        return None
    if node.kind is NodeKind.CHOICE and render_value(node, candidate) != text.strip("\n"):
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
    """The value of check lines in any of the styles; None unless they are exactly the
    form's options, in its order (so an excerpt or another item's lines never match)."""
    checked: list[str] = []
    labels: list[str] = []
    other = ""
    for line in text.strip("\n").split("\n"):
        match = _CHECK_LINE.match(line)
        if match is None:
            return None
        label = match["label"]
        with_text = _OTHER_TEXT.match(label) if node.other_option else None
        if with_text and with_text["option"] == node.other_option:
            label, other = node.other_option, with_text["other"]
        labels.append(label)
        if match["mark"]:
            checked.append(label)
    if labels != list(node.options):
        return None
    return Value(checked=tuple(checked), other=other)


def _parse_choice(node: Node, text: str) -> Value | None:
    match = _CHOICE.match(text.strip("\n"))
    if match is None or match["option"] not in node.options:
        return None
    return Value(text=match["option"], other=match["other"] or "")


def form_check_lines(
    node: Node,
    value: Value,
    on: str = FORM_CHECKS[0],
    off: str = FORM_CHECKS[1],
    other: str = FORM_CHECKS[2],
) -> list[str]:
    """A checks item one line per option in a style (FORM_CHECKS by default, the 評価書
    form's `[ ○ ]` / `[ ]`; the change table passes TABLE_CHECKS, `[○]` / `[]`), その他
    with its text. The one place check lines are written."""
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

"""Read an item's value back from the text a 評価書 prints for it.

Free text is taken as it is. A choice prints the chosen option in brackets, then the
list of options: `[ 十分である ]` / `＜選択肢＞ 1) 特に力を入れている 2) …`; a hand-typed
document may write the option alone. Checks print one bracket per option, ticked
`[ ○ ]`, `[○]`, `［〇］` or unticked `[ ]`, several per line or one per line, その他 with its
text in parentheses. Bracket width, spacing and the tick character vary between
documents, so all of them are accepted. A date is read as 和暦 or 西暦.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pia_desk.domain.document_flow import canonical
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import Value
from pia_desk.domain.wareki import WarekiError, parse_date

_BRACKET = re.compile(r"[\[［]([^\]］\[［]{0,120})[\]］]")  # PDF lines may cut it
_TICKS = frozenset("○〇◯●◎✓✔☑レＯOo")
_OPTIONS_LIST = re.compile(r"[＜<〈]\s*選\s*択\s*肢\s*[＞>〉]")
_PARENTHESIZED = re.compile(r"^\s*[（(]\s*(.*?)\s*[）)]\s*$", re.DOTALL)


@dataclass(frozen=True)
class ReadValue:
    """The value read, and the text that could not be taken into it (for the report)."""

    value: Value | None
    leftover: str = ""
    problem: str = ""


def read_value(node: Node, text: str) -> ReadValue:
    if node.kind is NodeKind.CHOICE:
        return _read_choice(node, text)
    if node.kind is NodeKind.CHECKS:
        return _read_checks(node, text)
    if node.kind is NodeKind.DATE:
        return _read_date(text)
    return ReadValue(Value(text=text))


def _option_of(node: Node, written: str) -> str | None:
    key = canonical(written)
    if not key:
        return None
    return next((o for o in node.options if canonical(o) == key), None)


def _read_choice(node: Node, text: str) -> ReadValue:
    body = _OPTIONS_LIST.split(text, maxsplit=1)[0]  # the list of options is the form's
    brackets = list(_BRACKET.finditer(body))
    if not body.strip() or (brackets and not "".join(m.group(1) for m in brackets).strip()):
        return ReadValue(None)  # nothing chosen: 「[ ]」 and the list of options
    for match in brackets:
        option = _option_of(node, match.group(1))
        if option is None:
            continue
        rest = (body[: match.start()] + body[match.end() :]).strip()
        if option == node.other_option and rest:
            inner = _PARENTHESIZED.match(rest)
            return ReadValue(Value(text=option, other=inner.group(1) if inner else rest))
        return ReadValue(Value(text=option), leftover=rest)
    option = _option_of(node, body)
    if option is not None:
        return ReadValue(Value(text=option))
    return ReadValue(None, body.strip(), "選択肢のどれとも一致しません")


def _read_checks(node: Node, text: str) -> ReadValue:
    matches = list(_BRACKET.finditer(text))
    if not matches:
        return (
            ReadValue(None, text.strip(), "チェック欄（[ ○ ] など）がありません")
            if text.strip()
            else ReadValue(None)
        )
    checked: list[str] = []
    other = ""
    leftover: list[str] = []
    head = text[: matches[0].start()].strip()
    if head:
        leftover.append(head)
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = text[match.end() : end].strip()
        ticked = any(c in _TICKS for c in match.group(1))
        option, extra = _check_option(node, label)
        if option is None:
            leftover.append(f"{match.group(0)}{label}")
            continue
        if ticked:
            checked.append(option)
        if extra:
            if option == node.other_option:
                other = extra
            else:
                leftover.append(extra)
    value = Value(checked=tuple(o for o in node.options if o in checked), other=other)
    return ReadValue(value, "\n".join(leftover), "選択肢にない記載があります" if leftover else "")


def _check_option(node: Node, label: str) -> tuple[str | None, str]:
    """The option a check's label names, and any text after it (その他's own text)."""
    key = canonical(label)
    best: str | None = None
    for option in node.options:
        option_key = canonical(option)
        if key == option_key:
            return option, ""
        if key.startswith(option_key) and (best is None or len(option_key) > len(canonical(best))):
            best = option
    if best is None:
        return None, ""
    # The text after the option's own words: find it in the raw label.
    rest = _after_option(label, best)
    inner = _PARENTHESIZED.match(rest)
    return best, (inner.group(1) if inner else rest.strip())


def _after_option(label: str, option: str) -> str:
    wanted = len(canonical(option))
    for cut in range(len(label) + 1):
        if len(canonical(label[:cut])) >= wanted:
            return label[cut:]
    return ""


def _read_date(text: str) -> ReadValue:
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return ReadValue(None)
    try:
        return ReadValue(Value(text=parse_date(compact).isoformat()))
    except WarekiError:
        return ReadValue(None, text.strip(), "日付として読み取れません")

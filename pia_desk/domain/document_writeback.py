"""Which pieces of a city's own document change when the current values go back into it.

The city's .docx/.xlsx is the authority on its layout. `match_document` tells, for
each item, the pieces (cells, paragraphs) and the spans in them where its value was
found; here every item whose value differs from what the document says gets the new
text of those pieces, written in the document's own style: a choice keeps its
brackets and the list of options, checks keep their brackets and only the ticks
change, a date is written in 和暦 with the document's digit width. An item whose value
is unchanged is not touched, so a document written back without edits is the same
document. Items the document has no place for are listed, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pia_desk.domain.document_flow import TextFlow, canonical
from pia_desk.domain.document_match import DocumentMatch, path_text
from pia_desk.domain.document_values import read_value
from pia_desk.domain.tree import Node, NodeKind, to_fullwidth_digits
from pia_desk.domain.values import Value
from pia_desk.domain.wareki import format_wareki

_BRACKET = re.compile(r"([\[［])([^\]］\[［\n]*)([\]］])")
_FULLWIDTH_DIGIT = re.compile("[０-９]")
_TICKS = "○〇◯●◎✓✔☑レＯOo"

NO_PLACE = "文書に記載欄がないため書き込めません"


@dataclass
class WriteBack:
    """New text per piece (segment index -> text), and what could not be written."""

    pieces: dict[int, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # paths of items written
    unchanged: int = 0
    not_written: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def plan_write_back(flow: TextFlow, match: DocumentMatch, nodes: list[Node], value_of) -> WriteBack:
    """The pieces of `flow` to rewrite so that they say `value_of(node_id)` for each of
    `nodes` (items of the project's tree, which `match` was made with)."""
    result = WriteBack()
    for node in nodes:
        value = value_of(node.id)
        source = match.sources.get(node.id)
        if source is None or not source.spans:
            if source is None and not value.is_empty:
                result.not_written.append((path_text(node), NO_PLACE))
            elif source is not None and not value.is_empty:
                result.not_written.append(
                    (path_text(node), "文書の記載欄が空のため、位置が分かりません")
                )
            continue
        old = match.texts.get(node.id, "")
        if _same(node, old, value):
            result.unchanged += 1
            continue
        new = printed_like(node, value, old)
        _spread(flow, source.spans, new, result.pieces)
        result.written.append(path_text(node))
    return result


def _same(node: Node, old: str, value: Value) -> bool:
    read = read_value(node, old).value
    if node.kind is NodeKind.TEXT:
        return old == value.text
    return (read or Value()) == value


def printed_like(node: Node, value: Value, old: str) -> str:
    """`value` as the document printed the old one."""
    if node.kind is NodeKind.CHOICE:
        return _choice_like(node, value, old)
    if node.kind is NodeKind.CHECKS:
        return _checks_like(node, value, old)
    if node.kind is NodeKind.DATE:
        if not value.text:
            return ""
        text = format_wareki(date.fromisoformat(value.text))
        return to_fullwidth_digits(text) if _FULLWIDTH_DIGIT.search(old) else text
    return value.text


def _choice_like(node: Node, value: Value, old: str) -> str:
    for match in _BRACKET.finditer(old):
        inner = match.group(2)
        if inner.strip() and canonical(inner) not in {canonical(o) for o in node.options}:
            continue
        pad = " " if inner.startswith((" ", "\u3000")) or not inner.strip() else ""
        chosen = (
            f"{match.group(1)}{pad}{value.text}{pad}{match.group(3)}"
            if value.text
            else f"{match.group(1)} {match.group(3)}"
        )
        return old[: match.start()] + chosen + old[match.end() :]
    return value.text


def _checks_like(node: Node, value: Value, old: str) -> str:
    matches = list(_BRACKET.finditer(old))
    if not matches:
        return "\n".join(f"[{'○' if o in value.checked else ''}]{o}" for o in node.options)
    mark = next((c for m in matches for c in m.group(2) if c in _TICKS), "○")
    out, last = [], 0
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(old)
        label = old[m.end() : end]
        option = next(
            (
                o
                for o in sorted(node.options, key=len, reverse=True)
                if canonical(label).startswith(canonical(o))
            ),
            None,
        )
        out.append(old[last : m.start()])
        if option is None:
            out.append(old[m.start() : end])
        else:
            spaced = m.group(2).startswith((" ", "\u3000")) or m.group(2) == " "
            tick = (
                (f" {mark} " if spaced else mark)
                if option in value.checked
                else (" " if spaced else "")
            )
            out.append(f"{m.group(1)}{tick}{m.group(3)}")
            out.append(_other_text(label, value.other) if option == node.other_option else label)
        last = end
    out.append(old[last:])
    return "".join(out)


def _other_text(label: str, other: str) -> str:
    """その他 （ old ） -> その他 （ new ）, keeping the parentheses as written."""
    found = re.search(r"([（(][ \u3000]*)([^）)]*?)([ \u3000]*[）)])", label)
    if found is None:
        return (
            label.rstrip("\n")
            + (f"（{other}）" if other else "")
            + ("\n" if label.endswith("\n") else "")
        )
    return label[: found.start(2)] + other + label[found.end(2) :]


def _spread(flow: TextFlow, spans, new: str, pieces: dict[int, str]) -> None:
    """The new text over the value's spans: earlier spans keep their number of lines
    (a value cut over two rows stays cut), the last span takes the rest."""
    lines = new.split("\n")
    for k, (index, lo, hi) in enumerate(spans):
        text = pieces.get(index, flow.segments[index].text)
        if k == len(spans) - 1:
            part, lines = lines, []
        else:
            count = flow.segments[index].text[lo:hi].count("\n") + 1
            part, lines = lines[:count], lines[count:]
        pieces[index] = text[:lo] + "\n".join(part) + text[hi:]

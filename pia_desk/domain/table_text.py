"""The fixed text of the 変更箇所 table, shared by its writer (export/) and its reader
(importing/): the column headers and the marks of rows split across pages."""

from __future__ import annotations

HEADERS = ("変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明")

CONTINUES_BELOW = "（下段に続く）"
CONTINUED_FROM_ABOVE = "（上段からの続き）"
NOTHING_BELOW = "（以下空欄）"
# Where a part ends inside a paragraph that the next part continues, the .docx gives
# the part's last paragraph this style (a paragraph that exactly fills a part looks
# the same on paper); readers of the text see nothing. The importer turns it into
# CUT_INSIDE_PARAGRAPH at the end of the line, a mark that never leaves the program
# (older PIA Desk files carry it as hidden text, which the importer still reads).
CUT_INSIDE_STYLE = "PiaDeskCutInside"
CUT_INSIDE_PARAGRAPH = "\u2060"


def trim_blank_lines(lines: list[str]) -> list[str]:
    """`lines` without the blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]

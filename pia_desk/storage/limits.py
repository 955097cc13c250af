"""Every size limit of PIA Desk, one number each, used by reading, writing and importing.

A limit that only reading checked would let a save write a project that no command
opens again; so the writer checks the same numbers before it replaces anything, and
the importers refuse a table whose content would break them. Real assessments are far
below each limit (a project of a few MB, items of a few thousand characters, trees
under ten levels, tables of hundreds of rows). Listed in the README.
"""

from __future__ import annotations

MIB = 1024 * 1024

# A project file (.piadesk), read or written.
MAX_PROJECT_BYTES = 200 * MIB
# One text of a project: an item's 記載, an option's その他, a change row's 変更前 /
# 変更後 / 説明, a name in the tree or the project information; and one cell of an
# imported table (it becomes such a text).
MAX_TEXT_CHARS = 1_000_000
# Nesting of elements in a project file (the form tree is under ten levels deep; an
# item added by a user adds one level at a time).
MAX_XML_DEPTH = 100
# A table file to import (.docx / .xlsx / .csv).
MAX_TABLE_FILE_BYTES = 50 * MIB
# Inside an imported .docx / .xlsx: its files (real ones hold 10–100), what they all
# unpack to (declared sizes checked before reading, real sizes while reading), and
# the markup of their XML, every "<" and "=" (an upper bound of the elements and
# attributes a parser builds; a PIA Desk .docx of 2,000 rows has 870,000). Together
# they keep any file within seconds of CPU time and a few hundred MB of memory.
MAX_PACKAGE_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 100 * MIB
MAX_XML_MARKUP = 1_000_000
# Rows read from an imported table (data, header copies and blank rows alike), and
# columns read per row (Word allows 63): cells, spans and a sheet's declared
# dimension beyond them are not read. One cell is one text: MAX_TEXT_CHARS.
MAX_TABLE_ROWS = 50_000
MAX_TABLE_COLUMNS = 64
# An assessment document to import (.docx / .xlsx / .pdf / .txt; a published 全項目評価書
# PDF is a few MB), and what its reader takes from it: paragraphs and cells of a Word
# document, cells of an Excel workbook, pages of a PDF, lines of a text file. All its
# text together (a 100-page 全項目評価書 has about 200,000 characters) is bounded so that
# matching it stays within seconds and a few hundred MB; one piece is one text:
# MAX_TEXT_CHARS.
MAX_ASSESSMENT_FILE_BYTES = 100 * MIB
MAX_ASSESSMENT_PIECES = 200_000
MAX_ASSESSMENT_CELLS = 300_000
MAX_ASSESSMENT_PAGES = 3_000
MAX_ASSESSMENT_LINES = 500_000
MAX_ASSESSMENT_CHARS = 2_000_000


def describe_bytes(size: int) -> str:
    """A size as people read it in a message (MB, at least 1)."""
    return f"{max(1, size // MIB):,} MB"

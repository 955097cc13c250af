"""A damaged project file or a damaged part of a .docx / .xlsx: the message gives the
cause in Japanese with its line and column, never the XML library's English text."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from assessment_docs import filled_project, make_docx, make_xlsx
from test_import_tables import sample_cells, write_office_docx, write_xlsx

from pia_desk.cli import EXIT_UNREADABLE, main
from pia_desk.importing.assessment_errors import UnreadableDocumentError
from pia_desk.importing.assessment_import import plan_assessment
from pia_desk.importing.table_reader import UnreadableTableError, plan_import
from pia_desk.storage.errors import UnreadableFileError
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]+(?:[\s,:;]+[A-Za-z]+){2,}")
LOCATION = re.compile(r"\d+ 行目 \d+ 文字目")


def _before_last_closing_tag(insert: bytes) -> Callable[[bytes], bytes]:
    def damage(data: bytes) -> bytes:
        at = data.rindex(b"</")
        return data[:at] + insert + data[at:]

    return damage


def _mismatched_end_tag(data: bytes) -> bytes:
    at = data.rindex(b">")
    return data[:at] + b"X" + data[at:]


# The common kinds of damage, each met by libxml2 at a known line and column.
DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "tag mismatch": _mismatched_end_tag,
    "premature end": lambda data: data[: data.rindex(b"</")],
    "extra content": lambda data: data.rstrip() + b"\n<extra/>",
    "invalid element name": _before_last_closing_tag(b"<1/>"),
    "control character": _before_last_closing_tag(b"\x00"),
    "not UTF-8": _before_last_closing_tag(b"\xff"),
}


def assert_japanese_with_location(message: str, path: Path) -> None:
    text = message.replace(str(path), "")
    assert LOCATION.search(text), text
    assert not ENGLISH_SENTENCE.search(text), text


def damage_part(path: Path, part: str, damage: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    assert part in {info.filename for info, _data in members}
    damaged = path.with_name(f"damaged-{path.name}")
    with zipfile.ZipFile(damaged, "w") as package:
        for info, data in members:
            package.writestr(info, damage(data) if info.filename == part else data)
    return damaged


@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_project_file(tmp_path, kind, capsys) -> None:
    path = tmp_path / "damaged.piadesk"
    save_project(new_project("juten"), path)
    path.write_bytes(DAMAGE[kind](path.read_bytes()))
    before = path.read_bytes()
    files_before = sorted(tmp_path.iterdir())

    with pytest.raises(UnreadableFileError) as raised:
        load_project(path)
    assert_japanese_with_location(str(raised.value), path)

    assert main(["validate", str(path)]) == EXIT_UNREADABLE
    assert_japanese_with_location(capsys.readouterr().err, path)
    assert path.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == files_before


def test_tag_mismatch_names_both_tags() -> None:
    from pia_desk.storage.safe_xml import parse_bytes

    with pytest.raises(UnreadableFileError) as raised:
        parse_bytes(b"<a>\n<b>\n</a>")
    assert "3 行目 5 文字目: 開始タグ b と終了タグ a が対応していません" in str(raised.value)


TABLE_PARTS = [
    (".docx", "word/document.xml"),
    (".docx", "_rels/.rels"),
    (".xlsx", "xl/worksheets/sheet1.xml"),
    (".xlsx", "xl/styles.xml"),
    (".xlsx", "xl/workbook.xml"),
]


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize(("suffix", "part"), TABLE_PARTS)
def test_damaged_part_of_a_change_table(tmp_path, shared_rows, suffix, part, kind, capsys):
    rows = [sample_cells(shared_rows[0])]
    write = write_office_docx if suffix == ".docx" else write_xlsx
    path = damage_part(write(tmp_path / f"table{suffix}", rows), part, DAMAGE[kind])

    with pytest.raises(UnreadableTableError) as raised:
        plan_import(path, new_project("juten"))
    assert_japanese_with_location(str(raised.value), path)

    target = tmp_path / "new.piadesk"
    assert main(["import-table", str(path), "-o", str(target)]) == EXIT_UNREADABLE
    assert_japanese_with_location(capsys.readouterr().err, path)
    assert not target.exists()


ASSESSMENT_PARTS = [
    (".docx", "word/document.xml"),
    (".xlsx", "xl/worksheets/sheet1.xml"),
]


@pytest.mark.parametrize("kind", ["tag mismatch", "premature end", "control character"])
@pytest.mark.parametrize(("suffix", "part"), ASSESSMENT_PARTS)
def test_damaged_part_of_an_assessment(tmp_path, suffix, part, kind) -> None:
    make = make_docx if suffix == ".docx" else make_xlsx
    path = damage_part(make(filled_project(), tmp_path / f"doc{suffix}"), part, DAMAGE[kind])

    with pytest.raises(UnreadableDocumentError) as raised:
        plan_assessment(path, form="juten")
    assert_japanese_with_location(str(raised.value), path)


def test_a_cause_without_its_own_sentence_still_gets_a_japanese_one(monkeypatch) -> None:
    from pia_desk.storage import xml_errors
    from pia_desk.storage.safe_xml import parse_bytes

    monkeypatch.setattr(xml_errors, "_LIBXML_CAUSES", {})
    with pytest.raises(UnreadableFileError) as raised:
        parse_bytes(b"<a>\n  <1/></a>")
    message = str(raised.value)
    assert "2 行目 4 文字目: XML の書き方が正しくありません" in message
    assert not ENGLISH_SENTENCE.search(message)

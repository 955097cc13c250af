"""Bad input: each a clear Japanese TableImportError, and no project file written or changed."""

from __future__ import annotations

import csv
import struct
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook
from test_import_tables import sample_cells, write_csv, write_office_docx, write_xlsx

from pia_desk.cli import EXIT_PROBLEMS, EXIT_UNREADABLE, main
from pia_desk.importing import table_reader
from pia_desk.importing.table_reader import (
    NoTableFoundError,
    TableImportError,
    UnreadableTableError,
    plan_import,
)
from pia_desk.storage import limits
from pia_desk.storage.project_file import new_project, save_project

FREE, END, FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def cli(*argv: str) -> int:
    return main(["import-table", *argv])


def compound_file(stream_names: list[str]) -> bytes:
    """A minimal OLE compound file (CFB v3) whose directory lists `stream_names`.

    An encrypted .docx/.xlsx is such a file with EncryptionInfo and EncryptedPackage
    streams; a Word 97-2003 .doc has WordDocument instead.
    """
    header = bytearray(512)
    header[0:8] = table_reader.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 44, 1, 1, 0, 4096, END, 0, END, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = struct.pack("<128I", FAT, END, *([FREE] * 126))
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *stream_names]):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if index == 0 else 2, 1)
        struct.pack_into("<III", entry, 68, FREE, FREE, 1 if index == 0 else FREE)
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header) + fat + bytes(directory)


def doc_without_change_table(path):
    document = Document()
    document.add_paragraph("（別添２）変更箇所")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "項目"
    table.cell(0, 1).text = "内容"
    document.save(path)
    return path


def xlsx_without_change_table(path):
    workbook = Workbook()
    workbook.active.append(["変更日", "項目", "内容"])
    workbook.save(path)
    return path


def bad_files(tmp_path, shared_rows) -> dict[str, tuple]:
    """name -> (path, expected error type, words the message must contain)."""
    good_docx = write_office_docx(tmp_path / "good.docx", [sample_cells(shared_rows[0])])
    good_xlsx = write_xlsx(tmp_path / "good.xlsx", [sample_cells(shared_rows[0])])
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(good_docx.read_bytes()[:2000])
    no_body = tmp_path / "nobody.docx"
    with zipfile.ZipFile(no_body, "w") as package:
        package.writestr("_rels/.rels", "<x/>")
    encrypted_docx = tmp_path / "locked.docx"
    encrypted_docx.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    encrypted_xlsx = tmp_path / "locked.xlsx"
    encrypted_xlsx.write_bytes(compound_file(["EncryptionInfo", "EncryptedPackage"]))
    old_doc = tmp_path / "old.docx"
    old_doc.write_bytes(compound_file(["WordDocument", "1Table"]))
    text_as_docx = tmp_path / "text.docx"
    text_as_docx.write_text("変更日,項目\n", encoding="utf-8")
    docx_as_xlsx = tmp_path / "word.xlsx"
    docx_as_xlsx.write_bytes(good_docx.read_bytes())
    xlsx_as_docx = tmp_path / "excel.docx"
    xlsx_as_docx.write_bytes(good_xlsx.read_bytes())
    docx_as_csv = tmp_path / "word.csv"
    docx_as_csv.write_bytes(good_docx.read_bytes())
    unknown_encoding = tmp_path / "latin.csv"
    unknown_encoding.write_bytes("変更日,項目".encode() + b"\x81\xff\xfe\x80")
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as stream:
        stream.truncate(limits.MAX_TABLE_FILE_BYTES + 1)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    pdf = tmp_path / "table.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    return {
        "docx without table": (
            doc_without_change_table(tmp_path / "n.docx"),
            NoTableFoundError,
            "見つかりません",
        ),
        "xlsx without table": (
            xlsx_without_change_table(tmp_path / "n.xlsx"),
            NoTableFoundError,
            "見つかりません",
        ),
        "damaged docx": (damaged, UnreadableTableError, "壊れて"),
        "docx without document": (
            no_body,
            UnreadableTableError,
            "Word 文書（.docx）ではありません",
        ),
        "password docx": (encrypted_docx, UnreadableTableError, "パスワード"),
        "password xlsx": (encrypted_xlsx, UnreadableTableError, "パスワード"),
        "word 97-2003": (old_doc, UnreadableTableError, "97-2003"),
        "text named .docx": (text_as_docx, UnreadableTableError, "別の形式"),
        "docx named .xlsx": (docx_as_xlsx, UnreadableTableError, "中身はWord 文書です"),
        "xlsx named .docx": (xlsx_as_docx, UnreadableTableError, "中身はExcel ブックです"),
        "docx named .csv": (docx_as_csv, UnreadableTableError, "拡張子"),
        "unknown encoding": (unknown_encoding, UnreadableTableError, "文字コード"),
        "enormous": (huge, UnreadableTableError, "大きすぎ"),
        "empty": (empty, UnreadableTableError, "空"),
        "not a table format": (pdf, UnreadableTableError, ".docx"),
        "missing": (tmp_path / "missing.docx", UnreadableTableError, "見つかりません"),
    }


CASES = [
    "docx without table",
    "xlsx without table",
    "damaged docx",
    "docx without document",
    "password docx",
    "password xlsx",
    "word 97-2003",
    "text named .docx",
    "docx named .xlsx",
    "xlsx named .docx",
    "docx named .csv",
    "unknown encoding",
    "enormous",
    "empty",
    "not a table format",
    "missing",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_a_japanese_message_and_leaves_the_project_as_it_was(
    tmp_path, shared_rows, case, capsys
):
    path, error_type, words = bad_files(tmp_path, shared_rows)[case]
    project = new_project("juten")
    target = tmp_path / "existing.piadesk"
    save_project(project, target)
    before = target.read_bytes()
    files_before = sorted(p.name for p in tmp_path.rglob("*"))

    with pytest.raises(error_type) as raised:
        plan_import(path, new_project("juten"))
    assert words in str(raised.value)
    assert isinstance(raised.value, TableImportError)

    expected_code = EXIT_PROBLEMS if error_type is NoTableFoundError else EXIT_UNREADABLE
    assert cli(str(path), "-o", str(target)) == expected_code
    assert cli(str(path), "-o", str(tmp_path / "new.piadesk")) == expected_code
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == files_before  # no new project, no backup
    assert words in capsys.readouterr().err


def test_docx_with_a_doctype_is_refused(tmp_path):
    path = tmp_path / "evil.docx"
    document = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document)
    with pytest.raises(UnreadableTableError, match="DOCTYPE"):
        plan_import(path, new_project("juten"))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_package_that_unpacks_to_too_much_is_refused(tmp_path, shared_rows, monkeypatch, suffix):
    cells = [sample_cells(shared_rows[0])]
    path = (write_office_docx if suffix == ".docx" else write_xlsx)(tmp_path / f"t{suffix}", cells)
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", path.stat().st_size)
    with pytest.raises(UnreadableTableError, match="展開後のサイズが大きすぎる"):
        plan_import(path, new_project("juten"))


def test_csv_with_only_a_title_has_no_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("（別添２）変更箇所\n変更日,項目\n", encoding="utf-8")
    with pytest.raises(NoTableFoundError):
        plan_import(path, new_project("juten"))


def test_row_limit(tmp_path, shared_rows, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)
    path = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])
    with pytest.raises(UnreadableTableError, match="行数が多すぎます"):
        plan_import(path, new_project("juten"))


def test_unreadable_dates_are_skipped_and_reported(tmp_path, shared_rows):
    cells = [sample_cells(r) for r in shared_rows[:3]]
    cells[1][0] = "令和2年2月30日"
    path = write_csv(tmp_path / "t.csv", cells)
    project = new_project("juten")

    plan = plan_import(path, project)

    assert len(plan.new_entries) == 2
    assert plan.report.skipped[0][0] == "3行目"
    assert "変更日を読み取れない" in plan.report.skipped[0][1]


def test_package_with_too_many_files_is_refused_before_reading(tmp_path, shared_rows, monkeypatch):
    path = write_office_docx(tmp_path / "t.docx", [sample_cells(shared_rows[0])])
    with zipfile.ZipFile(path) as package:
        files = len(package.infolist())
    monkeypatch.setattr(limits, "MAX_PACKAGE_MEMBERS", files - 1)
    with pytest.raises(UnreadableTableError, match="部品が多すぎる"):
        plan_import(path, new_project("juten"))
    monkeypatch.setattr(limits, "MAX_PACKAGE_MEMBERS", files)
    assert plan_import(path, new_project("juten")).report.rows_read == 1


def test_csv_cells_up_to_the_text_limit_are_read_and_the_csv_module_is_left_as_it_was(
    tmp_path, shared_rows, monkeypatch
):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 300_000)
    default = csv.field_size_limit()
    cells = sample_cells(shared_rows[0])
    cells[3] = "後" * 300_000
    path = write_csv(tmp_path / "long.csv", [cells], encoding="utf-8")
    plan = plan_import(path, new_project("juten"))
    assert [e.after for e in plan.entries] == [cells[3]]
    cells[3] += "後"
    write_csv(path, [cells], encoding="utf-8")
    with pytest.raises(UnreadableTableError, match="文字数が多すぎます（上限 300,000 文字）"):
        plan_import(path, new_project("juten"))
    assert csv.field_size_limit() == default

"""`pia-desk import-assessment`: a city's 評価書 (Word, Excel, PDF, text) as the baseline.

The documents are made the way offices make them (tests/assessment_docs.py), not by
PIA Desk's own writer; every value must come back, character for character (white
space aside for PDF), and no change row may be recorded.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from assessment_docs import (
    document_values,
    docx_to_pdf,
    filled_project,
    make_docx,
    make_typed_docx,
    make_xlsx,
)
from docx import Document
from test_import_bad_input import compound_file

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, main
from pia_desk.domain.values import Value
from pia_desk.importing.assessment_errors import NotAnAssessmentError, UnreadableDocumentError
from pia_desk.importing.assessment_import import plan_assessment
from pia_desk.storage import limits
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project

JUTEN_REPEATS = {"I.2.sys1": 3, "II.4.item1": 2, "II.5.prov1": 2}
HEADER = "予防接種に関する事務　重点項目評価書"


def cli(*argv: str | Path) -> int:
    return main(["import-assessment", *map(str, argv)])


def imported_values(path: Path) -> dict[tuple[str, ...], Value]:
    project = load_project(path).project
    assert project.revisions == []  # values are the baseline, never change rows
    assert all(project.value(n.id) == project.baseline_value(n.id) for n in project.items())
    return document_values(project)


def without_space(values: dict[tuple[str, ...], Value]) -> dict:
    def squeeze(text: str) -> str:
        return "".join(text.split())

    return {k: (squeeze(v.text), v.checked, squeeze(v.other)) for k, v in values.items()}


@pytest.fixture(scope="module")
def juten_project():
    return filled_project("juten", JUTEN_REPEATS)


def test_word_document_comes_back_item_for_item(tmp_path, juten_project, capsys) -> None:
    document = make_docx(juten_project, tmp_path / "予防接種.docx", header=HEADER)
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target) == EXIT_OK
    assert imported_values(target) == document_values(juten_project)
    project = load_project(target).project
    assert project.meta.form_stamp == "[平成30年5月 様式3]"
    assert project.number == "12"
    out = capsys.readouterr().out
    kept = tmp_path / "p.piadesk.原本" / "予防接種.docx"
    assert kept.read_bytes() == document.read_bytes()  # the city's file, kept for --into
    assert "様式: 重点項目評価書（文書の表題・様式の表示による）" in out
    items = len(list(juten_project.items()))
    assert f"記載を取り込んだ項目: {items} / {items}" in out
    assert "システム３" in out


def test_excel_sheets_with_merged_cells_and_a_value_cut_over_two_rows(
    tmp_path, juten_project
) -> None:
    cut = next(n for n in juten_project.items() if "\n" in juten_project.value(n.id).text)
    document = make_xlsx(juten_project, tmp_path / "予防接種.xlsx", cut=cut.id)
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target) == EXIT_OK
    values = imported_values(target)
    assert values == document_values(juten_project)
    assert values[cut.path_labels()] == juten_project.value(cut.id)


def test_a_document_typed_by_hand(tmp_path, juten_project) -> None:
    document = make_typed_docx(juten_project, tmp_path / "手入力.docx")
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target) == EXIT_OK
    assert imported_values(target) == document_values(juten_project)


def test_plain_text_copied_out_of_a_document(tmp_path, juten_project) -> None:
    typed = make_typed_docx(juten_project, tmp_path / "手入力.docx")
    text = "\n".join(p.text for p in Document(str(typed)).paragraphs)
    source = tmp_path / "評価書.txt"
    source.write_text(text, encoding="cp932", errors="strict")
    target = tmp_path / "p.piadesk"
    assert cli(source, "-o", target, "--form", "juten") == EXIT_OK
    assert imported_values(target) == document_values(juten_project)


def test_zenkoumoku_with_several_repeat_groups_and_no_form_given(tmp_path) -> None:
    project = filled_project("zenkoumoku", {"I.2.sys1": 4, "II.4.item1": 3})
    document = make_docx(project, tmp_path / "全項目.docx")
    plan = plan_assessment(document)
    assert plan.form == "zenkoumoku"
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target) == EXIT_OK
    assert imported_values(target) == document_values(project)


@pytest.mark.render
def test_pdf_with_page_headers_and_values_broken_across_pages(tmp_path, juten_project) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed for the PDF test")
    document = make_docx(juten_project, tmp_path / "予防接種.docx", header=HEADER)
    pdf = docx_to_pdf(document, tmp_path)
    plan = plan_assessment(pdf)
    pages_of = {
        node_id: {plan.flow.segments[i].place[1] for i, _, _ in source.spans}
        for node_id, source in plan.match.sources.items()
    }
    assert any(len(pages) > 1 for pages in pages_of.values())  # a value cut by a page break
    assert not any(HEADER.replace("　", "") in "".join(s.text.split()) for s in plan.flow.segments)
    target = tmp_path / "p.piadesk"
    assert cli(pdf, "-o", target) == EXIT_OK
    assert without_space(imported_values(target)) == without_space(document_values(juten_project))


# -- into an existing project ------------------------------------------------------------
def test_into_an_existing_project_without_history(tmp_path, juten_project) -> None:
    target = tmp_path / "p.piadesk"
    save_project(new_project("juten"), target)
    document = make_docx(juten_project, tmp_path / "a.docx")
    assert cli(document, "-o", target) == EXIT_OK
    assert imported_values(target) == document_values(juten_project)


def test_a_project_with_history_is_refused_and_left_as_it_was(
    tmp_path, juten_project, capsys
) -> None:
    project = new_project("juten")
    project.set_text("I.1.1", "予防接種")
    target = tmp_path / "p.piadesk"
    save_project(project, target)
    before = target.read_bytes()
    document = make_docx(juten_project, tmp_path / "a.docx")
    assert cli(document, "-o", target) == EXIT_UNREADABLE
    assert "変更箇所のないプロジェクトにだけ" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_dry_run_writes_nothing(tmp_path, juten_project, capsys) -> None:
    document = make_docx(juten_project, tmp_path / "a.docx")
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target, "--dry-run") == EXIT_OK
    assert not target.exists()
    assert "--dry-run" in capsys.readouterr().out


# -- not an assessment: exit 1 ---------------------------------------------------------------
def test_a_change_table_is_not_an_assessment(tmp_path, capsys) -> None:
    document = Document()
    table = document.add_table(rows=2, cols=6)
    for cell, text in zip(
        table.rows[0].cells,
        ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期", "提出時期に係る説明"],
        strict=True,
    ):
        cell.text = text
    row = [
        "令和3年10月1日",
        "Ⅰ基本情報\n１．特定個人情報ファイルを取り扱う事務\n②事務の内容",
        "旧",
        "新",
        "事後",
        "",
    ]
    for cell, text in zip(table.rows[1].cells, row, strict=True):
        cell.text = text
    path = tmp_path / "別添2.docx"
    document.save(str(path))
    target = tmp_path / "p.piadesk"
    assert cli(path, "-o", target) == EXIT_PROBLEMS
    assert "変更箇所の表のようです" in capsys.readouterr().err
    assert not target.exists()


def test_another_report_is_not_an_assessment(tmp_path, capsys) -> None:
    path = tmp_path / "議事録.txt"
    path.write_text("令和5年度 第2回 会議録\n出席者 10名\n議題 予算について\n", encoding="utf-8")
    assert cli(path, "-o", tmp_path / "p.piadesk") == EXIT_PROBLEMS
    assert "評価書として読み取れません" in capsys.readouterr().err


def test_a_scanned_pdf_without_text(tmp_path, capsys) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    pdf.close()
    assert cli(path, "-o", tmp_path / "p.piadesk") == EXIT_PROBLEMS
    assert "PDF に文字がありません" in capsys.readouterr().err


# -- unreadable or refused: exit 2 --------------------------------------------------------------
def _docx_with_document_xml(path: Path, body: bytes) -> Path:
    rels = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org'
        b'/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", body)
    return path


DOCTYPE_BODY = (
    b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("壊れた.docx", b"PK\x03\x04broken", "読み込めません"),
        ("暗号化.docx", compound_file(["EncryptionInfo", "EncryptedPackage"]), "パスワード"),
        ("古い.xlsx", compound_file(["Workbook"]), "Excel 97-2003"),
        ("偽物.pdf", b"PK\x03\x04 not a pdf", "PDF ではありません"),
        ("偽物.docx", b"%PDF-1.7 a pdf", "Word 文書ではありません"),
        ("壊れた.pdf", b"%PDF-1.7\nnot really", "PDF として読み込めません"),
        ("文書.txt", b"%PDF-1.7 a pdf", "中身は Word / Excel / PDF"),
        ("図.png", b"\x89PNG", "取り込めるのは"),
        ("空.txt", b"", "ファイルが空です"),
    ],
)
def test_bad_files_are_refused_with_a_japanese_message(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    target = tmp_path / "p.piadesk"
    assert cli(path, "-o", target) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert message in err
    assert not target.exists()


def test_a_doctype_is_refused_even_behind_a_comment(tmp_path) -> None:
    path = _docx_with_document_xml(tmp_path / "xxe.docx", DOCTYPE_BODY)
    with pytest.raises(UnreadableDocumentError, match="DOCTYPE"):
        plan_assessment(path)


def test_a_package_with_too_many_parts_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_PACKAGE_MEMBERS", 5)
    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as package:
        for n in range(6):
            package.writestr(f"word/part{n}.bin", b"x")
    with pytest.raises(UnreadableDocumentError, match="部品が多すぎる"):
        plan_assessment(path)


def test_an_enormous_file_is_refused_before_reading(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_ASSESSMENT_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("Ⅰ基本情報\n" * 200, encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="大きすぎます"):
        plan_assessment(path)


def test_not_an_assessment_error_names_the_file(tmp_path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("メモ\n", encoding="utf-8")
    with pytest.raises(NotAnAssessmentError) as raised:
        plan_assessment(path)
    assert "memo.txt" in str(raised.value)


def test_old_change_tables_add_history_and_the_document_stays_the_baseline(
    tmp_path, juten_project, shared_rows
) -> None:
    from test_import_tables import office_rows, sample_cells, write_office_docx

    document = make_docx(juten_project, tmp_path / "評価書.docx")
    target = tmp_path / "p.piadesk"
    assert cli(document, "-o", target) == EXIT_OK
    table = write_office_docx(
        tmp_path / "別添2.docx", office_rows([sample_cells(r) for r in shared_rows])
    )
    assert main(["import-table", str(table), "-o", str(target)]) == EXIT_OK
    project = load_project(target).project
    assert project.submitted and all(r.entries for r in project.submitted)
    assert sum(len(r.entries) for r in project.revisions) == len(shared_rows)
    assert document_values(project) == document_values(juten_project)
    assert all(project.value(n.id) == project.baseline_value(n.id) for n in project.items())


def test_a_doctype_in_a_workbook_part_is_refused(tmp_path, juten_project) -> None:
    city = make_xlsx(juten_project, tmp_path / "city.xlsx")
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(city) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                declaration, _, rest = (
                    data.partition(b"?>") if data.startswith(b"<?xml") else (b"", b"", data)
                )
                prolog = b'<!-- <a> --><!DOCTYPE x [<!ENTITY e "e">]>'
                data = (declaration + b"?>" if declaration else b"") + prolog + rest
            target.writestr(info, data)
    with pytest.raises(UnreadableDocumentError, match="DOCTYPE"):
        plan_assessment(hostile)


def test_a_workbook_with_too_many_cells_is_refused(tmp_path, monkeypatch, juten_project) -> None:
    monkeypatch.setattr(limits, "MAX_ASSESSMENT_CELLS", 50)
    city = make_xlsx(juten_project, tmp_path / "city.xlsx")
    with pytest.raises(UnreadableDocumentError, match="セルが多すぎる"):
        plan_assessment(city)

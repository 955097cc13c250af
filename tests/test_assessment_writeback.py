"""Write-back: `export-assessment PROJECT --into CITY.docx|CITY.xlsx -o OUT` puts the
current values into a copy of the city's own file and leaves everything else as it was."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from assessment_docs import docx_to_pdf, filled_project, make_docx, make_xlsx

from pia_desk.cli import EXIT_OK, EXIT_UNREADABLE, main
from pia_desk.domain.values import Value
from pia_desk.importing.assessment_reader import read_document
from pia_desk.storage.project_file import save_project
from pia_desk.storage.session import load_project


@pytest.fixture(scope="module")
def source():
    return filled_project("juten", {"I.2.sys1": 2})


def taken_in(tmp_path: Path, document: Path) -> Path:
    target = tmp_path / "p.piadesk"
    assert main(["import-assessment", str(document), "-o", str(target)]) == EXIT_OK
    return target


def edit(project_file: Path, **values: Value) -> None:
    project = load_project(project_file).project
    for node_id, value in values.items():
        project.set_value(node_id.replace("_", "."), value)
    save_project(project, project_file, expected_digest=None)


def write_into(project_file: Path, city: Path, out: Path) -> None:
    assert (
        main(["export-assessment", str(project_file), "--into", str(city), "-o", str(out)])
        == EXIT_OK
    )


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def changed_pieces(before: Path, after: Path) -> list[tuple[str, str, str]]:
    old, new = read_document(before).segments, read_document(after).segments
    assert [s.where for s in old] == [s.where for s in new]
    return [(a.where, a.text, b.text) for a, b in zip(old, new, strict=True) if a.text != b.text]


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_without_edits_the_copy_is_the_same_file(tmp_path, source, suffix) -> None:
    city = (
        make_docx(source, tmp_path / "city.docx")
        if suffix == ".docx"
        else make_xlsx(source, tmp_path / "city.xlsx", cut="I.1.1")
    )
    project = taken_in(tmp_path, city)
    out = tmp_path / f"out{suffix}"
    write_into(project, city, out)
    assert out.read_bytes() == city.read_bytes()


def test_word_one_item_changed_only_its_cell_differs(tmp_path, source, capsys) -> None:
    city = make_docx(source, tmp_path / "city.docx")
    project = taken_in(tmp_path, city)
    edit(project, I_1_2=Value(text="新しい事務の内容\n二行目"))
    out = tmp_path / "out.docx"
    write_into(project, city, out)
    before, after = parts(city), parts(out)
    assert before.keys() == after.keys()
    assert [n for n in before if before[n] != after[n]] == ["word/document.xml"]
    changes = changed_pieces(city, out)
    assert [(where, new) for where, _, new in changes] == [
        (changes[0][0], "新しい事務の内容\n二行目")
    ]
    assert changes[0][1] == source.value("I.1.2").text
    assert "書き込んだ項目: 1" in capsys.readouterr().out


def test_choices_and_checks_keep_the_documents_own_style(tmp_path, source) -> None:
    city = make_docx(source, tmp_path / "city.docx")
    project = taken_in(tmp_path, city)
    node = load_project(project).project.node("II.2.2")
    new_option = next(o for o in node.options if o != source.value("II.2.2").text)
    edit(project, II_2_2=Value(text=new_option), II_3_2=Value(checked=("紙",)))
    out = tmp_path / "out.docx"
    write_into(project, city, out)
    changes = [(old, new) for _, old, new in changed_pieces(city, out)]
    assert len(changes) == 2
    (choice_old, choice_new), (checks_old, checks_new) = sorted(
        changes, key=lambda c: "＜選択肢＞" not in c[0]
    )
    assert choice_new.split("\n")[0] == choice_old.split("\n")[0].replace(
        source.value("II.2.2").text, new_option
    )
    assert choice_new.split("\n")[1:] == choice_old.split("\n")[1:]  # the list of options
    unticked = re.compile(r"[\[［][^\]］]*[\]］]")
    assert unticked.sub("[]", checks_new) == unticked.sub("[]", checks_old)  # labels as written
    assert [line for line in checks_new.split("\n") if re.search("[○〇]", line)] == [
        line for line in checks_new.split("\n") if line.endswith(" 紙")
    ]
    again = tmp_path / "again"
    again.mkdir()
    taken = load_project(taken_in(again, out)).project
    assert taken.value("II.2.2") == Value(text=new_option)
    assert taken.value("II.3.2") == Value(checked=("紙",))


def test_excel_a_value_cut_over_two_rows_stays_cut(tmp_path, source) -> None:
    cut = next(n for n in source.items() if "\n" in source.value(n.id).text)
    city = make_xlsx(source, tmp_path / "city.xlsx", cut=cut.id)
    project = taken_in(tmp_path, city)
    edit(project, **{cut.id.replace(".", "_"): Value(text="一行目を直した\n二行目\n三行目")})
    out = tmp_path / "out.xlsx"
    write_into(project, city, out)
    changes = changed_pieces(city, out)
    assert [new for _, _, new in changes] == ["一行目を直した", "二行目\n三行目"]
    before, after = parts(city), parts(out)
    different = [n for n in before if before[n] != after[n]]
    assert len(different) == 1 and different[0].startswith("xl/worksheets/")


def test_items_without_a_place_are_listed(tmp_path, source, capsys) -> None:
    city = make_docx(source, tmp_path / "city.docx")
    project_file = taken_in(tmp_path, city)
    project = load_project(project_file).project
    added = project.add_item("I.1", "④新しい項目")
    project.set_text(added.id, "文書にない記載")
    save_project(project, project_file, expected_digest=None)
    out = tmp_path / "out.docx"
    write_into(project_file, city, out)
    assert (
        "Ⅰ基本情報 / １．特定個人情報ファイルを取り扱う事務 / ④新しい項目: 文書に記載欄がないため書き込めません"
        in capsys.readouterr().out
    )


def test_only_word_and_excel_can_be_written_into(tmp_path, source, capsys) -> None:
    project = tmp_path / "p.piadesk"
    save_project(source, project)
    pdf = tmp_path / "city.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    code = main(
        ["export-assessment", str(project), "--into", str(pdf), "-o", str(tmp_path / "o.pdf")]
    )
    assert code == EXIT_UNREADABLE
    assert "--into には Word 文書" in capsys.readouterr().err


def test_the_written_excel_copy_opens_with_its_merged_cells(tmp_path, source) -> None:
    """LibreOffice Calc is not installed on the test machines; openpyxl opens it fully."""
    from openpyxl import load_workbook

    city = make_xlsx(source, tmp_path / "city.xlsx")
    project = taken_in(tmp_path, city)
    edit(project, I_1_1=Value(text="書き換えた事務の名称"))
    out = tmp_path / "out.xlsx"
    write_into(project, city, out)
    old, new = load_workbook(city), load_workbook(out)
    assert [str(r) for r in new.worksheets[1].merged_cells.ranges] == [
        str(r) for r in old.worksheets[1].merged_cells.ranges
    ]
    values = [c.value for row in new.worksheets[1].iter_rows() for c in row]
    assert "書き換えた事務の名称" in values


@pytest.mark.render
def test_the_written_word_copy_opens_in_libreoffice(tmp_path, source) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed")
    city = make_docx(source, tmp_path / "city.docx")
    project = taken_in(tmp_path, city)
    edit(project, I_1_1=Value(text="書き換えた事務の名称"))
    out = tmp_path / "out.docx"
    write_into(project, city, out)
    pdf = docx_to_pdf(out, tmp_path)
    text = "".join(s.text for s in read_document(pdf).segments)
    assert "書き換えた事務の名称" in text


def test_the_editor_writes_into_the_kept_copy_of_the_citys_file(
    qtbot, tmp_path, source, monkeypatch
):
    from pia_desk.gui import dialogs, write_into
    from pia_desk.gui.app import create_main_window

    monkeypatch.setenv("PIA_DESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("PIA_DESK_DATA_DIR", str(tmp_path / "data"))
    city = make_docx(source, tmp_path / "city.docx")
    project_file = taken_in(tmp_path, city)
    kept = tmp_path / "p.piadesk.原本" / "city.docx"
    edit(project_file, I_1_1=Value(text="書き換えた事務の名称"))
    window = create_main_window(project_file)
    qtbot.addWidget(window)
    asked: list[Path | None] = []
    monkeypatch.setattr(
        write_into, "choose_city_file", lambda parent, folder: asked.append(folder) or kept
    )
    out = tmp_path / "out.docx"
    monkeypatch.setattr(write_into, "choose_output", lambda parent, suggested: out)
    told: list[str] = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text: told.append(text))
    window.actions_by_name["actionWriteInto"].trigger()
    assert asked == [kept.parent]  # starts where the city's file was kept
    assert [new for _, _, new in changed_pieces(kept, out)] == ["書き換えた事務の名称"]
    assert "書き込んだ項目: 1" in told[0]
    assert kept.read_bytes() == city.read_bytes()  # the city's file itself untouched

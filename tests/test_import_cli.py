"""`pia-desk import-table`: new project, appending with duplicates, report, exit codes."""

from __future__ import annotations

from datetime import date

import pytest
from test_import_tables import (
    assert_sample_imported,
    office_rows,
    sample_cells,
    write_csv,
    write_office_docx,
)

from pia_desk.cli import EXIT_OK, main
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project


def cli(*argv: str) -> int:
    return main(["import-table", *argv])


@pytest.fixture
def sample_docx(tmp_path, shared_rows):
    rows = office_rows([sample_cells(r) for r in shared_rows])
    return write_office_docx(tmp_path / "bessoe2.docx", rows)


def test_creates_a_new_project_from_the_form_template(tmp_path, sample_docx, shared_rows, capsys):
    target = tmp_path / "yobou.piadesk"

    assert cli(str(sample_docx), "-o", str(target), "--form", "juten") == EXIT_OK

    loaded = load_project(target)
    assert loaded.project.meta.form == "juten"
    assert_sample_imported(loaded.project, shared_rows)
    out = capsys.readouterr().out
    assert "変更箇所: 27 件を取り込みました" in out
    assert "分割行の結合" in out and "システム５" in out  # joined rows, unmatched 項目 listed
    assert (
        "繰り返し項目（システム５など）が現在の項目ツリーにないため、項目名のまま取り込みました: 3 件"
        in out
    )


def test_form_option_picks_the_template(tmp_path, sample_docx):
    target = tmp_path / "zen.piadesk"
    assert cli(str(sample_docx), "-o", str(target), "--form", "zenkoumoku") == EXIT_OK
    assert load_project(target).project.meta.form == "zenkoumoku"


def test_appends_to_an_existing_project_and_skips_rows_it_has(tmp_path, shared_rows, capsys):
    target = tmp_path / "p.piadesk"
    first = write_csv(tmp_path / "first.csv", [sample_cells(r) for r in shared_rows[:10]])
    both = write_csv(tmp_path / "all.csv", [sample_cells(r) for r in shared_rows])
    assert cli(str(first), "-o", str(target)) == EXIT_OK
    capsys.readouterr()

    assert cli(str(both), "-o", str(target)) == EXIT_OK

    assert_sample_imported(load_project(target).project, shared_rows)
    out = capsys.readouterr().out
    assert "取り込まなかった行: 10 行" in out
    assert out.count("既にある") == 10


def test_existing_draft_stays_last_and_untouched(tmp_path, shared_rows):
    target = tmp_path / "p.piadesk"
    project = new_project("juten")
    project.start_revision(date(2025, 4, 1))
    node = next(project.items())
    project.set_text(node.id, "新しい記載")
    save_project(project, target)
    table = write_csv(tmp_path / "t.csv", [sample_cells(r) for r in shared_rows])

    assert cli(str(table), "-o", str(target)) == EXIT_OK

    reloaded = load_project(target).project
    draft = reloaded.revisions[-1]
    assert draft.is_draft and [e.after for e in draft.entries] == ["新しい記載"]
    assert len(reloaded.submitted) == 3


def test_dry_run_writes_nothing(tmp_path, sample_docx, capsys):
    target = tmp_path / "p.piadesk"
    assert cli(str(sample_docx), "-o", str(target), "--dry-run") == EXIT_OK
    assert not target.exists()
    assert "27 件を取り込みます" in capsys.readouterr().out


def test_form_that_differs_from_the_existing_project_is_refused(tmp_path, sample_docx):
    target = tmp_path / "p.piadesk"
    save_project(new_project("kiso"), target)
    before = target.read_bytes()
    assert cli(str(sample_docx), "-o", str(target), "--form", "juten") == 2
    assert target.read_bytes() == before

"""`--set-baseline` / `apply_import(set_baseline=True)`: imported history gives the items
their text as last submitted, so the next edit's 変更前 is that text."""

from __future__ import annotations

from datetime import date

import pytest
from test_import_tables import office_rows, sample_cells, write_csv, write_office_docx

from pia_desk.cli import EXIT_OK, main
from pia_desk.domain.item_path import match_item_path
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import Value, parse_value
from pia_desk.importing.table_reader import apply_import, plan_import
from pia_desk.storage.project_file import new_project
from pia_desk.storage.session import load_project

USE = ("Ⅱ特定個人情報ファイルの概要", "３．特定個人情報の入手・使用", "⑤使用方法")
MATCHING = (*USE, "情報の突合")
OTHER_RISKS = (
    "Ⅲリスク対策",
    "３．特定個人情報の使用",
    "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置",
)
HOW_OBTAINED = (*USE[:2], "②入手方法")


def cli(*argv: str) -> int:
    return main(["import-table", *argv])


def node_of(project, path: tuple[str, ...]):
    match = match_item_path(project.root, path)
    assert match is not None
    return match.node


def rows_of(shared_rows, path: tuple[str, ...]) -> list[dict]:
    """The sample's rows of one 項目, latest 変更日 last (table order within a date)."""
    found = [r for r in shared_rows if tuple(r["item_path"]) == path]
    return sorted(found, key=lambda r: r["date_iso"])


@pytest.fixture
def sample_docx(tmp_path, shared_rows):
    rows = office_rows([sample_cells(r) for r in shared_rows])
    return write_office_docx(tmp_path / "bessoe2.docx", rows)


def test_set_baseline_gives_the_latest_whole_text_and_the_next_edit_quotes_it(
    tmp_path, sample_docx, shared_rows, capsys
):
    target = tmp_path / "new.piadesk"

    assert cli(str(sample_docx), "-o", str(target), "--set-baseline") == EXIT_OK

    out = capsys.readouterr().out
    project = load_project(target).project
    use = node_of(project, USE)
    latest = rows_of(shared_rows, USE)[-1]
    assert len(rows_of(shared_rows, USE)) == 2 and latest["date_iso"] == "2021-12-08"
    assert project.text_of(use.id) == latest["after"]
    assert project.draft is None or not project.draft.entries  # nothing pending
    set_count = sum(1 for n in project.items() if not project.value(n.id).is_empty)
    assert f"変更前の記載（提出時の記載）を設定した項目: {set_count} 件" in out
    assert set_count >= 10

    project.start_revision(date(2024, 4, 1))
    edited = latest["after"] + "\n・接種券の再発行のために特定個人情報を使用する。"
    project.set_text(use.id, edited)
    (entry,) = project.draft.entries
    assert (entry.before, entry.after) == (latest["after"], edited)


def test_without_the_option_items_stay_empty(tmp_path, sample_docx):
    project = new_project("juten")
    apply_import(project, plan_import(sample_docx, project))
    assert all(project.value(n.id).is_empty for n in project.items())


def test_excerpts_deletions_and_partial_quotes_are_not_taken_as_the_whole_text(
    sample_docx, shared_rows
):
    project = new_project("juten")
    report = apply_import(project, plan_import(sample_docx, project), set_baseline=True)

    # Latest row （②のみ抜粋）: the earlier whole text is not current either.
    assert "のみ抜粋" in rows_of(shared_rows, OTHER_RISKS)[-1]["after"]
    assert project.value(node_of(project, OTHER_RISKS).id).is_empty
    # Latest row (令和4年3月14日, written as Ⅱ　特定…) quotes one sentence without saying so.
    assert project.value(node_of(project, MATCHING).id).is_empty
    skipped = dict(report.baseline_skipped)
    assert " / ".join(node_of(project, OTHER_RISKS).path_labels()) in skipped
    assert "記載の一部の引用" in skipped[" / ".join(node_of(project, MATCHING).path_labels())]
    assert report.baseline_set == len(report.baseline_undo) > 0

    project.restore_baseline_values(report.baseline_undo)  # the GUI's undo
    assert all(project.value(n.id).is_empty for n in project.items())


def test_check_lines_become_the_checked_options(sample_docx, shared_rows):
    project = new_project("juten")
    apply_import(project, plan_import(sample_docx, project), set_baseline=True)

    node = node_of(project, HOW_OBTAINED)
    (row,) = rows_of(shared_rows, HOW_OBTAINED)
    lines = row["after"].split("\n")
    other_line = next(line for line in lines if line.startswith("[○]その他（"))
    checked = tuple(line[3:] for line in lines if line.startswith("[○]") and line != other_line)
    assert node.kind is NodeKind.CHECKS and len(checked) >= 2
    value = project.value(node.id)
    assert value.checked == (*checked, "その他")
    assert value.other == other_line.removeprefix("[○]その他（").removesuffix("）")
    assert project.text_of(node.id) == row["after"]


def test_choice_and_check_text_must_name_the_forms_options_exactly():
    project = new_project("juten")
    checks = node_of(project, HOW_OBTAINED)
    choice = next(n for n in project.items() if n.kind is NodeKind.CHOICE)
    option = choice.options[0]

    assert parse_value(choice, f"[ {option} ]") == Value(text=option)
    assert parse_value(choice, "[ 存在しない選択肢 ]") is None
    assert parse_value(choice, option) is None
    lines = [f"[{'○' if i in (0, 5) else ''}]{o}" for i, o in enumerate(checks.options)]
    assert parse_value(checks, "\n".join(lines)) == Value(
        checked=(checks.options[0], checks.options[5])
    )
    assert parse_value(checks, "\n".join(lines[:-1])) is None  # an option missing
    assert parse_value(checks, "\n".join([*lines, "[○]手書きの選択肢"])) is None


def test_a_pending_edit_is_never_overwritten(tmp_path, shared_rows):
    project = new_project("juten")
    use = node_of(project, USE)
    project.start_revision(date(2024, 4, 1))
    project.set_text(use.id, "編集中の記載")
    table = write_csv(tmp_path / "history.csv", [sample_cells(r) for r in shared_rows])

    report = apply_import(project, plan_import(table, project), set_baseline=True)

    assert project.text_of(use.id) == "編集中の記載"
    assert (" / ".join(use.path_labels()), "編集中の変更があるため") in report.baseline_skipped


def test_reimport_with_set_baseline_sets_text_though_every_row_is_known(tmp_path, shared_rows):
    target = tmp_path / "p.piadesk"
    table = write_csv(tmp_path / "history.csv", [sample_cells(r) for r in shared_rows])
    assert cli(str(table), "-o", str(target)) == EXIT_OK
    assert load_project(target).project.text_of(node_of(new_project("juten"), USE).id) == ""

    assert cli(str(table), "-o", str(target), "--set-baseline") == EXIT_OK

    project = load_project(target).project
    assert len(list(project.all_entries())) == len(shared_rows)  # no row added twice
    assert project.text_of(node_of(project, USE).id) == rows_of(shared_rows, USE)[-1]["after"]


def test_dry_run_reports_the_items_and_writes_nothing(tmp_path, sample_docx, capsys):
    target = tmp_path / "dry.piadesk"
    assert cli(str(sample_docx), "-o", str(target), "--set-baseline", "--dry-run") == EXIT_OK
    out = capsys.readouterr().out
    assert "変更前の記載（提出時の記載）を設定する項目: " in out
    assert not target.exists()

"""`pia-desk import-table TABLE -o PROJECT [--form …] [--set-baseline]`: an existing 変更箇所
table as history; --set-baseline also takes each matched item's latest whole text as the
text last submitted (the 変更前 of the next edit).

TABLE is a .docx, .xlsx or .csv. A PROJECT that does not exist is created from the
form's template; an existing one gets the rows appended (rows it already has are
skipped and reported). Nothing is written when the table cannot be read, and the
project file is written atomically. Exit: 0 done, 1 no change table in TABLE,
2 TABLE or PROJECT unreadable, or bad usage.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pia_desk.cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNREADABLE,
    CliExit,
    add_take_over_option,
    open_project,
    read_project,
    save_session,
)
from pia_desk.domain.project import Project
from pia_desk.domain.tree import FORM_CODES
from pia_desk.importing.table_reader import (
    ImportReport,
    NoTableFoundError,
    TableImportError,
    apply_import,
    plan_import,
)
from pia_desk.storage.project_file import new_project
from pia_desk.storage.templates import FORM_NAMES

__all__ = ["register", "run"]

DEFAULT_FORM = "juten"


def register(subparsers: argparse._SubParsersAction) -> None:
    forms = "、".join(f"{code}={FORM_NAMES[code]}" for code in FORM_CODES)
    parser = subparsers.add_parser(
        "import-table",
        help="既存の変更箇所の表（.docx / .xlsx / .csv）を履歴として取り込む",
        description="Word・Excel・CSV の変更箇所の表を読み込み、変更日ごとの提出済みの改訂として"
        "プロジェクトに取り込みます。プロジェクトがなければ新しく作成し、あれば追加します"
        "（既にある行は取り込みません）。",
    )
    parser.add_argument("table", type=Path, help="取り込む表（.docx / .xlsx / .csv）")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="取り込み先のプロジェクト（.piadesk）"
    )
    parser.add_argument(
        "--form",
        choices=FORM_CODES,
        help=f"新しく作るプロジェクトの様式（{forms}。既定: {DEFAULT_FORM}）",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="結果の報告だけを表示し、ファイルは書き込まない"
    )
    parser.add_argument(
        "--set-baseline",
        action="store_true",
        help="対応付けた項目に、表の最新の行の変更後の記載（記載全体を引用した行に限る）を"
        "提出時の記載として設定する（以後の変更の「変更前の記載」になる）",
    )
    add_take_over_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.output
    if not os.path.lexists(target) and not target.parent.is_dir():
        raise CliExit(EXIT_UNREADABLE, f"取り込み先のフォルダーがありません: {target.parent}")
    if args.dry_run:
        project = _dry_run_project(args, target)
        _print_report(_import(args, project), dry_run=True)
        return EXIT_OK
    # Locked before looking whether the project exists: two imports into the same new
    # project never both create it (the second one adds to the first one's project).
    with open_project(
        target, take_over=args.take_over, create=lambda: new_project(args.form or DEFAULT_FORM)
    ) as session:
        _check_form(args, session.project)
        report = _import(args, session.project)
        nothing = report.entries_created == 0 and report.baseline_set == 0
        if not (nothing and session.data is not None):
            save_session(session, "プロジェクトを保存できません。")
    _print_report(report, dry_run=False)
    if nothing and session.data is not None:
        print("追加する行がないため、プロジェクトは変更していません。")
    else:
        print(f"{target} に保存しました。")
    return EXIT_OK


def _dry_run_project(args: argparse.Namespace, target: Path) -> Project:
    if not os.path.lexists(target):
        return new_project(args.form or DEFAULT_FORM)
    project = read_project(target, allow_newer=False).project
    _check_form(args, project)
    return project


def _check_form(args: argparse.Namespace, project: Project) -> None:
    if args.form and args.form != project.meta.form:
        raise CliExit(
            EXIT_UNREADABLE,
            f"--form {args.form} はプロジェクトの様式（{project.meta.form_name}）と異なります。",
        )


def _import(args: argparse.Namespace, project: Project) -> ImportReport:
    """Plan and apply (only plan with --dry-run); CliExit when the table is unusable."""
    try:
        plan = plan_import(args.table, project, set_baseline=args.set_baseline)
    except NoTableFoundError as error:
        raise CliExit(EXIT_PROBLEMS, str(error)) from None
    except TableImportError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    if args.dry_run:
        return plan.report
    return apply_import(project, plan, set_baseline=args.set_baseline)


def _print_report(report: ImportReport, dry_run: bool) -> None:
    print(report.text())
    if dry_run:
        print("（--dry-run: ファイルは書き込んでいません）")

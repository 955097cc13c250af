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
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, die
from pia_desk.domain.project import Project
from pia_desk.domain.tree import FORM_CODES
from pia_desk.importing.table_reader import (
    ImportReport,
    NoTableFoundError,
    TableImportError,
    apply_import,
    plan_import,
)
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.lock import ProjectLock
from pia_desk.storage.project_file import load_project, new_project, save_project
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.output
    if target.exists():
        return _into_existing(args, target)
    if not target.parent.is_dir():
        return die(f"取り込み先のフォルダーがありません: {target.parent}")
    project = new_project(args.form or DEFAULT_FORM)
    report = _import(args, project)
    if isinstance(report, int):
        return report
    return _save(project, target, None, args.dry_run)


def _into_existing(args: argparse.Namespace, target: Path) -> int:
    lock = ProjectLock(target)
    try:
        lock.acquire()
    except ProjectFileError as error:
        return die(f"プロジェクトに書き込めません。\n{error}")
    try:
        try:
            loaded = load_project(target)
        except ProjectFileError as error:
            return die(f"プロジェクトを読み込めません。\n{error}")
        if loaded.read_only:
            return die(f"新しい版の PIA Desk で保存されたプロジェクトには取り込めません: {target}")
        if args.form and args.form != loaded.project.meta.form:
            return die(
                f"--form {args.form} はプロジェクトの様式"
                f"（{loaded.project.meta.form_name}）と異なります。"
            )
        report = _import(args, loaded.project)
        if isinstance(report, int):
            return report
        if not args.dry_run and report.entries_created == 0 and report.baseline_set == 0:
            print("追加する行がないため、プロジェクトは変更していません。")
            return EXIT_OK
        return _save(loaded.project, target, loaded.digest, args.dry_run)
    finally:
        lock.release()


def _import(args: argparse.Namespace, project: Project) -> ImportReport | int:
    """Plan and apply (only plan with --dry-run); an exit code when the table is unusable."""
    try:
        plan = plan_import(args.table, project, set_baseline=args.set_baseline)
    except NoTableFoundError as error:
        return die(str(error), EXIT_PROBLEMS)
    except TableImportError as error:
        return die(str(error), EXIT_UNREADABLE)
    if args.dry_run:
        report = plan.report
    else:
        report = apply_import(project, plan, set_baseline=args.set_baseline)
    _print_report(report, args.dry_run)
    return report


def _print_report(report: ImportReport, dry_run: bool) -> None:
    print(report.text())
    if dry_run:
        print("（--dry-run: ファイルは書き込んでいません）")


def _save(project: Project, target: Path, digest: str | None, dry_run: bool) -> int:
    if dry_run:
        return EXIT_OK
    try:
        save_project(project, target, expected_digest=digest)
    except ProjectFileError as error:
        return die(f"プロジェクトを保存できません。\n{error}")
    print(f"{target} に保存しました。")
    return EXIT_OK

"""`pia-desk import-assessment DOCUMENT -o PROJECT [--form …] [--dry-run]`: a city's
current 評価書 (.docx, .xlsx, .pdf, .txt) as the text as last submitted.

A PROJECT that does not exist is created from the form (given, or detected from the
document); an existing one must have no history (no revision, no change row). The
values become the baseline: no change row is recorded. Exit: 0 done, 1 the file was
read but holds no recognisable 評価書, 2 the file could not be read or was refused,
the project could not be read or has history, or bad usage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
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
from pia_desk.domain.first_entry import history_problem
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.tree import FORM_CODES
from pia_desk.importing.assessment_errors import AssessmentImportError, NotAnAssessmentError
from pia_desk.importing.assessment_import import AssessmentPlan, apply_assessment, plan_assessment
from pia_desk.storage.project_file import new_project
from pia_desk.storage.templates import FORM_NAMES

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    forms = "、".join(f"{code}={FORM_NAMES[code]}" for code in FORM_CODES)
    parser = subparsers.add_parser(
        "import-assessment",
        help="現在の評価書（.docx / .xlsx / .pdf / .txt）を提出時の記載として取り込む",
        description="Word・Excel・PDF・テキストの評価書を読み込み、各項目の記載を提出時の記載"
        "（変更前の記載の基準）としてプロジェクトに取り込みます。変更箇所は記録しません。"
        "プロジェクトがなければ新しく作成し、あれば履歴（改訂・変更箇所）のない場合に限り"
        "取り込みます。",
    )
    parser.add_argument("document", type=Path, help="取り込む評価書（.docx / .xlsx / .pdf / .txt）")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="取り込み先のプロジェクト（.piadesk）"
    )
    parser.add_argument(
        "--form", choices=FORM_CODES, help=f"評価書の様式（{forms}。省略すると文書から判定）"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="結果の報告だけを表示し、ファイルは書き込まない"
    )
    add_take_over_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.output
    exists = os.path.lexists(target)
    if not exists and not target.parent.is_dir():
        raise CliExit(EXIT_UNREADABLE, f"取り込み先のフォルダーがありません: {target.parent}")
    if args.dry_run:
        project = (
            _checked(args, read_project(target, allow_newer=False).project) if exists else None
        )
        _print(_plan(args, project).text())
        _print("（--dry-run: ファイルは書き込んでいません）")
        return EXIT_OK
    # A new project's form may come from the document: read it before taking the lock.
    plan = None if exists else _plan(args, None)
    create = (lambda: new_project(plan.form)) if plan is not None else None
    with open_project(target, take_over=args.take_over, create=create) as session:
        if session.data is not None:  # an existing project (perhaps made meanwhile)
            plan = _plan(args, _checked(args, session.project))
        assert plan is not None
        try:
            apply_assessment(session.project, plan)
        except DomainError as error:
            raise CliExit(EXIT_UNREADABLE, str(error)) from None
        save_session(session, "プロジェクトを保存できません。")
    _print(plan.text())
    _print(f"{target} に保存しました。")
    kept = _keep_original(args.document, target)
    if kept is not None:
        _print(f"元の文書の写しを {kept} に保存しました（--into で現在の記載を書き込めます）。")
    return EXIT_OK


def original_copy_folder(project_path: Path) -> Path:
    """Where the document a project was taken from is kept: 予防接種.piadesk.原本/"""
    return project_path.with_name(project_path.name + ".原本")


def _keep_original(document: Path, target: Path) -> Path | None:
    """A copy of the city's file beside the project, the authority on its layout for
    `export-assessment --into`; a failure only costs the copy (the project is saved)."""
    folder = original_copy_folder(target)
    try:
        folder.mkdir(exist_ok=True)
        copy = folder / document.name
        shutil.copy2(document, copy)
    except OSError as error:
        print(
            f"pia-desk: 注意: 元の文書の写しを保存できませんでした（{error.strerror}）。",
            file=sys.stderr,
        )
        return None
    return copy


def _checked(args: argparse.Namespace, project: Project) -> Project:
    """The existing project, when it may take the document in; else CliExit and why."""
    if args.form and args.form != project.meta.form:
        raise CliExit(
            EXIT_UNREADABLE,
            f"--form {args.form} はプロジェクトの様式（{project.meta.form_name}）と異なります。",
        )
    problem = history_problem(project)
    if problem:
        raise CliExit(EXIT_UNREADABLE, f"{problem}\n（プロジェクト: {args.output}）")
    return project


def _plan(args: argparse.Namespace, project: Project | None) -> AssessmentPlan:
    try:
        return plan_assessment(args.document, project, args.form)
    except NotAnAssessmentError as error:
        raise CliExit(EXIT_PROBLEMS, str(error)) from None
    except AssessmentImportError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None


def _print(text: str) -> None:
    print(text)  # main's safe_console: a console that cannot show a character loses nothing

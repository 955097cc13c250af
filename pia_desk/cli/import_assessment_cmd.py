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
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, die
from pia_desk.domain.first_entry import history_problem
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.tree import FORM_CODES
from pia_desk.importing.assessment_errors import AssessmentImportError, NotAnAssessmentError
from pia_desk.importing.assessment_import import AssessmentPlan, apply_assessment, plan_assessment
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.lock import ProjectLock
from pia_desk.storage.project_file import load_project, new_project, save_project
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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.output
    if target.exists():
        return _into_existing(args, target)
    if not target.parent.is_dir():
        return die(f"取り込み先のフォルダーがありません: {target.parent}")
    plan = _plan(args, None)
    if isinstance(plan, int):
        return plan
    project = new_project(plan.form)
    return _apply_and_save(args, project, plan, target, None)


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
        project = loaded.project
        if args.form and args.form != project.meta.form:
            return die(
                f"--form {args.form} はプロジェクトの様式（{project.meta.form_name}）と異なります。"
            )
        problem = history_problem(project)
        if problem:
            return die(f"{problem}\n（プロジェクト: {target}）")
        plan = _plan(args, project)
        if isinstance(plan, int):
            return plan
        return _apply_and_save(args, project, plan, target, loaded.digest)
    finally:
        lock.release()


def _plan(args: argparse.Namespace, project: Project | None) -> AssessmentPlan | int:
    try:
        return plan_assessment(args.document, project, args.form)
    except NotAnAssessmentError as error:
        return die(str(error), EXIT_PROBLEMS)
    except AssessmentImportError as error:
        return die(str(error), EXIT_UNREADABLE)


def _apply_and_save(
    args: argparse.Namespace,
    project: Project,
    plan: AssessmentPlan,
    target: Path,
    digest: str | None,
) -> int:
    _print(plan.text())
    if args.dry_run:
        _print("（--dry-run: ファイルは書き込んでいません）")
        return EXIT_OK
    try:
        apply_assessment(project, plan)
    except DomainError as error:
        return die(str(error))
    try:
        save_project(project, target, expected_digest=digest)
    except ProjectFileError as error:
        return die(f"プロジェクトを保存できません。\n{error}")
    _print(f"{target} に保存しました。")
    return EXIT_OK


def _print(text: str) -> None:
    try:
        print(text)
    except UnicodeEncodeError:
        import sys

        sys.stdout.buffer.write(
            text.encode(sys.stdout.encoding or "utf-8", errors="replace") + b"\n"
        )
    except BrokenPipeError:
        pass

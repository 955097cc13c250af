"""pia-desk new: create a project from an official form."""

from __future__ import annotations

import argparse
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_UNREADABLE, die
from pia_desk.storage.errors import NewerVersionError, ProjectFileError
from pia_desk.storage.lock import ProjectLock
from pia_desk.storage.project_file import load_project, new_project, save_project
from pia_desk.storage.templates import FORM_NAMES


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new",
        help="様式からプロジェクトを新規作成する",
        description="公式様式（重点項目評価書など）から新しいプロジェクトファイルを作成します。",
    )
    parser.add_argument(
        "--form",
        required=True,
        choices=list(FORM_NAMES),
        help="様式: " + "、".join(f"{code}={name}" for code, name in FORM_NAMES.items()),
    )
    parser.add_argument("-o", "--output", required=True, type=Path, help="作成するファイル")
    parser.add_argument("--org", default="", help="評価実施機関名（例: ○○市長）")
    parser.add_argument("--title", default="", help="評価書名")
    parser.add_argument(
        "--force",
        action="store_true",
        help="既存のファイルを上書きする（元のファイルは NAME.backup/ に残す）",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    if output.exists() and not args.force:
        return die(f"ファイルが既にあります: {output}（上書きするには --force）")
    if output.is_file() and _is_newer_project(output):
        return die(
            f"{output} は新しい版の PIA Desk で保存されたプロジェクトのため、上書きできません。"
        )
    project = new_project(args.form, org=args.org, title=args.title)
    lock = ProjectLock(output)
    try:
        if output.exists():  # --force: not while someone has it open; keep a backup
            lock.acquire()
        save_project(project, output)
    except ProjectFileError as error:
        return die(str(error), EXIT_UNREADABLE)
    finally:
        lock.release()
    print(f"作成しました: {output}（{project.meta.form_name}）")
    return EXIT_OK


def _is_newer_project(path: Path) -> bool:
    """Written by a newer PIA Desk: never replaced, not even with --force."""
    try:
        load_project(path)
    except NewerVersionError:
        return True
    except ProjectFileError:
        return False  # not a readable project: --force may replace it (a backup is kept)
    return False

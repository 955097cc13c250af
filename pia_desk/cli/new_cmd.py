"""pia-desk new: create a project from an official form."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pia_desk.cli import (
    EXIT_OK,
    EXIT_UNREADABLE,
    CliExit,
    add_take_over_option,
    locked_message,
    takeover_question,
)
from pia_desk.storage.errors import LockedError, ProjectExistsError, ProjectFileError
from pia_desk.storage.project_file import new_project
from pia_desk.storage.session import ProjectSession
from pia_desk.storage.templates import FORM_NAMES


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new",
        help="様式からプロジェクトを新規作成する",
        description="公式様式（重点項目評価書など）から新しいプロジェクトファイルを作成します。"
        "作成したプロジェクトは初回入力の状態です（入力した記載は変更箇所になりません。"
        "入力を終えたら、エディタの「改訂 > 現在の記載を基準にする」で基準にします）。",
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
    add_take_over_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    exists = CliExit(EXIT_UNREADABLE, f"ファイルが既にあります: {output}（上書きするには --force）")
    if os.path.lexists(output) and not args.force:
        raise exists
    project = new_project(args.form, org=args.org, title=args.title, initial_entry=True)
    try:
        session = ProjectSession.create(
            output, project, takeover_question(args.take_over), replace=args.force
        )
    except LockedError as error:
        raise CliExit(EXIT_UNREADABLE, locked_message(error)) from None
    except ProjectExistsError:  # created by someone else meanwhile
        raise exists from None
    except ProjectFileError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    session.close()
    print(f"作成しました: {output}（{project.meta.form_name}、初回入力）")
    return EXIT_OK

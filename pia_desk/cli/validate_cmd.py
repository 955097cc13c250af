"""pia-desk validate: is a project file well formed and consistent?"""

from __future__ import annotations

import argparse
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, CliExit
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.project_file import validate_file


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "validate",
        help="プロジェクトファイルを検証する",
        description="スキーマと内容の整合性を検証します。"
        "終了コード: 0 正常、1 問題あり（理由を表示）、2 読み込めない。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        problems = validate_file(args.project)
    except ProjectFileError as error:  # unreadable, or written by a newer version
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    if problems:
        print(f"問題があります: {args.project}")
        for problem in problems:
            print(f"・{problem}")
        return EXIT_PROBLEMS
    print(f"正常です: {args.project}")
    return EXIT_OK

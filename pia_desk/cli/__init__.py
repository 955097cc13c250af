"""The `pia-desk` command line.

`pia-desk [PROJECT] [--sample]` starts the editor; `pia-desk COMMAND …` runs one
operation without a window. Every command module defines `register(subparsers)`,
which adds its parser with `set_defaults(run=…)`; `run(args) -> int` returns the
exit code: 0 success, 1 the project has problems (invalid, findings), 2 unreadable
input or bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pia_desk import __version__
from pia_desk.cli import messages

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2

# Command name -> module of pia_desk.cli, in --help order. Only the chosen command's
# world is imported: starting the editor imports none of them.
COMMANDS = {
    "new": "new_cmd",
    "info": "info_cmd",
    "validate": "validate_cmd",
    "export": "export_cmd",
    "import-table": "import_cmd",
    "check": "check_cmd",
    "replace": "replace_cmd",
}


messages.install()


class JapaneseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed messages in Japanese (see messages.py)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"{self.prog}: エラー: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = JapaneseArgumentParser(
        prog="pia-desk",
        description="特定個人情報保護評価書の変更箇所を記録し、変更箇所の表"
        "（重点項目評価書の（別添２）、全項目評価書の（別添３）など）を出力します。"
        "コマンドを省略するとエディタを起動します（pia-desk [PROJECT] [--sample]）。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"PIA Desk {__version__}",
        help="バージョンを表示して終了する",
    )
    commands = parser.add_subparsers(title="コマンド", dest="command", metavar="COMMAND")
    for module in COMMANDS.values():
        importlib.import_module(f"pia_desk.cli.{module}").register(commands)
    return parser


def build_gui_parser() -> argparse.ArgumentParser:
    parser = JapaneseArgumentParser(prog="pia-desk", description="PIA Desk エディタを起動します。")
    parser.add_argument("project", nargs="?", help="開くプロジェクトファイル（.piadesk）")
    parser.add_argument("--sample", action="store_true", help="同梱のサンプルプロジェクトを開く")
    parser.add_argument(
        "--version",
        action="version",
        version=f"PIA Desk {__version__}",
        help="バージョンを表示して終了する",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in COMMANDS:
        args = build_parser().parse_args(args_list)
        return int(args.run(args))
    if args_list and args_list[0] in ("-h", "--help"):
        build_parser().print_help()
        return EXIT_OK
    gui_args = build_gui_parser().parse_args(args_list)
    from pia_desk.gui.app import run_gui  # Qt is imported only for the editor

    return run_gui(gui_args)


def wareki_date(text: str):  # -> date; an argparse type
    """A date option in 和暦 or ISO (令和3年10月20日, R3.10.20, 2021-10-20)."""
    from pia_desk.domain.wareki import WarekiError, parse_date

    try:
        return parse_date(text)
    except WarekiError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_date_filters(parser: argparse.ArgumentParser, what: str) -> None:
    """--revision / --from / --to, shared by the commands that pick entries by 変更日."""
    parser.add_argument(
        "--revision", type=wareki_date, metavar="DATE", help=f"この変更日の改訂の{what}のみ"
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        type=wareki_date,
        metavar="DATE",
        help=f"この変更日以降の{what}のみ",
    )
    parser.add_argument(
        "--to", dest="date_to", type=wareki_date, metavar="DATE", help=f"この変更日までの{what}のみ"
    )


def revision_for_option(project, on):  # -> str | None | int (exit code)
    """The id of the revision of 変更日 `on` (None when not asked), or print why not and
    return exit code 2."""
    from pia_desk.domain.wareki import format_wareki

    if on is None:
        return None
    revision = project.revision_on(on)
    if revision is not None:
        return revision.id
    digits = project.meta.digit_style
    dates = "、".join(format_wareki(r.date, digits) for r in project.revisions) or "なし"
    return die(
        f"変更日が {format_wareki(on, digits)} の改訂はありません（改訂の変更日: {dates}）。"
    )


def die(message: str, code: int = EXIT_UNREADABLE) -> int:
    """Print a Japanese error message to stderr and return the exit code."""
    print(f"pia-desk: {message}", file=sys.stderr)
    return code


def load_or_die(path, *, read_only: bool = False):  # -> LoadedFile | int
    """Load a project for a command, or print the Japanese error and return exit code 2.

    `read_only` commands (info, check, export) also read a file of a newer PIA Desk,
    as far as this version understands it, and say so."""
    from pia_desk.storage.errors import ProjectFileError
    from pia_desk.storage.project_file import load_project

    try:
        loaded = load_project(path, allow_newer=read_only)
    except ProjectFileError as error:
        return die(f"プロジェクトを読み込めません。\n{error}", EXIT_UNREADABLE)
    for warning in loaded.warnings:
        print(f"pia-desk: 注意: {warning}", file=sys.stderr)
    return loaded

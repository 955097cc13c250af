"""The `pia-desk` command line.

`pia-desk [PROJECT] [--sample]` starts the editor; `pia-desk COMMAND …` runs one
operation without a window. Every command module defines `register(subparsers)`,
which adds its parser with `set_defaults(run=…)`; `run(args) -> int` returns the
exit code: 0 success, 1 the project has problems (invalid, findings), 2 unreadable
input or bad usage. A command that cannot go on raises `CliExit(code, message)`,
which `main` turns into the message on stderr and the exit code.

Projects are opened through `read_project` (reading commands) and `open_project`
(writing commands: locked, with --take-over), both over storage's ProjectSession.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from pia_desk import __version__
from pia_desk.cli import messages
from pia_desk.cli.console import safe_console

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


class CliExit(Exception):
    """A command ends here with `code`; `message` (Japanese) goes to stderr."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Command name -> module of pia_desk.cli, in --help order. Only the chosen command's
# world is imported: starting the editor imports none of them.
COMMANDS = {
    "new": "new_cmd",
    "info": "info_cmd",
    "validate": "validate_cmd",
    "export": "export_cmd",
    "export-assessment": "export_assessment_cmd",
    "import-table": "import_cmd",
    "import-assessment": "import_assessment_cmd",
    "check": "check_cmd",
    "replace": "replace_cmd",
}


messages.install()


class JapaneseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed messages in Japanese (see messages.py)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"{self.prog}: エラー: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, just that command is registered, so that
    running one command does not import every other command's readers and writers."""
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
    for name, module in COMMANDS.items():
        if only is None or name == only:
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
        with safe_console():
            args = build_parser(only=args_list[0]).parse_args(args_list)
            try:
                return int(args.run(args))
            except CliExit as exit_:
                if exit_.message:
                    print(f"pia-desk: {exit_.message}", file=sys.stderr)
                return exit_.code
    if args_list and args_list[0] in ("-h", "--help"):
        with safe_console():
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


def revision_for_option(project, on):  # -> str | None
    """The id of the revision of 変更日 `on` (None when not asked); CliExit when the
    project has no such revision."""
    from pia_desk.domain.wareki import format_wareki

    if on is None:
        return None
    revision = project.revision_on(on)
    if revision is not None:
        return revision.id
    digits = project.meta.digit_style
    dates = "、".join(format_wareki(r.date, digits) for r in project.revisions) or "なし"
    raise CliExit(
        EXIT_UNREADABLE,
        f"変更日が {format_wareki(on, digits)} の改訂はありません（改訂の変更日: {dates}）。",
    )


def warn(message: str) -> None:
    print(f"pia-desk: 注意: {message}", file=sys.stderr)


def read_project(path, *, allow_newer: bool = True):  # -> ProjectSession
    """A project for a reading command (info, check, export), not locked; CliExit when
    unreadable. A file of a newer PIA Desk is read as far as this version understands
    it, and the command says so."""
    from pia_desk.storage.errors import ProjectFileError
    from pia_desk.storage.session import ProjectSession

    try:
        session = ProjectSession.read(path, allow_newer=allow_newer)
    except ProjectFileError as error:
        raise CliExit(EXIT_UNREADABLE, f"プロジェクトを読み込めません。\n{error}") from None
    for warning in session.warnings:
        warn(warning)
    return session


TAKE_OVER_HELP = (
    "ほかの人のロック（異常終了した PIA Desk が残したものなど）を引き継ぐ。"
    "その人が編集していないことを確かめてから指定してください"
)


def add_take_over_option(parser: argparse.ArgumentParser) -> None:
    """--take-over, for every command that writes a project."""
    parser.add_argument("--take-over", action="store_true", help=TAKE_OVER_HELP)


def takeover_question(take_over: bool):  # -> TakeoverQuestion
    """The command line's answer to storage's lock-takeover question: yes with
    --take-over (saying whose lock it was and since when), else no."""
    from pia_desk.storage.session import takeover_notice

    def answer(error) -> bool:
        if take_over:
            warn(takeover_notice(error))
        return take_over

    return answer


def locked_message(error) -> str:
    """Why a project cannot be written now, and how to go on when the lock may be
    taken over."""
    from pia_desk.storage.session import can_take_over

    message = f"プロジェクトに書き込めません。\n{error}"
    if can_take_over(error):
        message += (
            "\nその人が編集していないこと（PIA Desk が終了していること）を確かめたうえで"
            "、--take-over を付けて実行すると、ロックを引き継いで書き込みます。"
        )
    return message


def open_project(path, *, take_over: bool = False, create=None):  # -> ProjectSession
    """Lock and read a project for a writing command (see ProjectSession.open);
    CliExit when it is locked, unreadable or written by a newer PIA Desk."""
    from pia_desk.storage.errors import LockedError, ProjectFileError
    from pia_desk.storage.project_file import READ_ONLY_FILE
    from pia_desk.storage.session import ProjectSession

    try:
        session = ProjectSession.open(path, takeover_question(take_over), create=create)
    except LockedError as error:
        raise CliExit(EXIT_UNREADABLE, locked_message(error)) from None
    except ProjectFileError as error:
        raise CliExit(EXIT_UNREADABLE, f"プロジェクトを読み込めません。\n{error}") from None
    if session.newer_version:
        raise CliExit(
            EXIT_UNREADABLE,
            f"新しい版の PIA Desk で保存されたプロジェクトは変更できません: {path}",
        )
    if session.read_only:  # marked read-only: told before any work is done
        raise CliExit(EXIT_UNREADABLE, f"プロジェクトに書き込めません: {path}\n{READ_ONLY_FILE}")
    for warning in session.warnings:
        warn(warning)
    return session


def save_session(session, what: str = "保存できませんでした。") -> None:
    """Save a session's project (locked, compared before replacing); CliExit on failure."""
    from pia_desk.storage.errors import LockedError, ProjectFileError

    try:
        session.save()
    except LockedError as error:
        raise CliExit(EXIT_UNREADABLE, locked_message(error)) from None
    except ProjectFileError as error:
        raise CliExit(EXIT_UNREADABLE, f"{what}\n{error}") from None
    if session.upgrade_notice:
        print(session.upgrade_notice)

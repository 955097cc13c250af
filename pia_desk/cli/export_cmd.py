"""`pia-desk export PROJECT -o OUT.docx …`: the 変更箇所 table as .docx (and PDF).

No Qt is imported on this path: the command runs on machines without a display.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pia_desk.cli import (
    EXIT_OK,
    EXIT_UNREADABLE,
    CliExit,
    add_date_filters,
    read_project,
    revision_for_option,
)
from pia_desk.export.docx_writer import DEFAULT_FONT, DocxOptions, write_docx
from pia_desk.export.output_target import (
    OutputExistsError,
    OutputTargetError,
    check_output_target,
)
from pia_desk.export.pdf import PdfConversionError, convert_docx_to_pdf, find_soffice
from pia_desk.export.table import ChangeTable, build_table
from pia_desk.storage.errors import ProjectFileError

__all__ = ["register", "run"]

_NAMED_ROWS = 10  # rows without 提出時期 named one by one in the warning


def _number(kind: type[int] | type[float]):
    """An argparse type: the number, or a Japanese error (ranges are DocxOptions')."""

    def convert(text: str) -> int | float:
        try:
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"数値で指定してください: {text}") from None

    return convert


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--pdf, --font, --font-size and --force, shared by the commands that write Word."""
    parser.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="LibreOffice で PDF も作成する")
    parser.add_argument(
        "--font", default=DEFAULT_FONT, metavar="NAME", help=f"フォント（既定: {DEFAULT_FONT}）"
    )
    parser.add_argument(
        "--font-size", type=_number(float), default=9.0, metavar="PT", help="文字サイズ（既定: 9）"
    )
    parser.add_argument("--force", action="store_true", help="既存の出力ファイルを上書きする")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="変更箇所の表を Word 文書（.docx）・PDF に出力する",
        description="プロジェクトの変更箇所を、様式の別添（重点項目評価書では（別添２）変更箇所）"
        "の表として .docx に出力します。既存のファイルは --force を付けたときだけ上書きします。"
        "日付は和暦（令和3年10月20日、R3.10.20）または西暦（2021-10-20）で指定できます。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル（.piadesk）")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.docx", help="出力する .docx"
    )
    add_date_filters(parser, "行")
    parser.add_argument("--underline", action="store_true", help="変更した文字に傍線を引く")
    parser.add_argument(
        "--split-lines",
        type=_number(int),
        metavar="N",
        help="ページの終わりに加えて、N 行を超える行も（下段に続く）／（上段からの続き）で分割する",
    )
    parser.add_argument(
        "--flow",
        action="store_true",
        help="行をページの終わりで区切らずに流し込む（既定: 収まらない行をページの終わりで分割する）",
    )
    parser.add_argument(
        "--order",
        choices=("date", "tree", "user"),
        default="date",
        help="行の順序: date=変更日順（既定）、tree=項目の順、user=編集画面で並べた順",
    )
    parser.add_argument(
        "--author", default="", metavar="NAME", help="文書のプロパティの作成者（既定: 空欄）"
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


def _check_targets(args: argparse.Namespace) -> str | None:
    """Why the output paths are refused (None: fine)."""
    targets = [(args.output, ".docx")] + ([(args.pdf, ".pdf")] if args.pdf else [])
    try:
        for overwrite in (True, args.force):  # what is wrong first, then what exists
            for path, suffix in targets:
                check_output_target(path, suffix, project_path=args.project, overwrite=overwrite)
    except OutputExistsError as error:
        return f"{error}（上書きするには --force を付けてください）"
    except OutputTargetError as error:
        return str(error)
    return None


def run(args: argparse.Namespace) -> int:
    if args.revision and (args.date_from or args.date_to):
        raise CliExit(EXIT_UNREADABLE, "--revision と --from／--to は同時に指定できません。")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CliExit(EXIT_UNREADABLE, "--from の日付が --to の日付より後になっています。")
    refused = _check_targets(args)
    if refused:
        raise CliExit(EXIT_UNREADABLE, refused)
    try:
        options = DocxOptions(
            font=args.font,
            font_size=args.font_size,
            underline=args.underline,
            split_lines=args.split_lines,
            flow=args.flow,
            author=args.author,
        )
    except ValueError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    soffice = find_soffice() if args.pdf else None
    if args.pdf and soffice is None:
        raise CliExit(
            EXIT_UNREADABLE,
            "PDF の作成には LibreOffice（soffice）が必要ですが、見つかりません。"
            "--pdf を外して .docx のみ出力するか、LibreOffice をインストールしてください。",
        )
    loaded = read_project(args.project)
    project = loaded.project
    revision_id = revision_for_option(project, args.revision)
    table = build_table(
        project,
        revision_id=revision_id,
        date_from=args.date_from,
        date_to=args.date_to,
        order=args.order,
    )
    if not table.rows:
        print(
            "pia-desk: 出力する変更箇所がありません（見出しのみの表を出力します）。",
            file=sys.stderr,
        )
    _warn_undecided(table)
    try:
        printed = write_docx(table, args.output, options)
        if args.pdf:
            convert_docx_to_pdf(args.output, args.pdf, soffice)
            print(f"{args.pdf} を作成しました。")
    except (ProjectFileError, PdfConversionError) as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    entries = len(table.rows)
    if printed == entries:
        print(f"{args.output} に {entries} 件の変更箇所を出力しました。")
    else:
        print(
            f"{args.output} に {entries} 件の変更箇所を {printed} 行で出力しました"
            f"（{printed - entries} 行は分割した続きの行です）。"
        )
    return EXIT_OK


def _warn_undecided(table: ChangeTable) -> None:
    """Name the rows without 提出時期 before anything is written."""
    undecided = [row for row in table.rows if not row.timing]
    if not undecided:
        return
    print(f"pia-desk: 注意: 提出時期が未設定の行が {len(undecided)} 行あります。", file=sys.stderr)
    for row in undecided[:_NAMED_ROWS]:
        item = row.item_text.replace("\n", " / ")
        print(f"  {row.date_text} {item}", file=sys.stderr)
    if len(undecided) > _NAMED_ROWS:
        print(f"  ほか {len(undecided) - _NAMED_ROWS} 行", file=sys.stderr)

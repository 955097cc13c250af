"""`pia-desk export-assessment PROJECT -o OUT.docx …`: the whole 評価書 as .docx (and PDF).

Which text: the working text (default), the text as last submitted (--as-submitted)
or as submitted with the revision of a 変更日 (--revision DATE, rebuilt from the
history; items that cannot be rebuilt are listed). The output checks are those of
`export`. No Qt is imported on this path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_UNREADABLE, CliExit, read_project, wareki_date
from pia_desk.cli.export_cmd import _check_targets, add_output_options
from pia_desk.domain.assessment import LAYOUT_NOTE
from pia_desk.export.pdf import PdfConversionError, convert_docx_to_pdf, find_soffice
from pia_desk.storage.errors import ProjectFileError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export-assessment",
        help="評価書全体（表紙・各項目・別添・変更箇所）を Word 文書（.docx）・PDF に出力する",
        description="プロジェクトから評価書全体を .docx に出力します。最後に変更箇所の別添"
        "（重点項目評価書では（別添２））を A4 横のセクションとして付けます。" + LAYOUT_NOTE,
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル（.piadesk）")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.docx", help="出力する .docx"
    )
    add_text_options(parser)
    parser.add_argument("--no-annex", action="store_true", help="変更箇所の別添を付けない")
    add_output_options(parser)
    parser.add_argument(
        "--into",
        type=Path,
        metavar="CITY.docx|CITY.xlsx",
        help="この評価書ファイル（取り込んだ市の Word・Excel）の写しに現在の記載を書き込む"
        "（レイアウト・書式はそのまま。-o も同じ拡張子）",
    )
    parser.set_defaults(run=run)


def add_text_options(parser: argparse.ArgumentParser) -> None:
    """--as-submitted | --revision DATE (also for commands that write into a city's file)."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--as-submitted",
        action="store_true",
        help="最後に提出した記載（変更前の記載）で出力する（既定は現在の記載）",
    )
    which.add_argument(
        "--revision",
        type=wareki_date,
        metavar="DATE",
        help="この変更日の改訂を提出したときの記載で出力する（履歴から復元）",
    )


def text_choice(args: argparse.Namespace):  # -> TextChoice
    from pia_desk.domain.assessment_text import TextChoice

    if args.revision is not None:
        return TextChoice("revision", args.revision)
    return TextChoice("submitted" if args.as_submitted else "working")


def build_for_args(project, args: argparse.Namespace):  # -> (document, annex table)
    """The document model and annex table the options ask for; CliExit for a 変更日
    that names no revision."""
    from pia_desk.domain.assessment import build_assessment
    from pia_desk.domain.assessment_text import text_state
    from pia_desk.export.assessment_table import annex_table

    choice = text_choice(args)
    try:
        state = text_state(project, choice)
    except LookupError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    document = build_assessment(project, state, annex=not args.no_annex)
    annex = None if args.no_annex else annex_table(project, choice)
    return document, annex


def run(args: argparse.Namespace) -> int:
    from pia_desk.export.assessment_docx import AssessmentOptions, write_assessment_docx

    if args.into is not None:
        from pia_desk.cli.write_into import write_into

        return write_into(args, text_choice(args))

    refused = _check_targets(args)
    if refused:
        raise CliExit(EXIT_UNREADABLE, refused)
    try:
        options = AssessmentOptions(font=args.font, font_size=args.font_size)
    except ValueError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    soffice = find_soffice() if args.pdf else None
    if args.pdf and soffice is None:
        raise CliExit(
            EXIT_UNREADABLE,
            "PDF の作成には LibreOffice（soffice）が必要ですが、見つかりません。"
            "--pdf を外して .docx のみ出力するか、LibreOffice をインストールしてください。",
        )
    project = read_project(args.project).project
    document, annex = build_for_args(project, args)
    report_unrebuilt(document)
    try:
        write_assessment_docx(document, annex, args.output, options, author=project.org)
        if args.pdf:
            convert_docx_to_pdf(args.output, args.pdf, soffice)
            print(f"{args.pdf} を作成しました。")
    except (ProjectFileError, PdfConversionError) as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    print(f"{args.output} に評価書を出力しました（{document.text_description}）。")
    print(f"注意: {LAYOUT_NOTE}", file=sys.stderr)
    return EXIT_OK


def report_unrebuilt(document) -> None:
    if not document.unrebuilt:
        return
    print(
        f"pia-desk: 注意: 次の {len(document.unrebuilt)} 項目は、その時点の記載を履歴から"
        "復元できませんでした。",
        file=sys.stderr,
    )
    for item in document.unrebuilt:
        print(f"  - {' / '.join(item.path)}: {item.reason}", file=sys.stderr)

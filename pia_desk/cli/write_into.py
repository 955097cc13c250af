"""`export-assessment PROJECT --into CITY.docx|CITY.xlsx -o OUT`: the current values
written into a copy of the city's own 評価書 (its layout, fonts, headers and stamps
stay). Items the file has no place for are listed. The city's file is never changed;
OUT is written atomically and replaced only with --force.
"""

from __future__ import annotations

import argparse

from pia_desk.cli import EXIT_OK, EXIT_UNREADABLE, CliExit, read_project
from pia_desk.export.output_target import OutputExistsError, OutputTargetError, check_output_target
from pia_desk.importing.assessment_errors import AssessmentImportError
from pia_desk.importing.assessment_writeback import WRITABLE, write_back
from pia_desk.storage.errors import ProjectFileError
from pia_desk.storage.project_file import write_atomic


def write_into(args: argparse.Namespace, choice) -> int:
    from pia_desk.domain.assessment_text import text_state

    suffix = args.into.suffix.lower()
    if suffix not in WRITABLE:
        raise CliExit(
            EXIT_UNREADABLE,
            "--into には Word 文書（.docx）か Excel ブック（.xlsx）を指定してください。",
        )
    if args.pdf:
        raise CliExit(EXIT_UNREADABLE, "--into と --pdf は同時に指定できません。")
    if args.output.resolve() == args.into.resolve():
        raise CliExit(
            EXIT_UNREADABLE, "出力先が --into のファイル自身です。別の名前を指定してください。"
        )
    try:
        check_output_target(args.output, suffix, project_path=args.project, overwrite=args.force)
    except OutputExistsError as error:
        raise CliExit(
            EXIT_UNREADABLE, f"{error}（上書きするには --force を付けてください）"
        ) from None
    except OutputTargetError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    project = read_project(args.project).project
    try:
        state = text_state(project, choice)
    except LookupError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    try:
        result = write_back(args.into, project, state.value)
    except AssessmentImportError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    try:
        write_atomic(args.output, result.data)
    except ProjectFileError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    print("\n".join(result.report_lines()))
    print(f"{args.output} に {args.into.name} の写しとして出力しました（{state.description}）。")
    return EXIT_OK

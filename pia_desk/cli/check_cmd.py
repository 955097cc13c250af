"""pia-desk check: the pre-submission check of a project (提出前チェック)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, die, load_or_die
from pia_desk.domain.check import CheckReport, Severity, run_checks
from pia_desk.domain.project import Project
from pia_desk.domain.wareki import WarekiError, format_wareki, parse_date


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check",
        help="提出前のチェックを行う",
        description="提出時期の未入力、事後の説明の未入力、提案と異なる提出時期、"
        "用語の新旧の混在、必須項目の未入力、再評価・見直しの時期などを確認します。"
        "終了コード: 0 エラーなし、1 エラーあり、2 読み込めない。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル")
    parser.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    parser.add_argument("--revision", metavar="DATE", help="この変更日の改訂だけを確認する")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="この日以降の変更日")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="この日以前の変更日")
    parser.set_defaults(run=run)


def _date(text: str | None) -> date | None:
    return parse_date(text) if text else None


def _revision_id(project: Project, on: date) -> str | None:
    matching = [r for r in project.revisions if r.date == on]
    return matching[-1].id if matching else None


def print_report(report: CheckReport) -> None:
    for finding in report.findings:
        print(finding.describe())
    if not report.findings:
        print("問題は見つかりませんでした。")
        return
    counts = "、".join(f"{s.label} {report.count(s)} 件" for s in Severity)
    print(f"合計: {counts}（変更箇所 {len(report.entries)} 件を確認）")


def run(args: argparse.Namespace) -> int:
    try:
        date_from, date_to = _date(args.date_from), _date(args.date_to)
        on = _date(args.revision)
    except WarekiError as error:
        return die(str(error), EXIT_UNREADABLE)
    loaded = load_or_die(args.project)
    if isinstance(loaded, int):
        return loaded
    project = loaded.project
    revision_id = None
    if on is not None:
        revision_id = _revision_id(project, on)
        if revision_id is None:
            return die(f"変更日が {format_wareki(on)} の改訂はありません。", EXIT_UNREADABLE)
    report = run_checks(project, revision_id=revision_id, date_from=date_from, date_to=date_to)
    if args.json:
        print(report.to_json_text())
    else:
        print_report(report)
    return EXIT_PROBLEMS if report.has_errors else EXIT_OK

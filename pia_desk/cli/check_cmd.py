"""pia-desk check: the pre-submission check of a project (提出前チェック)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pia_desk.cli import EXIT_OK, EXIT_PROBLEMS, add_date_filters, read_project, revision_for_option
from pia_desk.domain.check import CheckReport, Severity, run_checks


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check",
        help="提出前のチェックを行う",
        description="提出時期の未入力、事後の説明の未入力、提案と異なる提出時期、"
        "確度の低い提案（確認してください）、事前と事後が混在する改訂、"
        "しきい値判断の項目の変更、全項目評価書の意見聴取・第三者点検、"
        "用語の新旧の混在、必須項目の未入力、再評価・見直しの時期などを確認します。"
        "JSON の各変更箇所には提案の確度（confidence: 高・中・低）が付きます。"
        "終了コード: 0 エラーなし、1 エラーあり、2 読み込めない。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル")
    parser.add_argument("--json", action="store_true", help="結果を JSON で出力する")
    add_date_filters(parser, "変更箇所")
    parser.set_defaults(run=run)


def print_report(report: CheckReport) -> None:
    for finding in report.findings:
        print(finding.describe())
    if not report.findings:
        print("問題は見つかりませんでした。")
        return
    counts = "、".join(f"{s.label} {report.count(s)} 件" for s in Severity)
    print(f"合計: {counts}（変更箇所 {len(report.entries)} 件を確認）")


def run(args: argparse.Namespace) -> int:
    loaded = read_project(args.project)
    revision_id = revision_for_option(loaded.project, args.revision)
    report = run_checks(
        loaded.project, revision_id=revision_id, date_from=args.date_from, date_to=args.date_to
    )
    if args.json:
        print(report.to_json_text())
    else:
        print_report(report)
    return EXIT_PROBLEMS if report.has_errors else EXIT_OK

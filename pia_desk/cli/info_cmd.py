"""pia-desk info: what a project holds (form, revisions, entries by 提出時期)."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pia_desk.cli import EXIT_OK, read_project
from pia_desk.domain.entries import Revision, Timing
from pia_desk.domain.wareki import format_wareki

STATUS_NAMES = {"draft": "作成中", "submitted": "提出済み"}


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "info",
        help="プロジェクトの概要を表示する",
        description="様式、改訂、提出時期ごとの変更箇所の件数を表示します。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル")
    parser.set_defaults(run=run)


def timing_counts(entries: list) -> str:
    counts = Counter(e.timing for e in entries)
    return "、".join(
        f"{name} {counts.get(timing, 0)}"
        for timing, name in ((Timing.PRE, "事前"), (Timing.POST, "事後"), (Timing.UNSET, "未設定"))
    )


def revision_line(revision: Revision, digits) -> str:
    line = f"  {format_wareki(revision.date, digits)}  {STATUS_NAMES[revision.status.value]}"
    return line + f"  {len(revision.entries)} 件（{timing_counts(revision.entries)}）"


def run(args: argparse.Namespace) -> int:
    loaded = read_project(args.project)
    project = loaded.project
    meta = project.meta
    digits = meta.digit_style
    print(f"ファイル: {loaded.path}")
    print(f"様式: {meta.form_name} {meta.form_stamp}")
    print(f"評価書名: {project.title or '（未入力）'}")
    print(f"評価実施機関名: {project.org or '（未入力）'}")
    if project.published:
        print(f"公表日: {format_wareki(project.published, digits)}")
    print(f"改訂: {len(project.revisions)} 件")
    for revision in project.revisions:
        print(revision_line(revision, digits))
    entries = [e for _, e in project.all_entries()]
    print(f"変更箇所: 合計 {len(entries)} 件（{timing_counts(entries)}）")
    return EXIT_OK

"""pia-desk replace: replace a term in every item of a project (e.g. 当市区町村 → 当市)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pia_desk.cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_UNREADABLE,
    CliExit,
    add_take_over_option,
    open_project,
    read_project,
    save_session,
    warn,
)
from pia_desk.domain.check import path_text
from pia_desk.domain.project import DomainError, Project
from pia_desk.domain.replace import (
    Occurrence,
    apply_replace,
    clean_replacement,
    find_occurrences,
    removed_characters,
)
from pia_desk.domain.suggest import suggest_for_entry

INITIAL_ENTRY_NOTE = (
    "初回入力中のため、変更箇所は記録していません（記載だけを置き換えました）。"
    "入力を終えたら、エディタの「改訂 > 現在の記載を基準にする」で基準にしてください。"
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "replace",
        help="評価書全体で文字列を置換する",
        description="評価書のすべての項目の記載（変更後）で OLD を NEW に置き換え、"
        "変更のあった項目ごとに変更箇所を作成して保存します。置換の前に該当箇所を一覧表示します。"
        "終了コード: 0 置換した（--dry-run では見つかった）、1 見つからない、2 読み込めない。",
    )
    parser.add_argument("project", type=Path, help="プロジェクトファイル")
    parser.add_argument("old", metavar="OLD", help="置換前の文字列")
    parser.add_argument("new", metavar="NEW", help="置換後の文字列")
    parser.add_argument("--dry-run", action="store_true", help="一覧を表示するだけで保存しない")
    add_take_over_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.old:
        raise CliExit(EXIT_UNREADABLE, "置換前の文字列を指定してください。")
    try:
        new = clean_replacement(args.new)
    except DomainError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    if args.old == new:
        raise CliExit(EXIT_UNREADABLE, "置換前と置換後の文字列が同じです。")
    removed = removed_characters(args.new)
    if removed:
        warn(f"置換後の文字列から使えない文字（{'、'.join(removed)}）を取り除きました。")
    if args.dry_run:
        project = read_project(args.project, allow_newer=False).project
        occurrences = _occurrences(project, args.old)
        _print_occurrences(args.old, new, occurrences)
        print("（--dry-run: ファイルは書き込んでいません）")
        return EXIT_OK
    with open_project(args.project, take_over=args.take_over) as session:
        project = session.project
        occurrences = _occurrences(project, args.old)
        if occurrences:
            try:
                changed = apply_replace(project, args.old, new)
            except DomainError as error:
                raise CliExit(EXIT_UNREADABLE, str(error)) from None
            save_session(session)
    # Saved first, printed after: the terminal never decides whether the work is kept.
    _print_occurrences(args.old, new, occurrences)
    print(f"{len(changed)} 項目を置換し、保存しました: {session.path}")
    if project.initial_entry:
        print(INITIAL_ENTRY_NOTE)
        return EXIT_OK
    _print_suggestions(project, changed)
    return EXIT_OK


def _occurrences(project: Project, old: str) -> list[Occurrence]:
    """Where `old` occurs; CliExit(1) when nowhere."""
    try:
        occurrences = find_occurrences(project, old)
    except DomainError as error:
        raise CliExit(EXIT_UNREADABLE, str(error)) from None
    if not occurrences:
        print(f"「{old}」は見つかりませんでした。")
        raise CliExit(EXIT_PROBLEMS)
    return occurrences


def _print_occurrences(old: str, new: str, occurrences: list[Occurrence]) -> None:
    total = sum(o.count for o in occurrences)
    print(f"「{old}」→「{new}」: {len(occurrences)} 項目、{total} 箇所")
    for occurrence in occurrences:
        print(f"・{path_text(occurrence.item_path)}（{occurrence.count} 箇所）")
        print(f"    {occurrence.preview}")


def _print_suggestions(project: Project, node_ids: list[str]) -> None:
    draft = project.draft
    if draft is None:
        return
    for node_id in node_ids:
        entry = draft.entry_for_node(node_id)
        if entry is None:
            continue
        suggestion = suggest_for_entry(project, draft, entry)
        note = f"「{suggestion.explanation}」" if suggestion.explanation else ""
        print(f"  提案: {suggestion.timing.value or '未設定'}{note}  {path_text(entry.item_path)}")

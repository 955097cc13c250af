"""Agreement of the suggested 提出時期 with the real staff's, on a real change table.

Usage: python bench/classifier_agreement.py [ROWS.json] [--verbose] [--no-tree]

ROWS.json holds rows like tests/data/bessoe2-sample.json (fields date_iso,
item_path, before, after, timing, explanation). The rows are grouped into one revision
per 変更日 of a fresh 重点項目評価書 project; each row's 項目 is resolved against the
template with the item-path matcher (its ※ flag then comes from the tree), else the
※ in the path text is used. The staff's 提出時期 is not given to the classifier.

Three figures:
- rules: the suggestions as the editor makes them;
- plain rule: 「（削除）→事後, else 事前」, the baseline any rule set must beat;
- leave-one-revision-out: each revision judged with term pairs and statistics learned
  from the other revisions only (the honest figure: the rules were written with the
  shared rows in view).
Prints the figures and every disagreement of the rules with the suggestion's reasons.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pia_desk.domain.classify import ProjectContext  # noqa: E402
from pia_desk.domain.entries import ChangeEntry, Revision, RevisionStatus, Timing  # noqa: E402
from pia_desk.domain.item_path import match_item_path  # noqa: E402
from pia_desk.domain.project import Project  # noqa: E402
from pia_desk.domain.suggest import Suggestion, suggest_for_revision  # noqa: E402
from pia_desk.domain.values import DELETED_MARK  # noqa: E402
from pia_desk.storage.templates import load_template  # noqa: E402

DEFAULT_ROWS = REPO / "tests" / "data" / "bessoe2-sample.json"


def match_node_id(project: Project, path: list[str]) -> str | None:
    found = match_item_path(project.root, path)
    return found.node.id if found is not None else None


def build_project(
    rows: list[dict], use_tree: bool = True
) -> tuple[Project, list[tuple[int, dict, Revision, ChangeEntry]]]:
    """One project, one revision per 変更日 (in date order), one entry per row."""
    project = Project.from_template(load_template("juten"))
    by_date: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for index, row in enumerate(rows):
        by_date[row["date_iso"]].append((index, row))
    placed = []
    for n, day in enumerate(sorted(by_date), start=1):
        revision = Revision(id=f"r{n}", date=date.fromisoformat(day))
        revision.status = RevisionStatus.SUBMITTED
        for k, (index, row) in enumerate(by_date[day], start=1):
            entry = ChangeEntry(
                id=f"e{n}-{k}",
                item_path=tuple(row["item_path"]),
                before=row["before"],
                after=row["after"],
                node_id=match_node_id(project, row["item_path"]) if use_tree else None,
            )
            revision.entries.append(entry)
            placed.append((index, row, revision, entry))
        project.revisions.append(revision)
    return project, placed


def plain_rule(row: dict) -> Timing:
    """「（削除）→事後, else 事前」."""
    return Timing.POST if row["after"].strip() == DELETED_MARK else Timing.PRE


def rule_suggestions(project: Project, leave_out: bool) -> dict[str, Suggestion]:
    suggestions: dict[str, Suggestion] = {}
    for revision in project.revisions:
        context = (
            ProjectContext.build(project, excluded_revision=revision.id) if leave_out else None
        )
        suggestions.update(suggest_for_revision(project, revision, context))
    return suggestions


def agreement(placed: list, choose) -> tuple[int, int]:
    agree = sum(1 for _, row, _, entry in placed if choose(row, entry) is Timing(row["timing"]))
    return agree, len(placed)


def figure(name: str, agree: int, total: int) -> float:
    rate = agree / total if total else 0.0
    print(f"{name:<34} {agree:>3}/{total} = {rate:.1%}")
    return rate


def run(rows: list[dict], verbose: bool, use_tree: bool = True) -> dict[str, float]:
    project, placed = build_project(rows, use_tree)
    started = time.perf_counter()
    suggestions = rule_suggestions(project, leave_out=False)
    elapsed = time.perf_counter() - started
    held_out = rule_suggestions(project, leave_out=True)
    placed = sorted(placed, key=lambda p: p[0])
    if verbose:
        for index, row, _revision, entry in placed:
            suggestion = suggestions[entry.id]
            staff = Timing(row["timing"])
            mark = "=" if suggestion.timing is staff else "≠"
            print(
                f"{mark} #{index:>2} {row['date_iso']} staff {staff.value or '-'} "
                f"suggested {suggestion.timing.value or '-'} ({suggestion.confidence.value}) "
                f"[{suggestion.kind}] held-out {held_out[entry.id].timing.value or '-'} "
                f"{' / '.join(row['item_path'])}"
            )
            if suggestion.explanation:
                print(f"      説明: {suggestion.explanation}   (staff: {row['explanation']})")
    print(f"Agreement on 提出時期 ({len(placed)} rows, rules {elapsed * 1000:.0f} ms):")
    figures = {
        "rules": figure("rules", *agreement(placed, lambda r, e: suggestions[e.id].timing)),
        "plain": figure(
            "plain rule （削除）→事後, else 事前", *agreement(placed, lambda r, e: plain_rule(r))
        ),
        "held_out": figure(
            "leave-one-revision-out", *agreement(placed, lambda r, e: held_out[e.id].timing)
        ),
    }
    for index, row, _revision, entry in placed:
        suggestion = suggestions[entry.id]
        if suggestion.timing is Timing(row["timing"]):
            continue
        print(f"- row #{index} {row['date_iso']} {' / '.join(row['item_path'])}")
        print(
            f"  staff: {row['timing']}  suggested: {suggestion.timing.value} "
            f"({suggestion.kind}, 確度 {suggestion.confidence.value})"
        )
        if verbose:
            for reason in suggestion.reasons:
                print(f"    理由: {reason}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=Path, default=DEFAULT_ROWS)
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument(
        "--no-tree",
        action="store_true",
        help="rows keep no node: the ※ flag comes from the path text (imported history)",
    )
    args = parser.parse_args()
    rows = json.loads(args.rows.read_text(encoding="utf-8"))
    run(rows, args.verbose, use_tree=not args.no_tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())

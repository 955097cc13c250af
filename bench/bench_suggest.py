"""Benchmark: suggestions for 1,000 change rows (not a test).

Builds a revision of 1,000 distinct rows from the real sample rows (tests/data) and
times (a) the first suggestion pass over the revision and (b) 200 single-row look-ups
served from the cache, against a baseline measured in the same run: one plain
character diff of every row (the least work any suggestion needs).
Targets: (a) <= 1 s, (b) <= 0.5 s.

    /work/venv/bin/python bench/bench_suggest.py
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pia_desk.domain.entries import ChangeEntry, Revision  # noqa: E402
from pia_desk.domain.item_path import match_item_path  # noqa: E402
from pia_desk.domain.project import Project  # noqa: E402
from pia_desk.domain.suggest import suggest_for_entry, suggest_for_revision  # noqa: E402
from pia_desk.domain.textdiff import diff_chunks  # noqa: E402
from pia_desk.storage.templates import load_template  # noqa: E402

ROWS = REPO / "tests" / "data" / "bessoe2-sample.json"


def build(rows: list[dict]) -> tuple[Project, Revision]:
    project = Project.from_template(load_template("juten"))
    revision = Revision(id="big", date=date(2021, 12, 8))
    for i in range(1000):
        row = rows[i % len(rows)]
        found = match_item_path(project.root, row["item_path"])
        tail = f"\n（整理番号{i}）"  # distinct texts: no diff is reused from a cache
        revision.entries.append(
            ChangeEntry(
                f"big{i}",
                tuple(row["item_path"]),
                row["before"] + tail,
                row["after"] + tail,
                found.node.id if found else None,
            )
        )
    project.revisions = [revision]
    return project, revision


def main() -> None:
    rows = json.loads(ROWS.read_text(encoding="utf-8"))
    project, revision = build(rows)
    started = time.perf_counter()
    for entry in revision.entries:
        diff_chunks(entry.before, entry.after)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    suggestions = suggest_for_revision(project, revision)
    first = time.perf_counter() - started
    started = time.perf_counter()
    for entry in revision.entries[:200]:
        suggest_for_entry(project, revision, entry)
    cached = time.perf_counter() - started
    print(f"rows: {len(suggestions)}")
    print(f"baseline (one char diff per row): {floor:.3f} s")
    print(f"first pass: {first:.3f} s ({first / floor:.1f}x baseline; target <= 1 s)")
    print(f"200 cached look-ups: {cached:.3f} s (target <= 0.5 s)")


if __name__ == "__main__":
    main()

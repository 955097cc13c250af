"""Benchmark: importing 2,000 change-table rows from .docx and .xlsx (not a test).

Tables are built from the 27 real sample rows (each copy made unique, so no row is
skipped as a duplicate): a .docx exported by PIA Desk with split rows, a hand-made
.docx (a table per page, rows split by hand, continuations after other rows), an
.xlsx and a Shift_JIS .csv. Timed: reading, joining, matching 項目 to the tree and
adding the entries to a new 重点項目評価書 project (plan_import + apply_import).
Also timed: planning the PIA Desk .docx again into the project that already holds its
rows (every row a duplicate; duplicate keys render every existing entry's row).
Target: <= 2 s per file.

    /work/venv/bin/python bench/bench_import.py [ROWS]
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_import_tables import (  # noqa: E402  (the test suite's table builders)
    office_rows,
    sample_cells,
    write_csv,
    write_office_docx,
    write_xlsx,
)

from pia_desk.export.docx_writer import DocxOptions, write_docx  # noqa: E402
from pia_desk.export.table import ChangeTable, TableRow  # noqa: E402
from pia_desk.importing.join import join_rows  # noqa: E402
from pia_desk.importing.table_reader import apply_import, plan_import, read_table  # noqa: E402
from pia_desk.storage.project_file import new_project  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "bessoe2-sample.json"
TARGET_SECONDS = 2.0
RUNS = 3


def unique_cells(count: int) -> list[list[str]]:
    rows = json.loads(SAMPLE.read_text(encoding="utf-8"))
    cells = []
    for i in range(count):
        row = sample_cells(rows[i % len(rows)])
        row[3] = f"{row[3]}\n（第{i + 1}版）"
        cells.append(row)
    return cells


def pia_desk_docx(path: Path, cells: list[list[str]]) -> Path:
    table = ChangeTable("（別添２）変更箇所", tuple(TableRow(*c) for c in cells))
    write_docx(table, path, DocxOptions(split_lines=40))
    return path


def timed(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_once(path: Path) -> int:
    project = new_project("juten")
    report = apply_import(project, plan_import(path, project))
    return report.entries_created


def main(count: int) -> int:
    cells = unique_cells(count)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        files = {
            ".docx (PIA Desk, split rows)": pia_desk_docx(tmp / "pia.docx", cells),
            ".docx (hand-made, split rows)": write_office_docx(
                tmp / "office.docx", office_rows(cells), page_rows=8
            ),
            ".xlsx": write_xlsx(tmp / "table.xlsx", office_rows(cells)),
            ".csv (Shift_JIS)": write_csv(tmp / "table.csv", cells),
        }
        print(f"Importing {count:,} rows (median of {RUNS} runs)")
        print(f"{'source':32} {'size':>8} {'read':>7} {'join':>7} {'total':>7}  result")
        failed = False
        for name, path in files.items():
            created = import_once(path)
            raw = read_table(path)
            read = timed(lambda p=path: read_table(p))
            join = timed(lambda r=raw: join_rows(r))
            total = timed(lambda p=path: import_once(p))
            ok = created == count and total <= TARGET_SECONDS
            failed |= not ok
            size = path.stat().st_size / 1024 / 1024
            print(
                f"{name:32} {size:6.1f}MB {read:6.2f}s {join:6.2f}s {total:6.2f}s  "
                f"{created:,} entries, {len(raw.rows):,} table rows, "
                f"{'OK' if ok else 'FAILED'} (target <= {TARGET_SECONDS} s)"
            )
        failed |= not reimport(files[".docx (PIA Desk, split rows)"], count)
    return 1 if failed else 0


def reimport(path: Path, count: int) -> bool:
    project = new_project("juten")
    apply_import(project, plan_import(path, project))
    seconds = timed(lambda: plan_import(path, project))
    new = len(plan_import(path, project).new_entries)
    ok = new == 0 and seconds <= TARGET_SECONDS
    print(
        f"{'re-import of the PIA Desk .docx':32} {'':>8} {'':>7} {'':>7} {seconds:6.2f}s  "
        f"{count:,} existing entries, {new:,} new, "
        f"{'OK' if ok else 'FAILED'} (target <= {TARGET_SECONDS} s)"
    )
    return ok


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))

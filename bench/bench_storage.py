"""Load and save of a large 全項目評価書 project against bare lxml on the same file.

Generates a project with every item filled (300–3,000 characters) and 10 submitted
revisions of 100 entries each, then reports:
  load  = load_project (safe parse + schema validation + model) vs etree.parse
  save  = save_project (serialise + atomic write with fsync, no backup copy) vs
          etree.tostring + write of the same tree
Targets: load <= 3x, save <= 3x.  Run: python bench/bench_storage.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pia_desk.domain.project import Project
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import Value
from pia_desk.storage.project_file import new_project, save_project
from pia_desk.storage.session import load_project

KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
)
WORDS = [
    "特定個人情報",
    "予防接種",
    "当市",
    "システム",
    "委託先",
    "管理",
    "、",
    "。\n",
    "措置",
    "記録",
]


def random_text(rng: random.Random, low: int = 300, high: int = 3000) -> str:
    size = rng.randint(low, high)
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(
            rng.choice(WORDS) if rng.random() < 0.3 else rng.choice(KANA) * rng.randint(1, 3)
        )
    return "".join(parts)[:size]


def large_project(seed: int = 7) -> Project:
    rng = random.Random(seed)
    project = new_project("zenkoumoku", org="ベンチ市長", title="大規模ベンチマーク")
    texts = [n for n in project.items() if n.kind is NodeKind.TEXT]
    values = {n.id: Value(text=random_text(rng)) for n in texts}
    project.baseline, project.working = dict(values), dict(values)
    day = date(2016, 4, 1)
    for _ in range(10):
        project.start_revision(day)
        for node in rng.sample(texts, min(100, len(texts))):
            text = project.value(node.id).text
            cut = rng.randrange(len(text))
            project.set_text(node.id, text[:cut] + random_text(rng, 5, 40) + text[cut + 3 :])
        project.submit_draft(day + timedelta(days=10))
        day += timedelta(days=200)
    return project


def timed(fn, repeat: int = 7) -> float:
    """Best of `repeat` runs: the least disturbed by other work on a shared machine
    (both sides of every ratio are measured the same way)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    project = large_project()
    entries = sum(len(r.entries) for r in project.revisions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large.piadesk"
        save_project(project, path, backups=0)
        size = path.stat().st_size
        bare_parse = timed(lambda: etree.parse(str(path)))
        load = timed(lambda: load_project(path))
        tree = etree.parse(str(path))
        bare_out = Path(folder) / "bare.xml"
        bare_save = timed(
            lambda: bare_out.write_bytes(
                etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
            )
        )
        loaded = load_project(path).project
        loaded.meta.affair += "。"  # a real edit, so the file is rewritten
        first_save = timed(lambda: save_project(loaded, path, backups=0), repeat=1)
        save = timed(lambda: save_project(loaded, path, backups=0))
    print(f"project: {size / 1e6:.1f} MB, {len(list(project.items()))} items, {entries} entries")
    print(f"bare lxml parse        {bare_parse * 1000:8.1f} ms")
    print(
        f"load_project           {load * 1000:8.1f} ms   ratio {load / bare_parse:4.2f}x (target <= 3x)"
    )
    print(f"bare serialise + write {bare_save * 1000:8.1f} ms")
    print(
        f"save_project           {save * 1000:8.1f} ms   ratio {save / bare_save:4.2f}x (target <= 3x)"
    )
    print(
        f"first save after load  {first_save * 1000:8.1f} ms   ratio {first_save / bare_save:4.2f}x"
        " (one run; submitted revisions reuse their parsed elements)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

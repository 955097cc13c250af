"""A generated project whose change table runs over many pages: long items with
several paragraphs, headings (＜…＞), blank lines, emptied items, and rows of
every height, for the page-layout tests (export, printing, re-import)."""

from __future__ import annotations

from datetime import date

from pia_desk.domain.entries import Timing
from pia_desk.domain.project import Project
from pia_desk.storage.project_file import new_project

SENTENCES = (
    "特定個人情報の入手元及び入手方法を見直し、記載を改める。",
    "当市区町村の領域にデータを保管し、当該領域のデータは暗号化処理をする。",
    "住民基本台帳ネットワークシステムを通じて本人確認情報を照会する。",
    "委託先における取扱状況を年１回以上確認し、その結果を記録する。",
    "（平成26年内閣府・総務省令第７号）に基づき情報照会を行う。",
)


def _paragraphs(seed: int, count: int) -> str:
    lines = []
    for i in range(count):
        if i % 7 == 3:
            lines.append(f"＜第{seed}の{i}の措置に係る追加措置＞")
        elif i % 11 == 5:
            lines.append("")
        else:
            length = 1 + (seed + i) % 4
            lines.append("".join(SENTENCES[(seed + i + k) % 5] for k in range(length)))
    return "\n".join(lines)


def big_project(rows: int = 320) -> Project:
    """`rows` entries over submitted revisions (one entry per text item per revision)."""
    project = new_project("juten", org="○○市長", title="予防接種に関する事務")
    items = [n.id for n in project.items() if n.kind.value == "text"][5:]  # not the cover
    made = 0
    revision = 0
    while made < rows:
        day = date(2021 + revision // 10, 1 + revision % 10, 10 + revision % 15)
        draft = project.start_revision(day)
        for index, item in enumerate(items):
            if made >= rows:
                break
            seed = made * 7 + index
            size = (1, 2, 4, 8, 16, 30, 60)[seed % 7]
            if revision and seed % 13 == 0:
                project.set_text(item, "")  # an item emptied: a deletion
            else:
                project.set_text(item, _paragraphs(seed, size))
            made += 1
        for n, entry in enumerate(draft.entries):
            timing = Timing.POST if n % 3 else Timing.PRE
            explanation = "重要な変更に当たらない。" if n % 2 else "時点修正"
            project.update_entry(entry.id, timing=timing, explanation=explanation)
        project.submit_draft(day)
        revision += 1
    return project

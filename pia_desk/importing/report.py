"""What an import did (or would do): counts and lists, as Japanese text for CLI and dialog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pia_desk.domain.values import Value


@dataclass
class ImportReport:
    source: Path
    tables_found: int = 0
    rows_read: int = 0  # data rows of the tables (header copies and blank rows excluded)
    header_rows_skipped: int = 0
    blank_rows: int = 0
    rows_joined: int = 0  # continuation parts joined to the row they continue
    entries_planned: int = 0
    entries_created: int = 0
    revisions_created: int = 0
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (where, 項目)
    # (where, 項目, the repeat instance written): システム５ when the tree has no システム５.
    missing_repeats: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    warnings: list[str] = field(default_factory=list)
    # --set-baseline: items given their text as last submitted (planned, then set).
    baseline_requested: bool = False
    baseline_planned: int = 0
    baseline_set: int = 0
    baseline_applied: bool = False
    baseline_skipped: list[tuple[str, str]] = field(default_factory=list)  # (項目, why)
    # The old (baseline, working) values, for Project.restore_baseline_values (undo).
    baseline_undo: dict[str, tuple[Value, Value]] = field(default_factory=dict, repr=False)

    def lines(self) -> list[str]:
        """The report as lines of Japanese text."""
        out = [
            f"取り込み元: {self.source.name}",
            f"見つかった表: {self.tables_found}",
            f"読み込んだ行: {self.rows_read}"
            f"（ほかに繰り返しの見出し行 {self.header_rows_skipped} 行、"
            f"空欄の行 {self.blank_rows} 行を読み飛ばしました）",
            f"分割行の結合: {self.rows_joined} 行を元の行に結合",
            f"変更箇所: {self.entries_created or self.entries_planned} 件"
            + ("を取り込みました" if self.entries_created else "を取り込みます"),
        ]
        if self.revisions_created:
            out.append(f"新しい改訂（変更日）: {self.revisions_created} 件")
        if self.unmatched:
            out.append(
                f"項目ツリーに対応付けられなかった項目: {len(self.unmatched)} 件"
                "（記載どおりの項目名で取り込みます）"
            )
            out += [f"  ・{where}: {item}" for where, item in self.unmatched]
        if self.missing_repeats:
            example = self.missing_repeats[0][2]
            done = "ました" if self.entries_created else "ます"
            out.append(
                f"繰り返し項目（{example}など）が現在の項目ツリーにないため、"
                f"項目名のまま取り込み{done}: {len(self.missing_repeats)} 件"
            )
            out += [f"  ・{where}: {item}" for where, item, _ in self.missing_repeats]
        if self.baseline_requested:
            out += self._baseline_lines()
        if self.skipped:
            out.append(f"取り込まなかった行: {len(self.skipped)} 行")
            out += [f"  ・{where}: {why}" for where, why in self.skipped]
        if self.warnings:
            out.append(f"注意: {len(self.warnings)} 件")
            out += [f"  ・{w}" for w in self.warnings]
        return out

    def _baseline_lines(self) -> list[str]:
        if self.baseline_applied:
            out = [f"変更前の記載（提出時の記載）を設定した項目: {self.baseline_set} 件"]
        else:
            out = [f"変更前の記載（提出時の記載）を設定する項目: {self.baseline_planned} 件"]
        if self.baseline_skipped:
            out.append(f"記載を設定しなかった項目: {len(self.baseline_skipped)} 件")
            out += [f"  ・{item}: {why}" for item, why in self.baseline_skipped]
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

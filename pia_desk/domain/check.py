"""Pre-submission check of a project: findings with a severity, a code and a target.

`run_checks` looks at the entries in scope (every entry of every revision by default,
or one revision, or a range of 変更日) and at the project as a whole:

entries   timing-missing (error), explanation-missing (warning), timing-differs
          (warning when 事後 is chosen but 事前 suggested, else info; not for
          low-confidence suggestions), suggestion-uncertain (info: a 低 suggestion is
          「確認してください」, not a decision), excluded-entry (warning), date-order
          (error in the draft, warning in submitted history), threshold-input
          (warning in the draft, else info: a しきい値判断 input changed)
revisions revision-has-pre (info: 事前 and 事後 rows under one 変更日), public-comment
          (全項目評価書 with 事前 rows: 意見の聴取 and 第三者点検 before submission;
          warning in the draft, else info)
project   term-mixed (warning), required-empty (error), published-missing (info),
          reassessment-due (warning) / reassessment-soon (info), review-due (warning)

The lists of required items and of しきい値判断 inputs are data
(resources/rules/required_items.json, check_rules.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

from pia_desk.domain.classify import TermPair, classify_entry
from pia_desk.domain.entries import ChangeEntry, Revision, Timing
from pia_desk.domain.item_path import match_item_path
from pia_desk.domain.project import Project
from pia_desk.domain.suggest import Suggestion, project_context, suggest_for_revision
from pia_desk.domain.tree import Node
from pia_desk.domain.wareki import format_wareki
from pia_desk.paths import resource_path

REASSESSMENT_YEARS = 5  # 規則第15条
REASSESSMENT_NOTICE = timedelta(days=180)
REVIEW_YEARS = 1


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "情報"}[self.value]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str  # Japanese, complete
    entry_id: str | None = None
    node_id: str | None = None
    item: str = ""  # the 項目 path, " / " between components
    date: date | None = None

    @property
    def target(self) -> str | None:
        """What a view should show for the finding: the entry, else the item."""
        return self.entry_id or self.node_id

    def describe(self) -> str:
        """One line for people: severity, where, message."""
        where = " ".join(p for p in (format_wareki(self.date) if self.date else "", self.item) if p)
        return f"{self.severity.label}: {where + '：' if where else ''}{self.message}"

    def to_json(self) -> dict:
        data: dict = {"severity": self.severity.value, "code": self.code, "message": self.message}
        if self.entry_id:
            data["entry"] = self.entry_id
        if self.item:
            data["item"] = self.item
        return data


@dataclass(frozen=True)
class EntryCheck:
    entry: ChangeEntry
    revision: Revision
    suggestion: Suggestion

    @property
    def date(self) -> date:
        return self.revision.entry_date(self.entry)

    def to_json(self) -> dict:
        return {
            "id": self.entry.id,
            "date": self.date.isoformat(),
            "item": path_text(self.entry.item_path),
            "timing": self.entry.timing.value,
            "suggested_timing": self.suggestion.timing.value,
            "suggested_explanation": self.suggestion.explanation,
            "reasons": list(self.suggestion.reasons),
            "confidence": self.suggestion.confidence.value,
        }


@dataclass
class CheckReport:
    entries: list[EntryCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def to_json(self) -> dict:
        return {
            "entries": [e.to_json() for e in self.entries],
            "findings": [f.to_json() for f in self.findings],
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)


def path_text(path: tuple[str, ...] | list[str]) -> str:
    """An item's path as the editor shows it everywhere: Ⅰ基本情報 ＞ １．… ＞ ①…"""
    return " ＞ ".join(p.strip() for p in path)


# -- the check -------------------------------------------------------------------------------
def run_checks(
    project: Project,
    *,
    revision_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
) -> CheckReport:
    """Check the entries in scope and the project; findings in a stable order."""
    today = today or project.today()
    report = CheckReport()
    for revision in _revisions(project, revision_id):
        suggestions = suggest_for_revision(project, revision)
        previous = _previous_submitted_date(project, revision)
        in_scope: list[EntryCheck] = []
        for entry in revision.entries:
            day = revision.entry_date(entry)
            if (date_from and day < date_from) or (date_to and day > date_to):
                continue
            checked = EntryCheck(entry, revision, suggestions[entry.id])
            report.entries.append(checked)
            report.findings.extend(_entry_findings(checked, previous))
            report.findings.extend(_threshold_findings(project, checked))
            in_scope.append(checked)
        report.findings.extend(_revision_findings(project, revision, in_scope))
    report.findings.extend(_term_findings(project))
    report.findings.extend(_required_findings(project))
    report.findings.extend(_schedule_findings(project, today))
    return report


def _revisions(project: Project, revision_id: str | None) -> list[Revision]:
    return [project.revision(revision_id)] if revision_id else list(project.revisions)


def _previous_submitted_date(project: Project, revision: Revision) -> date | None:
    """The latest 変更日 submitted before `revision` (all submitted ones for the draft)."""
    index = project.revisions.index(revision)
    earlier = project.revisions if revision.is_draft else project.revisions[:index]
    dates = [r.date for r in earlier if not r.is_draft and r is not revision]
    return max(dates, default=None)


def _entry_finding(checked: EntryCheck, severity: Severity, code: str, message: str) -> Finding:
    entry = checked.entry
    return Finding(
        severity, code, message, entry.id, entry.node_id, path_text(entry.item_path), checked.date
    )


def _entry_findings(checked: EntryCheck, previous: date | None) -> Iterator[Finding]:
    entry, suggestion = checked.entry, checked.suggestion

    def finding(severity: Severity, code: str, message: str) -> Finding:
        return _entry_finding(checked, severity, code, message)

    if not entry.include:
        if entry.before != entry.after:
            yield finding(
                Severity.WARNING,
                "excluded-entry",
                "項目が変更されていますが、この変更箇所は出力しない設定です。",
            )
        return
    uncertain = suggestion.is_uncertain and suggestion.timing is not Timing.UNSET
    if entry.timing is Timing.UNSET:
        hint = f"（提案: {suggestion.timing.value}）" if suggestion.timing else ""
        if uncertain:
            hint = f"（提案: {suggestion.timing.value}、確度 低）"
        yield finding(Severity.ERROR, "timing-missing", f"提出時期が入力されていません{hint}。")
    elif entry.timing is Timing.POST and not entry.explanation.strip():
        yield finding(
            Severity.WARNING,
            "explanation-missing",
            "事後の変更ですが、提出時期に係る説明が入力されていません"
            + (f"（提案: {suggestion.explanation}）。" if suggestion.explanation else "。"),
        )
    if uncertain and entry.timing is not suggestion.timing:
        message = _check_rules()["messages"]["uncertain"].format(timing=suggestion.timing.value)
        yield finding(Severity.INFO, "suggestion-uncertain", message)
    elif entry.timing and suggestion.timing and entry.timing is not suggestion.timing:
        severity = Severity.WARNING if suggestion.important else Severity.INFO
        yield finding(
            severity,
            "timing-differs",
            f"提出時期は{entry.timing.value}ですが、提案は{suggestion.timing.value}です。"
            f"理由: {suggestion.deciding_reason}",
        )
    if previous is not None and checked.date < previous:
        severity = Severity.ERROR if checked.revision.is_draft else Severity.WARNING
        yield finding(
            severity,
            "date-order",
            f"変更日が、提出済みの直前の改訂の変更日（{format_wareki(previous)}）より前です。",
        )


def _effective_timing(checked: EntryCheck) -> Timing:
    """The user's 提出時期, else the suggested one."""
    return checked.entry.timing or checked.suggestion.timing


@cache
def _check_rules() -> dict:
    path = resource_path("rules", "check_rules.json")
    return json.loads(path.read_text(encoding="utf-8"))


def threshold_inputs(project: Project) -> dict[str, str]:
    """Node id → the しきい値判断 input it carries (対象人数 …), for the project's form."""
    found = {}
    for spec in _check_rules()["threshold_inputs"].get(project.meta.form, []):
        node = project.find_node(spec["id"]) or _node_by_path(project, spec["path"])
        if node is not None:
            found[node.id] = spec["input"]
    return found


def _threshold_findings(project: Project, checked: EntryCheck) -> Iterator[Finding]:
    entry = checked.entry
    if not entry.include or entry.before == entry.after:
        return
    node = project_context(project).node_for(entry)
    item = threshold_inputs(project).get(node.id) if node is not None else None
    if item is None:
        return
    messages = _check_rules()["messages"]
    severity = Severity.WARNING if checked.revision.is_draft else Severity.INFO
    message = messages["threshold_input"].format(input=item, source=messages["threshold_source"])
    yield _entry_finding(checked, severity, "threshold-input", message)


def _revision_findings(
    project: Project, revision: Revision, checked: list[EntryCheck]
) -> Iterator[Finding]:
    """Findings about a revision as a whole: its rows' 提出時期 taken together."""
    timings = [_effective_timing(c) for c in checked if c.entry.include]
    if Timing.PRE not in timings:
        return
    rules = _check_rules()
    messages = rules["messages"]
    severity = Severity.WARNING if revision.is_draft else Severity.INFO
    if Timing.POST in timings:
        yield Finding(
            Severity.INFO, "revision-has-pre", messages["revision_has_pre"], date=revision.date
        )
    if project.meta.form in rules["pre_review_forms"]:
        message = messages["public_comment"].format(source=messages["public_comment_source"])
        yield Finding(severity, "public-comment", message, date=revision.date)


# -- project-wide findings ------------------------------------------------------------------
def learned_pairs(project: Project) -> list[TermPair]:
    """Term pairs the project's entries replace consistently (e.g. 当市区町村→当市)."""
    context = project_context(project)
    pairs: dict[TermPair, None] = {}
    for _, entry in project.all_entries():
        for pair in classify_entry(project, entry, context).pairs:
            pairs[pair] = None
    return list(pairs)


def _occurs(text: str, term: str, other: str) -> bool:
    """`term` occurs in `text` outside occurrences of `other` (当市 inside 当市区町村)."""
    if term in other:
        text = text.replace(other, "\0")
    return term in text


def _term_findings(project: Project) -> Iterator[Finding]:
    pairs = learned_pairs(project)
    if not pairs:
        return
    texts = [(node, project.text_of(node.id)) for node in project.items()]
    for pair in pairs:
        holding_old = [(n, t) for n, t in texts if _occurs(t, pair.old, pair.new)]
        if not holding_old or not any(_occurs(t, pair.new, pair.old) for _, t in texts):
            continue
        for node, _ in holding_old:
            yield Finding(
                Severity.WARNING,
                "term-mixed",
                f"「{pair.old}」が残っています。変更箇所では「{pair}」に修正しており、"
                f"評価書内で「{pair.old}」と「{pair.new}」が混在しています。",
                node_id=node.id,
                item=path_text(node.path_labels()),
            )


@cache
def _required_data() -> dict:
    path = resource_path("rules", "required_items.json")
    return json.loads(path.read_text(encoding="utf-8"))


def required_items(project: Project) -> list[tuple[Node, str | None]]:
    """(node, meta field that may fill it) of the project's required items."""
    found = []
    for spec in _required_data()["forms"].get(project.meta.form, []):
        node = project.find_node(spec["id"]) or _node_by_path(project, spec["path"])
        if node is not None and not node.is_deleted:
            found.append((node, spec.get("meta")))
    return found


def _node_by_path(project: Project, path: list[str]) -> Node | None:
    match = match_item_path(project.root, path)
    return match.node if match is not None and match.exact else None


def _required_findings(project: Project) -> Iterator[Finding]:
    for node, _meta_field in required_items(project):
        if project.value(node.id).is_empty:
            yield Finding(
                Severity.ERROR,
                "required-empty",
                f"必須の項目「{node.label}」が入力されていません。",
                node_id=node.id,
                item=path_text(node.path_labels()),
            )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _schedule_findings(project: Project, today: date) -> Iterator[Finding]:
    published = project.published
    if published is None:
        yield Finding(
            Severity.INFO,
            "published-missing",
            "公表日が設定されていません。再評価の期限（公表日から5年）を確認できません。",
        )
    else:
        due = _add_years(published, REASSESSMENT_YEARS)
        if today >= due:
            yield Finding(
                Severity.WARNING,
                "reassessment-due",
                f"最後の公表日（{format_wareki(published)}）から5年を経過しています。"
                "評価を再実施してください（規則第15条）。",
            )
        elif today >= due - REASSESSMENT_NOTICE:
            yield Finding(
                Severity.INFO,
                "reassessment-soon",
                f"最後の公表日（{format_wareki(published)}）から5年となる"
                f"{format_wareki(due)}までに評価の再実施が必要です（規則第15条）。",
            )
    reviewed = project.meta.reviewed or _last_submission(project)
    if reviewed is not None and today > _add_years(reviewed, REVIEW_YEARS):
        yield Finding(
            Severity.WARNING,
            "review-due",
            f"最後の見直し（{format_wareki(reviewed)}）から1年以上が経過しています。"
            "評価書は少なくとも1年に1回見直すよう努めてください（指針）。",
        )


def _last_submission(project: Project) -> date | None:
    dates = [r.submitted_on or r.date for r in project.submitted]
    return max(dates, default=None)

"""Take in a city's current 評価書 (.docx, .xlsx, .pdf, .txt) as the text as last submitted.

`plan_assessment(path, project=None, form=None)` reads the document and places its
text into the form's tree (changing nothing: a preview); `apply_assessment(project,
plan)` puts it in place as the baseline, so that no value becomes a change row. The
form is the one given, else the one the document names (title or stamp), else the
one whose labels the document matches best. A readable file without a recognisable
評価書 raises NotAnAssessmentError; an unreadable or refused one UnreadableDocumentError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pia_desk.domain.document_flow import TextFlow
from pia_desk.domain.document_match import DocumentMatch, detect_form, match_document
from pia_desk.domain.first_entry import TakeInRecord, take_in_document
from pia_desk.domain.project import Project
from pia_desk.domain.tree import FORM_CODES
from pia_desk.importing.assessment_errors import NotAnAssessmentError
from pia_desk.importing.assessment_reader import read_document
from pia_desk.storage.templates import FORM_NAMES, load_template

# A document is an assessment when it names its form and places a few items, or
# places this share of the form's items without naming it.
MIN_ITEMS_NAMED = 3
MIN_SHARE_UNNAMED = 0.3
LISTED = 30  # lines of each list in the report; the rest are counted

HOW_GIVEN, HOW_NAMED, HOW_MATCHED, HOW_PROJECT = (
    "--form の指定",
    "文書の表題・様式の表示",
    "項目名の一致",
    "プロジェクトの様式",
)


@dataclass
class AssessmentPlan:
    source: Path
    form: str
    form_how: str
    flow: TextFlow
    match: DocumentMatch
    template_stamp: str = ""
    notes: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        m = self.match
        lines = [
            f"取り込み元: {self.source.name}",
            f"様式: {FORM_NAMES[self.form]}（{self.form_how}による）",
            f"様式の版: {m.stamp}"
            if m.stamp
            else f"様式の版: 文書に表示がありません（{self.template_stamp} のまま）",
            f"記載を取り込んだ項目: {m.items_found} / {m.items_total}",
        ]
        if m.added_repeats:
            lines.append(f"文書に合わせて追加した繰り返し項目: {len(m.added_repeats)} 件")
            lines += _listed(m.added_repeats)
        if m.added_items:
            lines.append(f"文書にあり様式にない項目（プロジェクトに追加）: {len(m.added_items)} 件")
            lines += _listed([f"{path}（{where}）" for path, where in m.added_items])
        if m.missing:
            lines.append(
                f"文書に見つからなかった様式の項目（空欄のまま残します）: {len(m.missing)} 件"
            )
            lines += _listed(m.missing)
        if m.unplaced:
            lines.append(f"どの項目にも入らなかった記載: {len(m.unplaced)} 件")
            lines += _listed([f"{where}: {text}" for where, text in m.unplaced])
        if m.problems:
            lines.append(f"読み取れなかった選択・日付: {len(m.problems)} 件")
            lines += _listed([f"{path}（{where}）: {why}" for path, where, why in m.problems])
        lines += self.notes
        return lines

    def text(self) -> str:
        return "\n".join(self.report_lines())


def _listed(items: list[str]) -> list[str]:
    shown = [f"  ・{item}" for item in items[:LISTED]]
    if len(items) > LISTED:
        shown.append(f"  （ほか {len(items) - LISTED} 件）")
    return shown


def plan_assessment(
    path: Path | str, project: Project | None = None, form: str | None = None
) -> AssessmentPlan:
    """Read and place the document; changes nothing. `project`: an existing project
    (its own tree is used); otherwise the form's template."""
    path = Path(path)
    flow = read_document(path)
    if project is not None:
        plan = _plan(path, flow, project.meta.form, HOW_PROJECT, project)
    elif form is not None:
        plan = _plan(path, flow, form, HOW_GIVEN)
    elif (named := detect_form(flow)) is not None:
        plan = _plan(path, flow, named, HOW_NAMED)
    else:
        plans = [_plan(path, flow, code, HOW_MATCHED) for code in FORM_CODES]
        plan = max(plans, key=lambda p: p.match.items_found / max(1, p.match.items_total))
    _require_assessment(plan)
    if plan.match.annex_found:
        plan.notes.append(
            "変更箇所の表は取り込んでいません。過去の変更箇所は import-table で履歴として取り込めます。"
        )
    plan.notes += flow.notes
    return plan


def _plan(
    path: Path, flow: TextFlow, form: str, how: str, project: Project | None = None
) -> AssessmentPlan:
    template = load_template(form)
    root = project.root if project is not None else template.root
    annex = project.meta.annex_label if project is not None else template.annex_label
    match = match_document(flow, root, annex)
    return AssessmentPlan(path, form, how, flow, match, template_stamp=template.stamp)


def _require_assessment(plan: AssessmentPlan) -> None:
    m = plan.match
    named = bool(m.stamp) or m.form_hint is not None
    if named and m.items_found >= MIN_ITEMS_NAMED:
        return
    if m.items_found >= MIN_SHARE_UNNAMED * max(1, m.items_total):
        return
    kind = "変更箇所の表" if _looks_like_change_table(plan.flow) else "評価書"
    if kind == "変更箇所の表":
        message = (
            "この文書は変更箇所の表のようです。評価書として取り込めません。"
            "変更箇所の表は import-table で履歴として取り込めます。"
        )
    else:
        message = (
            f"特定個人情報保護評価書として読み取れません（{FORM_NAMES[plan.form]}の項目が "
            f"{m.items_found} 件しか見つかりませんでした）。評価書の Word・Excel・PDF を指定してください。"
        )
    raise NotAnAssessmentError(message, plan.source)


def _looks_like_change_table(flow: TextFlow) -> bool:
    head = "".join("".join(s.text.split()) for s in flow.segments[:200])
    return all(word in head for word in ("変更日", "変更前の記載", "変更後の記載"))


def apply_assessment(project: Project, plan: AssessmentPlan) -> TakeInRecord:
    """Put the plan in place as the project's text as last submitted (DomainError when
    the project has history)."""
    return take_in_document(project, plan.match)


__all__ = ["AssessmentPlan", "apply_assessment", "plan_assessment"]

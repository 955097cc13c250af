"""Undoable edits of a project (QUndoCommand subclasses over the domain operations).

Every edit the editor makes goes through one of these, so one QUndoStack undoes it
exactly: undo and redo put back the same objects (nodes, revisions, entries), so a
later command on the stack always finds what it changed. An edit that had to open
the draft revision closes it again on undo (when it is left empty).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from pia_desk.domain.entries import ChangeEntry, Revision
from pia_desk.domain.project import AdoptRecord, DomainError, Project, SubmitRecord
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import Value
from pia_desk.gui.text_edit import TextEdit

if TYPE_CHECKING:  # the import machinery loads only when a table is imported
    from pia_desk.domain.first_entry import TakeInRecord
    from pia_desk.importing.assessment_import import AssessmentPlan
    from pia_desk.importing.table_reader import ImportPlan, ImportReport

SET_VALUE_ID = 1001


class _DraftOpener:
    """The draft revision an edit had to open (change tracking calls `ensure_draft`).

    Undo removes that draft again when it is left empty; redo puts back the very same
    revision, so the entries and ids of later commands stay valid.
    """

    def __init__(self, project: Project) -> None:
        self._project = project
        self._opened: tuple[int, Revision] | None = None
        self._had_draft = True

    def before_redo(self) -> None:
        project = self._project
        if self._opened is not None and project.draft is None:
            index, revision = self._opened
            project.insert_revision(revision, index)
        self._had_draft = project.draft is not None

    def after_redo(self) -> None:
        draft = self._project.draft
        if self._opened is None and not self._had_draft and draft is not None:
            self._opened = (self._project.revisions.index(draft), draft)

    def after_undo(self) -> None:
        project = self._project
        if self._opened is None:
            return
        revision = self._opened[1]
        if project.draft is revision and not revision.entries:
            project.remove_revision(revision.id)


def _edited_field(old: Value, new: Value) -> str | None:
    """The one text field (text / other) that differs between two values, if only one does."""
    if old.checked != new.checked:
        return None
    if old.text != new.text and old.other == new.other:
        return "text"
    if old.other != new.other and old.text == new.text:
        return "other"
    return None


class SetValueCommand(QUndoCommand):
    """Set an item's working value; consecutive typing in one item merges into one step.

    `value` may be a plain str for text items. A burst stops at a newline, at a jump
    of the caret, or at an edit of another item or field.
    """

    def __init__(
        self, project: Project, node_id: str, value: Value | str, text: str | None = None
    ) -> None:
        super().__init__()
        self._project = project
        self._node_id = node_id
        self._old = project.value(node_id)
        self._new = Value(text=value) if isinstance(value, str) else value
        node = project.node(node_id)
        self.setText(text or f"「{node.label}」の編集")
        self._field = _edited_field(self._old, self._new)
        self._caret = self._caret_after(self._old, self._new)
        # The item's draft entry before and after this edit, so that undo and redo bring
        # back the same entry (id and the user's fields) even when tracking dropped it.
        self._entry_before: ChangeEntry | None = None
        self._entry_after: ChangeEntry | None = None
        self._captured = False
        self._draft = _DraftOpener(project)

    @property
    def node_id(self) -> str:
        return self._node_id

    def id(self) -> int:
        return SET_VALUE_ID

    def _caret_after(self, old: Value, new: Value) -> int | None:
        if self._field is None:
            return None
        edit = TextEdit.between(getattr(old, self._field), getattr(new, self._field))
        if "\n" in edit.inserted:
            return None
        return edit.start + len(edit.inserted)

    def redo(self) -> None:
        self._draft.before_redo()
        if self._captured:
            self._project.set_value(self._node_id, self._new)
            self._restore_entry(self._entry_after)
        else:
            self._entry_before = self._entry_copy()
            self._project.set_value(self._node_id, self._new)
            self._entry_after = self._entry_copy()
            self._captured = True
        self._draft.after_redo()

    def undo(self) -> None:
        self._project.set_value(self._node_id, self._old)
        self._restore_entry(self._entry_before)
        self._draft.after_undo()

    def _entry_copy(self) -> ChangeEntry | None:
        entry = self._project.entry_for_node(self._node_id)
        return copy.deepcopy(entry) if entry else None

    def _restore_entry(self, saved: ChangeEntry | None) -> None:
        """Put back the entry with the user's own fields if tracking had to drop it."""
        draft = self._project.draft
        if saved is None or draft is None:
            return
        current = draft.entry_for_node(self._node_id)
        if current is not None and current.id == saved.id:
            return
        index = len(draft.entries)
        if current is not None:
            index = self._project.remove_entry(draft, current)
        self._project.add_entry(draft, copy.deepcopy(saved), index)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetValueCommand) or other._node_id != self._node_id:
            return False
        if self._field is None or other._field != self._field or self._caret is None:
            return False
        edit = TextEdit.between(getattr(other._old, self._field), getattr(other._new, self._field))
        if "\n" in edit.inserted or other._caret is None:
            return False
        typed_on = not edit.removed and edit.start == self._caret
        deleted_back = not edit.inserted and edit.start + edit.removed == self._caret
        deleted_forward = not edit.inserted and edit.start == self._caret
        replaced_here = edit.removed and edit.inserted and edit.start == self._caret
        if not (typed_on or deleted_back or deleted_forward or replaced_here):
            return False
        self._new = other._new
        self._caret = other._caret
        self._entry_after = other._entry_after
        if self._new == self._old:
            self.setObsolete(True)
        return True


class UpdateEntryCommand(QUndoCommand):
    """Set user fields of a draft entry (提出時期, 説明, 変更日, quote mode …)."""

    def __init__(self, project: Project, entry_id: str, text: str = "", **fields: object) -> None:
        super().__init__(text or "変更箇所の編集")
        self._project = project
        self._entry_id = entry_id
        self._fields = fields
        self._old: dict[str, object] = {}

    @property
    def entry_id(self) -> str:
        return self._entry_id

    def redo(self) -> None:
        self._old = self._project.update_entry(self._entry_id, **self._fields)

    def undo(self) -> None:
        self._project.update_entry(self._entry_id, **self._old)


class _InsertNodeCommand(QUndoCommand):
    """Base for commands that add a subtree: redo re-inserts the same nodes."""

    def __init__(self, project: Project, text: str) -> None:
        super().__init__(text)
        self._project = project
        self._placed: tuple[str, int, Node] | None = None
        self._draft = _DraftOpener(project)

    @property
    def node_id(self) -> str | None:
        return self._placed[2].id if self._placed else None

    def _create(self) -> Node:
        raise NotImplementedError

    def redo(self) -> None:
        self._draft.before_redo()
        if self._placed is None:
            node = self._create()
            assert node.parent is not None
            self._placed = (node.parent.id, node.index_in_parent(), node)
        else:
            parent_id, index, node = self._placed
            self._project.insert_node(parent_id, node, index)
        self._draft.after_redo()

    def undo(self) -> None:
        assert self._placed is not None
        self._project.remove_node(self._placed[2].id)
        self._draft.after_undo()


class AddRepeatCommand(_InsertNodeCommand):
    """Add システムN / 委託事項N … after the last instance of a repeat group."""

    def __init__(self, project: Project, prototype_id: str) -> None:
        super().__init__(project, "繰り返し項目の追加")
        self._prototype_id = prototype_id

    def _create(self) -> Node:
        return self._project.add_repeat_instance(self._prototype_id)


class AddItemCommand(_InsertNodeCommand):
    """Add an item of the user's own under a group."""

    def __init__(
        self, project: Project, parent_id: str, label: str, kind: NodeKind = NodeKind.TEXT
    ) -> None:
        super().__init__(project, f"項目「{label}」の追加")
        self._parent_id, self._label, self._kind = parent_id, label, kind

    def _create(self) -> Node:
        return self._project.add_item(self._parent_id, self._label, self._kind)


class RenameNodeCommand(QUndoCommand):
    def __init__(self, project: Project, node_id: str, label: str) -> None:
        super().__init__(f"名前の変更（{label}）")
        self._project, self._node_id, self._label = project, node_id, label
        self._old = ""
        self._draft = _DraftOpener(project)

    def redo(self) -> None:
        self._draft.before_redo()
        self._old = self._project.rename_node(self._node_id, self._label)
        self._draft.after_redo()

    def undo(self) -> None:
        self._project.rename_node(self._node_id, self._old)
        self._draft.after_undo()


class RemoveNodeCommand(QUndoCommand):
    """Delete an item or group; undo restores its values and the draft's entries exactly."""

    def __init__(self, project: Project, node_id: str) -> None:
        super().__init__(f"「{project.node(node_id).label}」の削除")
        self._project, self._node_id = project, node_id
        self._entries: list[ChangeEntry] = []
        self._entries_after: list[ChangeEntry] | None = None
        self._values: dict[str, Value] = {}
        self._taken: tuple[str, int, Node] | None = None
        self._draft = _DraftOpener(project)

    def redo(self) -> None:
        project = self._project
        self._draft.before_redo()
        self._entries = project.capture_draft_entries()
        node = project.node(self._node_id)
        self._values = {n.id: project.working[n.id] for n in node.walk() if n.id in project.working}
        self._taken = project.remove_node(self._node_id)
        if self._entries_after is None:
            self._entries_after = project.capture_draft_entries()
        elif project.draft is not None:  # the same （削除） entries as the first time
            project.restore_draft_entries(self._entries_after)
        self._draft.after_redo()

    def undo(self) -> None:
        project = self._project
        if self._taken is None:
            project.restore_node(self._node_id)
        else:
            parent_id, index, node = self._taken
            project.insert_node(parent_id, node, index)
            for node_id, value in self._values.items():
                project.set_value(node_id, value)  # tells the views (VALUE_CHANGED)
        if project.draft is not None:
            project.restore_draft_entries(self._entries)
        self._draft.after_undo()


class StartRevisionCommand(QUndoCommand):
    """Open a draft revision with its 変更日; redo opens the same revision again."""

    def __init__(self, project: Project, on: date) -> None:
        super().__init__("新しい改訂の開始")
        self._project, self._on = project, on
        self._revision: Revision | None = None
        self._index = -1

    def redo(self) -> None:
        if self._revision is None:
            self._revision = self._project.start_revision(self._on)
            self._index = self._project.revisions.index(self._revision)
        else:
            # Later commands were undone first: the revision is empty and a draft again.
            assert self._revision.is_draft and not self._revision.entries
            self._project.insert_revision(self._revision, self._index)

    def undo(self) -> None:
        assert self._revision is not None
        self._project.remove_revision(self._revision.id)


class SetRevisionDateCommand(QUndoCommand):
    """Change the 変更日 of the draft revision."""

    def __init__(self, project: Project, revision_id: str, on: date) -> None:
        super().__init__("変更日の変更")
        self._project, self._revision_id, self._on = project, revision_id, on
        self._old: date | None = None

    def redo(self) -> None:
        self._old = self._project.set_revision_date(self._revision_id, self._on)

    def undo(self) -> None:
        assert self._old is not None
        self._project.set_revision_date(self._revision_id, self._old)


class SubmitRevisionCommand(QUndoCommand):
    """Freeze the draft (提出済み); undo brings back baseline, tree and status exactly."""

    def __init__(self, project: Project, submitted_on: date) -> None:
        super().__init__("改訂を提出済みにする")
        self._project, self._submitted_on = project, submitted_on
        self._record: SubmitRecord | None = None

    def redo(self) -> None:
        self._record = self._project.submit_draft_undoable(self._submitted_on)

    def undo(self) -> None:
        assert self._record is not None
        self._project.undo_submit(self._record)
        self._record = None


class AdoptBaselineCommand(QUndoCommand):
    """First use of an existing 評価書: the text entered so far becomes 変更前 (the text
    as submitted) instead of rows of changes; undo brings the rows back."""

    def __init__(self, project: Project) -> None:
        super().__init__("現在の記載を基準にする")
        self._project = project
        self._record: AdoptRecord | None = None

    def redo(self) -> None:
        self._record = self._project.adopt_working_as_baseline()

    def undo(self) -> None:
        assert self._record is not None
        self._project.undo_adopt(self._record)
        self._record = None


class SetMetaCommand(QUndoCommand):
    """Change the project's information (評価書番号, 評価書名, 公表日, 数字の書き方 …).

    The cover's values are items: changing them is tracked like an edit of 表紙, and
    undo drops that row again (and the draft revision the change had to open)."""

    def __init__(self, project: Project, **changes: object) -> None:
        super().__init__("プロジェクトの情報の変更")
        self._project, self._changes = project, changes
        self._old: dict[str, object] = {}
        self._draft = _DraftOpener(project)

    def redo(self) -> None:
        self._draft.before_redo()
        self._old = self._project.set_meta(**self._changes)
        self._draft.after_redo()

    def undo(self) -> None:
        self._project.set_meta(**self._old)
        self._draft.after_undo()


class ImportTableCommand(QUndoCommand):
    """Add an imported change table as history; undo removes exactly what it added.

    The first redo applies the plan and notes the revisions it created and the entries
    it added to revisions that were already there; later redos put back those objects.
    With `set_baseline`, matched items also get the text of their latest whole row as
    the text as last submitted; undo restores their old values.
    """

    def __init__(self, project: Project, plan: ImportPlan, *, set_baseline: bool = False) -> None:
        super().__init__(f"変更箇所の取り込み（{plan.source.name}）")
        self._project, self._plan, self._set_baseline = project, plan, set_baseline
        self.report: ImportReport | None = None
        self._created: list[tuple[int, Revision]] = []  # ascending index
        self._added: list[tuple[Revision, int, ChangeEntry]] = []  # in order of insertion
        self._baseline_old: dict[str, tuple[Value, Value]] = {}
        self._baseline_new: dict[str, Value] = {}

    def redo(self) -> None:
        if self.report is None:
            self._apply_first_time()
            return
        for index, revision in self._created:
            self._project.insert_revision(revision, index)
        for revision, index, entry in self._added:
            self._project.add_entry(revision, entry, index)
        if self._baseline_new:
            self._baseline_old = self._project.set_baseline_values(self._baseline_new)

    def _apply_first_time(self) -> None:
        from pia_desk.importing.table_reader import apply_import

        project = self._project
        existing = {id(r): list(r.entries) for r in project.revisions}
        self.report = apply_import(project, self._plan, set_baseline=self._set_baseline)
        self._baseline_old = dict(self.report.baseline_undo)
        self._baseline_new = {n: project.baseline_value(n) for n in self._baseline_old}
        for index, revision in enumerate(project.revisions):
            before = existing.get(id(revision))
            if before is None:
                self._created.append((index, revision))
                continue
            kept = {id(e) for e in before}
            self._added.extend(
                (revision, i, e) for i, e in enumerate(revision.entries) if id(e) not in kept
            )

    def undo(self) -> None:
        self._project.restore_baseline_values(self._baseline_old)
        for revision, _index, entry in reversed(self._added):
            self._project.remove_entry(revision, entry)
        for _index, revision in reversed(self._created):
            self._project.remove_revision(revision.id)


class TakeInDocumentCommand(QUndoCommand):
    """Take in a city's 評価書 as the text as last submitted (first use); undo puts
    back the tree, values and project information the project had."""

    def __init__(self, project: Project, plan: AssessmentPlan) -> None:
        super().__init__(f"評価書の取り込み（{plan.source.name}）")
        self._project, self._plan = project, plan
        self._record: TakeInRecord | None = None

    def redo(self) -> None:
        from pia_desk.importing.assessment_import import apply_assessment

        self._record = apply_assessment(self._project, self._plan)

    def undo(self) -> None:
        from pia_desk.domain.first_entry import undo_take_in

        if self._record is not None:
            undo_take_in(self._project, self._record)


def changed_node(command: QUndoCommand, project: Project | None) -> str | None:
    """The item a command changed (the first one of a macro): shown after undo / redo."""
    node_id = getattr(command, "node_id", None)
    if isinstance(node_id, str):
        return node_id
    entry_id = getattr(command, "entry_id", None)
    if isinstance(entry_id, str) and project is not None:
        try:
            _revision, entry = project.find_entry(entry_id)
        except DomainError:
            return None
        return entry.node_id
    for index in range(command.childCount()):
        found = changed_node(command.child(index), project)
        if found:
            return found
    return None

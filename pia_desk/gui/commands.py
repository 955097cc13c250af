"""Undoable edits of a project (QUndoCommand subclasses over the domain operations).

Every edit the editor makes goes through one of these, so one QUndoStack undoes it
exactly. Commands hold ids, not Node objects, wherever the object may be replaced
(a submitted revision's undo swaps the whole tree for a snapshot).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QUndoCommand

from pia_desk.domain.entries import ChangeEntry, QuoteMode, Revision
from pia_desk.domain.events import EventKind
from pia_desk.domain.project import Project
from pia_desk.domain.tree import Node, NodeKind
from pia_desk.domain.values import Value
from pia_desk.gui.settings import DEFAULT_EXCERPT_THRESHOLD

SET_VALUE_ID = 1001


@dataclass(frozen=True)
class _Edit:
    """One contiguous edit of a text: `removed` characters at `start` replaced by `inserted`."""

    start: int
    removed: int
    inserted: str

    @classmethod
    def between(cls, old: str, new: str) -> _Edit:
        prefix = 0
        limit = min(len(old), len(new))
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
            suffix += 1
        return cls(prefix, len(old) - prefix - suffix, new[prefix : len(new) - suffix])


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

    # Entries whose text is longer than this start in 変更段落のみ quote mode; the
    # editor sets it from the user's settings, None turns the rule off.
    quote_threshold: int | None = DEFAULT_EXCERPT_THRESHOLD

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

    @property
    def node_id(self) -> str:
        return self._node_id

    def id(self) -> int:
        return SET_VALUE_ID

    def _caret_after(self, old: Value, new: Value) -> int | None:
        if self._field is None:
            return None
        edit = _Edit.between(getattr(old, self._field), getattr(new, self._field))
        if "\n" in edit.inserted:
            return None
        return edit.start + len(edit.inserted)

    def redo(self) -> None:
        if self._captured:
            self._project.set_value(self._node_id, self._new)
            self._restore_entry(self._entry_after)
            return
        self._entry_before = self._entry_copy()
        self._project.set_value(self._node_id, self._new)
        self._apply_quote_default()
        self._entry_after = self._entry_copy()
        self._captured = True

    def undo(self) -> None:
        self._project.set_value(self._node_id, self._old)
        self._restore_entry(self._entry_before)

    def _entry_copy(self) -> ChangeEntry | None:
        entry = self._project.entry_for_node(self._node_id)
        return copy.deepcopy(entry) if entry else None

    def _apply_quote_default(self) -> None:
        limit = SetValueCommand.quote_threshold
        entry = self._project.entry_for_node(self._node_id)
        if limit is None or entry is None or self._entry_before is not None:
            return
        if max(len(entry.before), len(entry.after)) > limit and entry.quote is QuoteMode.WHOLE:
            self._project.update_entry(entry.id, quote=QuoteMode.CHANGED_PARAGRAPHS)

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
        edit = _Edit.between(getattr(other._old, self._field), getattr(other._new, self._field))
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

    @property
    def node_id(self) -> str | None:
        return self._placed[2].id if self._placed else None

    def _create(self) -> Node:
        raise NotImplementedError

    def redo(self) -> None:
        if self._placed is None:
            node = self._create()
            assert node.parent is not None
            self._placed = (node.parent.id, node.index_in_parent(), node)
        else:
            parent_id, index, node = self._placed
            self._project.insert_node(parent_id, node, index)

    def undo(self) -> None:
        assert self._placed is not None
        self._project.remove_node(self._placed[2].id)


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

    def redo(self) -> None:
        self._old = self._project.rename_node(self._node_id, self._label)

    def undo(self) -> None:
        self._project.rename_node(self._node_id, self._old)


class RemoveNodeCommand(QUndoCommand):
    """Delete an item or group; undo restores its values and the draft's entries exactly."""

    def __init__(self, project: Project, node_id: str) -> None:
        super().__init__(f"「{project.node(node_id).label}」の削除")
        self._project, self._node_id = project, node_id
        self._entries: list[ChangeEntry] = []
        self._entries_after: list[ChangeEntry] | None = None
        self._values: dict[str, Value] = {}
        self._taken: tuple[str, int, Node] | None = None

    def redo(self) -> None:
        project = self._project
        self._entries = project.capture_draft_entries()
        node = project.node(self._node_id)
        self._values = {n.id: project.working[n.id] for n in node.walk() if n.id in project.working}
        self._taken = project.remove_node(self._node_id)
        if self._entries_after is None:
            self._entries_after = project.capture_draft_entries()
        else:  # the same （削除） entries as the first time, for the commands that follow
            project.restore_draft_entries(self._entries_after)

    def undo(self) -> None:
        project = self._project
        if self._taken is None:
            project.restore_node(self._node_id)
        else:
            parent_id, index, node = self._taken
            project.working.update(self._values)
            project.insert_node(parent_id, node, index)
        project.restore_draft_entries(self._entries)


class StartRevisionCommand(QUndoCommand):
    """Open a draft revision with its 変更日."""

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


@dataclass
class _ProjectState:
    root: Node
    baseline: dict[str, Value]
    working: dict[str, Value]
    revisions: list[Revision]

    @classmethod
    def capture(cls, project: Project) -> _ProjectState:
        return cls(
            *copy.deepcopy((project.root, project.baseline, project.working, project.revisions))
        )

    def restore(self, project: Project) -> None:
        state = copy.deepcopy(self)
        project.events.emit(EventKind.RESET_BEGIN)
        project.root, project.baseline = state.root, state.baseline
        project.working, project.revisions = state.working, state.revisions
        project._reindex()  # the domain offers no public way to swap the whole tree
        project.events.emit(EventKind.RESET_END)


class SubmitRevisionCommand(QUndoCommand):
    """Freeze the draft (提出済み); undo brings back baseline, tree and status exactly."""

    def __init__(self, project: Project, submitted_on: date) -> None:
        super().__init__("改訂を提出済みにする")
        self._project, self._submitted_on = project, submitted_on
        self._state: _ProjectState | None = None

    def redo(self) -> None:
        self._state = _ProjectState.capture(self._project)
        self._project.submit_draft(self._submitted_on)

    def undo(self) -> None:
        assert self._state is not None
        self._state.restore(self._project)

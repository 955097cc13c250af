"""An assessment project: metadata, its own item tree, values, revisions and entries.

Change tracking lives here: every edit of a working value (or of the tree) brings the
node's entry in the draft revision up to date, so the change table is always current
and no step has to rebuild all entries.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from pia_desk.domain.entries import ChangeEntry, EntryKind, Revision, RevisionStatus, Timing
from pia_desk.domain.events import EventKind, EventSource
from pia_desk.domain.tracking import TrackingPolicy
from pia_desk.domain.tree import (
    FormTemplate,
    Node,
    NodeKind,
    copy_tree,
    is_file_block,
    new_repeat_instance,
)
from pia_desk.domain.values import DELETED_MARK, EMPTY, Value, normalize_value, render_value
from pia_desk.domain.wareki import DigitStyle


class DomainError(Exception):
    """An operation the project refuses; the message is for the user (Japanese)."""


class FrozenRevisionError(DomainError):
    pass


# The cover items are the one source of these values: プロジェクトの情報 shows and edits
# the same values (`Project.cover_text`, `Project.set_meta`), so an edit of either is
# one change row.
COVER_ITEMS = {
    "number": "cover.number",  # 評価書番号
    "title": "cover.title",  # 評価書名
    "org": "cover.org",  # 評価実施機関名
    "published": "cover.published",  # 公表日 (a date item)
}


@dataclass
class ProjectMeta:
    """What the project knows beside its items (the cover's values are items)."""

    affair: str = ""  # 事務の名称
    form: str = "juten"
    form_name: str = "重点項目評価書"
    form_stamp: str = ""  # [平成26年4月 様式3]
    annex_label: str = "（別添２）変更箇所"
    reviewed: date | None = None  # last 見直し
    digit_style: DigitStyle = DigitStyle.HALF


@dataclass
class SubmitRecord:
    """What submitting changed, so that it can be undone exactly."""

    revision: Revision
    baseline: dict[str, Value]
    working: dict[str, Value]
    baseline_labels: dict[str, str | None]
    pruned: list[tuple[str, int, Node]] = field(default_factory=list)


@dataclass
class AdoptRecord:
    """What adopting the working text as the baseline changed, for undo."""

    values: dict[str, tuple[Value, Value]]
    labels: dict[str, str | None]
    pruned: list[tuple[str, int, Node]] = field(default_factory=list)
    baseline: dict[str, Value] = field(default_factory=dict)
    working: dict[str, Value] = field(default_factory=dict)
    initial_entry: bool = False


# Fields of an entry the user decides; tracking never overwrites them.
USER_ENTRY_FIELDS = ("timing", "explanation", "excerpt_label", "quote", "date", "include")

_ID_NUMBER = re.compile(r"^[a-z]+(\d+)$")
_COVER_IDS = frozenset(COVER_ITEMS.values())


@dataclass(eq=False)
class Project:
    meta: ProjectMeta
    root: Node
    baseline: dict[str, Value] = field(default_factory=dict)
    working: dict[str, Value] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)
    # How new change rows quote their item (the same for every edit and every user).
    tracking: TrackingPolicy = field(default_factory=TrackingPolicy)
    # 初回入力: the text is being entered for the first time (typed, pasted, imported
    # from the city's current 評価書); no change rows until the baseline is declared.
    initial_entry: bool = False
    today: Callable[[], date] = field(default=date.today, repr=False)

    def __post_init__(self) -> None:
        self.events = EventSource()
        self._index: dict[str, Node] = {}
        self._reindex()
        self._next_number = self._highest_id_number() + 1

    # -- creation ------------------------------------------------------------
    @classmethod
    def from_template(
        cls, template: FormTemplate, meta: ProjectMeta | None = None, **kwargs: object
    ) -> Project:
        meta = meta or ProjectMeta()
        meta.form, meta.form_name = template.form, template.name
        meta.form_stamp = meta.form_stamp or template.stamp
        meta.annex_label = template.annex_label
        return cls(meta=meta, root=copy_tree(template.root), **kwargs)  # type: ignore[arg-type]

    # -- lookup --------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        try:
            return self._index[node_id]
        except KeyError:
            raise DomainError(f"項目が見つかりません（ID: {node_id}）") from None

    def find_node(self, node_id: str | None) -> Node | None:
        return self._index.get(node_id) if node_id else None

    def items(self, include_deleted: bool = False) -> Iterator[Node]:
        """Leaf items (text, choice, checks, date) in tree order."""
        for node in self.root.walk(include_deleted):
            if node.is_leaf_item:
                yield node

    def value(self, node_id: str) -> Value:
        return self.working.get(node_id, EMPTY)

    def baseline_value(self, node_id: str) -> Value:
        return self.baseline.get(node_id, EMPTY)

    def text_of(self, node_id: str, baseline: bool = False) -> str:
        node = self.node(node_id)
        value = self.baseline_value(node_id) if baseline else self.value(node_id)
        return render_value(node, value)

    def tree_order(self) -> dict[str, int]:
        return {n.id: i for i, n in enumerate(self.root.walk())}

    # -- revisions -------------------------------------------------------------
    @property
    def draft(self) -> Revision | None:
        return next((r for r in self.revisions if r.is_draft), None)

    @property
    def submitted(self) -> list[Revision]:
        return [r for r in self.revisions if not r.is_draft]

    def revision(self, revision_id: str) -> Revision:
        for revision in self.revisions:
            if revision.id == revision_id:
                return revision
        raise DomainError(f"改訂が見つかりません（ID: {revision_id}）")

    def revision_on(self, on: date) -> Revision | None:
        """The (last) revision whose 変更日 is `on`."""
        return next((r for r in reversed(self.revisions) if r.date == on), None)

    def start_revision(self, on: date | None = None) -> Revision:
        """Open the draft revision (変更日 `on`, default today)."""
        if self.initial_entry:
            raise DomainError(
                "初回入力中です。先に「改訂 > 現在の記載を基準にする」で"
                "入力した記載を基準にしてください。"
            )
        if self.draft is not None:
            raise DomainError(
                "作成中の改訂が既にあります。提出済みにしてから新しい改訂を始めてください。"
            )
        revision = Revision(id=self.new_id("r"), date=on or self.today())
        self.insert_revision(revision)
        return revision

    def ensure_draft(self) -> Revision:
        return self.draft or self.start_revision()

    def insert_revision(self, revision: Revision, index: int | None = None) -> None:
        index = len(self.revisions) if index is None else index
        self.events.emit(EventKind.REVISION_INSERT_BEGIN, index=index)
        self.revisions.insert(index, revision)
        self.events.emit(EventKind.REVISION_INSERT_END, index=index, revision_id=revision.id)

    def remove_revision(self, revision_id: str) -> Revision:
        revision = self.revision(revision_id)
        index = self.revisions.index(revision)
        self.events.emit(EventKind.REVISION_REMOVE_BEGIN, index=index, revision_id=revision_id)
        self.revisions.remove(revision)
        self.events.emit(EventKind.REVISION_REMOVE_END, index=index, revision_id=revision_id)
        return revision

    def set_revision_date(self, revision_id: str, on: date) -> date:
        revision = self.revision(revision_id)
        self._require_draft(revision)
        old, revision.date = revision.date, on
        self.events.emit(EventKind.REVISION_CHANGED, revision_id=revision_id)
        return old

    def submit_draft(self, submitted_on: date | None = None) -> Revision:
        """Freeze the draft: its entries stay as they are, working values become the baseline."""
        return self.submit_draft_undoable(submitted_on).revision

    def submit_draft_undoable(self, submitted_on: date | None = None) -> SubmitRecord:
        """Submit, returning what `undo_submit` needs to restore the state exactly."""
        revision = self.draft
        if revision is None:
            raise DomainError("提出する改訂がありません。")
        record = SubmitRecord(
            revision=revision,
            baseline=dict(self.baseline),
            working=dict(self.working),
            baseline_labels={n.id: n.baseline_label for n in self.root.walk()},
        )
        self.events.emit(EventKind.RESET_BEGIN)
        revision.status = RevisionStatus.SUBMITTED
        revision.submitted_on = submitted_on or self.today()
        self._prune_deleted(self.root, record.pruned)
        self._reindex()
        for node in self.root.walk():
            node.baseline_label = node.label
        self.baseline = {k: v for k, v in self.working.items() if k in self._index}
        self.working = dict(self.baseline)
        self.events.emit(EventKind.RESET_END)
        return record

    def undo_submit(self, record: SubmitRecord) -> None:
        """Back to the state before `submit_draft_undoable` (same objects, same ids)."""
        self.events.emit(EventKind.RESET_BEGIN)
        record.revision.status = RevisionStatus.DRAFT
        record.revision.submitted_on = None
        for parent_id, index, node in record.pruned:  # per parent in ascending index order
            self._index[parent_id].children.insert(index, node)
            self._reindex_subtree(node)
        for node in self.root.walk():
            node.baseline_label = record.baseline_labels.get(node.id, node.baseline_label)
        self.baseline, self.working = dict(record.baseline), dict(record.working)
        self.events.emit(EventKind.RESET_END)

    def _prune_deleted(self, node: Node, removed: list[tuple[str, int, Node]]) -> None:
        kept = []
        for index, child in enumerate(node.children):
            if child.deleted:
                removed.append((node.id, index, child))
            else:
                kept.append(child)
        node.children = kept
        for child in kept:
            self._prune_deleted(child, removed)

    def _reindex_subtree(self, node: Node) -> None:
        for n in node.walk():
            self._index[n.id] = n

    def _require_draft(self, revision: Revision) -> None:
        if not revision.is_draft:
            raise FrozenRevisionError("提出済みの改訂は変更できません。")

    # -- values ----------------------------------------------------------------
    def set_value(self, node_id: str, value: Value) -> Value:
        """Set a working value; returns the previous one (for undo)."""
        node = self.node(node_id)
        if not node.is_leaf_item:
            raise DomainError(f"「{node.label}」は見出しのため値を持ちません。")
        if node.is_deleted:
            raise DomainError(f"「{node.label}」は削除されています。")
        old = self.value(node_id)
        value = normalize_value(node, value)
        if value == old:
            return old
        if value.is_empty:
            self.working.pop(node_id, None)
        else:
            self.working[node_id] = value
        self.events.emit(EventKind.VALUE_CHANGED, node_id=node_id)
        if node_id in _COVER_IDS:
            self.events.emit(EventKind.META_CHANGED)
        self.sync_entry(node)
        return old

    def set_text(self, node_id: str, text: str) -> Value:
        return self.set_value(node_id, Value(text=text))

    # -- the baseline (the text as last submitted) ----------------------------------
    def set_baseline_values(self, values: dict[str, Value]) -> dict[str, tuple[Value, Value]]:
        """Record what the submitted 評価書 said for items that have no pending edit
        (e.g. from imported history); returns the old (baseline, working) values for undo.

        An item whose working value differs from its baseline keeps both: the user's
        edit is never overwritten. Entries are brought up to date.
        """
        old: dict[str, tuple[Value, Value]] = {}
        for node_id, value in values.items():
            node = self.node(node_id)
            if not node.is_leaf_item or node.is_deleted:
                continue
            if self.value(node_id) != self.baseline_value(node_id):
                continue  # a pending edit: leave it alone
            value = normalize_value(node, value)
            old[node_id] = (self.baseline_value(node_id), self.value(node_id))
            self._put(self.baseline, node_id, value)
            self._put(self.working, node_id, value)
            self.events.emit(EventKind.VALUE_CHANGED, node_id=node_id)
            self.sync_entry(node)
        return old

    def restore_baseline_values(self, old: dict[str, tuple[Value, Value]]) -> None:
        """Undo set_baseline_values."""
        for node_id, (baseline, working) in old.items():
            self._put(self.baseline, node_id, baseline)
            self._put(self.working, node_id, working)
            self.events.emit(EventKind.VALUE_CHANGED, node_id=node_id)
            self.sync_entry(self.node(node_id))

    def adopt_working_as_baseline(self) -> AdoptRecord:
        """First use of an existing 評価書: the text and items entered so far are what
        was last submitted, not changes (this ends 初回入力). Outside 初回入力 only
        before the first submitted revision."""
        if self.submitted and not self.initial_entry:
            raise DomainError(
                "提出済みの改訂があるため、現在の記載を基準にすることはできません。"
                "変更は改訂として記録してください。"
            )
        record = AdoptRecord(
            values={
                n.id: (self.baseline_value(n.id), self.value(n.id))
                for n in self.items()
                if self.value(n.id) != self.baseline_value(n.id)
            },
            labels={
                n.id: n.baseline_label for n in self.root.walk() if n.baseline_label != n.label
            },
            baseline=dict(self.baseline),
            working=dict(self.working),
            initial_entry=self.initial_entry,
        )
        self.events.emit(EventKind.RESET_BEGIN)
        self._prune_deleted(self.root, record.pruned)  # removed while entering: gone
        self._reindex()
        for node in self.root.walk():
            node.baseline_label = node.label
        for node_id in record.values:
            self._put(self.baseline, node_id, self.value(node_id))
        self.baseline = {k: v for k, v in self.baseline.items() if k in self._index}
        self.working = {k: v for k, v in self.working.items() if k in self._index}
        self.initial_entry = False
        self.events.emit(EventKind.RESET_END)
        self.sync_entry(self.root)
        return record

    def replace_content(
        self, root: Node, baseline: dict[str, Value], working: dict[str, Value]
    ) -> tuple[Node, dict[str, Value], dict[str, Value]]:
        """Put a whole tree and its values in place (a 評価書 taken in); returns the old
        root, baseline and working values, which undo passes back to this method."""
        old = (self.root, self.baseline, self.working)
        self.events.emit(EventKind.RESET_BEGIN)
        self.root, self.baseline, self.working = root, dict(baseline), dict(working)
        self._reindex()
        self._next_number = max(self._next_number, self._highest_id_number() + 1)
        self.events.emit(EventKind.RESET_END)
        return old

    def undo_adopt(self, record: AdoptRecord) -> None:
        self.events.emit(EventKind.RESET_BEGIN)
        for parent_id, index, node in record.pruned:  # per parent in ascending index order
            self._index[parent_id].children.insert(index, node)
            self._reindex_subtree(node)
        for node_id, label in record.labels.items():
            self.node(node_id).baseline_label = label
        self.baseline, self.working = dict(record.baseline), dict(record.working)
        self.initial_entry = record.initial_entry
        self.events.emit(EventKind.RESET_END)
        self.sync_entry(self.root)

    @staticmethod
    def _put(values: dict[str, Value], node_id: str, value: Value) -> None:
        if value.is_empty:
            values.pop(node_id, None)
        else:
            values[node_id] = value

    # -- entries ---------------------------------------------------------------
    def entry_for_node(self, node_id: str) -> ChangeEntry | None:
        draft = self.draft
        return draft.entry_for_node(node_id) if draft else None

    def all_entries(self) -> Iterator[tuple[Revision, ChangeEntry]]:
        for revision in self.revisions:
            for entry in revision.entries:
                yield revision, entry

    def find_entry(self, entry_id: str) -> tuple[Revision, ChangeEntry]:
        for revision, entry in self.all_entries():
            if entry.id == entry_id:
                return revision, entry
        raise DomainError(f"変更箇所が見つかりません（ID: {entry_id}）")

    def update_entry(self, entry_id: str, **changes: object) -> dict[str, object]:
        """Set user fields of an entry of the draft; returns the old values (for undo)."""
        revision, entry = self.find_entry(entry_id)
        self._require_draft(revision)
        old: dict[str, object] = {}
        for name, new in changes.items():
            if name not in USER_ENTRY_FIELDS:
                raise DomainError(f"変更できない欄です: {name}")
            if name == "timing":
                new = Timing(new)
            old[name] = getattr(entry, name)
            setattr(entry, name, new)
        self.events.emit(EventKind.ENTRY_CHANGED, revision_id=revision.id, entry_id=entry_id)
        if entry.node_id:
            self.events.emit(EventKind.NODE_CHANGED, node_id=entry.node_id)
        return old

    def add_entry(self, revision: Revision, entry: ChangeEntry, index: int | None = None) -> None:
        """Insert an entry as it is (import, undo); tracking does not touch user fields."""
        index = len(revision.entries) if index is None else index
        self.events.emit(EventKind.ENTRY_INSERT_BEGIN, revision_id=revision.id, index=index)
        revision.entries.insert(index, entry)
        self.events.emit(
            EventKind.ENTRY_INSERT_END, revision_id=revision.id, index=index, entry_id=entry.id
        )
        if entry.node_id:
            self.events.emit(EventKind.NODE_CHANGED, node_id=entry.node_id)

    def remove_entry(self, revision: Revision, entry: ChangeEntry) -> int:
        index = revision.entries.index(entry)
        self.events.emit(
            EventKind.ENTRY_REMOVE_BEGIN, revision_id=revision.id, index=index, entry_id=entry.id
        )
        revision.entries.remove(entry)
        self.events.emit(
            EventKind.ENTRY_REMOVE_END, revision_id=revision.id, index=index, entry_id=entry.id
        )
        if entry.node_id:
            self.events.emit(EventKind.NODE_CHANGED, node_id=entry.node_id)
        return index

    def sync_entry(self, node: Node) -> ChangeEntry | None:
        """Bring the draft entries of `node` and every item below it up to date.

        Returns the entry of `node` itself (None for groups or when it has none).
        """
        own = self._sync_one(node) if node.is_leaf_item else None
        for child in node.children:
            self.sync_entry(child)
        return own

    def _sync_one(self, node: Node) -> ChangeEntry | None:
        """Create, update or drop the draft entry of one leaf item."""
        if self.initial_entry:
            return None  # 初回入力: what is entered is the text as submitted, not a change
        wanted = self._wanted_entry(node)
        draft = self.draft
        existing = draft.entry_for_node(node.id) if draft else None
        if wanted is None:
            if existing is not None and draft is not None:
                self.remove_entry(draft, existing)
            return None
        kind, path, before, after = wanted
        if existing is not None and draft is not None:
            existing.kind, existing.item_path = kind, path
            existing.before, existing.after = before, after
            self.events.emit(EventKind.ENTRY_CHANGED, revision_id=draft.id, entry_id=existing.id)
            self.events.emit(EventKind.NODE_CHANGED, node_id=node.id)
            return existing
        draft = self.ensure_draft()
        entry = ChangeEntry(
            id=self.new_id("e"),
            item_path=path,
            before=before,
            after=after,
            node_id=node.id,
            kind=kind,
            quote=self.tracking.quote_for(kind, before, after),
        )
        self.add_entry(draft, entry, self._entry_position(draft, node))
        return entry

    def _wanted_entry(self, node: Node) -> tuple[EntryKind, tuple[str, ...], str, str] | None:
        in_baseline = self._in_baseline(node)
        before = render_value(node, self.baseline_value(node.id)) if in_baseline else ""
        if node.is_deleted:
            if not before:
                return None
            return EntryKind.DELETED, node.path_labels(baseline=True), before, DELETED_MARK
        after = render_value(node, self.value(node.id))
        if not in_baseline:
            return (EntryKind.ADDED, node.path_labels(), "", after) if after else None
        if before == after:
            return None
        return EntryKind.CHANGED, node.path_labels(), before, after

    @staticmethod
    def _in_baseline(node: Node) -> bool:
        return all(n.baseline_label is not None for n in [*node.ancestors(), node])

    def _entry_position(self, draft: Revision, node: Node) -> int:
        order = self.tree_order()
        mine = order.get(node.id, len(order))
        for i, entry in enumerate(draft.entries):
            if order.get(entry.node_id or "", len(order)) > mine:
                return i
        return len(draft.entries)

    def capture_draft_entries(self) -> list[ChangeEntry]:
        """A copy of the draft's entries, for undoing structural edits exactly."""
        draft = self.draft
        return copy.deepcopy(draft.entries) if draft else []

    def restore_draft_entries(self, entries: list[ChangeEntry]) -> None:
        draft = self.ensure_draft()
        self.events.emit(EventKind.RESET_BEGIN)
        draft.entries = copy.deepcopy(entries)
        self.events.emit(EventKind.RESET_END)

    # -- tree edits --------------------------------------------------------------
    def add_repeat_instance(self, prototype_id: str) -> Node:
        """Add システムN / 委託事項N … after the last instance of the group."""
        prototype = self.node(prototype_id)
        if prototype.repeat_label is None or prototype.parent is None:
            raise DomainError(f"「{prototype.label}」は繰り返し項目ではありません。")
        instance = new_repeat_instance(prototype, set(self._index))
        parent = prototype.parent
        siblings = [c for c in parent.children if c.repeat_label == prototype.repeat_label]
        index = parent.children.index(siblings[-1]) + 1
        self.insert_node(parent.id, instance, index)
        return instance

    def add_item(
        self, parent_id: str, label: str, kind: NodeKind = NodeKind.TEXT, index: int | None = None
    ) -> Node:
        parent = self.node(parent_id)
        if not parent.kind.is_container:
            raise DomainError(f"「{parent.label}」の下には項目を追加できません。")
        if not label.strip():
            raise DomainError("項目名を入力してください。")
        node = Node(id=self.new_id("u"), label=label.strip(), kind=kind)
        self.insert_node(parent_id, node, len(parent.children) if index is None else index)
        return node

    def insert_node(self, parent_id: str, node: Node, index: int) -> None:
        """Insert a subtree (new, or one removed earlier by undo) and track its entries."""
        parent = self.node(parent_id)
        self.events.emit(EventKind.NODE_INSERT_BEGIN, parent_id=parent_id, index=index)
        parent.add_child(node, index)
        for n in node.walk():
            self._index[n.id] = n
        self.events.emit(EventKind.NODE_INSERT_END, parent_id=parent_id, index=index)
        self.sync_entry(self.root if is_file_block(node) else node)

    def rename_node(self, node_id: str, label: str) -> str:
        node = self.node(node_id)
        if not label.strip():
            raise DomainError("項目名を入力してください。")
        old, node.label = node.label, label.strip()
        self.events.emit(EventKind.NODE_CHANGED, node_id=node_id)
        self.sync_entry(node)  # entries show the current path
        return old

    def remove_node(self, node_id: str) -> tuple[str, int, Node] | None:
        """Remove an item or group.

        A node that exists in the baseline is only marked deleted (its entries read
        （削除）until the revision is submitted); a node added since is taken out of
        the tree, and (parent id, index, node) is returned so undo can put it back.
        """
        node = self.node(node_id)
        if node.parent is None or node.kind in (NodeKind.ROOT, NodeKind.SECTION):
            raise DomainError(f"「{node.label}」は削除できません。")
        if self._in_baseline(node):
            node.deleted = True
            self.events.emit(EventKind.NODE_CHANGED, node_id=node_id)
            self.sync_entry(self.root if is_file_block(node) else node)
            return None
        parent, index = node.parent, node.index_in_parent()
        self.events.emit(EventKind.NODE_REMOVE_BEGIN, parent_id=parent.id, index=index)
        parent.children.remove(node)
        for n in node.walk():
            self._index.pop(n.id, None)
            self.working.pop(n.id, None)
        self.events.emit(EventKind.NODE_REMOVE_END, parent_id=parent.id, index=index)
        self._drop_entries_of(node)
        if is_file_block(node):  # one file fewer: the other files' paths may change
            self.sync_entry(self.root)
        return parent.id, index, node

    def restore_node(self, node_id: str) -> None:
        """Undo the deletion mark of a baseline node."""
        node = self.node(node_id)
        node.deleted = False
        self.events.emit(EventKind.NODE_CHANGED, node_id=node_id)
        self.sync_entry(self.root if is_file_block(node) else node)

    def _drop_entries_of(self, node: Node) -> None:
        draft = self.draft
        if draft is None:
            return
        ids = {n.id for n in node.walk()}
        for entry in [e for e in draft.entries if e.node_id in ids]:
            self.remove_entry(draft, entry)

    # -- metadata ----------------------------------------------------------------
    def cover_text(self, name: str) -> str:
        """評価書番号 / 評価書名 / 評価実施機関名 (`COVER_ITEMS`) as the cover says now."""
        node = self.find_node(COVER_ITEMS[name])
        return self.value(node.id).text if node is not None and not node.is_deleted else ""

    @property
    def number(self) -> str:
        return self.cover_text("number")

    @property
    def title(self) -> str:
        return self.cover_text("title")

    @property
    def org(self) -> str:
        return self.cover_text("org")

    @property
    def published(self) -> date | None:
        """公表日 from the cover (None when empty or not a date)."""
        text = self.cover_text("published")
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            return None

    def info(self, name: str) -> object:
        """A field of プロジェクトの情報: a cover value, the tracking policy's
        `excerpt_above` or a field of `meta`."""
        if name in COVER_ITEMS:
            return getattr(self, name)
        if name == "excerpt_above":
            return self.tracking.excerpt_above
        if not hasattr(self.meta, name):
            raise DomainError(f"不明な項目です: {name}")
        return getattr(self.meta, name)

    def set_meta(self, **changes: object) -> dict[str, object]:
        """Change fields of プロジェクトの情報; returns the old values (for undo).

        評価書番号, 評価書名, 評価実施機関名 and 公表日 are the cover's items: they change
        through `set_value`, so the change is tracked like any edit of the cover."""
        old = {name: self.info(name) for name in changes}
        for name, value in changes.items():
            if name in COVER_ITEMS:
                text = value.isoformat() if isinstance(value, date) else str(value or "")
                self.set_value(COVER_ITEMS[name], Value(text=text))
            elif name == "excerpt_above":  # the tracking policy: rows made from now on
                self.tracking = TrackingPolicy(excerpt_above=value)  # type: ignore[arg-type]
            else:
                setattr(self.meta, name, value)
        self.events.emit(EventKind.META_CHANGED)
        return old

    # -- ids -----------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """A new id (e12, r3, u5): unique in the project and never reused in a session."""
        number = self._next_number
        self._next_number += 1
        return f"{prefix}{number}"

    def _highest_id_number(self) -> int:
        ids: Iterable[str] = [
            *self._index,
            *(r.id for r in self.revisions),
            *(e.id for r in self.revisions for e in r.entries),
        ]
        numbers = [int(m.group(1)) for i in ids if (m := _ID_NUMBER.match(i))]
        return max(numbers, default=0)

    def _reindex(self) -> None:
        self._index = {n.id: n for n in self.root.walk()}

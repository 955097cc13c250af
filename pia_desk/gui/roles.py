"""The item data roles of every model of the editor, in one place with distinct values.

A view that asks any model for NodeIdRole gets the node id, whichever model it is
(the tree, the change list, the revision browser): two constants of the same name with
different values once made the change list answer the tree's question with nothing.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

_BASE = Qt.ItemDataRole.UserRole.value


class Role(IntEnum):
    NODE_ID = _BASE + 1  # str: the node (item) a row is about
    TIMING = _BASE + 2  # str: 事前 / 事後 / 未設定, None when unchanged (tree)
    IMPORTANT = _BASE + 3  # bool: 重要な変更 (tree)
    DELETED = _BASE + 4  # bool: the item is deleted (tree)
    CHANGED = _BASE + 5  # bool: the node or a descendant has an entry (tree)
    ENTRY_ID = _BASE + 6  # str: the change entry of a row (change list)
    DIFFERS = _BASE + 7  # bool: the chosen 提出時期 differs from the suggestion
    TARGET = _BASE + 8  # str: entry or node id a check finding points at
    SORT_KEY = _BASE + 9  # what a column sorts by (dates as ISO text, rows in tree order)
    UNSET = _BASE + 10  # bool: 提出時期 not decided yet (change list filter)


NodeIdRole = Role.NODE_ID
TimingRole = Role.TIMING
ImportantRole = Role.IMPORTANT
DeletedRole = Role.DELETED
ChangedRole = Role.CHANGED
EntryIdRole = Role.ENTRY_ID
DiffersRole = Role.DIFFERS
TargetRole = Role.TARGET
SortKeyRole = Role.SORT_KEY
UnsetRole = Role.UNSET

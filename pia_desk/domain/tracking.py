"""The tracking policy: how a new change row quotes its item.

One policy per project, applied by the domain whenever tracking creates a row, whatever
started the edit (typing in the editor, 置換, `pia-desk replace`, an import), so every
user of a shared project gets the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from pia_desk.domain.entries import EntryKind, QuoteMode

DEFAULT_EXCERPT_ABOVE = 400


@dataclass(frozen=True)
class TrackingPolicy:
    """`excerpt_above`: a changed item whose text (before or after) is longer than this
    many characters is quoted by its changed paragraphs only (変更段落のみ); None quotes
    every item whole."""

    excerpt_above: int | None = DEFAULT_EXCERPT_ABOVE

    def quote_for(self, kind: EntryKind, before: str, after: str) -> QuoteMode:
        """The quote mode a new row starts with (the user may change it afterwards)."""
        limit = self.excerpt_above
        # Only a change has paragraphs on both sides to compare; additions and
        # deletions are always quoted as they are.
        if limit is None or kind is not EntryKind.CHANGED:
            return QuoteMode.WHOLE
        if max(len(before), len(after)) > limit:
            return QuoteMode.CHANGED_PARAGRAPHS
        return QuoteMode.WHOLE

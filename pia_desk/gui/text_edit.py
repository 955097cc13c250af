"""The one contiguous edit between two texts (common prefix and suffix left out)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextEdit:
    """`removed` characters at `start` replaced by `inserted`."""

    start: int
    removed: int
    inserted: str

    @property
    def end(self) -> int:
        """Index in the old text just after the removed characters."""
        return self.start + self.removed

    @classmethod
    def between(cls, old: str, new: str) -> TextEdit:
        prefix = 0
        limit = min(len(old), len(new))
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
            suffix += 1
        return cls(prefix, len(old) - prefix - suffix, new[prefix : len(new) - suffix])

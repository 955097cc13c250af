"""Errors of taking in an assessment document; every message is Japanese, for the user.

Whatever the error, no project file has been written or changed.
"""

from __future__ import annotations

from pia_desk.importing.errors import TableImportError


class AssessmentImportError(TableImportError):
    """The document could not be taken in: `str(error)` is a complete Japanese message."""


class UnreadableDocumentError(AssessmentImportError):
    """Missing, damaged, encrypted, too large, refused, or not what its extension says."""


class NotAnAssessmentError(AssessmentImportError):
    """Readable, but no 評価書 in it (a change table, another report, a scan without text)."""

"""Shared test set-up: Qt runs offscreen, shared reference data is located."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SAMPLE_ROWS = SHARED / "reference" / "bessoe2-sample.json"


@pytest.fixture(scope="session")
def shared_rows() -> list[dict]:
    """The 27 real 別添２ rows of the shared reference sample."""
    return json.loads(SAMPLE_ROWS.read_text(encoding="utf-8"))

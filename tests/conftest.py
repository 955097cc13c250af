"""Shared test set-up: Qt runs offscreen, the real 別添２ rows are read from tests/data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ROWS = REPO / "tests" / "data" / "bessoe2-sample.json"


@pytest.fixture(scope="session")
def shared_rows() -> list[dict]:
    """The 27 real 別添２ rows of the shared reference sample."""
    return json.loads(SAMPLE_ROWS.read_text(encoding="utf-8"))

"""Recovery copies: the open project written aside every minute and on focus loss.

A copy lives in a folder of the user's data (the editor's settings say which) with a
small JSON note naming the project file it belongs to; it is removed when the project is saved or closed cleanly, so a
copy found at start-up means the editor did not end normally.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pia_desk.domain.project import Project
from pia_desk.domain.wareki import format_wareki_moment
from pia_desk.storage.project_file import project_from_bytes, project_to_bytes, write_atomic

KEPT_FOLDER = "kept"  # copies the user chose not to restore, kept as project files


@dataclass(frozen=True)
class RecoveryCopy:
    data_path: Path
    original: Path | None  # the project file, None for a project never saved
    saved_at: str

    def load(self) -> Project:
        project, _read_only, _warnings = project_from_bytes(
            self.data_path.read_bytes(), path=self.original
        )
        return project

    @property
    def note_path(self) -> Path:
        return self.data_path.with_suffix(".json")

    def saved_when(self) -> str:
        """When the copy was written, in 和暦 and this computer's local time."""
        return format_wareki_moment(self.saved_at) or self.saved_at


class RecoveryStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key_for(self, original: Path | None) -> str:
        if original is None:
            return f"untitled-{os.getpid()}"
        return hashlib.sha256(str(Path(original).resolve()).encode("utf-8")).hexdigest()[:20]

    def write(self, project: Project, original: Path | None) -> RecoveryCopy:
        self.folder.mkdir(parents=True, exist_ok=True)
        data_path = self.folder / f"{self.key_for(original)}.piadesk"
        write_atomic(data_path, project_to_bytes(project))
        copy = RecoveryCopy(
            data_path, original, datetime.now().astimezone().isoformat("T", "seconds")
        )
        note = {"original": str(original) if original else None, "saved_at": copy.saved_at}
        write_atomic(copy.note_path, json.dumps(note, ensure_ascii=False).encode("utf-8"))
        return copy

    def remove(self, original: Path | None) -> None:
        data_path = self.folder / f"{self.key_for(original)}.piadesk"
        for path in (data_path, data_path.with_suffix(".json")):
            with contextlib.suppress(OSError):
                path.unlink()

    def discard(self, copy: RecoveryCopy) -> None:
        for path in (copy.data_path, copy.note_path):
            with contextlib.suppress(OSError):
                path.unlink()

    def set_aside(self, copy: RecoveryCopy) -> Path:
        """Keep a copy the user did not restore where no later recovery copy replaces it
        and no start-up offers it again: `kept/NAME_復元データ_YYYYMMDD-HHMMSS.piadesk`,
        a project file of its own. Returns where it went."""
        kept = self.folder / KEPT_FOLDER
        kept.mkdir(parents=True, exist_ok=True)
        name = copy.original.stem if copy.original else "無題"
        try:
            stamp = datetime.fromisoformat(copy.saved_at).strftime("%Y%m%d-%H%M%S")
        except ValueError:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = kept / f"{name}_復元データ_{stamp}.piadesk"
        os.replace(copy.data_path, target)
        with contextlib.suppress(OSError):
            copy.note_path.unlink()
        return target

    def leftovers(self) -> list[RecoveryCopy]:
        copies = []
        for note in sorted(self.folder.glob("*.json")):
            data_path = note.with_suffix(".piadesk")
            try:
                info = json.loads(note.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if data_path.is_file() and isinstance(info, dict):
                original = Path(info["original"]) if info.get("original") else None
                copies.append(RecoveryCopy(data_path, original, str(info.get("saved_at", ""))))
        return copies

    def find_for(self, original: Path) -> RecoveryCopy | None:
        key = self.key_for(original)
        return next((c for c in self.leftovers() if c.data_path.stem == key), None)

    def untitled(self) -> list[RecoveryCopy]:
        return [c for c in self.leftovers() if c.original is None]


def describe_differences(recovered: Project, saved: Project | None) -> str:
    """What the recovery copy holds beyond the saved file, in counts (for the prompt)."""
    draft = recovered.draft
    entries = len(draft.entries) if draft else 0
    if saved is None:
        items = sum(1 for _ in recovered.working)
        return f"入力のある項目 {items} 件、変更箇所 {entries} 件"
    keys = set(recovered.working) | set(saved.working)
    items = sum(1 for k in keys if recovered.working.get(k) != saved.working.get(k))
    saved_draft = saved.draft
    saved_entries = (
        {(e.id, e.timing, e.explanation, e.after) for e in saved_draft.entries}
        if saved_draft
        else set()
    )
    differing = sum(
        1
        for e in (draft.entries if draft else [])
        if (e.id, e.timing, e.explanation, e.after) not in saved_entries
    )
    return (
        f"保存されたファイルと異なる項目 {items} 件、"
        f"変更箇所 {entries} 件（うち保存後に変わったもの {differing} 件）"
    )

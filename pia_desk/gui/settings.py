"""User settings (window layout, recent files) in a JSON file.

The folder is platformdirs' user config dir, or $PIA_DESK_CONFIG_DIR (tests, portable
installs). A damaged settings file is ignored: settings are a convenience, never a
reason not to start.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

APP_DIR_NAME = "PIA Desk"
CONFIG_ENV = "PIA_DESK_CONFIG_DIR"
DATA_ENV = "PIA_DESK_DATA_DIR"
RECENT_MAX = 10


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


def config_dir() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or user_config_dir(APP_DIR_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV) or user_data_dir(APP_DIR_NAME, appauthor=False))


def recovery_folder() -> Path:
    """Where the editor keeps recovery copies of unsaved projects."""
    return data_dir() / "recovery"


ZOOM_MIN, ZOOM_MAX = 50, 300


@dataclass
class Settings:
    geometry: str = ""  # QMainWindow.saveGeometry() as hex
    window_state: str = ""  # QMainWindow.saveState() as hex: tool bars and panels
    splitters: dict[str, list[int]] = field(default_factory=dict)
    recent_files: list[str] = field(default_factory=list)
    zoom: int = 100  # text size of the tree, the editors and the change list, in percent
    author: str = ""  # 作成者 of exported documents (the user's name or section)
    output_rows: str = "draft"  # rows of Word export / print / PDF: "draft" or "all"
    # 評価書名 of each recent file, as last opened or saved (the start screen reads no file)
    recent_titles: dict[str, str] = field(default_factory=dict)
    path: Path | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or config_dir() / "settings.json"
        data: dict = {}
        with contextlib.suppress(OSError, ValueError):
            loaded = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                data = loaded
        known = {f.name for f in fields(cls)} - {"path"}
        settings = cls(**{k: v for k, v in data.items() if k in known})
        settings.path = path
        return settings._sane()

    def _sane(self) -> Settings:
        self.recent_files = [str(p) for p in self.recent_files if isinstance(p, str)][:RECENT_MAX]
        if not isinstance(self.splitters, dict):
            self.splitters = {}
        if not isinstance(self.author, str):
            self.author = ""
        if not isinstance(self.zoom, int) or not ZOOM_MIN <= self.zoom <= ZOOM_MAX:
            self.zoom = 100
        for name in ("geometry", "window_state"):  # hex of Qt's bytes, else forgotten
            value = getattr(self, name)
            if not isinstance(value, str) or not _is_hex(value):
                setattr(self, name, "")
        if not isinstance(self.recent_titles, dict):
            self.recent_titles = {}
        self.recent_titles = {
            k: v
            for k, v in self.recent_titles.items()
            if k in self.recent_files and isinstance(v, str)
        }
        if self.output_rows not in ("draft", "all"):
            self.output_rows = "draft"
        return self

    def save(self) -> None:
        path = self.path or config_dir() / "settings.json"
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)

    def add_recent(self, file: Path, title: str | None = None) -> None:
        """Put `file` first among the recent files; `title` is its 評価書名 (kept as it
        was when None)."""
        name = str(Path(file).resolve())
        self.recent_files = [name, *(p for p in self.recent_files if p != name)][:RECENT_MAX]
        if title is not None:
            self.recent_titles[name] = title
        self.recent_titles = {k: v for k, v in self.recent_titles.items() if k in self.recent_files}

    def recent_title(self, file: Path) -> str:
        return self.recent_titles.get(str(Path(file).resolve()), "")

    def existing_recent(self) -> list[Path]:
        return [Path(p) for p in self.recent_files if Path(p).is_file()]

"""Where the shipped data lives, installed (pia_desk/resources) or in a source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


RESOURCES_DIR = _first_existing(_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources")
UI_DIR = _first_existing(_PACKAGE_DIR / "ui", _PACKAGE_DIR.parent / "ui")


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


def ui_path(name: str) -> Path:
    return UI_DIR / name


def sample_project_path() -> Path:
    return resource_path("sample", "sample.piadesk")

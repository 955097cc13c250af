"""Where an exported table may be written: never over a project, never silently over
another file (both the command line and the editor ask this module)."""

from __future__ import annotations

from pathlib import Path

from pia_desk.storage.project_xml import NS


class OutputTargetError(ValueError):
    """The output path is refused; the message is for the user (Japanese)."""


class OutputExistsError(OutputTargetError):
    """The output file exists: overwrite only when the user said so."""


def _is_project_file(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return NS.encode() in stream.read(4096)
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before 3.13)
        raise OutputTargetError(
            f"出力先のパスをたどれません（シンボリックリンクが循環しています）: {path}"
        ) from None


def check_output_target(
    path: Path, suffix: str, *, project_path: Path | None = None, overwrite: bool = False
) -> None:
    """Refuse a wrong extension, the project itself, any project file, and (unless
    `overwrite`) any existing file."""
    if path.suffix.lower() != suffix:
        raise OutputTargetError(f"出力先のファイル名は {suffix} で終わるようにしてください: {path}")
    if project_path is not None and _resolved(path) == _resolved(Path(project_path)):
        raise OutputTargetError(
            f"出力先がプロジェクトファイル自身です。別の名前を指定してください: {path}"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputTargetError(f"出力先のフォルダーがありません: {folder}")
    if not path.exists():
        return
    if path.is_dir():
        raise OutputTargetError(f"出力先はフォルダーです。ファイル名を指定してください: {path}")
    if not path.is_file():  # a named pipe or a device: opening it could block
        raise OutputTargetError(f"出力先は通常のファイルではありません: {path}")
    if _is_project_file(path):
        raise OutputTargetError(
            f"出力先は PIA Desk のプロジェクトファイルです。上書きできません: {path}"
        )
    if not overwrite:
        raise OutputExistsError(f"出力先のファイルが既にあります: {path}")

"""Loading, validating and saving project files (.piadesk).

Saving is atomic (temp file in the same folder, fsync, os.replace), keeps rolling
backups, and refuses to overwrite a file that changed on disk since it was loaded.
Any failure raises a ProjectFileError subclass and leaves the file on disk as it was.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import stat
import tempfile
import weakref
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from pia_desk.domain.project import COVER_ITEMS, Project, ProjectMeta
from pia_desk.domain.values import Value
from pia_desk.paths import resource_path
from pia_desk.storage import limits, project_v1
from pia_desk.storage.errors import (
    FileChangedOnDiskError,
    InvalidProjectError,
    NewerVersionError,
    SaveError,
    UnreadableFileError,
    describe_os_error,
)
from pia_desk.storage.project_xml import (
    FILE_VERSION,
    NS,
    SAVED_PLACEHOLDER,
    project_from_element,
    project_to_element,
    q,
)
from pia_desk.storage.safe_xml import parse_bytes, read_limited, safe_parser
from pia_desk.storage.templates import load_template
from pia_desk.storage.xml_errors import describe_schema_errors

EXTENSION = ".piadesk"
BACKUPS_KEPT = 5
# `expected_digest` of a file that must not exist yet (a project being created).
ABSENT = "absent"


# The schema of each version this build reads; the latest is project.xsd.
SCHEMA_FILES = {project_v1.VERSION: "project-v1.xsd", FILE_VERSION: "project.xsd"}
# A reader per old version (each migrates to the latest in memory); the latest is
# read by project_xml.
OLD_READERS = {project_v1.VERSION: project_v1.project_from_v1_element}

# Projects read from an older version, and that version: the next save upgrades the
# file (and says so once, see `pending_upgrade`).
_READ_VERSION: weakref.WeakKeyDictionary[Project, int] = weakref.WeakKeyDictionary()


@cache
def project_schema(version: int = FILE_VERSION) -> etree.XMLSchema:
    schema_path = resource_path("schema", SCHEMA_FILES[version])
    return etree.XMLSchema(etree.parse(str(schema_path), safe_parser()))


def pending_upgrade(project: Project) -> int | None:
    """The older file version `project` was read from, until it is saved (as the latest)."""
    return _READ_VERSION.get(project)


def upgrade_message(old_version: int) -> str:
    """What to tell the user once, after the save that upgraded the file."""
    return (
        f"プロジェクトファイルを新しい形式（形式 {FILE_VERSION}）で保存しました"
        f"（元の形式 {old_version} のファイルはバックアップフォルダーに残しています）。"
        "古い版の PIA Desk では、このファイルは読み取り専用でしか開けません。"
    )


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- reading -------------------------------------------------------------------
def project_from_bytes(
    data: bytes, path: Path | None = None, *, allow_newer: bool = False
) -> tuple[Project, bool, list[str]]:
    """The project in a file's bytes, whether it is read-only (written by a newer PIA
    Desk: raises NewerVersionError unless `allow_newer`) and warnings for the user."""
    root = parse_bytes(data, path).getroot()
    if root.tag != q("project"):
        raise UnreadableFileError(
            "PIA Desk のプロジェクトファイルではありません"
            f"（ルート要素が {etree.QName(root).localname} です）。",
            path,
        )
    beyond = limit_problems(root)
    if beyond:
        raise UnreadableFileError(
            "ファイルの内容が PIA Desk の上限を超えているため読み込めません。\n"
            + "\n".join(f"・{p}" for p in beyond),
            path,
        )
    version = _file_version(root, path)
    warnings: list[str] = []
    read_only = False
    if version < 1 or (version < FILE_VERSION and version not in OLD_READERS):
        raise InvalidProjectError(f"ファイル形式の版（{version}）が正しくありません。", path)
    if version > FILE_VERSION:
        message = (
            f"このファイルは新しい版の PIA Desk で保存されています（形式 {version}、"
            f"この版は {FILE_VERSION} まで）。"
        )
        if not allow_newer:
            raise NewerVersionError(message + "新しい版の PIA Desk で開いてください。", path)
        warnings.append(message + "読み取り専用で開きます。")
        read_only = True
    else:
        _validate(root, path, version)
    try:
        if version in OLD_READERS:
            project, notes = OLD_READERS[version](root)
            warnings += notes
            _READ_VERSION[project] = version
        else:
            project = project_from_element(root)
    except (ValueError, AttributeError, TypeError, KeyError, IndexError) as error:
        # A file of a newer version is not checked by the schema: an element this
        # version needs may be missing (KeyError names only the attribute).
        detail = f"必要な属性 {error} がありません" if isinstance(error, KeyError) else str(error)
        raise InvalidProjectError(
            "プロジェクトファイルの内容が正しくありません。", path, [detail]
        ) from None
    problems = model_problems(project)
    if problems:
        raise InvalidProjectError("プロジェクトファイルの内容に矛盾があります。", path, problems)
    return project, read_only, warnings


def limit_problems(root: etree._Element) -> list[str]:
    """What in a project's XML goes beyond limits.py (nesting, length of a text or an
    attribute): the reader refuses such a file, so the writer never writes one.

    Both checks run in libxml2 (XPath), not element by element in Python: every save
    makes them, over tens of thousands of elements."""
    problems: list[str] = []
    too_deep = "/*" * (limits.MAX_XML_DEPTH + 1)  # an element below the deepest allowed
    if root.xpath(f"boolean({too_deep})"):
        problems.append(f"要素の入れ子が深すぎます（上限 {limits.MAX_XML_DEPTH} 段）。")
        return problems
    too_long = limits.MAX_TEXT_CHARS
    for text in root.xpath(
        f"//text()[string-length(.) > {too_long}] | //@*[string-length(.) > {too_long}]"
    )[:10]:
        problems.append(
            f"{_where(text.getparent())}の文字数が多すぎます"
            f"（{len(text):,} 字、上限 {too_long:,} 字）。"
        )
    return problems


def _where(element: etree._Element) -> str:
    """The item or row an element belongs to, for a message."""
    for ancestor in (element, *element.iterancestors()):
        for key in ("node", "id"):
            if ancestor.get(key):
                return f"{ancestor.get(key)} "
    return ""


def _file_version(root: etree._Element, path: Path | None) -> int:
    try:
        return int(root.get("fileVersion", ""))
    except ValueError:
        raise InvalidProjectError(
            "ファイル形式の版（fileVersion）が読み取れません。", path
        ) from None


def _validate(root: etree._Element, path: Path | None, version: int = FILE_VERSION) -> None:
    schema = project_schema(version)
    if not schema.validate(root):
        problems = describe_schema_errors(schema.error_log)
        raise InvalidProjectError("プロジェクトファイルの形式が正しくありません。", path, problems)


def model_problems(project: Project) -> list[str]:
    """Rules the schema cannot express."""
    problems = []
    drafts = [r for r in project.revisions if r.is_draft]
    if len(drafts) > 1:
        problems.append(f"作成中の改訂が {len(drafts)} 件あります（1 件まで）。")
    for revision in project.submitted:
        if revision.submitted_on is None:
            problems.append(f"提出済みの改訂 {revision.id} に提出日がありません。")
    ids = [r.id for r in project.revisions] + [e.id for _, e in project.all_entries()]
    if len(ids) != len(set(ids)):
        problems.append("改訂または変更箇所の ID が重複しています。")
    return problems


def validate_file(path: Path | str) -> list[str]:
    """Problems of a file (empty when valid); raises UnreadableFileError when unreadable."""
    path = Path(path)
    try:
        project_from_bytes(read_limited(path), path)
    except InvalidProjectError as error:
        return error.problems or [error.message]
    return []


# -- writing -------------------------------------------------------------------
def project_to_bytes(
    project: Project, saved: str | None = None, previous: bytes | None = None
) -> bytes:
    """The file's bytes (no side effects). `saved` (ISO time) defaults to now, or to
    the stamp of `previous` (the file as read or last written) when nothing changed,
    so that save -> load -> save gives the same bytes."""
    return _serialize(project, saved, previous)


def _serialize(
    project: Project, saved: str | None = None, previous: bytes | None = None, check: bool = False
) -> bytes:
    element = project_to_element(project, lend_frozen=True)  # serialised, then dropped
    if check:  # never write a file that would not load again
        _refuse_beyond_limits(limit_problems(element))
        _refuse_invalid(project, element)
    body = etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if check and len(body) > limits.MAX_PROJECT_BYTES:
        size = len(body)
        del body  # the largest copy: gone before the message is built
        _refuse_beyond_limits(
            [
                f"ファイルが大きくなりすぎます（{limits.describe_bytes(size)}、"
                f"上限 {limits.describe_bytes(limits.MAX_PROJECT_BYTES)}）。"
            ]
        )
    stamp = _saved_stamp(previous) if previous is not None and saved is None else None
    if stamp and _same_apart_from_stamp(body, previous, stamp):
        return previous  # nothing changed: keep the old stamp
    saved = saved or datetime.now().astimezone().isoformat(timespec="seconds")
    return body.replace(SAVED_PLACEHOLDER.encode(), saved.encode(), 1)


def _same_apart_from_stamp(body: bytes, previous: bytes, stamp: str) -> bool:
    """Is `previous` what `body` gives with `stamp` filled in?"""
    placeholder, filled = SAVED_PLACEHOLDER.encode(), stamp.encode()
    if len(previous) != len(body) - len(placeholder) + len(filled):
        return False  # the usual case after an edit: no copy, no comparison
    return body.replace(placeholder, filled, 1) == previous


# The tree (ids, kinds) each project last passed the full schema check with: edits of
# values and entries cannot break the schema, tree edits can (duplicate ids).
_SCHEMA_CHECKED: weakref.WeakKeyDictionary[Project, tuple] = weakref.WeakKeyDictionary()


def _tree_shape(project: Project) -> tuple:
    return tuple((n.id, n.kind) for n in project.root.walk())


def _refuse_beyond_limits(problems: list[str]) -> None:
    if problems:
        raise SaveError(
            "保存すると PIA Desk で開けないファイルになるため、保存しませんでした"
            "（元のファイルは変更されていません）。\n" + "\n".join(f"・{p}" for p in problems)
        )


def _refuse_invalid(project: Project, element: etree._Element) -> None:
    problems = model_problems(project)
    shape = _tree_shape(project)
    if _SCHEMA_CHECKED.get(project) != shape:
        schema = project_schema()
        if schema.validate(element):
            _SCHEMA_CHECKED[project] = shape
        else:
            problems += describe_schema_errors(schema.error_log)
    if problems:
        raise SaveError(
            "プロジェクトの内容に矛盾があるため保存できません（元のファイルは変更されていません）。\n"
            + "\n".join(f"・{p}" for p in problems[:10])
        )


def _saved_stamp(data: bytes) -> str | None:
    start = data.find(b'saved="', 0, 1024)
    if start < 0:
        return None
    end = data.find(b'"', start + 7)
    return data[start + 7 : end].decode("utf-8", "replace")


def save_project(
    project: Project,
    path: Path | str,
    *,
    expected_digest: str | None = None,
    backups: int = BACKUPS_KEPT,
    previous: bytes | None = None,
) -> bytes:
    """Write atomically; returns the bytes written. The low-level step of
    `ProjectSession.save`, which holds the lock: commands and windows use that.

    `expected_digest` is the digest of the file as loaded (ABSENT: the file must not
    exist): if the file on disk differs, FileChangedOnDiskError is raised (pass None
    to overwrite anyway). `previous` (the bytes as loaded) keeps the saved-time stamp
    of an unchanged project.
    """
    path = Path(path)
    _refuse_read_only(path)
    data = _serialize(project, previous=previous, check=True)
    if expected_digest is not None:
        _check_unchanged(path, expected_digest)
    if path.exists() and backups > 0:
        _backup(path, backups)
    write_atomic(path, data)
    _READ_VERSION.pop(project, None)
    return data


READ_ONLY_FILE = "このファイルは読み取り専用に設定されています。"


def is_read_only_file(path: Path) -> bool:
    """A project file marked read-only (its mode bits, Windows' read-only attribute).
    Replacing works on Linux whatever the file's own permission says, and as root (CI)
    access checks pass, so the bits are looked at themselves."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # missing: a new file; unreadable: the next step says why
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return stat.S_ISREG(mode) and (not mode & writable_bits or not os.access(path, os.W_OK))


def _refuse_read_only(path: Path) -> None:
    if is_read_only_file(path):
        raise SaveError(
            f"{READ_ONLY_FILE}保存できません（元のファイルは変更されていません）。"
            "読み取り専用を解除するか、名前を付けて別のファイルに保存してください。",
            path,
        )


def _check_unchanged(path: Path, expected_digest: str) -> None:
    if expected_digest == ABSENT:
        if os.path.lexists(path):
            raise FileChangedOnDiskError(
                "作成しようとしたファイルが、その間に他の人またはプログラムによって作成されました。"
                "上書きせずに中止しました。",
                path,
            )
        return
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as error:
        raise SaveError(_os_message(error, "保存先のファイルを確認できません"), path) from None
    if digest_of(current) != expected_digest:
        raise FileChangedOnDiskError(
            "このファイルは開いた後に他の人またはプログラムによって変更されています。"
            "上書きすると、その変更は失われます。",
            path,
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, replace: the old file survives any failure."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise SaveError(
            _os_message(error, "保存先のフォルダーに書き込めません", path), path
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _copy_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SaveError(_os_message(error, "保存できませんでした", path), path) from None
    _fsync_folder(folder)


def _copy_mode(original: Path, tmp: Path) -> None:
    """Keep the original's permissions; a new file gets the usual ones (mkstemp's are
    0600, which would hide a project on a shared folder from colleagues)."""
    with contextlib.suppress(OSError):
        if original.exists():
            shutil.copymode(original, tmp)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _os_message(error: OSError, what: str, path: Path | None = None) -> str:
    message = f"{what}（{describe_os_error(error)}）。"
    if path is not None and path.exists():
        message += "元のファイルは変更されていません。"
    return message


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files of saves of `path` that were killed midway (a crash,
    kill -9). Only called with the project's lock held: no other PIA Desk is writing
    them now."""
    patterns = [
        (path.parent, f".{glob.escape(path.name)}.*.tmp"),
        (backup_folder(path), f".{glob.escape(path.stem)}-*{glob.escape(path.suffix)}.tmp"),
    ]
    for folder, pattern in patterns:
        with contextlib.suppress(OSError):
            for leftover in folder.glob(pattern):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def backup_folder(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backup")


def _backup(path: Path, keep: int) -> None:
    """Copy the current file into NAME.backup/ and keep the newest `keep` copies.

    The copy is written under a temporary name and renamed when complete, so a copy cut
    short (a full disk) is removed and never counts as one of the kept ones."""
    folder = backup_folder(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    partial = folder / f".{target.name}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        with open(path, "rb") as source, open(partial, "wb") as copy:
            _copy_into(source, copy)
        shutil.copystat(path, partial)
        os.replace(partial, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise SaveError(
            _os_message(error, "バックアップを作成できませんでした", path), path
        ) from None
    copies = sorted(folder.glob(f"{glob.escape(path.stem)}-*{glob.escape(path.suffix)}"))
    for old in copies[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


def _copy_into(source: BinaryIO, copy: BinaryIO) -> None:
    """Copy a backup's bytes, then make them durable (the step a full disk fails)."""
    shutil.copyfileobj(source, copy, 1024 * 1024)
    copy.flush()
    os.fsync(copy.fileno())


# -- new projects --------------------------------------------------------------
def new_project(
    form: str,
    org: str = "",
    title: str = "",
    today: date | None = None,
    *,
    initial_entry: bool = False,
) -> Project:
    """A project from the official form. `pia-desk new` and the editor's 新規作成 create it
    in 初回入力 (`initial_entry`): the city's current text is entered without rows."""
    template = load_template(form)
    project = Project.from_template(template, ProjectMeta())
    cover = {COVER_ITEMS["org"]: org, COVER_ITEMS["title"]: title}
    # What the project is created with is its starting text, not a change.
    project.set_baseline_values({k: Value(text=v) for k, v in cover.items() if v})
    project.initial_entry = initial_entry
    if today is not None:
        project.today = lambda: today
    return project


__all__ = [
    "ABSENT",
    "EXTENSION",
    "NS",
    "digest_of",
    "new_project",
    "pending_upgrade",
    "project_from_bytes",
    "project_to_bytes",
    "save_project",
    "upgrade_message",
    "validate_file",
    "write_atomic",
]

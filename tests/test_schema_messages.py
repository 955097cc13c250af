"""A project file that is well-formed XML but breaks the schema is explained in
Japanese (line, element, problem), never in libxml2's English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pia_desk.cli import main
from pia_desk.paths import sample_project_path
from pia_desk.storage.errors import InvalidProjectError
from pia_desk.storage.session import load_project

# Three or more English words in a row: libxml2's wording leaking through.
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[\s,:;'.()]+[A-Za-z]+){2,}")


def _line_of(data: bytes, marker: bytes) -> int:
    """The line where `marker` first occurs (the edit is made there)."""
    return data[: data.index(marker)].count(b"\n") + 1


# case: (original, replacement, element named, words of the Japanese problem)
CASES: dict[str, tuple[bytes, bytes, str, str]] = {
    "enumeration": (b'kind="changed"', b'kind="renamed"', "entry", "許されていません"),
    "unexpected_element": (
        b"<digitStyle>",
        b"<bogus/><digitStyle>",
        "bogus",
        "この位置に置けない要素",
    ),
    "missing_attribute": (b'<node id="cover" ', b"<node ", "node", "必須の属性 id がありません"),
    "unknown_attribute": (
        b'<node id="cover" ',
        b'<node id="cover" colour="red" ',
        "node",
        "置けない属性",
    ),
    "pattern": (b'<node id="cover" ', b'<node id="co ver" ', "node", "形式が正しくありません"),
    "empty_id": (b'<node id="cover" ', b'<node id="" ', "node", "文字数"),
    "boolean": (b'important="true"', b'important="yes"', "node", "true または false"),
    "duplicate_id": (
        b'<node id="cover.title" ',
        b'<node id="cover.number" ',
        "node",
        "重複しています",
    ),
    "text_in_element_only": (b"<tree>", b"<tree>hello", "tree", "文字が書かれています"),
}


def _broken_file(tmp_path: Path, case: str) -> tuple[Path, int, str, str]:
    original, replacement, element, words = CASES[case]
    sample = sample_project_path().read_bytes()
    assert original in sample
    data = sample.replace(original, replacement, 1)
    path = tmp_path / f"{case}.piadesk"
    path.write_bytes(data)
    return path, _line_of(sample, original), element, words


def _assert_japanese(problems: list[str], line: int, element: str, words: str) -> None:
    assert problems
    for problem in problems:
        assert not ENGLISH_RUN.search(problem), problem
    first = problems[0]
    assert first.startswith(f"{line} 行目、要素 {element}"), first
    assert words in first, first
    assert "{" not in first  # the namespace stays out of the message


@pytest.mark.parametrize("case", sorted(CASES))
def test_loader_explains_schema_violation_in_japanese(tmp_path: Path, case: str) -> None:
    path, line, element, words = _broken_file(tmp_path, case)
    before = path.read_bytes()
    with pytest.raises(InvalidProjectError) as raised:
        load_project(path)
    _assert_japanese(raised.value.problems, line, element, words)
    assert not ENGLISH_RUN.search(str(raised.value))
    assert path.read_bytes() == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_command_explains_schema_violation_in_japanese(
    tmp_path: Path, capsys, case: str
) -> None:
    path, line, element, words = _broken_file(tmp_path, case)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "問題があります" in out
    problems = [row[1:] for row in out.splitlines() if row.startswith("・")]
    _assert_japanese(problems, line, element, words)


def test_unknown_schema_problem_falls_back_to_line_and_element() -> None:
    from types import SimpleNamespace

    from pia_desk.storage.xml_errors import describe_schema_error

    entry = SimpleNamespace(
        type_name="SCHEMAV_SOMETHING_NEW",
        line=7,
        path="/*/*[2]",
        message="Element '{urn:pia-desk:project}meta': Something entirely new went wrong.",
    )
    problem = describe_schema_error(entry)
    assert problem.startswith("7 行目、要素 meta: ")
    assert not ENGLISH_RUN.search(problem)


def test_save_refusal_explains_schema_violation_in_japanese(tmp_path: Path) -> None:
    from pia_desk.storage.errors import SaveError
    from pia_desk.storage.project_file import save_project

    path = tmp_path / "p.piadesk"
    path.write_bytes(sample_project_path().read_bytes())
    before = path.read_bytes()
    project = load_project(path).project
    project.root.children[0].children[0].id = "空白 入り"  # breaks the schema's Id pattern
    with pytest.raises(SaveError) as raised:
        save_project(project, path)
    message = str(raised.value)
    assert "要素 node の属性 id: 値「空白 入り」の形式が正しくありません" in message
    assert not ENGLISH_RUN.search(message), message
    assert path.read_bytes() == before

"""Round trips: a 評価書 written by `export-assessment` comes back item for item.

The .docx exactly; the PDF LibreOffice makes of it equal ignoring white space. The
values become the baseline: no change rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from assessment_docs import filled_project

from pia_desk.cli import EXIT_OK, main
from pia_desk.domain.project import Project
from pia_desk.domain.values import Value
from pia_desk.paths import resource_path
from pia_desk.storage.project_file import save_project
from pia_desk.storage.session import load_project

SAMPLE = resource_path("sample", "sample.piadesk")


def submitted_values(project: Project) -> dict[tuple[str, ...], Value]:
    """The text as last submitted by 項目 path, as the document prints it."""
    values = {
        n.path_labels(baseline=True): project.baseline_value(n.id)
        for n in project.root.walk()
        if n.is_leaf_item
        and n.baseline_label is not None
        and not project.baseline_value(n.id).is_empty
    }
    return values


def taken_in(path: Path) -> dict[tuple[str, ...], Value]:
    project = load_project(path).project
    assert project.revisions == []
    return {
        n.path_labels(): project.value(n.id)
        for n in project.items()
        if not project.value(n.id).is_empty
    }


def squeezed(values: dict[tuple[str, ...], Value]) -> dict:
    return {
        k: ("".join(v.text.split()), v.checked, "".join(v.other.split())) for k, v in values.items()
    }


def round_trip(tmp_path: Path, project_file: Path, *extra: str) -> Path:
    document = tmp_path / "評価書.docx"
    assert (
        main(
            ["export-assessment", str(project_file), "-o", str(document), "--as-submitted", *extra]
        )
        == EXIT_OK
    )
    return document


def test_the_sample_comes_back_item_for_item(tmp_path) -> None:
    document = round_trip(tmp_path, SAMPLE)
    target = tmp_path / "取り込み.piadesk"
    assert main(["import-assessment", str(document), "-o", str(target)]) == EXIT_OK
    expected = submitted_values(load_project(SAMPLE).project)
    assert taken_in(target) == expected


def test_a_zenkoumoku_project_with_several_repeat_groups(tmp_path) -> None:
    project = filled_project("zenkoumoku", {"I.2.sys1": 4, "II.4.item1": 3, "II.5.prov1": 2})
    for node_id in ("cover.published", "cover.approved"):
        project.baseline.pop(node_id)
        project.working.pop(node_id)
    source = tmp_path / "全項目.piadesk"
    save_project(project, source)
    document = round_trip(tmp_path, source)
    target = tmp_path / "取り込み.piadesk"
    assert main(["import-assessment", str(document), "-o", str(target)]) == EXIT_OK
    assert taken_in(target) == submitted_values(load_project(source).project)


@pytest.mark.render
def test_the_pdf_libreoffice_makes_of_it(tmp_path) -> None:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is needed for the PDF round trip")
    pdf = tmp_path / "評価書.pdf"
    round_trip(tmp_path, SAMPLE, "--pdf", str(pdf))
    target = tmp_path / "取り込み.piadesk"
    assert main(["import-assessment", str(pdf), "-o", str(target)]) == EXIT_OK
    expected = submitted_values(load_project(SAMPLE).project)
    assert squeezed(taken_in(target)) == squeezed(expected)


def test_several_files_come_back_as_several_blocks(tmp_path) -> None:
    project = filled_project("juten", {"II.f1": 2, "I.2.sys1": 2})
    source = tmp_path / "二ファイル.piadesk"
    save_project(project, source)
    document = round_trip(tmp_path, source)
    target = tmp_path / "取り込み.piadesk"
    assert main(["import-assessment", str(document), "-o", str(target)]) == EXIT_OK
    taken = load_project(target).project
    assert [b.label for b in taken.node("II").children] == [
        "（１）特定個人情報ファイル",
        "（２）特定個人情報ファイル",
    ]
    assert taken_in(target) == submitted_values(load_project(source).project)

"""The whole 評価書 as .docx: sections and orientation, fonts, footers, rows that keep
together, every label and value in tree order, every character back out, a golden file."""

from __future__ import annotations

import os
import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from pia_desk.domain.assessment import AnnexBox, Section, build_assessment
from pia_desk.domain.assessment_text import text_state
from pia_desk.domain.tree import NodeKind
from pia_desk.domain.values import Value
from pia_desk.export.assessment_docx import AssessmentOptions, write_assessment_docx
from pia_desk.export.table import HEADERS, build_table
from pia_desk.paths import sample_project_path
from pia_desk.storage.project_file import new_project
from pia_desk.storage.session import load_project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
GOLDEN = Path(__file__).parent / "golden" / "assessment"
FIXED_TIME = "2026-01-01T00:00:00Z"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def sample():
    return load_project(sample_project_path()).project


def export(project, path: Path, **options) -> Path:
    document = build_assessment(project, text_state(project))
    write_assessment_docx(
        document, build_table(project), path, AssessmentOptions(**options), author=project.org
    )
    return path


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(sample(), tmp_path_factory.mktemp("assessment") / "評価書.docx")


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(w("t"), w("tab"), w("instrText")):
        if el.tag == w("t"):
            out.append(el.text or "")
        elif el.getparent().tag == w("r"):  # not a tab stop of the paragraph
            out.append("\t")
    return "".join(out)


def text_blocks(body: etree._Element) -> list[str]:
    """Paragraphs outside tables and table cells (their paragraphs joined by LF), in
    document order: the reader of the round trip."""
    blocks: list[str] = []
    for el in body.iter(w("p"), w("tc")):
        if el.tag == w("tc"):
            blocks.append("\n".join(paragraph_text(p) for p in el.findall(w("p"))))
        elif next(el.iterancestors(w("tc")), None) is None:
            blocks.append(paragraph_text(el))
    return blocks


def expected_blocks(document) -> list[str]:
    """Every label and value of the model in print order, as the document must hold them."""
    out = [document.cover.stamp, document.cover.title]
    for block in document.cover.blocks:
        out += [f.label for f in block.fields] + ["\n".join(f.value) for f in block.fields]
    out += [document.contents_heading, *document.contents]
    for item in document.parts:
        if isinstance(item, AnnexBox):
            out += [item.label, "\n".join(item.value)]
            continue
        out.append(f"{item.label}　{item.note}" if item.note else item.label)
        for row in item.rows:
            out += [t for t in (row.outer, row.label) if t]
            if row.value is not None:
                out.append("\n".join(row.value))
    return out


def first_missing(needles: list[str], haystack: list[str]) -> str | None:
    """The first needle not found after the previous one (None: all in order)."""
    it = iter(haystack)
    return next((n for n in needles if not any(n == h for h in it)), None)


def test_body_is_a4_portrait_and_the_annex_a4_landscape(sample_docx: Path) -> None:
    body = part(sample_docx, "word/document.xml").find(w("body"))
    sizes = [
        (
            s.find(w("pgSz")).get(w("w")),
            s.find(w("pgSz")).get(w("h")),
            s.find(w("pgSz")).get(w("orient")),
        )
        for s in body.iter(w("sectPr"))
    ]
    assert sizes == [("11906", "16838", None), ("16838", "11906", "landscape")]


def test_fonts_are_east_asian_without_theme_fonts_and_japanese(tmp_path: Path) -> None:
    path = export(sample(), tmp_path / "a.docx", font="游明朝", font_size=10.5)
    styles = part(path, "word/styles.xml")
    defaults = styles.find(w("docDefaults")).find(w("rPrDefault")).find(w("rPr"))
    fonts = defaults.find(w("rFonts"))
    assert fonts.get(w("eastAsia")) == "游明朝" and fonts.get(w("ascii")) == "游明朝"
    assert not [a for f in styles.iter(w("rFonts")) for a in f.attrib if "Theme" in a]
    assert defaults.find(w("lang")).get(w("eastAsia")) == "ja-JP"
    assert defaults.find(w("sz")).get(w("val")) == "21"


def test_each_section_has_a_footer_with_the_title_and_n_of_m(sample_docx: Path) -> None:
    with zipfile.ZipFile(sample_docx) as z:
        footers = [n for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
    assert len(footers) == 2
    for name in footers:
        root = part(sample_docx, name)
        instructions = [t.text.strip() for t in root.iter(w("instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert paragraph_text(root.find(f".//{w('p')}")).startswith(
            "予防接種に関する事務　重点項目評価書\t"
        )


def test_every_label_and_value_of_the_sample_in_tree_order(sample_docx: Path) -> None:
    project = sample()
    document = build_assessment(project, text_state(project))
    body = part(sample_docx, "word/document.xml").find(w("body"))
    blocks = text_blocks(body)
    expected = expected_blocks(document)
    assert first_missing(expected, blocks) is None
    values = [n.id for n in project.items() if not project.value(n.id).is_empty]
    assert len(values) > 50  # the sample fills most items


def test_the_annex_is_the_change_table_with_a_repeated_header_row(sample_docx: Path) -> None:
    body = part(sample_docx, "word/document.xml").find(w("body"))
    annex = body.findall(w("tbl"))[-1]
    header = annex.find(w("tr"))
    assert header.find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert [paragraph_text(tc.find(w("p"))) for tc in header.findall(w("tc"))] == list(HEADERS)
    rows = annex.findall(w("tr"))[1:]
    assert len(rows) == len(build_table(sample()).rows)
    # the annex starts after the body's section break: it is the last section's content
    breaks = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('sectPr')}") is not None]
    assert len(breaks) == 1
    assert breaks[0].getparent().index(breaks[0]) < body.index(annex)


def test_no_annex_when_asked(tmp_path: Path) -> None:
    project = sample()
    document = build_assessment(project, text_state(project), annex=False)
    path = tmp_path / "a.docx"
    write_assessment_docx(document, None, path)
    body = part(path, "word/document.xml").find(w("body"))
    assert len(list(body.iter(w("sectPr")))) == 1
    assert "（別添２）変更箇所" not in text_blocks(body)


def test_labels_keep_with_the_next_row_and_merge_down(sample_docx: Path) -> None:
    body = part(sample_docx, "word/document.xml").find(w("body"))
    rows = {}
    for tr in body.iter(w("tr")):
        cells = [
            ("\n".join(paragraph_text(p) for p in tc.findall(w("p")))) for tc in tr.findall(w("tc"))
        ]
        rows.setdefault(tuple(cells), tr)
    heading = next(tr for cells, tr in rows.items() if cells[-1:] == ("システム１",))
    assert heading.find(f"{w('trPr')}/{w('cantSplit')}") is not None
    assert all(
        p.find(f"{w('pPr')}/{w('keepNext')}") is not None
        for p in heading.findall(w("tc"))[-1].findall(w("p"))
    )
    first = next(
        tr
        for cells, tr in rows.items()
        if cells[:2] == ("１．特定個人情報ファイルを取り扱う事務", "①事務の名称")
    )
    assert first.find(f"{w('tc')}/{w('tcPr')}/{w('vMerge')}").get(w("val")) == "restart"
    following = first.getnext()
    assert following.find(f"{w('tc')}/{w('tcPr')}/{w('vMerge')}").get(w("val")) is None
    section_headings = [p for p in body.findall(w("p")) if paragraph_text(p) == "Ⅰ基本情報"]
    assert section_headings[-1].find(f"{w('pPr')}/{w('keepNext')}") is not None


def test_long_values_may_split_across_pages_short_ones_not(tmp_path: Path) -> None:
    project = sample()
    project.set_text("I.1.2", "長い記載の段落です。" * 30 + "\n" + "次の段落。\n" * 40)
    body = part(export(project, tmp_path / "a.docx"), "word/document.xml").find(w("body"))
    by_label = {}
    for tr in body.iter(w("tr")):
        for tc in tr.findall(w("tc")):
            by_label.setdefault(paragraph_text(tc.find(w("p"))), tr)
    assert by_label["②事務の内容※"].find(f"{w('trPr')}/{w('cantSplit')}") is None
    assert by_label["①事務の名称"].find(f"{w('trPr')}/{w('cantSplit')}") is not None


RARE = [
    "𠮷野家",
    "髙橋",
    "ﾊﾝｶｸｶﾅ",
    "ＡＢＣ全角",
    "abc half",
    "タブ\tの後",
    "　全角空白で始まる",
    "末尾の空白 ",
    "①②③",
    "※印",
    "“引用”",
]


def generated_project(seed: int = 3):
    """A 全項目 project with every item filled: several paragraphs, tabs, both widths,
    rare kanji, empty lines; choices and checks set."""
    rng = random.Random(seed)
    project = new_project("zenkoumoku", org="生成市長", title="生成 全項目評価書")
    project.add_repeat_instance("I.2.sys1")
    for node in project.items():
        if node.kind is NodeKind.TEXT:
            paragraphs = [
                "".join(rng.choice(RARE) for _ in range(rng.randint(1, 6)))
                for _ in range(rng.randint(1, 5))
            ]
            if rng.random() < 0.3:
                paragraphs.insert(1, "")
            value = Value(text="\n".join(paragraphs))
        elif node.kind is NodeKind.CHOICE:
            value = Value(text=rng.choice(node.options))
        elif node.kind is NodeKind.CHECKS:
            value = Value(
                checked=tuple(o for o in node.options if rng.random() < 0.5),
                other="その他の𠮷\t内容" if node.other_option else "",
            )
        else:
            value = Value(text="2024-02-29")
        project.working[node.id] = value
    return project


def test_every_character_of_every_value_comes_back_out(tmp_path: Path) -> None:
    project = generated_project()
    document = build_assessment(project, text_state(project))
    path = export(project, tmp_path / "generated.docx")
    blocks = text_blocks(part(path, "word/document.xml").find(w("body")))
    values = []
    for item in document.parts:
        rows = item.rows if isinstance(item, Section) else [item]
        values += ["\n".join(row.value) for row in rows if row.value]
    assert first_missing(values, blocks) is None
    texts = [project.value(n.id).text for n in project.items() if n.kind is NodeKind.TEXT]
    assert all(text in blocks for text in texts)  # free text exactly, tabs and all
    assert sum("𠮷" in b for b in blocks) > 10 and any("\t" in b for b in blocks)


def canonical_parts(path: Path) -> dict[str, str]:
    """Every XML part of the package, pretty-printed, with the export time fixed."""
    parts = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels")):
                parts[name] = f"<binary {len(data)} bytes>"
                continue
            root = etree.fromstring(data)
            for el in root.iter(
                "{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"
            ):
                el.text = FIXED_TIME
            parts[name] = etree.tostring(root, pretty_print=True, encoding="unicode")
    return parts


def test_the_sample_document_matches_the_golden_files_part_by_part(sample_docx: Path) -> None:
    """Unintended changes show here; regenerate with PIA_DESK_UPDATE_GOLDEN=1."""
    actual = canonical_parts(sample_docx)
    if os.environ.get("PIA_DESK_UPDATE_GOLDEN"):
        for name, text in actual.items():
            target = GOLDEN / (name.replace("/", "__") + ".txt")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    golden = {
        p.name[: -len(".txt")].replace("__", "/"): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.glob("*.txt"))
    }
    assert sorted(actual) == sorted(golden)
    for name in sorted(actual):
        assert actual[name] == golden[name], name


@pytest.mark.parametrize("form", ["kiso", "juten", "zenkoumoku"])
def test_every_form_writes_its_labels_in_order(form: str, tmp_path: Path) -> None:
    project = new_project(form, org="テスト市長", title=f"テスト {form}")
    document = build_assessment(project, text_state(project))
    path = tmp_path / f"{form}.docx"
    write_assessment_docx(document, build_table(project), path)
    body = part(path, "word/document.xml").find(w("body"))
    assert first_missing(expected_blocks(document), text_blocks(body)) is None
    assert project.meta.annex_label in text_blocks(body)
    assert len(list(body.iter(w("sectPr")))) == 2


PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "widowControl",
    "tabs",
    "spacing",
    "ind",
    "jc",
    "rPr",
    "sectPr",
)


def test_paragraph_properties_are_in_schema_order(sample_docx: Path) -> None:
    """Word refuses a document whose w:pPr children are out of the schema's order."""
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for ppr in part(sample_docx, name).iter(w("pPr")):
            names = [etree.QName(child).localname for child in ppr]
            assert all(n in PPR_ORDER for n in names), names
            assert names == sorted(names, key=PPR_ORDER.index), names


def test_every_label_and_value_is_printed_once(tmp_path: Path) -> None:
    """Nothing printed twice or dropped: the body holds exactly the model's texts."""
    project = sample()
    document = build_assessment(project, text_state(project), annex=False)
    path = tmp_path / "body.docx"
    write_assessment_docx(document, None, path)
    blocks = text_blocks(part(path, "word/document.xml").find(w("body")))
    printed = Counter(block for block in blocks if block)
    assert printed == Counter(text for text in expected_blocks(document) if text)

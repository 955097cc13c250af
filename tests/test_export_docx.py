"""Structure of the exported .docx: the XML that Word and LibreOffice read."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pia_desk.export.docx_writer import DocxOptions, lay_out, write_docx
from pia_desk.export.layout import TableGeometry
from pia_desk.export.table import (
    CONTINUED_FROM_ABOVE,
    CONTINUES_BELOW,
    CUT_INSIDE_PARAGRAPH,
    CUT_INSIDE_STYLE,
    ChangeTable,
    TableRow,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
GOLDEN = Path(__file__).parent / "golden" / "export"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def sample_table(rows: list[dict]) -> ChangeTable:
    """A ChangeTable of the shared reference rows, as they were printed."""
    return ChangeTable(
        "（別添２）変更箇所",
        tuple(
            TableRow(
                r["date"],
                "\n".join(r["item_path"]),
                r["before"],
                r["after"],
                r["timing"],
                r["explanation"],
                f"e{i}",
            )
            for i, r in enumerate(rows)
        ),
    )


def small_table() -> ChangeTable:
    return ChangeTable(
        "（別添２）変更箇所",
        (
            TableRow(
                "令和3年10月20日",
                "Ⅱ特定個人情報ファイルの概要\n３．特定個人情報の入手・使用\n⑤使用方法",
                "・当市区町村への転入者について\n\n＜追加措置＞\n照会する。",
                "・当市への転入者について\n\n＜追加措置＞\n照会する。",
                "事後",
                "当市区町村→当市　に修正するもの。",
                "e1",
            ),
            TableRow(
                "令和4年3月1日",
                "Ⅰ基本情報\n６．評価実施機関における担当部署\n①部署",
                "健康推進課",
                "（削除）",
                "事前",
                "",
                "e2",
            ),
        ),
    )


def export(tmp_path: Path, table: ChangeTable, **options: object) -> Path:
    path = tmp_path / "out.docx"
    write_docx(table, path, DocxOptions(author="○○市長", **options))  # type: ignore[arg-type]
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def cell_texts(document: etree._Element) -> list[list[str]]:
    """Each table row as its cells' text, paragraphs joined by "\\n", tabs as "\\t"."""
    rows = []
    for tr in document.iterfind(".//w:tbl/w:tr", NS):
        cells = []
        for tc in tr.iterfind("w:tc", NS):
            paragraphs = []
            for p in tc.iterfind("w:p", NS):
                pieces = [
                    e.text or "" if e.tag == w("t") else "\t" for e in p.iter(w("t"), w("tab"))
                ]
                paragraphs.append("".join(pieces))
            cells.append("\n".join(paragraphs))
        rows.append(cells)
    return rows


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory, shared_rows: list[dict]) -> Path:
    return export(tmp_path_factory.mktemp("docx"), sample_table(shared_rows))


def test_page_is_a4_landscape_with_size_swapped(sample_docx: Path) -> None:
    pgsz = part(sample_docx, "word/document.xml").find(".//w:sectPr/w:pgSz", NS)
    assert (pgsz.get(w("w")), pgsz.get(w("h")), pgsz.get(w("orient"))) == (
        "16838",
        "11906",
        "landscape",
    )


def test_title_stands_above_the_table(sample_docx: Path) -> None:
    body = part(sample_docx, "word/document.xml").find("w:body", NS)
    first = body[0]
    assert first.tag == w("p")
    assert "".join(first.itertext()) == "（別添２）変更箇所"
    assert body[1].tag == w("tbl")


def test_header_row_repeats_and_is_shaded(sample_docx: Path) -> None:
    rows = part(sample_docx, "word/document.xml").findall(".//w:tbl/w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert all(tc.find("w:tcPr/w:shd", NS).get(w("fill")) for tc in rows[0].iterfind("w:tc", NS))
    texts = ["".join(tc.itertext()) for tc in rows[0].iterfind("w:tc", NS)]
    assert texts == [
        "変更日",
        "項目",
        "変更前の記載",
        "変更後の記載",
        "提出時期",
        "提出時期に係る説明",
    ]


def test_fixed_widths_on_grid_table_and_every_cell(sample_docx: Path) -> None:
    tbl = part(sample_docx, "word/document.xml").find(".//w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
    grid = [int(c.get(w("w"))) for c in tbl.iterfind("w:tblGrid/w:gridCol", NS)]
    tblw = tbl.find("w:tblPr/w:tblW", NS)
    assert (tblw.get(w("type")), int(tblw.get(w("w")))) == ("dxa", sum(grid))
    assert abs(sum(grid) - (297 - 2 * 15) * 1440 / 25.4) < 2  # the table fills the text area
    assert max(grid) == grid[2] == grid[3]  # the text columns are the widest
    for tr in tbl.iterfind("w:tr", NS):
        widths = [tc.find("w:tcPr/w:tcW", NS) for tc in tr.iterfind("w:tc", NS)]
        assert [(x.get(w("type")), int(x.get(w("w")))) for x in widths] == [
            ("dxa", g) for g in grid
        ]


def test_japanese_fonts_without_theme_fonts(sample_docx: Path) -> None:
    styles = part(sample_docx, "word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(w("eastAsia")) == "ＭＳ 明朝"
    assert defaults.find("w:lang", NS).get(w("eastAsia")) == "ja-JP"
    assert defaults.find("w:sz", NS).get(w("val")) == "18"  # 9 pt
    for rfonts in styles.iter(w("rFonts")):  # no style names another font
        assert rfonts.get(w("eastAsia")) == "ＭＳ 明朝"
    for name in ("word/styles.xml", "word/document.xml", "word/footer1.xml"):
        for rfonts in part(sample_docx, name).iter(w("rFonts")):
            assert not [a for a in rfonts.attrib if a.endswith("Theme") or a.endswith("theme")]


def test_font_and_size_options(tmp_path: Path) -> None:
    path = export(tmp_path, small_table(), font="ＭＳ ゴシック", font_size=10.5)
    defaults = part(path, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(w("eastAsia")) == "ＭＳ ゴシック"
    assert defaults.find("w:sz", NS).get(w("val")) == "21"


def footer_name(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return next(n for n in z.namelist() if n.startswith("word/footer"))


def test_footer_has_page_of_pages_fields_each_in_its_own_run(sample_docx: Path) -> None:
    footer = part(sample_docx, footer_name(sample_docx))
    instructions = [t.text.strip() for t in footer.iter(w("instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    for run in footer.iter(w("r")):
        assert len(run) == 1  # fldChar, instrText and text never share a run
    assert " / " in "".join(t.text for t in footer.iter(w("t")))


def test_every_character_of_every_row_is_kept(
    sample_docx: Path, shared_rows: list[dict], tmp_path: Path
) -> None:
    rows = cell_texts(part(sample_docx, "word/document.xml"))[1:]
    pages = lay_out(sample_table(shared_rows), DocxOptions())
    assert rows == [list(r.cells) for page in pages for r in page]
    flowing = export(tmp_path, sample_table(shared_rows), flow=True)
    rows = cell_texts(part(flowing, "word/document.xml"))[1:]
    assert rows == [list(r.cells) for r in sample_table(shared_rows).rows]


def test_tabs_and_blank_lines_survive(tmp_path: Path) -> None:
    row = TableRow("令和元年5月1日", "Ⅰ\n①", "a\tb\n\n\nc", "𠮷野家\n", "", "", "e1")
    path = export(tmp_path, ChangeTable("（別添２）変更箇所", (row,)))
    assert cell_texts(part(path, "word/document.xml"))[1] == list(row.cells)


def test_core_properties_and_no_python_docx_leftovers(sample_docx: Path) -> None:
    core = part(sample_docx, "docProps/core.xml")
    ns = {"dc": "http://purl.org/dc/elements/1.1/"}
    assert core.findtext("dc:title", namespaces=ns) == "（別添２）変更箇所"
    assert core.findtext("dc:creator", namespaces=ns) == "○○市長"
    assert not core.findtext("dc:description", namespaces=ns)
    with zipfile.ZipFile(sample_docx) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]
        for name in z.namelist():
            data = z.read(name)
            assert b"python-docx" not in data, name
            assert b"Macintosh" not in data, name


def test_underline_marks_exactly_the_changed_characters(tmp_path: Path) -> None:
    path = export(tmp_path, small_table(), underline=True)
    rows = part(path, "word/document.xml").findall(".//w:tbl/w:tr", NS)

    def underlined(tc: etree._Element) -> str:
        return "".join(
            r.findtext("w:t", default="", namespaces=NS)
            for r in tc.iter(w("r"))
            if r.find("w:rPr/w:u", NS) is not None
        )

    first = rows[1].findall("w:tc", NS)
    assert (underlined(first[2]), underlined(first[3])) == ("区町村", "")
    assert underlined(first[1]) == ""  # 項目 is never underlined
    deleted = rows[2].findall("w:tc", NS)
    assert (underlined(deleted[2]), underlined(deleted[3])) == ("健康推進課", "")
    plain = export(tmp_path, small_table())
    assert not list(part(plain, "word/document.xml").iter(w("u")))


def test_split_lines_option_cuts_long_rows(tmp_path: Path, shared_rows: list[dict]) -> None:
    path = export(tmp_path, sample_table(shared_rows), split_lines=30)
    rows = cell_texts(part(path, "word/document.xml"))[1:]
    assert len(rows) > len(shared_rows)
    assert any(r[2].endswith(CONTINUES_BELOW) for r in rows)
    assert any(r[2].startswith(CONTINUED_FROM_ABOVE) for r in rows)
    assert [r[4] for r in rows if r[4]] == [r["timing"] for r in shared_rows if r["timing"]]


def test_rows_are_kept_whole_unless_flow_is_asked(sample_docx: Path, tmp_path: Path) -> None:
    rows = part(sample_docx, "word/document.xml").findall(".//w:tbl/w:tr", NS)
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
    flowing = export(tmp_path, small_table(), flow=True)
    assert not list(part(flowing, "word/document.xml").iter(w("cantSplit")))


def test_table_lines_are_set_exactly_with_fixed_cell_margins(sample_docx: Path) -> None:
    geometry = TableGeometry(9.0)
    styles = part(sample_docx, "word/styles.xml")
    spacing = styles.find("w:style[@w:styleId='PiaDeskTableText']/w:pPr/w:spacing", NS)
    assert (spacing.get(w("lineRule")), int(spacing.get(w("line")))) == (
        "exact",
        geometry.line_twips,
    )
    document = part(sample_docx, "word/document.xml")
    cell_paragraphs = document.findall(".//w:tbl/w:tr/w:tc/w:p", NS)
    styles_used = {p.find("w:pPr/w:pStyle", NS).get(w("val")) for p in cell_paragraphs}
    assert styles_used <= {"PiaDeskTableText", CUT_INSIDE_STYLE}
    margins = document.find(".//w:tblPr/w:tblCellMar", NS)
    assert {etree.QName(m).localname for m in margins} == {"top", "left", "bottom", "right"}


def test_clean_package_from_the_own_template(sample_docx: Path) -> None:
    with zipfile.ZipFile(sample_docx) as z:
        names = set(z.namelist())
        everything = b"".join(z.read(n) for n in names)
    assert names == {
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/footer1.xml",
        "word/settings.xml",
        "word/styles.xml",
    }
    for leftover in (b"rsid", b"docId", b"w:zoom", b"Calibri", b"customXml", b"\xe2\x81\xa0"):
        assert leftover not in everything, leftover
    settings = part(sample_docx, "word/settings.xml")
    mode = settings.find("w:compat/w:compatSetting[@w:name='compatibilityMode']", NS)
    assert mode.get(w("val")) == "15"
    assert len(part(sample_docx, "word/styles.xml").findall("w:style", NS)) <= 8


def test_a_final_empty_paragraph_follows_the_table(sample_docx: Path) -> None:
    body = part(sample_docx, "word/document.xml").find("w:body", NS)
    assert [etree.QName(e).localname for e in body][-3:] == ["tbl", "p", "sectPr"]
    closing = body[-2]
    assert "".join(closing.itertext()) == ""
    assert closing.find("w:pPr/w:spacing", NS).get(w("lineRule")) == "exact"


def test_author_is_the_option_not_the_organisation(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    write_docx(small_table(), path, DocxOptions())
    core = part(path, "docProps/core.xml")
    assert not core.findtext("dc:creator", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})


def test_failed_export_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "out.docx"
    path.write_bytes(b"previous export")

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_docx(sample_table([_row_dict()] * 60), path, DocxOptions(), progress=cancel)
    assert path.read_bytes() == b"previous export"
    assert os.listdir(tmp_path) == ["out.docx"]


def _row_dict() -> dict:
    return {
        "date": "令和3年10月20日",
        "item_path": ["Ⅰ基本情報"],
        "before": "前",
        "after": "後",
        "timing": "事後",
        "explanation": "",
    }


def _canonical(name: str, xml: bytes) -> str:
    """A part as text to compare; the dates of core.xml change with every export."""
    root = etree.fromstring(xml)
    if name == "docProps/core.xml":
        for element in root:
            if etree.QName(element).localname in ("created", "modified"):
                element.text = "(date)"
    if name == "docProps/app.xml":
        for element in root:
            element.text = (element.text or "").split(" ")[0]  # no version number
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode")


def test_every_part_matches_the_golden_files(tmp_path: Path) -> None:
    """Unintended changes of any part show here; regenerate with PIA_DESK_UPDATE_GOLDEN=1."""
    path = export(tmp_path, small_table(), underline=True)
    with zipfile.ZipFile(path) as z:
        actual = {name: _canonical(name, z.read(name)) for name in z.namelist()}
    golden = {f.relative_to(GOLDEN).as_posix(): f for f in GOLDEN.rglob("*") if f.is_file()}
    if os.environ.get("PIA_DESK_UPDATE_GOLDEN"):
        for name, text in actual.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        golden = {name: GOLDEN / name for name in actual}
    assert sorted(actual) == sorted(golden)
    for name, text in actual.items():
        assert text == golden[name].read_text(encoding="utf-8"), name


def test_a_cut_inside_a_paragraph_is_marked_by_the_paragraph_style_only(tmp_path: Path) -> None:
    long_paragraph = "第一号に定める事務の処理に必要な範囲で取り扱う。" * 12
    row = TableRow("令和6年4月1日", "項目", f"＜見出し＞\n{long_paragraph}", "後", "", "")
    path = export(tmp_path, ChangeTable("（別添２）変更箇所", (row,)), split_lines=5)
    document = part(path, "word/document.xml")
    cut = document.xpath(f".//w:p[w:pPr/w:pStyle/@w:val='{CUT_INSIDE_STYLE}']", namespaces=NS)
    assert cut
    for p in cut:  # the line just before （下段に続く）
        assert "".join(p.getnext().itertext()) == CONTINUES_BELOW
    assert CUT_INSIDE_PARAGRAPH not in "".join(document.itertext())
    styles = part(path, "word/styles.xml")
    style = styles.find(f"w:style[@w:styleId='{CUT_INSIDE_STYLE}']", NS)
    assert style.find("w:basedOn", NS).get(w("val")) == "PiaDeskTableText"
    assert style.find("w:rPr", NS) is None  # looks like every other line


def test_underline_falls_on_the_changed_characters_of_every_line(tmp_path: Path) -> None:
    before_lines = [f"第{i}段落：当市区町村の記載" for i in range(6)]
    after_lines = [
        line.replace("当市区町村", "当市") if i in (2, 4) else line
        for i, line in enumerate(before_lines)
    ]
    row = TableRow("", "", "\n".join(before_lines), "\n".join(after_lines), "", "")
    path = export(tmp_path, ChangeTable("t", (row,)), underline=True)
    tr = part(path, "word/document.xml").findall(".//w:tbl/w:tr", NS)[1]
    before_cell = tr.findall("w:tc", NS)[2]

    def underlined(p: etree._Element) -> str:
        return "".join(
            r.findtext("w:t", default="", namespaces=NS)
            for r in p.iter(w("r"))
            if r.find("w:rPr/w:u", NS) is not None
        )

    per_line = [underlined(p) for p in before_cell.findall("w:p", NS)]
    assert per_line == ["", "", "区町村", "", "区町村", ""]

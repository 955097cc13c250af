"""The text flow of a PDF (a published 評価書), one piece per printed line.

pypdfium2 (PDFium) gives each page's text in the order it was drawn, which for PDFs
made by Word, Excel or LibreOffice is the order of the cells: a label, then its value,
row by row. (pdfminer.six's layout analysis groups the label column of several rows
into one box before their values, so rows lose their pairing; it is also ~25× slower
on the same document. See README.)

Running headers and footers (a line that comes back at the top or bottom of most
pages, page numbers) are left out, so a value cut by a page break joins up again.
Characters some PDF makers map to Kangxi radicals (⾒ for 見) are read as the usual
ones. A PDF without text (a scan) is not an assessment this tool can read.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

from pia_desk.domain.document_flow import TextFlow
from pia_desk.importing.assessment_errors import NotAnAssessmentError, UnreadableDocumentError
from pia_desk.storage import limits

EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be a header/footer
_RADICALS = re.compile("[\u2e80-\u2fdf]")
_PAGE_NUMBER = re.compile(r"^[-－ー―\s]*\d+\s*(?:[/／]\s*\d+)?[-－ー―\s]*$|^\d+\s*ページ$")
_DIGITS = re.compile(r"\d+")


def read_pdf_flow(path: Path, data: bytes) -> TextFlow:
    pages = _page_lines(path, data)
    if not any(line.strip() for lines in pages for line in lines):
        raise NotAnAssessmentError(
            "PDF に文字がありません（スキャンした画像の PDF など）。文字を含む PDF か、"
            "Word / Excel の元のファイルを指定してください。",
            path,
        )
    repeated = _running_lines(pages)
    flow = TextFlow(kind="pdf")
    left_out = 0
    for number, lines in enumerate(pages, start=1):
        for index, line in enumerate(lines):
            edge = index < EDGE_LINES or index >= len(lines) - EDGE_LINES
            if edge and (_key(line) in repeated or _PAGE_NUMBER.match(line)):
                left_out += 1
                continue
            if line.strip():
                flow.add(line, f"{number}ページ{index + 1}行目", ("line", number - 1, index))
    if left_out:
        flow.notes.append(f"ページごとの見出し・ページ番号 {left_out} 行を読み飛ばしました。")
    return flow


def _page_lines(path: Path, data: bytes) -> list[list[str]]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UnreadableDocumentError(
                "パスワードで保護された PDF は読み込めません。保護を解除した PDF を指定してください。",
                path,
            ) from None
        raise UnreadableDocumentError(
            "PDF として読み込めません。ファイルが壊れている可能性があります。", path
        ) from None
    try:
        if len(document) > limits.MAX_ASSESSMENT_PAGES:
            raise UnreadableDocumentError(
                f"ページが多すぎるため読み込みません（{len(document)} ページ、上限 {limits.MAX_ASSESSMENT_PAGES:,}）。",
                path,
            )
        pages: list[list[str]] = []
        total = 0
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            total += len(text)
            if total > limits.MAX_ASSESSMENT_CHARS:
                raise UnreadableDocumentError("文字が多すぎるため読み込みません。", path)
            text = _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        return pages
    except pdfium.PdfiumError:
        raise UnreadableDocumentError(
            "PDF の内容を読み取れません。ファイルが壊れている可能性があります。", path
        ) from None
    finally:
        document.close()


def _key(line: str) -> str:
    return _DIGITS.sub("#", "".join(line.split()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines at the page edges that most pages have (digits aside: 1 / 16, 2 / 16 …)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:] if line.strip()}
        counts.update(edges)
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in counts.items() if count >= needed}

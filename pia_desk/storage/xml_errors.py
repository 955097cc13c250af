"""The cause of an XML syntax error in Japanese, with its line and column.

libxml2 (lxml) and expat (xml.etree, used by openpyxl) describe a damaged file in
English; the user reads only the Japanese sentence made here, never the library's text.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from lxml import etree

# libxml2 error names (lxml's ErrorTypes) → the cause in Japanese.
_LIBXML_CAUSES: dict[str, str] = {
    "ERR_DOCUMENT_EMPTY": "XML の内容がありません",
    "ERR_DOCUMENT_END": "ルート要素の後ろに余分な内容があります",
    "ERR_TAG_NOT_FINISHED": "閉じていないタグがあるまま途中で終わっています",
    "ERR_GT_REQUIRED": "タグが「>」で閉じられていません",
    "ERR_LTSLASH_REQUIRED": "終了タグが正しくありません",
    "ERR_NAME_REQUIRED": "要素名または属性名が正しくありません",
    "ERR_INVALID_CHAR": "XML に使えない文字（制御文字など）が含まれています",
    "ERR_INVALID_ENCODING": "UTF-8 として正しくないバイトがあります",
    "ERR_UNSUPPORTED_ENCODING": "対応していない文字コードが宣言されています",
    "ERR_ATTRIBUTE_REDEFINED": "同じ属性が 2 回書かれています",
    "ERR_ATTRIBUTE_NOT_STARTED": "属性の値が引用符で囲まれていません",
    "ERR_ATTRIBUTE_NOT_FINISHED": "属性の値が閉じられていません",
    "ERR_ATTRIBUTE_WITHOUT_VALUE": "属性に値がありません",
    "ERR_LT_IN_ATTRIBUTE": "属性の値に「<」がそのまま含まれています",
    "ERR_SPACE_REQUIRED": "必要な空白がありません",
    "ERR_UNDECLARED_ENTITY": "定義されていない実体参照があります",
    "ERR_ENTITYREF_SEMICOL_MISSING": "実体参照が「;」で終わっていません",
    "ERR_CHARREF_SEMICOL_MISSING": "文字参照が「;」で終わっていません",
    "ERR_INVALID_CHARREF": "文字参照の値が正しくありません",
    "ERR_INVALID_DEC_CHARREF": "文字参照の値が正しくありません",
    "ERR_INVALID_HEX_CHARREF": "文字参照の値が正しくありません",
    "ERR_COMMENT_NOT_FINISHED": "コメントが閉じられていません",
    "ERR_CDATA_NOT_FINISHED": "CDATA セクションが閉じられていません",
    "ERR_MISPLACED_CDATA_END": "本文に「]]>」がそのまま含まれています",
    "ERR_PI_NOT_FINISHED": "処理命令が閉じられていません",
    "ERR_RESERVED_XML_NAME": "XML 宣言の位置が正しくありません",
    "ERR_XMLDECL_NOT_FINISHED": "XML 宣言が閉じられていません",
    "ERR_VERSION_MISSING": "XML 宣言に版がありません",
    "ERR_STRING_NOT_CLOSED": "引用符が閉じられていません",
    "ERR_STRING_NOT_STARTED": "引用符がありません",
    "ERR_EXT_SUBSET_NOT_FINISHED": "文書型宣言が閉じられていません",
    "ERR_ENTITY_LOOP": "実体参照が循環しています",
    "ERR_HUGE_LOOKUP": "要素や値が大きすぎます",
    "NS_ERR_UNDEFINED_NAMESPACE": "定義されていない名前空間の接頭辞が使われています",
    "NS_ERR_QNAME": "要素名または属性名の形が正しくありません",
    "NS_ERR_ATTRIBUTE_REDEFINED": "同じ属性が 2 回書かれています",
}

# expat error codes (xml.parsers.expat.errors.codes) → the cause in Japanese.
_EXPAT_CAUSES: dict[str, str] = {
    expat.errors.XML_ERROR_SYNTAX: "XML の書き方が正しくありません",
    expat.errors.XML_ERROR_NO_ELEMENTS: "途中で終わっているか、内容がありません",
    expat.errors.XML_ERROR_INVALID_TOKEN: "XML に使えない文字または記号があります",
    expat.errors.XML_ERROR_UNCLOSED_TOKEN: "閉じていないタグがあるまま途中で終わっています",
    expat.errors.XML_ERROR_PARTIAL_CHAR: "文字の途中で終わっています",
    expat.errors.XML_ERROR_TAG_MISMATCH: "開始タグと終了タグが対応していません",
    expat.errors.XML_ERROR_DUPLICATE_ATTRIBUTE: "同じ属性が 2 回書かれています",
    expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT: "ルート要素の後ろに余分な内容があります",
    expat.errors.XML_ERROR_UNDEFINED_ENTITY: "定義されていない実体参照があります",
    expat.errors.XML_ERROR_UNKNOWN_ENCODING: "対応していない文字コードが宣言されています",
    expat.errors.XML_ERROR_INCORRECT_ENCODING: "宣言された文字コードと内容が一致しません",
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION: "CDATA セクションが閉じられていません",
    expat.errors.XML_ERROR_MISPLACED_XML_PI: "XML 宣言の位置が正しくありません",
    expat.errors.XML_ERROR_UNBOUND_PREFIX: "定義されていない名前空間の接頭辞が使われています",
    expat.errors.XML_ERROR_BAD_CHAR_REF: "文字参照の値が正しくありません",
    expat.errors.XML_ERROR_INVALID_ARGUMENT: "XML の書き方が正しくありません",
}

# libxml2's text is the only place naming both tags of a mismatch.
_MISMATCH = re.compile(r"tag mismatch: (\S+) line \d+ and (\S+?),")


def describe_xml_error(error: BaseException) -> str | None:
    """「4 行目 5 文字目: …」 for an lxml XMLSyntaxError or an xml.etree ParseError (or
    an error raised while handling one), None when there is none. Names the part of a
    package when the reader noted it (`error.xml_part`). Never the library's English."""
    syntax_error = _xml_error_in_chain(error)
    if syntax_error is None:
        return None
    if isinstance(syntax_error, etree.XMLSyntaxError):
        line, column = syntax_error.position if syntax_error.position else (0, 0)
        cause = _libxml_cause(syntax_error)
    else:
        line, column = getattr(syntax_error, "position", None) or (0, 0)
        code = getattr(syntax_error, "code", 0)
        cause = _EXPAT_CAUSES.get(expat.errors.messages.get(code, ""), _GENERIC)
        column += 1  # expat counts columns from 0; people count from 1
    part = getattr(syntax_error, "xml_part", None)
    return f"{part} の " * bool(part) + f"{_where(line, column)}{cause}"


def _xml_error_in_chain(error: BaseException | None) -> BaseException | None:
    seen = 0
    while error is not None and seen < 10:  # a library may wrap the parser's error
        if isinstance(error, etree.XMLSyntaxError | ParseError):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


_GENERIC = "XML の書き方が正しくありません"


def xml_error_location(error: etree.XMLSyntaxError) -> str:
    """「4 行目 5 文字目、」 where libxml2 met the error (empty when it does not say)."""
    line, column = error.position if error.position else (0, 0)
    return _where(line, column).replace(": ", "、") if line > 0 else ""


def _where(line: int, column: int) -> str:
    if line <= 0:
        return "位置不明: "
    if column <= 0:
        return f"{line} 行目: "
    return f"{line} 行目 {column} 文字目: "


def _libxml_cause(error: etree.XMLSyntaxError) -> str:
    name = etree.ErrorTypes._getName(error.code, "") if error.code else ""
    if name == "ERR_TAG_NAME_MISMATCH":
        names = _MISMATCH.search(error.msg or "")
        if names:
            return f"開始タグ {names[1]} と終了タグ {names[2]} が対応していません"
        return "開始タグと終了タグが対応していません"
    return _LIBXML_CAUSES.get(name, _GENERIC)

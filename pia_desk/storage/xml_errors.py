"""The cause of an XML syntax error in Japanese, with its line and column.

libxml2 (lxml) and expat (xml.etree, used by openpyxl) describe a damaged file in
English; the user reads only the Japanese sentence made here, never the library's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
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


# -- schema errors -----------------------------------------------------------------
# libxml2 starts each schema message with the element (and attribute) it concerns.
_SCHEMA_SUBJECT = re.compile(r"^Element '([^']*)'(?:, attribute '([^']*)')?: (.*)$", re.S)
_QUOTED = re.compile(r"'([^']*)'")
_VALUE = re.compile(r"[Tt]he value '([^']*)'|^'([^']*)' is not a valid value")
_ATOMIC_TYPE = re.compile(r"atomic type '([^']*)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_DUPLICATE = re.compile(r"Duplicate key-sequence \[([^\]]*)\]")

# The form a value of a built-in XSD type must take, for people.
_TYPE_FORMS: dict[str, str] = {
    "xs:boolean": "true または false",
    "xs:date": "「2024-04-01」の形の日付",
    "xs:dateTime": "「2024-04-01T09:00:00」の形の日時",
    "xs:positiveInteger": "1 以上の整数",
    "xs:nonNegativeInteger": "0 以上の整数",
    "xs:integer": "整数",
    "xs:int": "整数",
}

# libxml2 notes this after a value it already reported as invalid: nothing new to say.
_ECHO = "No precomputed value available"


def describe_schema_errors(error_log: Iterable[Any]) -> list[str]:
    """One Japanese sentence per problem in an lxml schema error_log (see
    describe_schema_error), without libxml2's repeated notes, in file order."""
    problems: list[str] = []
    for entry in error_log:
        if _ECHO in (entry.message or ""):
            continue
        problem = describe_schema_error(entry)
        if problem not in problems:
            problems.append(problem)
    return problems


def describe_schema_error(entry: Any) -> str:
    """「12 行目、要素 node の属性 id: …」 for one entry of an lxml schema error_log:
    the line, the element without its namespace and the problem in Japanese. A problem
    this function does not know still gets a Japanese sentence naming line and element;
    libxml2's English never reaches the user."""
    message = entry.message or ""
    subject = _SCHEMA_SUBJECT.match(message)
    element = _local_name(subject[1]) if subject else ""
    attribute = _local_name(subject[2]) if subject and subject[2] else ""
    detail = subject[3] if subject else message
    where = f"{entry.line} 行目" if entry.line and entry.line > 0 else _path_place(entry.path)
    if element:
        where += f"、要素 {element}" + f" の属性 {attribute}" * bool(attribute)
    cause = _schema_cause(entry.type_name or "", detail, attribute, subject[1] if subject else "")
    return f"{where}: {cause}"


def _schema_cause(type_name: str, detail: str, attribute: str, element: str) -> str:
    """The problem in Japanese; `element` as libxml2 names it (with its namespace)."""
    subject = "属性の値" if attribute else "要素の内容"
    value = _VALUE.search(detail)
    shown = f"値「{value[1] if value[1] is not None else value[2]}」" if value else subject
    if type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
        allowed = "、".join(f"「{v}」" for v in _QUOTED.findall(detail.split("{", 1)[-1]))
        return f"{shown}は許されていません（使える値: {allowed}）"
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        missing = _QUOTED.search(detail)
        return f"必須の属性 {missing[1]} がありません" if missing else "必須の属性がありません"
    if type_name.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3_2"):
        return "この要素に置けない属性です"
    if type_name.startswith("SCHEMAV_CVC_COMPLEX_TYPE_2"):
        return "子要素だけを置く要素に文字が書かれています"
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        expected = _EXPECTED.search(detail)
        names = (
            "、".join(_local_name(n.strip()) for n in expected[1].split(",")) if expected else ""
        )
        if expected and _local_name(element) == names and element != expected[1].strip():
            return "要素の名前空間が正しくありません"
        if detail.startswith("Missing child"):
            return "必要な子要素がありません" + f"（必要な要素: {names}）" * bool(names)
        return "この位置に置けない要素です" + f"（ここに置ける要素: {names}）" * bool(names)
    if type_name in _LENGTH_CHECKS:
        return f"{shown}の文字数が正しくありません（{_LENGTH_CHECKS[type_name]}）"
    if type_name == "SCHEMAV_CVC_PATTERN_VALID":
        form = "（空白を含まない文字列が必要です）" * ("pattern '\\S+'" in detail)
        return f"{shown}の形式が正しくありません{form}"
    if type_name.startswith("SCHEMAV_CVC_DATATYPE_VALID"):
        kind = _ATOMIC_TYPE.search(detail)
        form = _TYPE_FORMS.get(kind[1], "") if kind else ""
        space = " " * form[-1:].isascii()  # 「true または false が」
        return f"{shown}の形式が正しくありません" + f"（{form}{space}が必要です）" * bool(form)
    if type_name == "SCHEMAV_CVC_IDC":
        key = _DUPLICATE.search(detail)
        if key:
            ids = "、".join(f"「{v}」" for v in _QUOTED.findall(key[1]))
            return f"ID {ids}が重複しています"
    if type_name == "SCHEMAV_CVC_ELT_1":
        return "プロジェクトファイルのルート要素ではありません"
    return f"{subject}がファイル形式の定義（スキーマ）に合っていません"


_LENGTH_CHECKS: dict[str, str] = {
    "SCHEMAV_CVC_MINLENGTH_VALID": "短すぎるか空です",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "長すぎます",
    "SCHEMAV_CVC_LENGTH_VALID": "決められた長さではありません",
}


def _local_name(name: str) -> str:
    """「entry」 from libxml2's 「{urn:pia-desk:project}entry」."""
    return name.rsplit("}", 1)[-1]


def _path_place(path: str | None) -> str:
    return f"位置 {path}" if path else "位置不明"

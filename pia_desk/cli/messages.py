"""argparse's own messages in Japanese (usage, help, option errors).

argparse looks its fixed texts up through gettext (`argparse._`); PIA Desk ships
no message catalogue, so this table answers the lookups of the command line.
"""

from __future__ import annotations

import argparse

JAPANESE = {
    "usage: ": "使い方: ",
    "options": "オプション",
    "positional arguments": "引数",
    "show this help message and exit": "このヘルプを表示して終了する",
    "show program's version number and exit": "バージョンを表示して終了する",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s の指定: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "%(value)r は指定できません（指定できる値: %(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "値 %(value)r は使えません",
    "the following arguments are required: %s": "次の指定が必要です: %s",
    "unrecognized arguments: %s": "認識できない指定があります: %s",
    "expected one argument": "値を 1 つ指定してください",
    "expected at least one argument": "値を 1 つ以上指定してください",
    "expected at most one argument": "値は 1 つまでです",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s は複数のオプション（%(matches)s）に当てはまります"
    ),
    "not allowed with argument %s": "%s と同時には指定できません",
    "one of the arguments %s is required": "%s のいずれかを指定してください",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "コマンド %(parser_name)r はありません（コマンド: %(choices)s）"
    ),
}


def _translate(message: str) -> str:
    return JAPANESE.get(message, message)


def install() -> None:
    """Answer argparse's gettext lookups from the table above."""
    argparse._ = _translate  # type: ignore[attr-defined]

"""The banner over the editor while a project is in 初回入力: what to do first.

A new project (or one whose 評価書 was just taken in) holds the text as last submitted
only once the user says so; until then nothing typed becomes a change row. The banner
names the three ways on: take the city's 評価書 in, paste or type each item, then
declare the text as submitted (改訂 > 現在の記載を基準にする).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from pia_desk.domain.project import Project

TEXT = (
    "初回入力中です。いま入力・貼り付け・取り込みをした記載は、変更箇所ではなく提出済みの"
    "評価書の記載になります。［評価書を取り込む…］で現在の評価書（Word・Excel・PDF）から"
    "取り込むか、各項目に記載を貼り付けて入力してください。入力が終わったら"
    "［現在の記載を基準にする…］を押すと、以後の編集が変更箇所として記録されます。"
)


class FirstEntryBanner(QFrame):
    def __init__(
        self,
        parent: QWidget | None,
        take_in: Callable[[], None],
        declare: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstEntryBanner")
        self.setStyleSheet("#firstEntryBanner { background: #e3f2fd; color: #0d3c61; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.label = QLabel(TEXT, self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.take_in_button = QPushButton("評価書を取り込む(&T)…", self)
        self.declare_button = QPushButton("現在の記載を基準にする(&B)…", self)
        self.take_in_button.clicked.connect(lambda: take_in())
        self.declare_button.clicked.connect(lambda: declare())
        layout.addWidget(self.take_in_button)
        layout.addWidget(self.declare_button)
        self.setVisible(False)

    def show_for(self, project: Project | None, writable: bool) -> None:
        self.setVisible(bool(project is not None and writable and project.initial_entry))

"""A fixture that stands in for the message funnel (``ui.messages.message_box``): it records what
the officer would read and answers questions, so no test ever blocks on a modal box."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from ui import messages

KINDS = {QMessageBox.Icon.Information: "info", QMessageBox.Icon.Warning: "warning",
         QMessageBox.Icon.Critical: "critical", QMessageBox.Icon.Question: "question"}


@dataclass
class Boxes:
    #: (kind, title, text) of every box shown, in order
    shown: list[tuple[str, str, str]] = field(default_factory=list)
    #: what a question is answered with
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.shown if kind is None or k == kind]


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    record = Boxes()

    def fake(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
             buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
             default: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox.StandardButton:
        record.shown.append((KINDS.get(icon, "other"), title, text))
        return record.answer if icon == QMessageBox.Icon.Question else QMessageBox.StandardButton.Ok

    monkeypatch.setattr(messages, "message_box", fake)
    return record

"""The message funnel shows every box as plain text (it may quote a package or an officer's name),
with its buttons in Vietnamese and No as the default of a question."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ui import messages


def _inspect_then(press: QMessageBox.StandardButton, seen: list[tuple[Qt.TextFormat, list[str], str]]) -> None:
    def look() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        default = box.defaultButton()
        seen.append((box.textFormat(), sorted(b.text() for b in box.buttons()), default.text() if default else ""))
        box.button(press).click()
    QTimer.singleShot(50, look)


def test_a_question_is_plain_text_in_vietnamese_and_defaults_to_no(qtbot: QtBot) -> None:
    seen: list[tuple[Qt.TextFormat, list[str], str]] = []
    _inspect_then(QMessageBox.StandardButton.Yes, seen)
    answer = messages.confirm(None, "Xác nhận", 'Xóa chủ thể "<b>HTX</b> <img src=x>"?')
    assert answer is True
    assert seen == [(Qt.TextFormat.PlainText, ["Có", "Không"], "Không")]
    _inspect_then(QMessageBox.StandardButton.No, seen)
    assert messages.confirm(None, "Xác nhận", "Khôi phục?") is False


def test_an_information_box_is_plain_text_with_a_vietnamese_button(qtbot: QtBot) -> None:
    seen: list[tuple[Qt.TextFormat, list[str], str]] = []
    _inspect_then(QMessageBox.StandardButton.Ok, seen)
    messages.inform(None, "Nhập gói", "<a href='x'>bấm vào đây</a>")
    assert seen and seen[0][0] == Qt.TextFormat.PlainText and seen[0][1] == ["Đồng ý"]

"""The one message funnel: every box the officer reads goes through here, as plain text.

Text in a box may quote user data or a package (names, file contents), so it is never interpreted
as rich text (docs/threat-model.md item 33). ``show_error`` shows user-fixable errors as a message
and anything else through the crash dialog; ``install_excepthook`` replaces a silent exit with that
dialog, which says what happened and where the log is and lets the officer copy the report.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import APP_NAME, __version__
from ocop_desktop.infra import user_message
from ocop_desktop.language import tr

log = logging.getLogger(__name__)


Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = Button.Ok,
                default: QMessageBox.StandardButton = Button.Ok) -> QMessageBox.StandardButton:
    """The one place a box is shown, as plain text (tests replace it to read what an officer reads)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    for button, label in ((Button.Yes, tr("Có")), (Button.No, tr("Không")), (Button.Ok, tr("Đồng ý"))):
        if buttons & button:
            box.button(button).setText(label)
    box.setDefaultButton(default)
    box.exec()
    return box.standardButton(box.clickedButton()) if box.clickedButton() else Button.NoButton


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, Icon.Information, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, Icon.Warning, title, text)


def alert(parent: QWidget | None, title: str, text: str) -> None:
    """Something failed or was refused (a package, the store)."""
    message_box(parent, Icon.Critical, title, text)


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Yes or no, with No as the default: nothing happens on a stray Enter."""
    return message_box(parent, Icon.Question, title, question, Button.Yes | Button.No, Button.No) == Button.Yes


def plain(text: str) -> QLabel:
    """A label that shows ``text`` literally and can be selected (to read a fingerprint aloud)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def ask_plain_text(parent: QWidget, title: str, label: str) -> str | None:
    """A one-line question whose prompt is shown literally (it may quote an enrolment file)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    return dialog.textValue() if dialog.exec() else None


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """A clear message for user errors; the crash dialog for anything else."""
    message = user_message(exc)
    if message is None:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        CrashDialog(exc, parent).exec()
        return
    log.warning("%s: %s", type(exc).__name__, exc)
    warn(parent, title or tr("Không thực hiện được"), message)


class CrashDialog(QDialog):
    """What went wrong, in words and as a report that can be copied for the support team."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None, log_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Đã xảy ra lỗi không mong muốn"))
        self.report = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.report += f"\n{APP_NAME} {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        layout = QVBoxLayout(self)
        text = tr("Ứng dụng gặp lỗi không mong muốn. Dữ liệu đã lưu không bị mất; thao tác vừa rồi có thể chưa được ghi.")
        if log_dir:
            text += "\n" + tr("Nhật ký lỗi:") + f" {log_dir}"
        layout.addWidget(plain(text))
        details = QPlainTextEdit(self.report)
        details.setReadOnly(True)
        details.setMinimumSize(560, 220)
        layout.addWidget(details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(tr("Sao chép báo cáo"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.report))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class _CrashBridge(QObject):
    """Carries exceptions from any thread to the GUI thread."""

    crashed = Signal(object)


_bridge: list[_CrashBridge] = []


def install_excepthook() -> None:
    bridge = _CrashBridge()
    _bridge.append(bridge)
    bridge.crashed.connect(lambda exc: show_error(None, exc))

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, exc, tb))
        bridge.crashed.emit(exc)

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(args.exc_type, args.exc_value or Exception(), args.exc_traceback)

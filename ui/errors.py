"""Showing errors: user-fixable ones as a message, anything else through the crash dialog.

``install_excepthook`` replaces a silent exit with a dialog that shows what happened and where the
log is, and lets the officer copy the report.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """A clear message for user errors; the crash dialog for anything else."""
    message = user_message(exc)
    if message is None:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        CrashDialog(exc, parent).exec()
        return
    log.warning("%s: %s", type(exc).__name__, exc)
    QMessageBox.warning(parent, title or tr("Không thực hiện được"), message)


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
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
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

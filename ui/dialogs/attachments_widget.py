"""Photos and documents of a record, with thumbnails; add, open and remove (undoable)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.infra import JobControl
from ocop_desktop.language import tr
from ocop_desktop.registry import add_attachment, delete_attachment, list_attachments, restore_attachment
from ocop_desktop.store import AppContext
from ui.icons import icon
from ui.messages import show_error
from ui.tasks import writer

THUMB = 96


class AttachmentsWidget(QWidget):
    def __init__(self, ctx: AppContext, owner_table: str, owner_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.owner_table, self.owner_id = ctx, owner_table, owner_id
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setFixedHeight(THUMB + 48)
        self.list.itemDoubleClicked.connect(self._open)
        add = QPushButton(icon("attach"), tr("Đính kèm tệp…"))
        add.clicked.connect(self._choose)
        remove = QPushButton(icon("delete"), tr("Gỡ tệp"))
        remove.clicked.connect(self._remove)
        self.undo = QPushButton(icon("undo"), tr("Hoàn tác gỡ tệp"))
        self.undo.setEnabled(False)
        self.undo.clicked.connect(self._undo)
        self.removed: list[str] = []
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(self.undo)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for info in list_attachments(self.ctx, self.owner_id):
            thumb = QIcon(QPixmap(str(info.path)).scaled(
                THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )) if info.is_image else icon("file")
            item = QListWidgetItem(thumb, info.filename)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, str(info.path))
            item.setToolTip(f"{info.filename} — {info.size:,} B".replace(",", "."))
            self.list.addItem(item)

    def _write(self, title: str, job: Callable[[JobControl], object], done: Callable[[object], None]) -> None:
        """Attachments are written on the writer thread; the list is read again when that ends."""
        def finished(result: object) -> None:
            done(result)
            self.undo.setEnabled(bool(self.removed))
            self.reload()

        def refused(exc: BaseException) -> None:
            show_error(self, exc)
            self.reload()

        writer().write(self, title, job, changes={"attachment"}, done=finished, failed=refused, quiet=True)

    def add_file(self, path: Path) -> None:
        self._write(tr("Đang thêm tệp…"), lambda job: add_attachment(self.ctx, self.owner_table, self.owner_id, path),
                    lambda _r: None)

    def _choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("Chọn tệp đính kèm"), "", tr("Ảnh và tài liệu") + " (*.jpg *.jpeg *.png *.webp *.gif *.pdf *.doc *.docx *.xls *.xlsx *.odt *.ods)"
        )
        for name in files:
            self.add_file(Path(name))

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        attachment_id = item.data(Qt.ItemDataRole.UserRole)
        self._write(tr("Đang gỡ tệp…"), lambda job: delete_attachment(self.ctx, attachment_id),
                    lambda _r: self.removed.append(attachment_id))

    def _undo(self) -> None:
        if self.removed:
            attachment_id = self.removed.pop()
            self._write(tr("Đang khôi phục tệp…"), lambda job: restore_attachment(self.ctx, attachment_id),
                        lambda _r: None)

    def _open(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(Qt.ItemDataRole.UserRole + 1)))


def attachments_box(ctx: AppContext, owner_table: str, record_id: str, title: str,
                    hint_when_new: str) -> tuple[QGroupBox, AttachmentsWidget | None]:
    """The attachments section of a record form; a new record must be saved before files attach."""
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    widget = AttachmentsWidget(ctx, owner_table, record_id) if record_id else None
    layout.addWidget(widget if widget is not None else QLabel(hint_when_new))
    return box, widget

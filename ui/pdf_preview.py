"""The preview of a printed document: page images, then save as PDF or send to a printer."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.infra import JobControl
from ocop_desktop.language import tr
from ocop_desktop.reports.printing import PageImage, render_pages
from ui.messages import show_error
from ui.tasks import TaskRunner


def to_image(page: PageImage) -> QImage:
    return QImage(page.rgb, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888).copy()


class PdfPreviewDialog(QDialog):
    def __init__(self, path: Path, pages: list[PageImage], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.pages = path, pages
        self.setWindowTitle(tr("Xem trước khi in") + f" — {path.name}")
        self.resize(900, 900)
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels = []
        for page in pages:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(to_image(page)))
            label.setStyleSheet("border: 1px solid #9e9e9e; background: white;")
            column.addWidget(label)
            self.page_labels.append(label)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Số trang:") + f" {len(pages)}"))
        row.addStretch(1)
        save = QPushButton(tr("Lưu PDF…"))
        save.clicked.connect(self.save_as)
        printer = QPushButton(tr("In…"))
        printer.clicked.connect(self.print_pages)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.accept)
        for button in (save, printer, close):
            row.addWidget(button)
        layout.addLayout(row)

    def save_as(self, target: str | None = None) -> None:
        name = target or QFileDialog.getSaveFileName(self, tr("Lưu PDF"), self.path.name, "PDF (*.pdf)")[0]
        if not name:
            return
        try:
            shutil.copyfile(self.path, name)
        except OSError as exc:
            from ocop_desktop.infra import OcopError

            show_error(self, OcopError(tr("Không lưu được tệp:") + f" {name}", str(exc)))

    def print_pages(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            for i, page in enumerate(self.pages):
                if i:
                    printer.newPage()
                image = to_image(page)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
        finally:
            painter.end()


def preview_later(parent: QWidget | None, runner: TaskRunner, title: str, make_pdf: Callable[[JobControl], Path],
                  on_shown: Callable[[PdfPreviewDialog], None] | None = None) -> None:
    """Write the PDF and render its pages in the background (progress, cancel), then show them."""

    def work(job: JobControl) -> tuple[Path, list[PageImage]]:
        path = make_pdf(job)
        return path, render_pages(path, job=job)

    def done(result: tuple[Path, list[PageImage]]) -> None:
        dialog = PdfPreviewDialog(result[0], result[1], parent)
        if on_shown is not None:
            on_shown(dialog)
        dialog.open()

    runner.run(parent, title, work, done, lambda exc: show_error(parent, exc))

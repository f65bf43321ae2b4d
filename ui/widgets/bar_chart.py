"""A horizontal bar chart that reads well on a projector: one bar per row, stacked by star,
large labels, the total at the end of each bar. Clicking a bar emits its key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

STAR_COLOURS = {"3": QColor("#f9a825"), "4": QColor("#ef6c00"), "5": QColor("#c62828")}
ROW_HEIGHT = 26


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    parts: dict[str, int]  # star → count

    @property
    def total(self) -> int:
        return sum(self.parts.values())


class BarChart(QWidget):
    bar_clicked = Signal(str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.hover = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = list(bars)
        self.setMinimumHeight(self.sizeHint().height())  # every bar visible: the page scrolls instead
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 40 + ROW_HEIGHT * max(1, len(self.bars)) + 24)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _row_at(self, y: float) -> int:
        index = int((y - 36) // ROW_HEIGHT)
        return index if 0 <= index < len(self.bars) else -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row != self.hover:
            self.hover = row
            self.setCursor(Qt.CursorShape.PointingHandCursor if row >= 0 else Qt.CursorShape.ArrowCursor)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.bar_clicked.emit(self.bars[row].key)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.font())
        title_font.setPointSizeF(self.font().pointSizeF() * 1.25)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(0, 4, self.width(), 26), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(QRectF(0, 36, self.width(), ROW_HEIGHT), Qt.AlignmentFlag.AlignLeft, "—")
            return
        label_width = min(self.width() * 0.38, max(painter.fontMetrics().horizontalAdvance(b.label) for b in self.bars) + 12)
        value_width = 50
        bar_width = max(10.0, self.width() - label_width - value_width)
        biggest = max(b.total for b in self.bars) or 1
        for i, bar in enumerate(self.bars):
            y = 36 + i * ROW_HEIGHT
            if i == self.hover:
                painter.fillRect(QRectF(0, y, self.width(), ROW_HEIGHT), QColor("#e3f2fd"))
            label = painter.fontMetrics().elidedText(bar.label, Qt.TextElideMode.ElideRight, int(label_width - 8))
            painter.drawText(QRectF(0, y, label_width - 8, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
            x = label_width
            for star in ("3", "4", "5"):
                width = bar_width * bar.parts.get(star, 0) / biggest
                if width > 0:
                    painter.fillRect(QRectF(x, y + 4, width, ROW_HEIGHT - 8), STAR_COLOURS[star])
                    x += width
            painter.drawText(QRectF(x + 6, y, value_width, ROW_HEIGHT), Qt.AlignmentFlag.AlignVCenter,
                             f"{bar.total:,}".replace(",", "."))
        legend_y = 36 + len(self.bars) * ROW_HEIGHT + 4
        x = label_width
        for star in ("3", "4", "5"):
            painter.fillRect(QRectF(x, legend_y + 4, 12, 12), STAR_COLOURS[star])
            painter.drawText(QRectF(x + 16, legend_y, 60, 20), Qt.AlignmentFlag.AlignVCenter, "★" * int(star))
            x += 80
        painter.end()

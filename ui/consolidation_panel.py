"""The province's consolidation tab: one row per local office — what arrived, what waits, what to fix."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.context import AppContext
from ocop_desktop.formats import format_int
from ocop_desktop.i18n import tr
from ocop_desktop.sync.consolidation import COUNTED, UnitRow, consolidation
from ocop_desktop.vocab import TABLE_LABELS
from ui.errors import show_error
from ui.icons import icon
from ui.tasks import TaskRunner

WARN = "#fff3cd"


def columns() -> list[str]:
    return [tr("Đơn vị"), tr("Gói cuối"), tr("Nhận lúc"), tr("Gói chờ"), tr("Xung đột"), tr("Có thể trùng"),
            *(tr(TABLE_LABELS[t]) for t in COUNTED), "3★", "4★", "5★"]


class ConsolidationPanel(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(columns()))
        self.table.setHorizontalHeaderLabels(columns())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        refresh = QPushButton(icon("sync"), tr("Làm mới"))
        refresh.clicked.connect(self.refresh)
        layout.addWidget(refresh, alignment=Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> None:
        self.runner.run(self, "", lambda job: consolidation(self.ctx), self.show_rows,
                        lambda exc: show_error(self, exc), quiet=True)

    def show_rows(self, rows: list[UnitRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, unit in enumerate(rows):
            values = [f"{unit.name} ({unit.unit})",
                      str(unit.last_seq) if unit.heard_from else tr("chưa nhận gói nào"),
                      f"{unit.last_at.astimezone():%d/%m/%Y %H:%M}" if unit.last_at else "",
                      format_int(unit.waiting), format_int(unit.conflicts), format_int(unit.duplicates),
                      *(format_int(unit.records.get(t, 0)) for t in COUNTED),
                      *(format_int(unit.stars.get(s, 0)) for s in (3, 4, 5))]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c > 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if ((c == 3 and unit.waiting) or (c == 4 and unit.conflicts) or (c == 5 and unit.duplicates)
                        or (c == 1 and not unit.heard_from)):
                    item.setBackground(Qt.GlobalColor.yellow if c != 1 else Qt.GlobalColor.lightGray)
                self.table.setItem(r, c, item)
        heard = sum(1 for u in rows if u.heard_from)
        self.summary.setText(tr("Đơn vị đã đăng ký:") + f" {len([u for u in rows if u.keys])} · "
                             + tr("đã gửi gói:") + f" {heard} · " + tr("gói đang chờ:")
                             + f" {sum(u.waiting for u in rows)} · " + tr("xung đột cần xử lý:")
                             + f" {sum(u.conflicts for u in rows)}")

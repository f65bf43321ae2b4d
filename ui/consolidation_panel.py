"""The province's consolidation tab: one row per local office — what arrived, what waits, what to fix."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.language import format_int, tr
from ocop_desktop.reference import TABLE_LABELS
from ocop_desktop.store import AppContext
from ocop_desktop.sync.exchange import COUNTED, DuplicateView, UnitRow, consolidation, duplicate_views, review_duplicate
from ui.icons import icon
from ui.messages import show_error
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
        layout.addWidget(self.table, 3)
        refresh = QPushButton(icon("sync"), tr("Làm mới"))
        refresh.clicked.connect(self.refresh)
        layout.addWidget(refresh, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel(tr("Bản ghi giống của hai đơn vị (xem xét; không gộp tự động):")))
        self.duplicates = QTableWidget(0, 4)
        self.duplicates.setHorizontalHeaderLabels([tr("Bảng"), tr("Bản ghi mới"), tr("Giống với"), tr("Lý do")])
        self.duplicates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.duplicates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.duplicates.verticalHeader().hide()
        self.duplicates.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.duplicates, 1)
        buttons = QHBoxLayout()
        for same, label in ((True, tr("Là cùng một")), (False, tr("Khác nhau"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, same=same: self.review(same))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        self.runner.run(self, "", lambda job: (consolidation(self.ctx), duplicate_views(self.ctx)), self.show_all,
                        lambda exc: show_error(self, exc), quiet=True)

    def show_all(self, found: tuple[list[UnitRow], list[DuplicateView]]) -> None:
        self.show_rows(found[0])
        self.show_duplicates(found[1])

    def show_duplicates(self, pairs: list[DuplicateView]) -> None:
        reasons = {"registration_no": tr("cùng số đăng ký"), "name_commune": tr("cùng tên, cùng xã")}
        self.duplicates.setRowCount(len(pairs))
        for r, pair in enumerate(pairs):
            values = [tr(TABLE_LABELS.get(pair.table, pair.table)), f"{pair.name} ({pair.unit})",
                      f"{pair.other_name} ({pair.other_unit})", reasons.get(pair.reason, pair.reason)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, pair.id)
                self.duplicates.setItem(r, c, item)

    def review(self, same: bool) -> None:
        row = self.duplicates.currentRow()
        item = self.duplicates.item(row, 0) if row >= 0 else None
        if item is None:
            return
        duplicate_id = int(item.data(Qt.ItemDataRole.UserRole))
        def refused(exc: BaseException) -> None:
            show_error(self, exc)
            self.refresh()

        self.runner.write(self, tr("Đang ghi kết luận…"), lambda job: review_duplicate(self.ctx, duplicate_id, same),
                          changes={"sync_duplicate"}, done=lambda _r: self.refresh(), failed=refused, quiet=True)

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

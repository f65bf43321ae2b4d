"""The dashboard: the province's OCOP figures at a glance, refreshed in the background.

Clicking a bar opens the matching list (a district's, a product set's or a producer type's).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.language import format_int, tr
from ocop_desktop.reports import Dashboard, Row, dashboard
from ocop_desktop.store import AppContext
from ui.icons import icon
from ui.messages import show_error
from ui.tasks import TaskRunner
from ui.widgets.bar_chart import Bar, BarChart


def bars(rows: list[Row]) -> list[Bar]:
    return [Bar(r.key, r.label, dict(r.by_star)) for r in rows]


class Tile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("Tile { background: white; border: 1px solid #cfd8dc; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        self.value = QLabel("…")
        self.value.setStyleSheet("font-size: 30px; font-weight: bold; color: #1565c0;")
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class DashboardPanel(QWidget):
    #: (list, filters) — "product" or "producer" and the filters to apply
    open_list = Signal(str, dict)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.figures: Dashboard | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.status = QLabel()
        top.addWidget(self.status, 1)
        refresh = QPushButton(icon("undo"), tr("Làm mới"))
        refresh.clicked.connect(self.refresh)
        export = QPushButton(icon("file"), tr("Xuất Excel…"))
        export.clicked.connect(self.export)
        report = QPushButton(icon("file"), tr("In báo cáo thống kê…"))
        report.clicked.connect(self.print_report)
        top.addWidget(refresh)
        top.addWidget(export)
        top.addWidget(report)
        outer.addLayout(top)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        grid = QGridLayout(body)
        tiles = QHBoxLayout()
        self.tiles = {key: Tile(tr(caption)) for key, caption in (
            ("producers", "Chủ thể"), ("recognised", "Sản phẩm OCOP (3–5 sao)"), ("5", "Sản phẩm 5 sao"),
            ("4", "Sản phẩm 4 sao"), ("3", "Sản phẩm 3 sao"), ("expiring", "GCN hết hạn trong 180 ngày"),
            ("expired", "GCN đã hết hạn"))}
        for tile in self.tiles.values():
            tiles.addWidget(tile)
        grid.addLayout(tiles, 0, 0, 1, 2)
        self.by_district = BarChart(tr("Theo huyện (trước 07/2025)"))
        self.by_nganh = BarChart(tr("Theo ngành"))
        self.by_set = BarChart(tr("Theo bộ sản phẩm"))
        self.by_type = BarChart(tr("Theo loại hình chủ thể"))
        self.by_year = BarChart(tr("Theo năm công nhận"))
        grid.addWidget(self.by_district, 1, 0)
        grid.addWidget(self.by_set, 1, 1)
        grid.addWidget(self.by_nganh, 2, 0)
        grid.addWidget(self.by_type, 2, 1)
        grid.addWidget(self.by_year, 3, 0)
        self.targets_box = QVBoxLayout()
        targets = QWidget()
        targets.setLayout(self.targets_box)
        grid.addWidget(targets, 3, 1)
        self.rounds = QLabel()
        self.rounds.setWordWrap(True)
        grid.addWidget(self.rounds, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.by_district.bar_clicked.connect(lambda key: self.open_list.emit("product", {
            "unit": f"d:{key}", "status": "recognised"}))
        self.by_set.bar_clicked.connect(lambda key: self.open_list.emit("product", {
            "product_set": key, "status": "recognised"}))
        self.by_type.bar_clicked.connect(lambda key: self.open_list.emit("producer", {"legal_type": key}))

    def refresh(self) -> None:
        self.status.setText(tr("Đang tính số liệu…"))
        self.runner.run(self, "", lambda job: dashboard(self.ctx), self.show_figures,
                        lambda exc: show_error(self, exc), quiet=True)

    def show_figures(self, figures: Dashboard) -> None:
        self.figures = figures
        values = {"producers": figures.producers, "recognised": figures.recognised, **figures.by_stars,
                  "expiring": figures.expiring, "expired": figures.expired}
        for key, tile in self.tiles.items():
            tile.value.setText(format_int(int(values[key])))
        self.by_district.set_bars(bars(figures.by_district))
        self.by_set.set_bars(bars(figures.by_set[:12]))
        self.by_nganh.set_bars(bars(figures.by_nganh))
        self.by_type.set_bars(bars(figures.by_producer_type))
        self.by_year.set_bars(bars(figures.by_year))
        while self.targets_box.count():
            item = self.targets_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        title = QLabel(f"<b>{tr('Tiến độ so với kế hoạch')}</b>")
        self.targets_box.addWidget(title)
        for target in figures.targets:
            label = QLabel(f"{target.label}: {format_int(target.value)} / {format_int(target.target)}")
            bar = QProgressBar()
            bar.setMaximum(max(target.target, 1))
            bar.setValue(min(target.value, max(target.target, 1)))
            self.targets_box.addWidget(label)
            self.targets_box.addWidget(bar)
        self.targets_box.addStretch(1)
        rounds = "; ".join(f"{r['title']} ({r['concluded']}/{r['entries']} {tr('đã kết luận')})" for r in figures.rounds)
        self.rounds.setText(f"<b>{tr('Đợt đánh giá đang mở')}:</b> " + (rounds or "—"))
        self.status.setText(tr("Số liệu tính lúc mở hoặc khi bấm Làm mới."))

    def print_report(self) -> None:
        from ocop_desktop.reports.printing import print_path, statistics_report  # ReportLab loads on first print
        from ui.pdf_preview import preview_later

        target = print_path(self.ctx, "bao-cao-thong-ke")
        preview_later(self, self.runner, tr("Đang in báo cáo…"),
                      lambda job: statistics_report(self.ctx, target))

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Xuất Excel"), "so-lieu-ocop.xlsx", "Excel (*.xlsx)")
        if name:
            self.export_to(name)

    def export_to(self, name: str) -> None:
        from ocop_desktop.reports import export_dashboard

        figures = self.figures
        self.runner.run(self, tr("Đang xuất Excel…"), lambda job: export_dashboard(self.ctx, Path(name), figures),
                        lambda _path: self.status.setText(tr("Đã xuất") + f" {name}"),
                        lambda exc: show_error(self, exc))


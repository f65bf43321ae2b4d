"""Dashboard figures, spreadsheet exports read back, and the dashboard screen."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.registry.products import product_count
from ocop_desktop.reports import spreadsheets as export_xlsx
from ocop_desktop.reports.dashboard import dashboard, set_targets, targets
from ocop_desktop.store.context import AppContext
from tests.test_cli_demo import run


def test_demo_figures(demo_ctx: AppContext) -> None:
    d = dashboard(demo_ctx, today=date(2026, 11, 28))
    assert (d.producers, d.products, d.recognised) == (175, 453, 453)
    assert d.by_stars == {"3": 366, "4": 86, "5": 1}
    assert len(d.by_district) == 12 and sum(r.total for r in d.by_district) == 453
    tam_nong = next(r for r in d.by_district if r.key == "871")
    assert tam_nong.total == product_count(demo_ctx, ListRequest(filters={"unit": "d:871"}))
    assert sum(r.total for r in d.by_nganh) == sum(r.total for r in d.by_set) == 453
    assert sum(r.total for r in d.by_producer_type) == sum(r.total for r in d.by_year) == 453
    assert [t.key for t in d.targets] == ["new_products", "new_producers", "five_star"]
    assert d.targets[2].value == 1 and d.targets[2].target == 15
    assert d.expiring + d.expired <= 453


def test_stats_json_keeps_the_foundation_keys(tmp_path: Path) -> None:
    run("demo", data_dir=tmp_path)
    data = json.loads(run("stats", "--json", data_dir=tmp_path).stdout)
    assert (data["producers"], data["products"], data["by_stars"]) == (175, 453, {"3": 366, "4": 86, "5": 1})
    assert len(data["by_district"]) == 12 and {"by_nganh", "by_set", "targets"} <= set(data)


def test_targets_can_be_set(ctx: AppContext) -> None:
    assert targets(ctx)["five_star"] == 15  # the seed province's plan until it sets its own
    set_targets(ctx, 2026, 2030, 200, 90, 20)
    assert targets(ctx) == {"period_from": 2026, "period_to": 2030, "new_products": 200, "new_producers": 90,
                            "five_star": 20}


def test_xlsx_exports_read_back(demo_ctx: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "dashboard.xlsx"
    export_xlsx.export_dashboard(demo_ctx, out)
    book = openpyxl.load_workbook(out)
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Chủ thể"] == 175 and summary["Sản phẩm"] == 453 and summary["5 sao"] == 1
    assert summary["4 sao"] == 86 and summary["3 sao"] == 366
    districts = list(book["Theo huyện cũ"].iter_rows(min_row=2, values_only=True))
    assert len(districts) == 12 and sum(r[4] for r in districts) == 453
    assert book["Tổng hợp"].freeze_panes == "A2"
    products = tmp_path / "products.xlsx"
    assert export_xlsx.export_products(demo_ctx, products, ListRequest(filters={"star": "4"})) == 86
    sheet = openpyxl.load_workbook(products)["Sản phẩm"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Mã sản phẩm" and header[-1] == "Hết hạn giấy chứng nhận"
    first = [c for c in sheet[2]]
    assert isinstance(first[7].value, int) and first[7].value == 4
    assert first[8].is_date and first[8].number_format == "DD/MM/YYYY"


def test_text_never_becomes_a_formula(ctx: AppContext, tmp_path: Path) -> None:
    save_producer(ctx, ProducerData(name='=HYPERLINK("http://x","bấm")', legal_type="htx", commune_code="30037"))
    save_producer(ctx, ProducerData(name="+84 Hợp tác xã", legal_type="htx", commune_code="30037"))
    out = tmp_path / "producers.xlsx"
    assert export_xlsx.export_producers(ctx, out) == 2
    sheet = openpyxl.load_workbook(out)["Chủ thể"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in cells} == {'=HYPERLINK("http://x","bấm")', "+84 Hợp tác xã"}
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)


def test_dashboard_screen_and_click_to_filter(qtbot: QtBot, demo_ctx: AppContext) -> None:
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    runner = TaskRunner()
    win = MainWindow(demo_ctx, runner)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.dashboard_panel)
    panel = win.dashboard_panel
    qtbot.waitUntil(lambda: panel.figures is not None, timeout=10000)
    assert panel.tiles["recognised"].value.text() == "453"
    assert panel.tiles["5"].value.text() == "1" and panel.tiles["3"].value.text() == "366"
    chart = panel.by_district
    assert len(chart.bars) == 12
    first = chart.bars[0]
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(50, 36 + 13))
    assert win.tabs.currentWidget() is win.product_panel
    assert win.product_panel.model.rowCount() == first.total
    assert win.product_panel.filter_boxes["unit"].currentData() == f"d:{first.key}"
    runner.wait()

"""The GUI driven as an officer would: lists, search, filters, forms, delete and undo, set-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from ocop_desktop.infra import JobControl
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language import translation as i18n
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.producers import producer_count
from ocop_desktop.registry.products import get_product
from ocop_desktop.store.context import AppContext, open_context
from tests.message_boxes import Boxes
from ui.dialogs.producer_dialog import ProducerDialog
from ui.dialogs.product_dialog import ProductDialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.main_window import MainWindow
from ui.messages import CrashDialog, show_error
from ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot: QtBot, demo_ctx: AppContext) -> Iterator[MainWindow]:
    runner = TaskRunner()
    win = MainWindow(demo_ctx, runner)
    qtbot.addWidget(win)
    win.show()
    yield win
    runner.wait()


def test_lists_show_the_demo(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: "175" in window.summary_label.text(), timeout=5000)
    assert window.producer_panel.model.rowCount() == 175
    assert window.product_panel.model.rowCount() == 453
    assert "175" in window.summary_label.text() and "5★ 1, 4★ 86, 3★ 366" in window.summary_label.text()
    assert "DEMO" in window.windowTitle()
    first = window.product_panel.model.index(0, 1).data()
    assert isinstance(first, str) and first


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, window: MainWindow) -> None:
    qtmodeltester.check(window.producer_panel.model)
    qtmodeltester.check(window.product_panel.model)


def test_search_box_filters_after_typing(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.product_panel
    qtbot.keyClicks(panel.search, "lai vung")
    qtbot.waitUntil(lambda: panel.model.rowCount() < 453, timeout=3000)
    names = [panel.model.index(i, 1).data() + panel.model.index(i, 3).data() + panel.model.index(i, 4).data()
             for i in range(panel.model.rowCount())]
    assert names and all("Lai Vung" in n for n in names)
    assert "Số bản ghi:" in panel.count_label.text()


def test_filter_by_star_and_former_district(window: MainWindow) -> None:
    panel = window.product_panel
    star = panel.filter_boxes["star"]
    star.setCurrentIndex(star.findData("5"))
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 6).data() == "★★★★★"
    star.setCurrentIndex(0)
    unit = panel.filter_boxes["unit"]
    unit.setCurrentIndex(unit.findData("d:872"))
    rows = panel.model.rowCount()
    assert 0 < rows < 453


def test_sorting_by_header_asks_the_core(window: MainWindow) -> None:
    panel = window.product_panel
    panel.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert panel.model.request.sort == "star" and panel.model.request.descending
    assert panel.model.index(0, 6).data() == "★★★★★"


def test_producer_form_shows_errors_then_saves(qtbot: QtBot, demo_ctx: AppContext) -> None:
    dialog = ProducerDialog(demo_ctx)
    qtbot.addWidget(dialog)
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == 0
    assert dialog.error_labels["name"].isVisibleTo(dialog)
    assert "không được để trống" in dialog.error_labels["name"].text()
    assert "Hãy chọn xã/phường" in dialog.error_labels["commune_code"].text()
    qtbot.keyClicks(dialog.name, "HTX Sen Viet")  # QTest types ASCII only; IME text is set below
    dialog.name.setText(dialog.name.text().replace("Viet", "Việt"))
    dialog.legal_type.setCurrentIndex(dialog.legal_type.findData("htx"))
    qtbot.keyClicks(dialog.phone, "0912")
    qtbot.keyClicks(dialog.commune.lineEdit(), "thap muoi")
    assert dialog.commune.value() == "30037"
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert "Số điện thoại" in dialog.error_labels["phone"].text()
    dialog.phone.setText("0912345678")
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == 1 and dialog.saved_id
    assert producer_count(demo_ctx, ListRequest(search="sen viet")) == 1


def test_delete_then_undo_with_ctrl_z(qtbot: QtBot, window: MainWindow, boxes: Boxes) -> None:
    panel = window.product_panel
    panel.table.selectRow(0)
    record_id = panel.selected_id()
    assert record_id
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)  # written on the writer thread
    qtbot.waitUntil(lambda: panel.model.rowCount() == 452)
    assert window.undo_button.isVisibleTo(window)
    with pytest.raises(OcopError):
        get_product(window.ctx, record_id)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 453)
    assert get_product(window.ctx, record_id).id == record_id
    assert not window.undo_button.isVisibleTo(window)


def test_deleted_rows_can_be_shown_and_restored(qtbot: QtBot, window: MainWindow, boxes: Boxes) -> None:
    panel = window.product_panel
    panel.table.selectRow(0)
    record_id = panel.selected_id()
    assert record_id is not None
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 452)
    panel.show_deleted.setChecked(True)
    assert panel.model.rowCount() == 453
    for i in range(panel.model.rowCount()):
        if panel.model.row_id(i) == record_id:
            panel.table.selectRow(i)
            break
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _live(window, record_id))
    panel.show_deleted.setChecked(False)
    assert panel.model.rowCount() == 453


def test_product_form_rejects_a_bad_date(qtbot: QtBot, demo_ctx: AppContext) -> None:
    dialog = ProductDialog(demo_ctx)
    qtbot.addWidget(dialog)
    dialog.dates["certificate_date"].setText("31/02/2026")
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert "dd/mm/yyyy" in dialog.error_labels["certificate_date"].text()


def test_product_form_edits_an_existing_product(qtbot: QtBot, window: MainWindow) -> None:
    record_id = window.product_panel.model.row_id(0)
    assert record_id is not None
    dialog = ProductDialog(window.ctx, record_id)
    qtbot.addWidget(dialog)
    assert dialog.producer.value()
    dialog.name.setText("Tên mới của sản phẩm")
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == 1
    assert get_product(window.ctx, record_id).name == "Tên mới của sản phẩm"


def test_product_form_shows_decided_fields_read_only(qtbot: QtBot, window: MainWindow) -> None:
    record_id = window.product_panel.model.row_id(0)  # a demo product: it has a recognition record
    dialog = ProductDialog(window.ctx, record_id)
    qtbot.addWidget(dialog)
    assert not dialog.status.isEnabled() and not dialog.star.isEnabled()
    assert not dialog.dates["certificate_expiry"].isEnabled() and dialog.name.isEnabled()
    fresh = ProductDialog(window.ctx)
    qtbot.addWidget(fresh)
    assert fresh.status.isEnabled() and fresh.star.isEnabled()  # a legacy status can still be typed in


def test_setup_dialog_initialises_the_installation(qtbot: QtBot, data_dir: Path) -> None:
    ctx = open_context(data_dir)
    dialog = SetupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert "Họ tên cán bộ" in dialog.error_labels["officer_name"].text()
    qtbot.keyClicks(dialog.unit.lineEdit(), "tan nhuan dong")
    dialog.officer.setText("Phạm Thị Thu")
    dialog.on_save()
    qtbot.waitUntil(lambda: not dialog.saving)
    assert dialog.result() == 1
    inst = ctx.require_installation()
    assert (inst.unit_code, inst.level, inst.officer_name) == ("30253", "local", "Phạm Thị Thu")
    ctx.close()


def test_user_errors_are_messages_and_bugs_get_the_crash_dialog(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                                boxes: Boxes) -> None:
    show_error(None, OcopError("Thông báo cho người dùng", "user message"))
    assert boxes.texts("warning") == ["Thông báo cho người dùng"]
    try:
        raise ValueError("lỗi lập trình")
    except ValueError as exc:
        dialog = CrashDialog(exc)
    qtbot.addWidget(dialog)
    assert "ValueError: lỗi lập trình" in dialog.report


def test_background_task_reports_errors_and_cancels(qtbot: QtBot) -> None:
    runner = TaskRunner()
    results: list[object] = []

    def boom(job: JobControl) -> NoReturn:
        raise RuntimeError("hỏng")

    runner.run(None, "x", boom, results.append, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert isinstance(results[0], RuntimeError)

    results.clear()

    def slow(job: JobControl) -> str:
        for i in range(1000):
            job.step(i, 1000)
            import time

            time.sleep(0.005)
        return "done"

    task = runner.run(None, "x", slow, results.append, results.append)
    task.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert isinstance(results[0], OcopError) and "hủy" in results[0].message_vi.lower()
    runner.wait()


def test_english_interface(qtbot: QtBot, demo_ctx: AppContext) -> None:
    i18n.set_language("en")
    try:
        win = MainWindow(demo_ctx, TaskRunner())
        qtbot.addWidget(win)
        assert win.tabs.tabText(1) == "Producers"
        assert win.product_panel.model.headerData(1, Qt.Orientation.Horizontal) == "Product name"
    finally:
        i18n.set_language("vi")


def test_list_never_loads_every_row(window: MainWindow) -> None:
    model = window.product_panel.model
    assert model.rowCount() == 453
    assert model.cached_rows() <= model.PAGE * 2


def test_attachments_widget_adds_thumbnails_removes_and_undoes(qtbot: QtBot, window: MainWindow,
                                                               tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from ui.dialogs.attachments_widget import AttachmentsWidget

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    photo = tmp_path / "ảnh sản phẩm.png"
    assert image.save(str(photo))
    record_id = window.product_panel.model.row_id(0)
    assert record_id is not None
    widget = AttachmentsWidget(window.ctx, "product", record_id)
    qtbot.addWidget(widget)
    widget.add_file(photo)  # written on the writer thread, then the list is read again
    qtbot.waitUntil(lambda: widget.list.count() == 1)
    item = widget.list.item(0)
    assert item.text() == "ảnh sản phẩm.png"
    assert not item.icon().isNull()
    widget.list.setCurrentRow(0)
    widget._remove()
    qtbot.waitUntil(lambda: widget.list.count() == 0 and widget.undo.isEnabled())
    qtbot.mouseClick(widget.undo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.list.count() == 1 and not widget.undo.isEnabled())


def test_gui_open_reports_a_damaged_store_clearly(qtbot: QtBot, tmp_path: Path, boxes: Boxes) -> None:
    from ui.app import GuiApp, create_qapp

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "ocop.sqlite").write_bytes(b"not a database" * 64)
    gui = GuiApp(create_qapp())
    assert gui.open(folder) is False
    shown = boxes.texts("critical")
    assert shown and "bị hỏng" in shown[0] and gui.window is None


def test_far_pages_load_in_the_background(qtbot: QtBot, window: MainWindow) -> None:
    model = window.product_panel.model
    far = model.rowCount() - 1
    assert model.index(far, 1).data() == model.PLACEHOLDER  # not read on the GUI thread
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        pass
    assert model.index(far, 1).data() not in (None, model.PLACEHOLDER)


def _live(window: MainWindow, record_id: str) -> bool:
    try:
        get_product(window.ctx, record_id)
    except OcopError:
        return False
    return True

"""The main window: a shell that builds the list tabs, menus and status bar and wires them to dialogs.

It holds no rules: every action calls a use case of ``ocop_desktop`` and refreshes the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ocop_desktop import APP_NAME, __version__
from ocop_desktop.infra import OcopError
from ocop_desktop.language import LANGUAGES, format_int, language, tr
from ocop_desktop.records import ChainReport, verify_audit_chain
from ocop_desktop.reference import LEGAL_TYPES, LEVELS, PRODUCT_STATUSES, RECOGNISED_STARS, product_sets
from ocop_desktop.registry import (
    delete_producer,
    delete_product,
    get_producer,
    get_product,
    restore_producer,
    restore_product,
)
from ocop_desktop.reports import store_summary
from ocop_desktop.store import AppContext
from ui.dashboard_panel import DashboardPanel
from ui.dialogs.producer_dialog import ProducerDialog
from ui.dialogs.product_dialog import ProductDialog
from ui.evaluation_panel import EvaluationPanel
from ui.icons import icon
from ui.list_panel import FilterSpec, ListPanel
from ui.messages import alert, confirm, inform, show_error
from ui.models.record_models import producer_model, product_model
from ui.tasks import TaskRunner, writer

if TYPE_CHECKING:
    from ui.consolidation_panel import ConsolidationPanel
    from ui.sync_panel import SyncPanel


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    open_demo_requested = Signal()
    #: a backup to restore, chosen in the sync tab (the application closes and reopens the store)
    restore_requested = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.undo_stack: list[tuple[str, Callable[[], None]]] = []
        inst = ctx.require_installation()
        units = ctx.units()
        title = f"{APP_NAME} — {units.unit_name(inst.unit_code)} — {inst.officer_name}"
        if inst.is_demo:
            title += " — " + tr("[DỮ LIỆU DEMO]")
        self.setWindowTitle(title)
        self.resize(1280, 760)

        unit_options = [(code, tr("Huyện cũ:") + f" {name}") for code, name in units.former_district_choices()]
        unit_options += sorted(((c.code, c.name) for c in units.communes.values()), key=lambda o: o[1])
        self.producer_panel = ListPanel(producer_model(ctx), [
            FilterSpec("unit", tr("Mọi đơn vị"), unit_options),
            FilterSpec("legal_type", tr("Mọi loại hình"), [(k, tr(v)) for k, v in LEGAL_TYPES.items()]),
        ], "producer")
        self.product_panel = ListPanel(product_model(ctx), [
            FilterSpec("unit", tr("Mọi đơn vị"), unit_options),
            FilterSpec("product_set", tr("Mọi bộ sản phẩm"), [(str(s.no), s.label) for s in product_sets().values()]),
            FilterSpec("status", tr("Mọi trạng thái"), [(k, tr(v)) for k, v in PRODUCT_STATUSES.items()]),
            FilterSpec("star", tr("Mọi hạng sao"), [(str(s), "★" * s) for s in RECOGNISED_STARS]),
        ], "product")
        self.tabs = QTabWidget()
        self.dashboard_panel = DashboardPanel(ctx, runner)
        self.dashboard_panel.open_list.connect(self.open_list)
        self.tabs.addTab(self.dashboard_panel, icon("audit"), tr("Tổng quan"))
        self.tabs.addTab(self.producer_panel, icon("producer"), tr("Chủ thể"))
        self.tabs.addTab(self.product_panel, icon("product"), tr("Sản phẩm"))
        self.evaluation_panel = EvaluationPanel(ctx, runner)
        for source in {runner, writer()}:  # the window's writes and its dialogs' (the same runner in the app)
            source.changed.connect(self.on_changed)
        self.tabs.addTab(self.evaluation_panel, icon("star"), tr("Đánh giá, phân hạng"))
        # the sync tabs are built when first opened: their modules (cryptography, the package format)
        # stay out of start-up
        self._sync_panel: SyncPanel | None = None
        self.sync_tab = QWidget()
        self._sync_layout = QVBoxLayout(self.sync_tab)
        self._sync_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.sync_tab, icon("sync"), tr("Đồng bộ"))
        self.consolidation_tab: QWidget | None = None
        self.consolidation_panel: ConsolidationPanel | None = None
        if inst.level == "province":  # the province sees every local office at a glance
            self.consolidation_tab = QWidget()
            self._consolidation_layout = QVBoxLayout(self.consolidation_tab)
            self._consolidation_layout.setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(self.consolidation_tab, icon("audit"), tr("Tổng hợp các đơn vị"))
        self.setCentralWidget(self.tabs)
        self._wire(self.producer_panel, "producer")
        self._wire(self.product_panel, "product")

        self.summary_label = QLabel()
        self.undo_button = QPushButton(icon("undo"), tr("Hoàn tác"))
        self.undo_button.setFlat(True)
        self.undo_button.clicked.connect(self.undo)
        self.undo_button.hide()
        self.statusBar().addPermanentWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.summary_label)
        self._build_menus(inst.level)
        self.refresh_summary()
        self.tabs.setCurrentWidget(self.product_panel)
        self.tabs.currentChanged.connect(self._tab_changed)

    # --- menus --------------------------------------------------------------------------------
    def _build_menus(self, level: str) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&Tệp"))
        demo = file_menu.addAction(icon("demo"), tr("Mở dữ liệu demo"))
        demo.triggered.connect(self.open_demo_requested.emit)
        print_product = file_menu.addAction(icon("file"), tr("In phiếu trống cho sản phẩm đang chọn"))
        print_product.setShortcut(QKeySequence.StandardKey.Print)
        print_product.triggered.connect(self.print_selected_product)
        print_set = file_menu.addAction(icon("file"), tr("In phiếu trống theo bộ sản phẩm…"))
        print_set.triggered.connect(self.print_set)
        verify = file_menu.addAction(icon("audit"), tr("Kiểm tra nhật ký thay đổi"))
        verify.triggered.connect(self.verify_audit)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(icon("quit"), tr("Thoát"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)

        edit_menu = bar.addMenu(tr("&Chỉnh sửa"))
        self.undo_action = edit_menu.addAction(icon("undo"), tr("Hoàn tác xóa"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.undo_action.setEnabled(False)
        add_producer = edit_menu.addAction(icon("producer"), tr("Thêm chủ thể"))
        add_producer.setShortcut(QKeySequence("Ctrl+Shift+N"))
        add_producer.triggered.connect(lambda: self.edit("producer", None))
        add_product = edit_menu.addAction(icon("product"), tr("Thêm sản phẩm"))
        add_product.setShortcut(QKeySequence.StandardKey.New)
        add_product.triggered.connect(lambda: self.edit("product", None))

        view_menu = bar.addMenu(tr("&Xem"))
        for i, name in enumerate((tr("Tổng quan"), tr("Chủ thể"), tr("Sản phẩm"), tr("Đánh giá, phân hạng"),
                                  tr("Đồng bộ"))):
            action = view_menu.addAction(name)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, i=i: self.tabs.setCurrentIndex(i))
        lang_menu = view_menu.addMenu(icon("language"), tr("Ngôn ngữ"))
        group = QActionGroup(self)
        for code, label in LANGUAGES.items():
            action = QAction(label, self, checkable=True)
            action.setChecked(code == language())
            action.triggered.connect(lambda _=False, code=code: self.language_changed.emit(code))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = bar.addMenu(tr("&Trợ giúp"))
        about = help_menu.addAction(icon("about"), tr("Giới thiệu"))
        about.triggered.connect(lambda: inform(
            self, APP_NAME,
            f"{APP_NAME} {__version__}\n" + tr("Cấp cài đặt:") + f" {tr(LEVELS.get(level, level))}\n"
            + tr("Thư mục dữ liệu:") + f" {self.ctx.data_dir}",
        ))

    # --- actions ------------------------------------------------------------------------------
    def _wire(self, panel: ListPanel, kind: str) -> None:
        panel.new_requested.connect(lambda: self.edit(kind, None))
        panel.edit_requested.connect(lambda record_id: self.edit(kind, record_id))
        panel.delete_requested.connect(lambda record_id: self.delete(kind, record_id))
        panel.restore_requested.connect(lambda record_id: self.restore(kind, record_id))

    def panel(self, kind: str) -> ListPanel:
        return self.producer_panel if kind == "producer" else self.product_panel

    def edit(self, kind: str, record_id: str | None) -> None:
        try:
            dialog = (ProducerDialog(self.ctx, record_id, self) if kind == "producer"
                      else ProductDialog(self.ctx, record_id, self))
        except OcopError as exc:
            show_error(self, exc)
            return
        if dialog.exec() and dialog.saved_id:
            self.tabs.setCurrentWidget(self.panel(kind))
            self.panel(kind).select_id(dialog.saved_id)

    def delete(self, kind: str, record_id: str) -> None:
        try:
            if kind == "producer":
                name = get_producer(self.ctx, record_id).name
            else:
                name = get_product(self.ctx, record_id).name
        except OcopError as exc:
            show_error(self, exc)
            return
        noun = tr("chủ thể") if kind == "producer" else tr("sản phẩm")
        question = (tr("Xóa") + f" {noun} '{name}'?\n"
                    + tr("Có thể hoàn tác (Ctrl+Z) hoặc khôi phục từ 'Hiện bản ghi đã xóa'."))
        if not confirm(self, tr("Xác nhận xóa"), question):
            return
        self.delete_confirmed(kind, record_id, name)

    def delete_confirmed(self, kind: str, record_id: str, name: str) -> None:
        def deleted(_result: object) -> None:
            self.undo_stack.append((name, lambda: self.restore(kind, record_id)))
            self.undo_action.setEnabled(True)
            self.undo_button.setText(tr("Hoàn tác xóa") + f" '{name}'")
            self.undo_button.show()
            self.statusBar().showMessage(tr("Đã xóa") + f" '{name}'", 8000)

        remove = delete_producer if kind == "producer" else delete_product
        self.runner.write(self, tr("Đang xóa…"), lambda job: remove(self.ctx, record_id), changes={kind},
                          done=deleted, quiet=True)

    def restore(self, kind: str, record_id: str) -> None:
        bring_back = restore_producer if kind == "producer" else restore_product
        self.runner.write(self, tr("Đang khôi phục…"), lambda job: bring_back(self.ctx, record_id), changes={kind},
                          done=lambda _r: self.statusBar().showMessage(tr("Đã khôi phục"), 5000), quiet=True)

    def on_changed(self, tables: frozenset[str]) -> None:
        """A write finished somewhere in the window: refresh what shows those tables."""
        if tables & {"producer", "product", "recognition", "round_entry"}:
            self.refresh_lists()
        if self.tabs.currentWidget() is self.dashboard_panel:
            self.dashboard_panel.refresh()

    def undo(self) -> None:
        if not self.undo_stack:
            return
        _name, action = self.undo_stack.pop()
        action()
        self.undo_action.setEnabled(bool(self.undo_stack))
        if self.undo_stack:
            self.undo_button.setText(tr("Hoàn tác xóa") + f" '{self.undo_stack[-1][0]}'")
        else:
            self.undo_button.hide()

    def print_selected_product(self) -> None:
        from ocop_desktop.reports.printing import blank_sheet, print_path  # loaded on first print (start-up time)
        from ui.pdf_preview import preview_later

        product_id = self.product_panel.selected_id()
        if product_id is None:
            show_error(self, OcopError(tr("Hãy chọn một sản phẩm trong danh sách sản phẩm."), "no product selected"))
            return
        target = print_path(self.ctx, "phieu-trong")
        preview_later(self, self.runner, tr("Đang in phiếu trống…"),
                      lambda job: blank_sheet(self.ctx, None, target, product_id))

    def print_set(self) -> None:
        from ocop_desktop.reports.printing import blank_sheet, print_path
        from ui.pdf_preview import preview_later

        labels = [s.label for s in product_sets().values()]
        choice, ok = QInputDialog.getItem(self, tr("In phiếu trống"), tr("Bộ sản phẩm:"), labels, 0, False)
        if not ok:
            return
        set_no = list(product_sets())[labels.index(choice)]
        target = print_path(self.ctx, f"phieu-trong-bo-{set_no}")
        preview_later(self, self.runner, tr("Đang in phiếu trống…"),
                      lambda job: blank_sheet(self.ctx, set_no, target))

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.dashboard_panel:
            self.dashboard_panel.refresh()  # figures are computed when the dashboard is looked at
        elif self.tabs.currentWidget() is self.sync_tab:
            _ = self.sync_panel
        elif self.consolidation_tab is not None and self.tabs.currentWidget() is self.consolidation_tab:
            if self.consolidation_panel is None:
                from ui import consolidation_panel  # loaded when first opened

                self.consolidation_panel = consolidation_panel.ConsolidationPanel(self.ctx, self.runner)
                self._consolidation_layout.addWidget(self.consolidation_panel)
            self.consolidation_panel.refresh()

    @property
    def sync_panel(self) -> SyncPanel:
        """The sync tab's content, built on first use."""
        if self._sync_panel is None:
            from ui import sync_panel  # loaded when first opened

            self._sync_panel = sync_panel.SyncPanel(self.ctx, self.runner)
            self._sync_panel.imported.connect(self.refresh_lists)
            self._sync_panel.restore_requested.connect(self.restore_requested.emit)
            self._sync_layout.addWidget(self._sync_panel)
        return self._sync_panel

    def offer_signing_key(self) -> None:
        """The last step of set-up: the sync tab asks for the new signing key's passphrase."""
        panel = self.sync_panel
        self.tabs.setCurrentWidget(self.sync_tab)
        panel.offer_key_after_setup()

    def open_list(self, kind: str, filters: dict[str, str]) -> None:
        panel = self.panel(kind)
        panel.set_filters(filters)
        self.tabs.setCurrentWidget(panel)

    def verify_audit(self) -> None:
        def done(report: ChainReport) -> None:
            if report.ok:
                inform(self, tr("Nhật ký thay đổi"),
                       tr("Nhật ký toàn vẹn:") + f" {format_int(report.entries)} " + tr("mục."))
            else:
                alert(self, tr("Nhật ký thay đổi"),
                      tr("Nhật ký bị sửa đổi tại mục") + f" {report.first_bad_seq}.")

        self.runner.run(self, tr("Đang kiểm tra nhật ký…"), lambda job: verify_audit_chain(self.ctx.engine), done,
                        lambda exc: show_error(self, exc))

    def refresh_lists(self) -> None:
        self.producer_panel.apply()
        self.product_panel.apply()
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Counts for the status bar, computed in the background so start-up is not held up."""
        self.runner.run(self, "", lambda job: store_summary(self.ctx), self._show_summary,
                        lambda exc: show_error(self, exc), quiet=True)

    def _show_summary(self, s: dict[str, Any]) -> None:
        if not isValid(self.summary_label):  # the window was closed while counting
            return
        b = s["by_stars"]
        self.summary_label.setText(
            tr("Chủ thể:") + f" {format_int(s['producers'])} · " + tr("Sản phẩm:") + f" {format_int(s['products'])}"
            + " · " + tr("Công nhận:") + f" {format_int(s['recognised'])} (5★ {b['5']}, 4★ {b['4']}, 3★ {b['3']})"
        )

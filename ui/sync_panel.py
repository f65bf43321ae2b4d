"""The sync tab: this installation's signing key, enrolment, exporting and checking packages, the outbox.

Every slow step (unlocking the key takes about a second on purpose; exporting and checking read
whole packages) runs through the task runner with progress and cancel. Texts that come from a
package or another installation are shown as plain text, never as rich text.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.evaluation import available_catalogs
from ocop_desktop.infra import OcopError
from ocop_desktop.installation import list_backups
from ocop_desktop.language import format_int, tr
from ocop_desktop.reference import FIELD_LABELS, OUTBOX_STATUSES, TABLE_LABELS
from ocop_desktop.store import AppContext
from ocop_desktop.sync.exchange import (
    ExportResult,
    ImportReport,
    counts_text,
    decisions_text,
    export_package,
    import_package,
    outbox_status,
    overview,
    preview_import,
    publish_catalog,
    resolve_conflict,
    save_copy,
    verify_package,
    view_conflict,
)
from ocop_desktop.sync.trust import (
    TRUST_FILE_SUFFIX,
    create_device_key,
)
from ui import trust_actions
from ui.icons import icon
from ui.messages import confirm, inform, plain, show_error
from ui.sync_dialogs import FILTER, ConflictDialog, ExportDialog, ImportPreviewDialog, describe
from ui.sync_host import SyncHost
from ui.tasks import TaskRunner


class SyncPanel(SyncHost):
    #: records changed here (an import or a resolution): the lists should refresh
    imported = Signal()
    #: the officer chose a backup to restore (the application closes and reopens the store)
    restore_requested = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        outer = QVBoxLayout(self)

        key_box = QGroupBox(tr("Khóa ký của máy này"))
        key_layout = QVBoxLayout(key_box)
        self.key_label = plain("…")
        self.key_label.setStyleSheet("font-family: monospace; font-size: 14px;")
        key_layout.addWidget(self.key_label)
        key_buttons = QHBoxLayout()
        self.create_key_button = QPushButton(icon("key"), tr("Tạo khóa ký…"))
        self.create_key_button.clicked.connect(self.create_key)
        self.print_key_button = QPushButton(icon("file"), tr("In phiếu xác nhận khóa…"))
        self.print_key_button.clicked.connect(lambda: trust_actions.print_key_sheet(self))
        self.enrol_button = QPushButton(icon("export"), tr("Xuất yêu cầu đăng ký…"))
        self.enrol_button.clicked.connect(lambda: trust_actions.export_enrolment(self))
        self.accept_button = QPushButton(icon("verify"), tr("Chấp nhận yêu cầu đăng ký…"))
        self.accept_button.clicked.connect(lambda: trust_actions.accept_enrolment(self))
        self.pin_button = QPushButton(icon("key"), tr("Nhập tệp tin cậy của tỉnh…"))
        self.pin_button.clicked.connect(self.pin_province)
        self.province_key_button = QPushButton(icon("export"), tr("Xuất tệp tin cậy của tỉnh…"))
        self.province_key_button.clicked.connect(self.export_province_key)
        self.publish_button = QPushButton(icon("star"), tr("Công bố bộ tiêu chí…"))
        self.publish_button.clicked.connect(self.publish_catalog)
        self.rekey_button = QPushButton(icon("key"), tr("Thay khóa ký…"))
        self.rekey_button.clicked.connect(lambda: trust_actions.replace_key(self))
        for button in (self.create_key_button, self.rekey_button, self.print_key_button, self.enrol_button,
                       self.accept_button, self.pin_button, self.province_key_button, self.publish_button):
            key_buttons.addWidget(button)
        key_buttons.addStretch(1)
        key_layout.addLayout(key_buttons)
        self.trust_label = plain("")
        key_layout.addWidget(self.trust_label)
        outer.addWidget(key_box)

        package_box = QGroupBox(tr("Gói đồng bộ"))
        package_layout = QVBoxLayout(package_box)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(icon("export"), tr("Xuất gói đồng bộ…"))
        self.export_button.clicked.connect(self.export)
        self.verify_button = QPushButton(icon("verify"), tr("Kiểm tra gói…"))
        self.verify_button.clicked.connect(self.verify)
        self.copy_button = QPushButton(icon("outbox"), tr("Lưu lại bản sao gói đã chọn…"))
        self.copy_button.clicked.connect(self.save_copy)
        self.import_button = QPushButton(icon("import"), tr("Nhập gói…"))
        self.import_button.clicked.connect(self.import_package)
        self.restore_button = QPushButton(icon("backup"), tr("Khôi phục bản sao lưu…"))
        self.restore_button.clicked.connect(self.choose_backup)
        for button in (self.export_button, self.import_button, self.verify_button, self.copy_button,
                       self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        package_layout.addLayout(buttons)
        package_layout.addWidget(QLabel(tr("Hộp thư đi (các gói đã xuất):")))
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([tr("Thời điểm"), tr("Gửi cho"), tr("Số"), tr("Loại"),
                                              tr("Số bản ghi"), tr("Trạng thái")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        package_layout.addWidget(self.table)
        outer.addWidget(package_box, 1)

        conflict_box = QGroupBox(tr("Xung đột cần xử lý"))
        conflict_layout = QVBoxLayout(conflict_box)
        self.conflict_table = QTableWidget(0, 4)
        self.conflict_table.setHorizontalHeaderLabels([tr("Bảng"), tr("Bản ghi"), tr("Đơn vị gửi"),
                                                       tr("Trường khác nhau")])
        self.conflict_table.horizontalHeader().setStretchLastSection(True)
        self.conflict_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.conflict_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflict_table.verticalHeader().hide()
        self.conflict_table.doubleClicked.connect(lambda _index: self.open_conflict())
        conflict_layout.addWidget(self.conflict_table)
        resolve = QPushButton(icon("edit"), tr("Xem hai phiên bản và chọn…"))
        resolve.clicked.connect(self.open_conflict)
        conflict_layout.addWidget(resolve, alignment=Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(conflict_box)
        self.refresh()

    # --- state ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.info = info = overview(self.ctx)
        except OcopError as exc:
            show_error(self, exc)
            return
        province = info.level != "local"
        if info.fingerprint:
            self.key_label.setText(tr("Mã nhận dạng khóa (đọc theo từng nhóm):") + f"\n{info.fingerprint}")
        else:
            self.key_label.setText(tr("Máy này chưa có khóa ký. Hãy tạo khóa trước khi đăng ký với tỉnh "
                                      "và xuất gói đồng bộ."))
        has_key = info.fingerprint is not None
        self.create_key_button.setVisible(not has_key)
        self.rekey_button.setVisible(info.trust_status is not None and info.trust_status.own_key_revoked)
        self.print_key_button.setEnabled(has_key)
        self.enrol_button.setVisible(not province)
        self.enrol_button.setEnabled(has_key)
        self.pin_button.setVisible(not province)
        self.accept_button.setVisible(province)
        self.province_key_button.setVisible(province)
        self.publish_button.setVisible(province)
        self.province_key_button.setEnabled(has_key)
        active = [k for k in info.trusted if k.status == "active"]
        text = trust_actions.describe(info.trust_status, info.unpublished, province)
        if province:
            revoked = len([k for k in info.trusted if k.purpose == "device"]) - len(active)
            text = tr("Đơn vị đã đăng ký:") + f" {len({k.unit_code for k in active})}. " \
                + (tr("Khóa đã thu hồi:") + f" {revoked}. " if revoked else "") + text
        self.trust_label.setText(text)
        self.export_button.setEnabled(has_key and bool(info.recipients))
        self.table.setRowCount(len(info.sent))
        units = self.ctx.units()
        for row, sent in enumerate(info.sent):
            total = sum(json.loads(sent.counts).values())
            values = [f"{sent.created_at.astimezone():%d/%m/%Y %H:%M}",
                      f"{units.unit_name(sent.recipient_unit)} ({sent.recipient_unit})",
                      f"{sent.seq} (epoch {sent.epoch})", tr("toàn bộ") if sent.full else tr("phần thay đổi"),
                      format_int(total), tr(OUTBOX_STATUSES[outbox_status(info, sent)])]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, sent.package_id)
                self.table.setItem(row, col, item)
        self.copy_button.setEnabled(bool(info.sent))
        self.conflict_table.setRowCount(len(info.conflicts))
        for row, conflict in enumerate(info.conflicts):
            values = [tr(TABLE_LABELS.get(conflict.table_name, conflict.table_name)), conflict.record_id[:12] + "…",
                      conflict.sender_unit,
                      ", ".join(tr(FIELD_LABELS.get(f, f)) for f in json.loads(conflict.fields))]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, conflict.id)
                self.conflict_table.setItem(row, col, item)

    # --- keys and enrolment --------------------------------------------------------------------
    def offer_key_after_setup(self) -> None:
        """Right after set-up: ask for the passphrase of the installation's signing key."""
        if self.info is not None and self.info.fingerprint is None:
            self.create_key()

    def create_key(self) -> None:
        passphrase = self.ask_passphrase(tr("Tạo khóa ký"), confirm=True)
        if passphrase is None:
            return
        self.run_job(tr("Đang tạo khóa ký…"), lambda job: create_device_key(self.ctx, passphrase),
                  lambda _fp: self.refresh())

    def pin_province(self) -> None:
        trust_actions.import_trust_file(self)

    def export_province_key(self) -> None:
        trust_actions.export_trust_file(self)

    # --- packages ------------------------------------------------------------------------------
    def export(self) -> None:
        if self.info is None:
            return
        dialog = ExportDialog(self.info, self)
        if not dialog.exec():
            return
        recipient, full = dialog.recipient.currentData(), dialog.full.isChecked()
        target, passphrase, what = Path(dialog.path.text()), dialog.passphrase.text(), dialog.what.currentData()
        self.run_job(tr("Đang xuất gói đồng bộ…"),
                  lambda job: export_package(self.ctx, passphrase, recipient, target, full=full, control=job,
                                             receipts_only=what == "receipts", catalogs_only=what == "catalogs"),
                  self._exported)

    def publish_catalog(self) -> None:
        names = available_catalogs(self.ctx.catalogs_dir)
        choice, ok = QInputDialog.getItem(self, tr("Công bố bộ tiêu chí"), tr("Bộ tiêu chí:"), names, 0, False)
        if not ok:
            return
        self.runner.write(self, tr("Đang công bố…"), lambda job: publish_catalog(self.ctx, choice),
                          changes={"catalog_release"}, quiet=True,
                          done=lambda _r: inform(self, tr("Công bố bộ tiêu chí"), tr(
                              "Đã công bố. Gửi cho các xã bằng 'Xuất gói đồng bộ…', nội dung 'Bộ tiêu chí đã công bố'.")))

    def _exported(self, result: ExportResult) -> None:
        counts = counts_text(result.counts) or tr("không có thay đổi")
        inform(
            self, tr("Đã xuất gói"),
            tr("Đã ghi gói số") + f" {result.seq} " + tr("gửi") + f" {result.recipient}:\n{result.path}\n\n"
            + tr("Nội dung:") + f" {counts}; {result.files} " + tr("tệp đính kèm") + ".\n"
            + tr("Gói đã được đọc lại và kiểm tra. Sau khi chép sang USB, hãy dùng 'Kiểm tra gói' trên USB."))
        self.refresh()

    def verify(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Kiểm tra gói đồng bộ"), str(Path.home()), FILTER)
        if name:
            self.verify_file(Path(name))

    def verify_file(self, path: Path) -> None:
        self.run_job(tr("Đang kiểm tra gói…"), lambda job: verify_package(self.ctx, path, control=job),
                  lambda verified: inform(self, tr("Kiểm tra gói"), describe(verified)))

    def import_package(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Nhập gói đồng bộ"), str(Path.home()), FILTER)
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """The dry run in the background, its summary, then (if confirmed) the import itself."""
        if path.suffix == TRUST_FILE_SUFFIX:  # the province's trust file comes in by the same door
            trust_actions.import_trust_file(self, path)
            return
        self.run_job(tr("Đang kiểm tra và xem trước gói…"), lambda job: preview_import(self.ctx, path, control=job),
                  lambda report: self._confirm_import(path, report))

    def _confirm_import(self, path: Path, report: ImportReport) -> None:
        if report.status == "already":
            inform(self, tr("Nhập gói"), tr("Gói này đã được nhập trước đây; không có gì thay đổi."))
            return
        dialog = ImportPreviewDialog(report, self)
        if not dialog.exec():
            return
        if dialog.gap_reason:  # a fresh dry run that takes the gap as accepted, inside the import
            self.run_job(tr("Đang nhập gói…"), lambda job: import_package(
                self.ctx, path, control=job, accept_gap_reason=dialog.gap_reason), self._imported)
            return
        self.run_job(tr("Đang nhập gói…"), lambda job: import_package(self.ctx, path, control=job, preview=report),
                  self._imported)

    def _imported(self, report: ImportReport) -> None:
        if report.status == "quarantined":
            text = tr("Gói được giữ lại chờ gói còn thiếu; chưa có bản ghi nào được nhập.")
        else:
            text = tr("Đã nhập gói.") + "\n" + decisions_text(report.tables)
            if report.released:
                text += "\n" + tr("Các gói đang chờ gói này cũng đã được nhập:") + f" {len(report.released)}"
            if report.duplicates:
                text += "\n" + tr("Bản ghi giống của đơn vị khác (cần xem xét, không gộp):") + \
                    f" {format_int(report.duplicates)}"
        if report.backup is not None:
            text += "\n" + tr("Bản sao lưu trước khi nhập:") + f" {report.backup.name}"
        inform(self, tr("Nhập gói"), text)
        self.refresh()
        self.imported.emit()

    def open_conflict(self) -> None:
        row = self.conflict_table.currentRow()
        item = self.conflict_table.item(row, 0) if row >= 0 else None
        if item is None:
            show_error(self, OcopError(tr("Hãy chọn một xung đột."), "no conflict selected"))
            return
        try:
            view = view_conflict(self.ctx, int(item.data(Qt.ItemDataRole.UserRole)))
        except OcopError as exc:
            show_error(self, exc)
            return
        dialog = ConflictDialog(view, self)
        if dialog.exec() and dialog.choice:
            choice, reason = dialog.choice, dialog.reason.text()

            def resolved(_result: object) -> None:
                self.refresh()
                self.imported.emit()

            def refused(exc: BaseException) -> None:
                show_error(self, exc)
                self.refresh()

            self.runner.write(self, tr("Đang ghi lựa chọn…"), lambda job: resolve_conflict(self.ctx, view.id, choice, reason),
                              changes={view.table, "sync_conflict"}, done=resolved, failed=refused, quiet=True)

    def choose_backup(self) -> None:
        found = list_backups(self.ctx.data_dir)
        if not found:
            inform(self, tr("Khôi phục"), tr("Chưa có bản sao lưu nào."))
            return
        labels = [f"{b.taken:%d/%m/%Y %H:%M} — {b.label} — {format_int(b.size // 1024)} KB" for b in found]
        choice, ok = QInputDialog.getItem(self, tr("Khôi phục bản sao lưu"), tr("Chọn bản sao lưu:"), labels, 0, False)
        if not ok:
            return
        backup = found[labels.index(choice)]
        question = (tr("Khôi phục bản sao lưu này? Dữ liệu hiện tại được giữ lại thành một bản sao lưu khác, "
                       "nên việc khôi phục cũng có thể hoàn tác.") + f"\n\n{choice}")
        if confirm(self, tr("Khôi phục"), question):
            self.restore_requested.emit(backup.path)

    def save_copy(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            show_error(self, OcopError(tr("Hãy chọn một gói trong hộp thư đi."), "no outbox row selected"))
            return
        name, _ = QFileDialog.getSaveFileName(self, tr("Lưu bản sao gói"), str(Path.home()), FILTER)
        if not name:
            return
        package_id = item.data(Qt.ItemDataRole.UserRole)
        self.runner.write(self, tr("Đang chép gói…"), lambda job: save_copy(self.ctx, package_id, Path(name)),
                          changes={"sync_outbox"}, done=lambda _r: self.refresh())

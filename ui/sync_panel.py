"""The sync tab: this installation's signing key, enrolment, exporting and checking packages, the outbox.

Every slow step (unlocking the key takes about a second on purpose; exporting and checking read
whole packages) runs through the task runner with progress and cancel. Texts that come from a
package or another installation are shown as plain text, never as rich text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
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
from ocop_desktop.reference import FIELD_LABELS, IMPORT_DECISIONS, OUTBOX_STATUSES, TABLE_LABELS
from ocop_desktop.store import AppContext
from ocop_desktop.sync.exchange import (
    ConflictView,
    ExportResult,
    ImportReport,
    SyncOverview,
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
    shown_value,
    verify_package,
    view_conflict,
)
from ocop_desktop.sync.package import PACKAGE_SUFFIX, PackageRejected, Verified, parse_timestamp
from ocop_desktop.sync.trust import (
    TRUST_FILE_SUFFIX,
    accept_enrolment,
    create_device_key,
    export_enrolment_request,
    grouped_fingerprint,
    read_enrolment_request,
)
from ui import trust_actions
from ui.errors import show_error
from ui.icons import icon
from ui.tasks import TaskRunner

FILTER = tr("Gói đồng bộ OCOP") + f" (*{PACKAGE_SUFFIX} *{TRUST_FILE_SUFFIX})"


def plain(text: str) -> QLabel:
    """A label that shows ``text`` literally (docs/threat-model.md item 33)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def ask_plain_text(parent: QWidget, title: str, label: str) -> str | None:
    """A one-line question whose prompt is shown literally (it may quote an enrolment file)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    return dialog.textValue() if dialog.exec() else None


def plain_message(parent: QWidget, title: str, text: str, *, critical: bool = False) -> None:
    """A message box that never interprets ``text`` as rich text (it may quote a package)."""
    box = QMessageBox(QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Information, title, text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


class PassphraseDialog(QDialog):
    """Asks for the key's passphrase; with ``confirm``, twice (when the key is made)."""

    def __init__(self, title: str, confirm: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Mật khẩu bảo vệ khóa:"), self.first)
        self.second: QLineEdit | None = None
        if confirm:
            self.second = QLineEdit()
            self.second.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(tr("Nhập lại mật khẩu:"), self.second)
            form.addRow(plain(tr("Ít nhất 10 ký tự. Mất mật khẩu thì không mất dữ liệu: tỉnh thu hồi khóa cũ "
                                 "và đăng ký khóa mới.")))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if self.second is not None and self.second.text() != self.first.text():
            self.error.setText(tr("Hai lần nhập mật khẩu không giống nhau."))
            return
        self.accept()

    @property
    def passphrase(self) -> str:
        return self.first.text()


class ExportDialog(QDialog):
    """Where to send, what to include and where to write; the export itself runs in the background."""

    def __init__(self, info: SyncOverview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Xuất gói đồng bộ"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        self.recipient = QComboBox()
        for code, name in info.recipients:
            self.recipient.addItem(f"{name} ({code})", code)
        form.addRow(tr("Gửi cho:"), self.recipient)
        self.what = QComboBox()
        choices = [("data", tr("Dữ liệu của đơn vị, kèm biên nhận") if info.level == "local"
                    else tr("Quyết định công nhận, kèm biên nhận")), ("receipts", tr("Chỉ biên nhận"))]
        if info.level != "local":
            choices.append(("catalogs", tr("Bộ tiêu chí đã công bố")))
        for key, label in choices:
            self.what.addItem(label, key)
        form.addRow(tr("Nội dung:"), self.what)
        self.full = QCheckBox(tr("Xuất toàn bộ (thay vì chỉ phần thay đổi từ gói trước)"))
        form.addRow("", self.full)
        row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / f"ocop-{info.unit}{PACKAGE_SUFFIX}"))
        browse = QPushButton(icon("open"), tr("Chọn…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        form.addRow(tr("Ghi vào tệp:"), row)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Mật khẩu khóa ký:"), self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Xuất gói"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Ghi gói đồng bộ"), self.path.text(), FILTER)
        if name:
            self.path.setText(name if name.endswith(PACKAGE_SUFFIX) else name + PACKAGE_SUFFIX)


def describe(verified: Verified) -> str:
    """The verification report in plain Vietnamese, one fact per line."""
    sender = verified.manifest["sender"]
    created = parse_timestamp(verified.manifest["created_at"]).astimezone()
    state = {"next": tr("đúng thứ tự, có thể nhập"),
             "already": tr("đã nhập trước đây; nhập lại sẽ không thay đổi gì"),
             "gap": tr("còn thiếu gói số") + f" {verified.waiting_for}; " + tr("gói này sẽ chờ")}[verified.sequence]
    counts = counts_text(verified.counts) or tr("không có bản ghi")
    lines = [
        tr("Gói hợp lệ: chữ ký đúng, nội dung không bị thay đổi."),
        tr("Đơn vị gửi:") + f" {sender['unit']} — " + tr("khóa") + f" {grouped_fingerprint(verified.key.key_id)[:29]}…",
        tr("Gói số") + f" {sender['seq']} (epoch {sender['epoch']}), " + tr("tạo lúc") + f" {created:%d/%m/%Y %H:%M}",
        tr("Nội dung:") + f" {counts}",
        tr("Thứ tự:") + f" {state}",
        f"SHA-256: {verified.sha256}",
    ]
    lines += [tr("Lưu ý:") + f" {w}" for w in verified.warnings]
    return "\n".join(lines)


class ImportPreviewDialog(QDialog):
    """What the import would do, table by table, before anything is written."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Xem trước khi nhập"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(plain(describe(report.verified)))
        if report.status == "gap":
            layout.addWidget(plain(tr("Gói này đến trước một gói còn thiếu: nó sẽ được giữ trong hàng chờ, "
                                      "chưa nhập bản ghi nào.")))
        table = QTableWidget(len(report.tables), 1 + len(IMPORT_DECISIONS))
        table.setHorizontalHeaderLabels([tr("Bảng"), *(tr(v) for v in IMPORT_DECISIONS.values())])
        for row, (name, counts) in enumerate(report.tables.items()):
            table.setItem(row, 0, QTableWidgetItem(tr(TABLE_LABELS.get(name, name))))
            for col, key in enumerate(IMPORT_DECISIONS, start=1):
                item = QTableWidgetItem(format_int(counts[key]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, col, item)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(table)
        if report.conflict_count:
            layout.addWidget(plain(tr("Các bản ghi xung đột được giữ cả hai phiên bản để cán bộ chọn sau; "
                                      "không có gì bị ghi đè.")))
        layout.addWidget(plain(tr("Trước khi nhập, cơ sở dữ liệu được sao lưu; việc nhập là tất cả hoặc không gì.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            tr("Đưa vào hàng chờ") if report.status == "gap" else tr("Nhập"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.gap_reason = ""
        if report.status == "gap":  # the missing packages are lost: an officer may decide to go on
            accept_gap = buttons.addButton(tr("Chấp nhận thiếu gói và nhập ngay…"),
                                           QDialogButtonBox.ButtonRole.ActionRole)
            accept_gap.clicked.connect(self._accept_gap)
        layout.addWidget(buttons)

    def _accept_gap(self) -> None:
        reason, ok = QInputDialog.getText(
            self, tr("Chấp nhận thiếu gói"),
            tr("Lý do (ghi vào nhật ký). Các gói còn thiếu sẽ không nhập được nữa; đơn vị phải gửi lại "
               "phần thay đổi của chúng:"))
        if ok and reason.strip():
            self.gap_reason = reason.strip()
            self.accept()


class ConflictDialog(QDialog):
    """Both versions side by side, field by field; differing fields stand out."""

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Xung đột:") + f" {tr(TABLE_LABELS.get(view.table, view.table))}")
        self.resize(900, 560)
        self.choice = ""
        layout = QVBoxLayout(self)
        layout.addWidget(plain(tr("Bản ghi") + f" {view.record_id} — " + tr("đơn vị gửi") + f" {view.sender_unit}. "
                               + tr("Hai máy đã sửa bản ghi này cùng lúc; hãy chọn phiên bản đúng.")))
        table = QTableWidget(len(view.fields), 3)
        table.setHorizontalHeaderLabels([tr("Trường"), tr("Ở máy này"), tr("Bản gửi đến")])
        for row, pair in enumerate(view.fields):
            cells = [tr(pair.label), shown_value(pair.local), shown_value(pair.incoming)]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if pair.differs:
                    item.setBackground(QColor("#fff3cd"))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, col, item)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        form = QFormLayout()
        self.reason = QLineEdit()
        form.addRow(tr("Lý do (ghi vào nhật ký):"), self.reason)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        keep_local = QPushButton(tr("Giữ bản ở máy này"))
        keep_local.clicked.connect(lambda: self._choose("local"))
        keep_incoming = QPushButton(tr("Nhận bản gửi đến"))
        keep_incoming.clicked.connect(lambda: self._choose("incoming"))
        later = QPushButton(tr("Để sau"))
        later.clicked.connect(self.reject)
        for button in (keep_local, keep_incoming, later):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class SyncPanel(QWidget):
    #: records changed here (an import or a resolution): the lists should refresh
    imported = Signal()
    #: the officer chose a backup to restore (the application closes and reopens the store)
    restore_requested = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.info: SyncOverview | None = None
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
        self.print_key_button.clicked.connect(self.print_key_sheet)
        self.enrol_button = QPushButton(icon("export"), tr("Xuất yêu cầu đăng ký…"))
        self.enrol_button.clicked.connect(self.export_enrolment)
        self.accept_button = QPushButton(icon("verify"), tr("Chấp nhận yêu cầu đăng ký…"))
        self.accept_button.clicked.connect(self.accept_enrolment)
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

    def ask_passphrase(self, title: str, confirm: bool = False) -> str | None:
        dialog = PassphraseDialog(title, confirm, self)
        return dialog.passphrase if dialog.exec() else None

    def run_job(self, title: str, job: Any, done: Any) -> None:
        self.runner.run(self, title, job, done, lambda exc: self._failed(exc))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, PackageRejected):
            plain_message(self, tr("Gói không hợp lệ"), exc.message_vi + f"\n\n[{exc.code}]", critical=True)
        else:
            show_error(self, exc)
        self.refresh()

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

    def print_key_sheet(self) -> None:
        from ocop_desktop.reports.printing import key_sheet, print_path
        from ui.pdf_preview import preview_later

        target = print_path(self.ctx, "phieu-xac-nhan-khoa")
        preview_later(self, self.runner, tr("Đang in phiếu xác nhận khóa…"),
                      lambda job: key_sheet(self.ctx, target))

    def export_enrolment(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, tr("Ghi yêu cầu đăng ký"),
                                              str(Path.home() / "yeu-cau-dang-ky.json"), "JSON (*.json)")
        if not name:
            return
        passphrase = self.ask_passphrase(tr("Ký yêu cầu đăng ký"))
        if passphrase is None:
            return
        self.run_job(tr("Đang ký yêu cầu đăng ký…"),
                  lambda job: export_enrolment_request(self.ctx, passphrase, Path(name)),
                  lambda path: QMessageBox.information(self, tr("Yêu cầu đăng ký"), tr("Đã ghi") + f" {path}.\n"
                                                       + tr("Gửi tệp này cho tỉnh và đọc mã nhận dạng khóa cho "
                                                            "cán bộ tỉnh qua điện thoại.")))

    def accept_enrolment(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Mở yêu cầu đăng ký"), str(Path.home()), "JSON (*.json)")
        if not name:
            return
        try:
            request = read_enrolment_request(Path(name))
        except OcopError as exc:
            show_error(self, exc)
            return
        typed = ask_plain_text(
            self, tr("Đối chiếu mã nhận dạng"),
            tr("Đơn vị") + f" {request.unit}, " + tr("cán bộ") + f" {request.officer}.\n"
            + tr("Hỏi đơn vị đọc mã nhận dạng khóa qua điện thoại và gõ lại ở đây:"))
        if typed is None:
            return
        try:
            accept_enrolment(self.ctx, Path(name), typed)
        except OcopError as exc:
            show_error(self, exc)
            return
        QMessageBox.information(self, tr("Đăng ký"), tr("Đã chấp nhận khóa của đơn vị") + f" {request.unit}.")
        self.refresh()

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
        try:
            publish_catalog(self.ctx, choice)
        except OcopError as exc:
            show_error(self, exc)
            return
        plain_message(self, tr("Công bố bộ tiêu chí"), tr("Đã công bố. Gửi cho các xã bằng 'Xuất gói đồng bộ…', "
                                                          "nội dung 'Bộ tiêu chí đã công bố'."))

    def _exported(self, result: ExportResult) -> None:
        counts = counts_text(result.counts) or tr("không có thay đổi")
        QMessageBox.information(
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
                  lambda verified: plain_message(self, tr("Kiểm tra gói"), describe(verified)))

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
            plain_message(self, tr("Nhập gói"), tr("Gói này đã được nhập trước đây; không có gì thay đổi."))
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
        plain_message(self, tr("Nhập gói"), text)
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
            try:
                resolve_conflict(self.ctx, view.id, dialog.choice, dialog.reason.text())
            except OcopError as exc:
                show_error(self, exc)
            self.refresh()
            self.imported.emit()

    def choose_backup(self) -> None:
        found = list_backups(self.ctx.data_dir)
        if not found:
            plain_message(self, tr("Khôi phục"), tr("Chưa có bản sao lưu nào."))
            return
        labels = [f"{b.taken:%d/%m/%Y %H:%M} — {b.label} — {format_int(b.size // 1024)} KB" for b in found]
        choice, ok = QInputDialog.getItem(self, tr("Khôi phục bản sao lưu"), tr("Chọn bản sao lưu:"), labels, 0, False)
        if not ok:
            return
        backup = found[labels.index(choice)]
        question = (tr("Khôi phục bản sao lưu này? Dữ liệu hiện tại được giữ lại thành một bản sao lưu khác, "
                       "nên việc khôi phục cũng có thể hoàn tác.") + f"\n\n{choice}")
        if QMessageBox.question(self, tr("Khôi phục"), question) == QMessageBox.StandardButton.Yes:
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
        try:
            save_copy(self.ctx, item.data(Qt.ItemDataRole.UserRole), Path(name))
        except OcopError as exc:
            show_error(self, exc)

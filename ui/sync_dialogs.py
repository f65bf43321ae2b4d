"""The sync tab's dialogs: the passphrase, an export's recipient and content, an import's preview
and one conflict side by side. Texts that come from a package are shown as plain text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.language import format_int, tr
from ocop_desktop.reference import IMPORT_DECISIONS, TABLE_LABELS
from ocop_desktop.sync.exchange import (
    ConflictView,
    ImportReport,
    SyncOverview,
    counts_text,
    shown_value,
)
from ocop_desktop.sync.package import PACKAGE_SUFFIX, Verified, parse_timestamp
from ocop_desktop.sync.trust import (
    TRUST_FILE_SUFFIX,
    grouped_fingerprint,
)
from ui.icons import icon
from ui.messages import plain

FILTER = tr("Gói đồng bộ OCOP") + f" (*{PACKAGE_SUFFIX} *{TRUST_FILE_SUFFIX})"


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

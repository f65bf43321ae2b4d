"""The sync tab's trust actions: the province signs and hands out its trust file, an office imports
it (the first time after comparing the fingerprint read out by the province).

Several officers may each hold a root key; the signing dialog asks one passphrase per root key file
and lets an officer add a key file from a USB stick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ocop_desktop.infra import OcopError
from ocop_desktop.language import format_date, tr
from ocop_desktop.sync.trust import (
    TRUST_FILE_SUFFIX,
    Signer,
    TrustStatus,
    TrustUpdate,
    current_trust_version,
    export_enrolment_request,
    import_trust,
    init_trust_root,
    publish_trust_version,
    read_enrolment_request,
    replace_device_key,
    root_key_paths,
    trust_genesis_fingerprint,
    write_trust_file,
)
from ocop_desktop.sync.trust import (
    accept_enrolment as accept_enrolment_request,
)
from ui.messages import ask_plain_text, confirm, inform, show_error
from ui.sync_host import SyncHost

TRUST_FILTER = tr("Tệp tin cậy của tỉnh") + f" (*{TRUST_FILE_SUFFIX})"


def describe(state: TrustStatus | None, unpublished: list[str], province: bool) -> str:
    """One or two lines for the tab: version, validity, and what needs doing."""
    if state is None:
        return tr("Chưa phát hành bản tin cậy nào.") if province else \
            tr("Chưa ghi nhận gốc tin cậy của tỉnh: hãy xin tỉnh tệp tin cậy và đối chiếu mã nhận dạng.")
    text = (tr("Bản tin cậy của tỉnh: phiên bản") + f" {state.version}, " + tr("dùng được đến")
            + f" {format_date(state.expires.date())}; " + tr("khóa gốc:") + f" {state.roots}, "
            + tr("cần") + f" {state.threshold} " + tr("chữ ký") + ".")
    if state.expired:
        text += "\n" + tr("ĐÃ HẾT HẠN: không nhận gói từ tỉnh cho đến khi có bản tin cậy mới.")
    elif state.expiring:
        text += "\n" + tr("Sắp hết hạn: hãy xin (hoặc phát hành) bản tin cậy mới.")
    if state.own_key_revoked:
        text += "\n" + tr("Tỉnh đã thu hồi khóa của máy này: hãy thay khóa và gửi yêu cầu đăng ký mới.")
    if state.clock_behind is not None:
        text += "\n" + tr("Lỗi đồng hồ: đồng hồ máy này chậm hơn thời điểm đã ghi nhận trước đây; hãy chỉnh lại "
                          "ngày giờ (hạn dùng vẫn được tính theo thời điểm đã ghi nhận).")
    if province and state.roots_here:
        text += "\n" + tr("Khóa gốc đang nằm trong thư mục dữ liệu của máy này: nên chép ra USB cất riêng rồi "
                          "xóa khỏi máy.")
    for change in unpublished:
        text += "\n" + tr("Chưa phát hành:") + " " + tr(change)
    if province:
        text += "\n" + tr("Mã nhận dạng gốc tin cậy (đọc cho đơn vị mới):") + f" {state.genesis}"
    return text


def replace_key(panel: SyncHost) -> None:
    """After the province revoked this machine's key: a new key and epoch, then a new enrolment."""
    if not confirm(panel, tr("Thay khóa ký"),
                   tr("Tạo khóa ký mới cho máy này? Khóa cũ được cất riêng (không xóa); sau đó hãy "
                      "gửi yêu cầu đăng ký mới lên tỉnh.")):
        return
    passphrase = panel.ask_passphrase(tr("Thay khóa ký"), confirm=True)
    if passphrase is None:
        return
    panel.run_job(tr("Đang tạo khóa ký…"), lambda job: replace_device_key(panel.ctx, passphrase),
               lambda _key_id: panel.refresh())


def update_text(update: TrustUpdate) -> str:
    if update.before == update.after:
        return tr("Bản tin cậy đã là mới nhất; không có gì thay đổi.") + f" ({update.after})"
    text = tr("Đã áp dụng bản tin cậy phiên bản") + f" {update.after}, " + tr("dùng được đến") \
        + f" {format_date(update.expires.date())}."
    if update.publisher_changed and update.before:
        text += "\n" + tr("Tỉnh đã đổi khóa phát hành; các gói mới của tỉnh được kiểm tra bằng khóa mới.")
    if update.own_key_revoked:
        text += "\n" + tr("Tỉnh đã thu hồi khóa của máy này: hãy thay khóa và gửi yêu cầu đăng ký mới.")
    return text


class RootSignersDialog(QDialog):
    """One passphrase per root key file; more key files can be added from a USB stick."""

    def __init__(self, paths: list[Path], changes: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Ký bản tin cậy mới"))
        self.form = QFormLayout(self)
        intro = QLabel(tr("Các thay đổi sẽ được ký bằng khóa gốc của tỉnh:") + "\n"
                       + "\n".join("• " + tr(c) for c in changes))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.form.addRow(intro)
        self.fields: list[tuple[Path, QLineEdit]] = []
        for path in paths:
            self._add_row(path)
        add = QPushButton(tr("Thêm tệp khóa gốc (từ USB)…"))
        add.clicked.connect(self._add_file)
        self.form.addRow(add)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def _add_row(self, path: Path) -> None:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.insertRow(len(self.fields) + 1, tr("Mật khẩu của") + f" {path.name}:", field)
        self.fields.append((path, field))

    def _add_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Chọn tệp khóa gốc"), str(Path.home()), "*.key")
        if name and all(Path(name) != p for p, _ in self.fields):
            self._add_row(Path(name))

    @property
    def signers(self) -> list[Signer]:
        """Only the keys whose holder typed a passphrase sign (the others are absent today)."""
        return [Signer(path, field.text()) for path, field in self.fields if field.text()]


def export_trust_file(panel: SyncHost) -> None:
    """Sign the pending changes (if any) with root keys, then write the trust file for the offices."""
    ctx = panel.ctx
    name, _ = QFileDialog.getSaveFileName(panel, tr("Ghi tệp tin cậy của tỉnh"),
                                          str(Path.home() / f"tin-cay-tinh{TRUST_FILE_SUFFIX}"), TRUST_FILTER)
    if not name:
        return
    changes = panel.info.unpublished if panel.info else []
    signers: list[Signer] = []
    if changes:
        paths = root_key_paths(ctx)
        if current_trust_version(ctx) is None:  # the province's first root key, which signs version 1
            passphrase = panel.ask_passphrase(tr("Tạo khóa gốc của tỉnh (mật khẩu khác mật khẩu khóa ký)"),
                                               confirm=True)
            if passphrase is None:
                return

            def first(_job: object) -> Path:
                init_trust_root(ctx, passphrase)
                return write_trust_file(ctx, Path(name))

            panel.run_job(tr("Đang tạo khóa gốc…"), first, lambda path: _exported(panel, path))
            return
        dialog = RootSignersDialog(paths, changes, panel)
        if not dialog.exec():
            return
        signers = dialog.signers

    def job(_control: object) -> Path:
        if changes:
            publish_trust_version(ctx, signers)
        return write_trust_file(ctx, Path(name))

    panel.run_job(tr("Đang ký và ghi tệp tin cậy…"), job, lambda path: _exported(panel, path))


def _exported(panel: SyncHost, path: Path) -> None:

    panel.refresh()
    genesis = trust_genesis_fingerprint(panel.ctx) or ""
    inform(panel, tr("Tệp tin cậy của tỉnh"), tr("Đã ghi") + f" {path}.\n"
                  + tr("Gửi tệp này cho mọi đơn vị. Với đơn vị mới, đọc mã nhận dạng gốc này qua điện thoại:")
                  + f"\n{genesis}")


def import_trust_file(panel: SyncHost, path: Path | None = None) -> None:
    """Apply the province's trust file; the first time only after the fingerprint is compared."""
    if path is None:
        name, _ = QFileDialog.getOpenFileName(panel, tr("Mở tệp tin cậy của tỉnh"), str(Path.home()), TRUST_FILTER)
        if not name:
            return
        path = Path(name)
    typed: str | None = None
    if panel.info is None or panel.info.trust_status is None:
        typed, ok = QInputDialog.getText(panel, tr("Đối chiếu mã nhận dạng"),
                                         tr("Gõ mã nhận dạng gốc tin cậy của tỉnh (đọc qua điện thoại hoặc "
                                            "trên văn bản):"))
        if not ok:
            return
    chosen = path

    def done(update: TrustUpdate) -> None:

        panel.refresh()
        inform(panel, tr("Tệp tin cậy của tỉnh"), update_text(update))

    panel.run_job(tr("Đang kiểm tra tệp tin cậy…"), lambda job: import_trust(panel.ctx, chosen, typed),
               done)


def print_key_sheet(panel: SyncHost) -> None:
    """The key confirmation sheet: the fingerprint and its QR code, to read out or hand over."""
    from ocop_desktop.reports.printing import key_sheet, print_path
    from ui.pdf_preview import preview_later

    target = print_path(panel.ctx, "phieu-xac-nhan-khoa")
    preview_later(panel, panel.runner, tr("Đang in phiếu xác nhận khóa…"),
                  lambda job: key_sheet(panel.ctx, target))

def export_enrolment(panel: SyncHost) -> None:
    """A commune signs its enrolment request for the province."""
    name, _ = QFileDialog.getSaveFileName(panel, tr("Ghi yêu cầu đăng ký"),
                                          str(Path.home() / "yeu-cau-dang-ky.json"), "JSON (*.json)")
    if not name:
        return
    passphrase = panel.ask_passphrase(tr("Ký yêu cầu đăng ký"))
    if passphrase is None:
        return
    panel.run_job(tr("Đang ký yêu cầu đăng ký…"),
              lambda job: export_enrolment_request(panel.ctx, passphrase, Path(name)),
              lambda path: inform(panel, tr("Yêu cầu đăng ký"), tr("Đã ghi") + f" {path}.\n"
                                  + tr("Gửi tệp này cho tỉnh và đọc mã nhận dạng khóa cho "
                                       "cán bộ tỉnh qua điện thoại.")))

def accept_enrolment(panel: SyncHost) -> None:
    """The province accepts a commune's key once the fingerprint read over the phone matches."""
    name, _ = QFileDialog.getOpenFileName(panel, tr("Mở yêu cầu đăng ký"), str(Path.home()), "JSON (*.json)")
    if not name:
        return
    try:
        request = read_enrolment_request(Path(name))
    except OcopError as exc:
        show_error(panel, exc)
        return
    typed = ask_plain_text(
        panel, tr("Đối chiếu mã nhận dạng"),
        tr("Đơn vị") + f" {request.unit}, " + tr("cán bộ") + f" {request.officer}.\n"
        + tr("Hỏi đơn vị đọc mã nhận dạng khóa qua điện thoại và gõ lại ở đây:"))
    if typed is None:
        return
    def accepted(_key_id: object) -> None:
        inform(panel, tr("Đăng ký"), tr("Đã chấp nhận khóa của đơn vị") + f" {request.unit}.")
        panel.refresh()

    panel.runner.write(panel, tr("Đang ghi khóa của đơn vị…"),
                       lambda job: accept_enrolment_request(panel.ctx, Path(name), typed),
                       changes={"trusted_key"}, done=accepted, quiet=True)

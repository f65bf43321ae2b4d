"""The sync tab: export through the dialog in the background, check a package, see the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from ocop_desktop.sync.exchange.export import outbox
from tests.message_boxes import Boxes
from tests.sync_fixtures import PASS, ROOT_PASS, Pair, edit_on_both_sides
from tests.ui_helpers import cell_text
from ui import messages
from ui.dialogs.setup_dialog import SetupDialog
from ui.sync_dialogs import ExportDialog
from ui.sync_panel import SyncPanel
from ui.tasks import TaskRunner


@pytest.fixture
def panel(qtbot: QtBot, pair: Pair) -> SyncPanel:
    widget = SyncPanel(pair.local, TaskRunner())
    qtbot.addWidget(widget)
    return widget


def test_export_from_the_dialog_then_check_the_stick(qtbot: QtBot, panel: SyncPanel, pair: Pair,
                                                     monkeypatch: pytest.MonkeyPatch, boxes: Boxes) -> None:
    target = pair.tmp / "usb" / "goi.ocsync"

    def fill_and_accept(dialog: ExportDialog) -> int:
        dialog.full.setChecked(True)
        dialog.path.setText(str(target))
        dialog.passphrase.setText(PASS)
        return 1

    monkeypatch.setattr(ExportDialog, "exec", fill_and_accept)
    assert panel.export_button.isEnabled()
    panel.export()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=20000)
    assert target.exists() and len(outbox(pair.local)) == 1
    assert "Tỉnh Đồng Tháp (82)" in cell_text(panel.table, 0, 1)
    panel.verify_file(target)
    qtbot.waitUntil(lambda: any("Gói hợp lệ" in text for text in boxes.texts("info")), timeout=20000)
    damaged = pair.tmp / "hong.ocsync"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    panel.verify_file(damaged)
    qtbot.waitUntil(lambda: bool(boxes.texts("critical")), timeout=20000)
    _kind, title, text = next(s for s in boxes.shown if s[0] == "critical")
    assert title == "Gói không hợp lệ" and "[" in text


def test_without_a_key_the_panel_offers_to_make_one(qtbot: QtBot, tmp_path: Path) -> None:
    from ocop_desktop.installation.setup import init_installation
    from ocop_desktop.store.context import open_context

    ctx = open_context(tmp_path / "moi")
    init_installation(ctx, "30037", "local", "Cán bộ mới")
    widget = SyncPanel(ctx, TaskRunner())
    qtbot.addWidget(widget)
    assert not widget.create_key_button.isHidden()
    assert not widget.export_button.isEnabled()
    assert "chưa có khóa" in widget.key_label.text()
    ctx.close()


def test_set_up_ends_by_making_the_signing_key(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocop_desktop.installation.setup import init_installation
    from ui import app as app_module
    from ui.sync_dialogs import PassphraseDialog

    def set_up(dialog: SetupDialog) -> int:
        init_installation(dialog.ctx, "30037", "local", "Cán bộ mới")
        dialog.choice = "setup"
        return 1

    def type_passphrase(dialog: PassphraseDialog) -> int:
        dialog.first.setText(PASS)
        assert dialog.second is not None
        dialog.second.setText(PASS)
        return 1

    monkeypatch.setattr(SetupDialog, "exec", set_up)
    monkeypatch.setattr(PassphraseDialog, "exec", type_passphrase)
    gui = app_module.GuiApp(app_module.create_qapp())
    assert gui.open(tmp_path / "moi")
    window = gui.window
    assert window is not None
    qtbot.waitUntil(lambda: window.sync_panel.info is not None and window.sync_panel.info.fingerprint is not None,
                    timeout=30000)
    assert window.tabs.currentWidget() is window.sync_tab
    assert (tmp_path / "moi" / "keys" / "device.key").exists()
    window.close()
    gui.runner.wait()
    assert gui.ctx is not None
    gui.ctx.close()


def test_province_imports_with_a_preview_then_resolves_a_conflict(qtbot: QtBot, pair: Pair,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   boxes: Boxes) -> None:
    from ocop_desktop.registry.products import get_product
    from ocop_desktop.sync.exchange.export import export_package
    from ui.sync_dialogs import ConflictDialog, ImportPreviewDialog

    first = export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path
    widget = SyncPanel(pair.province, TaskRunner())
    qtbot.addWidget(widget)
    previews: list[ImportPreviewDialog] = []

    def look(dialog: ImportPreviewDialog) -> int:
        previews.append(dialog)
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", look)
    shown = boxes.texts  # every box's text, read as the boxes come
    widget.import_file(first)
    qtbot.waitUntil(lambda: any("Đã nhập gói" in t for t in shown()), timeout=20000)
    assert previews and "sản phẩm: mới 1" in next(t for t in shown() if "Đã nhập gói" in t)

    product_id = edit_on_both_sides(pair)
    second = export_package(pair.local, PASS, "82", pair.tmp / "2.ocsync").path
    widget.import_file(second)
    qtbot.waitUntil(lambda: widget.conflict_table.rowCount() == 1, timeout=20000)
    widget.conflict_table.selectRow(0)

    def choose_incoming(dialog: ConflictDialog) -> int:
        dialog.reason.setText("xã xác nhận qua điện thoại")
        dialog.choice = "incoming"
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", choose_incoming)
    widget.open_conflict()
    qtbot.waitUntil(lambda: widget.conflict_table.rowCount() == 0)  # resolved on the writer thread
    assert get_product(pair.province, product_id).description == "Sửa ở xã"




def test_restore_a_backup_from_the_window(qtbot: QtBot, pair: Pair, boxes: Boxes) -> None:
    from ocop_desktop.installation.backups import list_backups
    from ocop_desktop.sync.exchange.export import export_package
    from ocop_desktop.sync.exchange.importer import import_package
    from ui import app as app_module

    package = export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path
    import_package(pair.province, package)  # takes a backup first
    folder = pair.province.data_dir
    pair.province.close()
    gui = app_module.GuiApp(app_module.create_qapp())
    assert gui.open(folder)
    [backup] = [b for b in list_backups(folder) if b.label == "truoc-nhap-goi"]
    window = gui.window
    assert window is not None
    window.sync_panel.restore_requested.emit(backup.path)
    qtbot.waitUntil(lambda: gui.window is not window and gui.window is not None, timeout=20000)
    assert gui.ctx is not None and gui.ctx.require_installation().epoch == 2
    from ocop_desktop.records.listing import ListRequest
    from ocop_desktop.registry.products import product_count
    assert product_count(gui.ctx, ListRequest()) == 0  # the state before the import
    assert gui.window is not None
    gui.window.close()
    gui.runner.wait()
    pair.province = gui.ctx


def test_province_publishes_a_catalog_and_sends_it(qtbot: QtBot, pair: Pair, monkeypatch: pytest.MonkeyPatch,
                                                  boxes: Boxes) -> None:
    from ocop_desktop.sync.exchange.export import outbox

    widget = SyncPanel(pair.province, TaskRunner())
    qtbot.addWidget(widget)
    assert not widget.publish_button.isHidden()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("qd26-2026", True))
    widget.publish_catalog()
    target = pair.tmp / "bo-tieu-chi.ocsync"

    def choose_catalogs(dialog: ExportDialog) -> int:
        dialog.what.setCurrentIndex(dialog.what.findData("catalogs"))
        dialog.path.setText(str(target))
        dialog.passphrase.setText(PASS)
        return 1

    monkeypatch.setattr(ExportDialog, "exec", choose_catalogs)
    widget.export()
    qtbot.waitUntil(lambda: bool(outbox(pair.province)), timeout=20000)
    assert outbox(pair.province)[0].kind == "catalog" and target.exists()


def test_accepting_a_gap_from_the_preview(qtbot: QtBot, pair: Pair, monkeypatch: pytest.MonkeyPatch,
                                         boxes: Boxes) -> None:
    from ocop_desktop.registry.products import get_product, save_product
    from ocop_desktop.sync.exchange.export import export_package
    from ocop_desktop.sync.exchange.importer import import_package
    from ui.sync_dialogs import ImportPreviewDialog

    first = export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path
    product_id = pair.product_id()
    for name in ("lần 2", "lần 3"):
        data = get_product(pair.local, product_id)
        data.name = name
        save_product(pair.local, data)
        last = export_package(pair.local, PASS, "82", pair.tmp / f"{name}.ocsync").path
    import_package(pair.province, first)
    widget = SyncPanel(pair.province, TaskRunner())
    qtbot.addWidget(widget)
    seen: list[str] = []

    def accept_gap(dialog: ImportPreviewDialog) -> int:
        seen.append("gap")
        dialog.gap_reason = "gói số 2 bị mất"
        return 1

    monkeypatch.setattr(ImportPreviewDialog, "exec", accept_gap)
    widget.import_file(last)
    qtbot.waitUntil(lambda: get_product(pair.province, product_id).name == "lần 3", timeout=20000)
    qtbot.waitUntil(lambda: any("Đã nhập" in text for text in boxes.texts()), timeout=20000)  # the outcome shown
    assert seen == ["gap"]


def test_consolidation_tab_shows_units_and_reviews_a_duplicate(qtbot: QtBot, pair: Pair, tmp_path: Path) -> None:
    from ocop_desktop.registry.producers import ProducerData, save_producer
    from ocop_desktop.sync.exchange.consolidation import open_duplicates
    from ocop_desktop.sync.exchange.export import export_package
    from ocop_desktop.sync.exchange.importer import import_package
    from tests.sync_fixtures import enrol, make_installation
    from ui.consolidation_panel import ConsolidationPanel

    import_package(pair.province, export_package(pair.local, PASS, "82", tmp_path / "1.ocsync", full=True).path)
    other = make_installation(tmp_path / "xa2", "30046", "local", "Cán bộ xã khác")
    enrol(other, pair.province, tmp_path)
    save_producer(other, ProducerData(name="HTX khác", legal_type="htx", commune_code="30046",
                                      registration_no="1402-HTX-0001"))
    import_package(pair.province, export_package(other, PASS, "82", tmp_path / "2.ocsync", full=True).path)
    panel = ConsolidationPanel(pair.province, TaskRunner())
    qtbot.addWidget(panel)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2 and panel.duplicates.rowCount() == 1, timeout=20000)
    assert "cùng số đăng ký" in cell_text(panel.duplicates, 0, 3)
    panel.duplicates.selectRow(0)
    panel.review(same=False)
    qtbot.waitUntil(lambda: panel.duplicates.rowCount() == 0, timeout=20000)
    assert open_duplicates(pair.province) == []
    other.close()


def test_trust_file_from_the_province_window_to_the_office_window(qtbot: QtBot, pair: Pair,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 boxes: Boxes) -> None:
    """A revocation at the province is signed with the root key typed into the dialog, written to a
    trust file, and applied at the office through its ordinary 'import' button."""
    from ocop_desktop.sync.trust import enrolment as trust
    from ocop_desktop.sync.trust import keys
    from ocop_desktop.sync.trust import updates as trust_updates
    from ui import trust_actions

    key_id = keys.read_header(trust.device_key_path(pair.local).read_bytes())[2].key_id
    trust.revoke_key(pair.province, key_id, "Máy tính xã bị mất")
    province = SyncPanel(pair.province, TaskRunner())
    qtbot.addWidget(province)
    assert "Chưa phát hành" in province.trust_label.text()
    target = pair.tmp / "tin-cay.ocoptrust"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def type_root_passphrase(dialog: trust_actions.RootSignersDialog) -> int:
        [(_path, field)] = dialog.fields
        field.setText(ROOT_PASS)
        return 1

    monkeypatch.setattr(trust_actions.RootSignersDialog, "exec", type_root_passphrase)
    shown = boxes.texts  # every box's text, read as the boxes come
    province.export_province_key()
    qtbot.waitUntil(lambda: target.exists() and bool(shown()), timeout=20000)
    fingerprint = trust_updates.genesis(pair.province)
    assert fingerprint is not None and fingerprint in shown()[-1]
    assert "Chưa phát hành" not in province.trust_label.text()

    office = SyncPanel(pair.local, TaskRunner())
    qtbot.addWidget(office)
    office.import_file(target)  # the same door as packages; already pinned, so no fingerprint is asked
    qtbot.waitUntil(lambda: len(shown()) == 2, timeout=20000)
    assert "phiên bản 3" in shown()[-1] and "thu hồi khóa của máy này" in shown()[-1]
    assert "thu hồi khóa của máy này" in office.trust_label.text()


def test_enrolment_prompt_shows_the_file_text_literally(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """An officer name such as '<img src=…>' in an enrolment file must not be rendered (item 33)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QWidget

    seen: list[tuple[str, Qt.TextFormat]] = []

    def look(dialog: QInputDialog) -> int:
        seen.extend((label.text(), label.textFormat()) for label in dialog.findChildren(QLabel))
        dialog.setTextValue("ABCD")
        return 1

    monkeypatch.setattr(QInputDialog, "exec", look)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert messages.ask_plain_text(parent, "t", 'cán bộ <img src="http://x/a.png"><a href="x">bấm</a>') == "ABCD"
    assert seen and all(fmt == Qt.TextFormat.PlainText for _text, fmt in seen)

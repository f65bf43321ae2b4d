"""The evaluation tab: rounds, councils, the products of a round and their results.

From here the secretary opens a member's score sheet, the council tally, concludes a result,
marks a dossier rejected, asks for re-scoring and recognises a product.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.evaluation import (
    CouncilResult,
    EntryView,
    adopt_result,
    entry_result,
    get_council,
    get_round,
    list_councils,
    list_entries,
    list_rounds,
    load_catalog,
    open_or_start_sheet,
    recognition_for_entry,
    rescore,
    round_display,
    set_elimination,
    stored_mean,
)
from ocop_desktop.infra import JobControl, OcopError
from ocop_desktop.language import format_decimal, tr
from ocop_desktop.reference import DOSSIER_TYPES, MEMBER_ROLES, RESULT_STATUSES
from ocop_desktop.store import AppContext
from ui.dialogs.evaluation_dialogs import (
    CommuneReviewDialog,
    CouncilDialog,
    EntryDialog,
    MemberPicker,
    RecognitionDialog,
    RoundDialog,
    TallyDialog,
)
from ui.icons import icon
from ui.messages import inform, show_error
from ui.score_sheet import ScoreSheetDialog
from ui.tasks import TaskRunner

COLUMNS = ("Sản phẩm", "Mã sản phẩm", "Bộ", "Loại hồ sơ", "Hội đồng", "Phiếu đã nộp", "Điểm TB", "Hạng", "Kết luận")


class EvaluationPanel(QWidget):

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Đợt đánh giá:")))
        self.rounds = QComboBox()
        self.rounds.setObjectName("rounds")
        self.rounds.currentIndexChanged.connect(self.reload_entries)
        top.addWidget(self.rounds, 2)
        new_round = QPushButton(icon("new"), tr("Thêm đợt…"))
        new_round.clicked.connect(self.new_round)
        top.addWidget(new_round)
        new_council = QPushButton(icon("new"), tr("Thành lập hội đồng…"))
        new_council.clicked.connect(self.new_council)
        top.addWidget(new_council)
        add_entry = QPushButton(icon("product"), tr("Đưa sản phẩm vào đợt…"))
        add_entry.clicked.connect(self.new_entry)
        top.addWidget(add_entry)
        layout.addLayout(top)
        self.councils_label = QLabel()
        self.councils_label.setWordWrap(True)
        layout.addWidget(self.councils_label)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("entries")
        self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.score())
        layout.addWidget(self.table, 1)

        actions = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, slot in (
            ("review", tr("Báo cáo của xã…"), self.review),
            ("score", tr("Chấm điểm…"), self.score),
            ("tally", tr("Bảng tổng hợp…"), self.tally),
            ("adopt", tr("Hội đồng kết luận"), self.adopt),
            ("rescore", tr("Chấm lại…"), self.rescore),
            ("eliminate", tr("Loại hồ sơ…"), self.eliminate),
            ("recognise", tr("Công nhận…"), self.recognise),
        ):
            button = QPushButton(label)
            button.setObjectName(f"action_{key}")
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons[key] = button
        self.print_button = QPushButton(icon("file"), tr("In…"))
        self.print_button.setObjectName("action_print")
        self.print_menu = QMenu(self)
        for label, slot in ((tr("Phiếu trống cho các sản phẩm của đợt"), self.print_round_blank),
                            (tr("Phiếu đã chấm của hội đồng"), self.print_council_sheets),
                            (tr("Bảng tổng hợp kết quả"), self.print_summary),
                            (tr("Biên bản họp hội đồng"), self.print_minutes),
                            (tr("Danh sách sản phẩm được công nhận"), self.print_list),
                            (tr("Giấy chứng nhận"), self.print_certificate)):
            self.print_menu.addAction(label).triggered.connect(slot)
        self.print_button.setMenu(self.print_menu)
        actions.addWidget(self.print_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.reload_rounds()

    # --- data ---------------------------------------------------------------------------------
    def round_id(self) -> str | None:
        value = self.rounds.currentData()
        return str(value) if value else None

    def reload_rounds(self, select: str | None = None) -> None:
        current = select or self.round_id()
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for r in list_rounds(self.ctx):
            self.rounds.addItem(f"{r.year} — {tr('đợt')} {r.number}: {r.title}", r.id)
        index = self.rounds.findData(current) if current else 0
        self.rounds.setCurrentIndex(max(index, 0))
        self.rounds.blockSignals(False)
        self.reload_entries()

    def reload_entries(self) -> None:
        round_id = self.round_id()
        self.entries = list_entries(self.ctx, round_id) if round_id else []
        councils = list_councils(self.ctx, round_id) if round_id else []
        self.council_names = {c.id: c.name for c in councils}
        self.council_sizes = {c.id: len(c.members) for c in councils}
        self.councils_label.setText("; ".join(
            f"<b>{c.name}</b>: " + ", ".join(f"{m.name} ({tr(MEMBER_ROLES[m.role])})" for m in c.members)
            for c in councils) or tr("Chưa có hội đồng."))
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            mean, star, status = stored_mean(e), e.result_star, e.result_status
            conclusion = tr(RESULT_STATUSES[status]) if status else ""
            if not status and e.council_id and (e.sheets_submitted or e.elimination_key):
                live = entry_result(self.ctx, e.id)  # not concluded yet: show the running result
                mean, star = live.mean, live.final_star
                conclusion = tr(RESULT_STATUSES[live.status]) + " (" + tr("chưa kết luận") + ")"
            values = [e.product_name, e.product_code or "", str(e.product_set), tr(DOSSIER_TYPES[e.dossier_type]),
                      self.council_names.get(e.council_id or "", ""),
                      f"{e.sheets_submitted}/{self.council_sizes.get(e.council_id or '', 0)}",
                      format_decimal(round_display(mean)) if mean is not None else "",
                      "★" * (star or 0), conclusion]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def selected_entry(self) -> EntryView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            inform(self, tr("Đánh giá"), tr("Hãy chọn một sản phẩm trong danh sách."))
            return None
        return self.entries[rows[0].row()]

    def _after_change(self) -> None:
        """This tab's own table; the other screens hear of the write from the runner (``changed``)."""
        self.reload_entries()

    # --- actions ------------------------------------------------------------------------------
    def new_round(self) -> None:
        dialog = RoundDialog(self.ctx, self)
        if dialog.exec() and dialog.saved_id:
            self.reload_rounds(dialog.saved_id)

    def new_council(self) -> None:
        if not self.round_id():
            show_error(self, OcopError(tr("Hãy tạo đợt đánh giá trước."), "no round"))
            return
        dialog = CouncilDialog(self.ctx, str(self.round_id()), self)
        dialog.add_member_row("", "chair", "")
        if dialog.exec():
            self.reload_entries()

    def new_entry(self) -> None:
        round_id = self.round_id()
        if not round_id or not list_councils(self.ctx, round_id):
            show_error(self, OcopError(tr("Hãy tạo đợt đánh giá và hội đồng trước."), "no round or council"))
            return
        dialog = EntryDialog(self.ctx, round_id, self)
        if dialog.exec():
            self._after_change()

    def review(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if CommuneReviewDialog(self.ctx, entry.id, self).exec():
            self._after_change()

    def score(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.council_id:
            return
        council = get_council(self.ctx, entry.council_id)
        picker = MemberPicker([(m.id, f"{m.name} — {tr(MEMBER_ROLES[m.role])}") for m in council.members], self)
        if not picker.exec():
            return
        self.open_sheet(entry.id, picker.member_id())

    def open_sheet(self, entry_id: str, member_id: str) -> ScoreSheetDialog | None:
        try:
            sheet_id = open_or_start_sheet(self.ctx, entry_id, member_id)
            dialog = ScoreSheetDialog(self.ctx, sheet_id, self.runner, self)
        except OcopError as exc:
            show_error(self, exc)
            return None
        dialog.finished.connect(lambda _r: self._after_change())
        dialog.open()
        return dialog

    def tally(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        try:
            TallyDialog(self.ctx, entry.id, self).exec()
        except OcopError as exc:
            show_error(self, exc)

    def adopt(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return

        def adopted(result: CouncilResult) -> None:
            inform(self, tr("Hội đồng kết luận"), "\n".join(result.explanation()))
            self._after_change()

        self.runner.write(self, tr("Đang ghi kết luận…"), lambda job: adopt_result(self.ctx, entry.id),
                          changes={"round_entry", "score_sheet"}, done=adopted, quiet=True)

    def rescore(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        reason, ok = QInputDialog.getText(self, tr("Chấm lại"), tr("Lý do chấm lại (ví dụ: chênh lệch điểm quá mức):"))
        if not ok:
            return
        self.runner.write(self, tr("Đang mở chấm lại…"), lambda job: rescore(self.ctx, entry.id, reason),
                          changes={"round_entry", "score_sheet"}, done=lambda _r: self._after_change(), quiet=True)

    def eliminate(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        round_view = get_round(self.ctx, entry.round_id)
        grounds = load_catalog(round_view.catalog_id, self.ctx.catalogs_dir).set(entry.product_set).grounds
        labels = [tr("(Bỏ đánh dấu loại hồ sơ)")] + [
            (tr("Hồ sơ") if g.key == "set" else f"{tr('Tiêu chí')} {g.key}") + f": {g.text}" for g in grounds]
        choice, ok = QInputDialog.getItem(self, tr("Loại hồ sơ"), tr("Căn cứ:"), labels, 0, False)
        if not ok:
            return
        key = None if labels.index(choice) == 0 else grounds[labels.index(choice) - 1].key
        self.runner.write(self, tr("Đang ghi…"), lambda job: set_elimination(self.ctx, entry.id, key),
                          changes={"round_entry"}, done=lambda _r: self._after_change(), quiet=True)

    # --- printing -----------------------------------------------------------------------------
    def _print(self, kind: str, title: str, make: Callable[[JobControl, Path], Path]) -> None:
        from ocop_desktop.reports.printing import (
            print_path,  # ReportLab and pdfium load on first print, not at start-up
        )
        from ui.pdf_preview import preview_later

        target = print_path(self.ctx, kind)
        preview_later(self, self.runner, title, lambda job: make(job, target))

    def print_round_blank(self) -> None:
        from ocop_desktop.reports.printing import round_blank_sheets

        round_id = self.round_id()
        if round_id:
            self._print("phieu-trong", tr("Đang in phiếu trống…"),
                        lambda job, out: round_blank_sheets(self.ctx, round_id, out, job))

    def _entry_council(self) -> str | None:
        entry = self.selected_entry()
        return entry.council_id if entry else None

    def print_council_sheets(self) -> None:
        from ocop_desktop.reports.printing import council_filled_sheets

        council = self._entry_council()
        if council:
            self._print("phieu-da-cham", tr("Đang in phiếu đã chấm…"),
                        lambda job, out: council_filled_sheets(self.ctx, council, out, job))

    def print_summary(self) -> None:
        from ocop_desktop.reports.printing import council_summary

        council = self._entry_council()
        if council:
            self._print("bang-tong-hop", tr("Đang in bảng tổng hợp…"),
                        lambda job, out: council_summary(self.ctx, council, out))

    def print_minutes(self) -> None:
        from ocop_desktop.reports.printing import council_minutes

        council = self._entry_council()
        if council:
            self._print("bien-ban", tr("Đang in biên bản…"),
                        lambda job, out: council_minutes(self.ctx, council, out))

    def print_list(self) -> None:
        from ocop_desktop.reports.printing import recognition_list

        round_id = self.round_id()
        if round_id:
            self._print("danh-sach-cong-nhan", tr("Đang in danh sách…"),
                        lambda job, out: recognition_list(self.ctx, round_id, out))

    def print_certificate(self) -> None:
        from ocop_desktop.reports.printing import certificate

        entry = self.selected_entry()
        if entry is None:
            return
        rec = recognition_for_entry(self.ctx, entry.id)
        if rec is None:
            show_error(self, OcopError(tr("Sản phẩm chưa được công nhận theo kết quả này."), "no recognition"))
            return
        self._print("giay-chung-nhan", tr("Đang in giấy chứng nhận…"),
                    lambda job, out: certificate(self.ctx, rec, out))

    def recognise(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if entry.result_status != "decided" or (entry.result_star or 0) < 3:
            show_error(self, OcopError(tr("Chỉ công nhận sản phẩm hội đồng đã kết luận đạt từ 3 sao."), "not recognisable"))
            return
        dialog = RecognitionDialog(self.ctx, entry.id, self)
        if dialog.exec():
            self._after_change()

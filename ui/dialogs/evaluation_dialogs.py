"""Dialogs of the evaluation cycle: round, council, entering a product, tally, recognition."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop.evaluation import (
    VALIDITY_MONTHS,
    add_entry,
    create_council,
    create_round,
    entry_result,
    get_commune_review,
    get_entry,
    list_councils,
    recognise,
    round_display,
    set_commune_review,
    stored_mean,
)
from ocop_desktop.infra import OcopError
from ocop_desktop.language import add_months, format_date, format_decimal, parse_date, tr
from ocop_desktop.records import ListRequest
from ocop_desktop.reference import DOSSIER_TYPES, MEMBER_ROLES, RESULT_STATUSES, ROUND_LEVELS, product_sets
from ocop_desktop.registry import product_rows
from ocop_desktop.store import AppContext
from ui.dialogs.form import FormDialog
from ui.widgets.search_picker import SearchPicker


def _date_or_error(form: FormDialog, key: str, text: str, errors: dict[str, str]) -> date | None:
    try:
        return parse_date(text)
    except OcopError as exc:
        errors[key] = exc.message_vi
        return None


class RoundDialog(FormDialog):
    CHANGES = frozenset({"evaluation_round"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("Thêm đợt đánh giá"), parent)
        self.ctx = ctx
        today = date.today()
        self.year = self.number("year", tr("Năm *"), today.year, 2000, 2100)
        self.no = self.number("number", tr("Đợt số *"), 1 if today.month <= 6 else 2, 1, 99)
        self.level = self.combo("level", tr("Cấp *"), [(k, tr(v)) for k, v in ROUND_LEVELS.items()], "province")
        self.title_edit = self.line("title", tr("Tên đợt *"), "")
        self.start = self.line("start_date", tr("Ngày bắt đầu"), "", "dd/mm/yyyy")
        self.end = self.line("end_date", tr("Ngày kết thúc"), "", "dd/mm/yyyy")
        self.finish_layout()

    def on_save(self) -> None:
        errors: dict[str, str] = {}
        start = _date_or_error(self, "start_date", self.start.text(), errors)
        end = _date_or_error(self, "end_date", self.end.text(), errors)
        if errors:
            self.show_errors(errors)
            return
        year, number, level = self.spin_value(self.year) or 0, self.spin_value(self.no) or 0, self.level.currentData()
        title = self.title_edit.text()  # widgets are read here, on the GUI thread; the save runs on the writer
        self.run_save(lambda _c: create_round(self.ctx, year, number, level, title, start, end))


class CouncilDialog(FormDialog):
    """A council and its members (one row per member: name, role, organisation)."""

    CHANGES = frozenset({"council", "council_member"})

    def __init__(self, ctx: AppContext, round_id: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Thành lập hội đồng"), parent)
        self.ctx, self.round_id = ctx, round_id
        self.name = self.line("name", tr("Tên hội đồng *"), tr("Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh"))
        self.decision_no = self.line("decision_no", tr("Số quyết định thành lập"), "")
        self.decision_date = self.line("decision_date", tr("Ngày quyết định"), "", "dd/mm/yyyy")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("members")
        self.table.setHorizontalHeaderLabels([tr("Họ tên"), tr("Vai trò"), tr("Cơ quan")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton(tr("Thêm thành viên"))
        add.clicked.connect(lambda: self.add_member_row("", "member" if self.table.rowCount() else "chair", ""))
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(tr("Thành viên hội đồng:")))
        lay.addWidget(self.table)
        lay.addWidget(add)
        self.finish_layout(box)

    def add_member_row(self, name: str, role: str, organisation: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setCellWidget(row, 0, QLineEdit(name))
        roles = QComboBox()
        for key, label in MEMBER_ROLES.items():
            roles.addItem(tr(label), key)
        roles.setCurrentIndex(roles.findData(role))
        self.table.setCellWidget(row, 1, roles)
        self.table.setCellWidget(row, 2, QLineEdit(organisation))

    def members(self) -> list[tuple[str, str, str | None]]:
        out = []
        for row in range(self.table.rowCount()):
            name = self.table.cellWidget(row, 0)
            role = self.table.cellWidget(row, 1)
            org = self.table.cellWidget(row, 2)
            assert isinstance(name, QLineEdit) and isinstance(role, QComboBox) and isinstance(org, QLineEdit)
            if name.text().strip():
                out.append((name.text(), str(role.currentData()), org.text() or None))
        return out

    def on_save(self) -> None:
        errors: dict[str, str] = {}
        when = _date_or_error(self, "decision_date", self.decision_date.text(), errors)
        if errors:
            self.show_errors(errors)
            return
        name, decision_no, members = self.name.text(), self.decision_no.text() or None, self.members()
        self.run_save(lambda _c: create_council(self.ctx, self.round_id, name, decision_no, when, members))


class EntryDialog(FormDialog):
    """Enter a product into the round, for one of its councils."""

    CHANGES = frozenset({"round_entry"})

    def __init__(self, ctx: AppContext, round_id: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Đưa sản phẩm vào đợt đánh giá"), parent)
        self.ctx, self.round_id = ctx, round_id
        sets = product_sets()

        def lookup(text: str) -> list[tuple[str, str]]:
            rows = product_rows(ctx, ListRequest(search=text), 0, 50)
            return [(r.id, f"{r.name} — {r.producer} ({sets[r.product_set].label if r.product_set in sets else r.product_set})")
                    for r in rows]

        self.product = SearchPicker(lookup(""), lookup=lookup)
        self.add("product_id", tr("Sản phẩm *"), self.product)
        councils = list_councils(ctx, round_id)
        self.council = self.combo("council_id", tr("Hội đồng *"), [(c.id, c.name) for c in councils])
        self.dossier = self.combo("dossier_type", tr("Loại hồ sơ"), [(k, tr(v)) for k, v in DOSSIER_TYPES.items()],
                                  "first")
        self.finish_layout()

    def on_save(self) -> None:
        product = self.product.value()
        if not product:
            self.show_errors({"product_id": tr("Hãy chọn sản phẩm.")})
            return
        council, dossier = self.council.currentData(), self.dossier.currentData()
        self.run_save(lambda _c: add_entry(self.ctx, self.round_id, product, council, dossier))


class TallyDialog(QDialog):
    """The council tally: members × part subtotals and totals, mean, spread, star, explanation."""

    def __init__(self, ctx: AppContext, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        entry = get_entry(ctx, entry_id)
        result = entry_result(ctx, entry_id)
        self.tally_result = result
        self.setWindowTitle(tr("Bảng tổng hợp kết quả") + f" — {entry.product_name}")
        self.resize(820, 620)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{entry.product_name}</b> ({entry.product_code or '-'}) — "
                                f"{tr('bộ')} {entry.product_set}. {tr(DOSSIER_TYPES[entry.dossier_type])}"))
        self.table = QTableWidget(len(result.sheets) + 1, 5)
        self.table.setObjectName("tally")
        self.table.setHorizontalHeaderLabels([tr("Thành viên"), tr("Phần A (40)"), tr("Phần B (25)"),
                                              tr("Phần C (35)"), tr("Tổng (100)")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        for row, sheet in enumerate(result.sheets):
            for col, value in enumerate([sheet.member, *sheet.parts, sheet.total]):
                self.table.setItem(row, col, QTableWidgetItem(str(value)))
        mean_row = len(result.sheets)
        mean = "" if result.mean is None else format_decimal(round_display(result.mean))
        for col, value in enumerate([tr("Trung bình"), "", "", "", mean]):
            item = QTableWidgetItem(value)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.table.setItem(mean_row, col, item)
        layout.addWidget(self.table, 1)
        summary = (f"{tr('Điểm trung bình')}: {mean or '—'} · {tr('Chênh lệch')}: "
                   f"{result.spread if result.spread is not None else '—'} · {tr('Hạng')}: "
                   f"{'★' * (result.final_star or 0) or '—'} · {tr(RESULT_STATUSES[result.status])}")
        self.summary = QLabel(summary)
        self.summary.setStyleSheet("font-size: 16px; font-weight: bold;")
        layout.addWidget(self.summary)
        self.explanation = QPlainTextEdit("\n".join(result.explanation()))
        self.explanation.setReadOnly(True)
        layout.addWidget(self.explanation, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class RecognitionDialog(FormDialog):
    CHANGES = frozenset({"recognition", "product"})

    def __init__(self, ctx: AppContext, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Công nhận sản phẩm OCOP"), parent)
        self.ctx, self.entry_id = ctx, entry_id
        entry = get_entry(ctx, entry_id)
        info = QLabel(f"<b>{entry.product_name}</b> — {'★' * (entry.result_star or 0)} "
                      f"({tr('điểm trung bình')} {format_decimal(round_display(stored_mean(entry) or Fraction(0)))})")
        self.outer.insertWidget(0, info)
        self.decision_no = self.line("decision_no", tr("Số quyết định *"), "", "123/QĐ-UBND")
        self.decision_date = self.line("decision_date", tr("Ngày quyết định *"), format_date(date.today()), "dd/mm/yyyy")
        self.certificate_no = self.line("certificate_no", tr("Số giấy chứng nhận"), "")
        self.issue_date = self.line("issue_date", tr("Ngày cấp (để trống: ngày quyết định)"), "", "dd/mm/yyyy")
        self.expiry = QLabel()
        self.add("expiry", tr("Hiệu lực đến"), self.expiry)
        for edit in (self.decision_date, self.issue_date):
            edit.textChanged.connect(self._update_expiry)
        self._update_expiry()
        self.finish_layout()

    def _update_expiry(self) -> None:
        try:
            issued = parse_date(self.issue_date.text()) or parse_date(self.decision_date.text())
        except OcopError:
            issued = None
        self.expiry.setText(format_date(add_months(issued, VALIDITY_MONTHS)) if issued else "—")

    def on_save(self) -> None:
        errors: dict[str, str] = {}
        decided = _date_or_error(self, "decision_date", self.decision_date.text(), errors)
        issued = _date_or_error(self, "issue_date", self.issue_date.text(), errors)
        if errors:
            self.show_errors(errors)
            return
        decision_no, certificate_no = self.decision_no.text(), self.certificate_no.text() or None
        self.run_save(lambda _c: recognise(self.ctx, self.entry_id, decision_no, decided, certificate_no, issued))


class MemberPicker(QDialog):
    """Choose the council member whose sheet to open."""

    def __init__(self, members: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Chọn thành viên chấm điểm"))
        self.combo = QComboBox()
        for member_id, label in members:
            self.combo.addItem(label, member_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Mở phiếu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Thành viên:")))
        row.addWidget(self.combo, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def member_id(self) -> str:
        return str(self.combo.currentData())


class CommuneReviewDialog(FormDialog):
    """The commune's report on the dossier (Mẫu 03): four assessments and its proposal."""

    CHANGES = frozenset({"round_entry"})

    def __init__(self, ctx: AppContext, entry_id: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Báo cáo đánh giá của UBND cấp xã (Mẫu 03)"), parent)
        self.ctx, self.entry_id = ctx, entry_id
        review = get_commune_review(ctx, entry_id)
        self.review_no = self.line("review_no", tr("Số báo cáo"), review.review_no)
        self.review_date = self.line("review_date", tr("Ngày báo cáo"), format_date(review.review_date), "dd/mm/yyyy")
        self.raw = self.text_area("raw_material", tr("1. Nguồn nguyên liệu địa phương"), review.raw_material)
        self.labour = self.text_area("local_labour", tr("2. Sử dụng lao động địa phương"), review.local_labour)
        self.idea = self.text_area("idea_origin", tr("3. Nguồn gốc ý tưởng sản phẩm"), review.idea_origin)
        self.identity = self.text_area("local_identity", tr("4. Bản sắc, tri thức địa phương"), review.local_identity)
        self.proposes = self.combo("proposes", tr("Đề nghị đánh giá, phân hạng"),
                                   [(None, "—"), (True, tr("Đề nghị")), (False, tr("Không đề nghị"))], review.proposes)
        self.finish_layout()

    def on_save(self) -> None:
        errors: dict[str, str] = {}
        when = _date_or_error(self, "review_date", self.review_date.text(), errors)
        if errors:
            self.show_errors(errors)
            return

        values = {"review_no": self.review_no.text() or None, "raw_material": self.raw.toPlainText() or None,
                  "local_labour": self.labour.toPlainText() or None, "idea_origin": self.idea.toPlainText() or None,
                  "local_identity": self.identity.toPlainText() or None, "proposes": self.proposes.currentData()}

        def save(_confirm: bool) -> str:
            set_commune_review(self.ctx, self.entry_id, review_date=when, **values)
            return self.entry_id

        self.run_save(save)

"""The product form: producer, product set, code, place in the OCOP cycle, star and certificate."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ocop_desktop.evaluation import product_recognitions
from ocop_desktop.infra import OcopError
from ocop_desktop.language import format_date, parse_date, tr
from ocop_desktop.reference import PRODUCT_STATUSES, RECOGNISED_STARS, product_sets
from ocop_desktop.registry import ProductData, get_product, producer_choices, save_product
from ocop_desktop.store import AppContext
from ui.dialogs.attachments_widget import attachments_box
from ui.dialogs.form import FormDialog
from ui.widgets.search_picker import SearchPicker

DATE_FIELDS = ("decision_date", "certificate_date", "certificate_expiry")


class ProductDialog(FormDialog):
    CHANGES = frozenset({"product"})

    def __init__(self, ctx: AppContext, product_id: str | None = None, parent: QWidget | None = None,
                 producer_id: str | None = None) -> None:
        super().__init__(tr("Sửa sản phẩm") if product_id else tr("Thêm sản phẩm"), parent)
        self.ctx = ctx
        data = get_product(ctx, product_id) if product_id else ProductData(producer_id=producer_id or "")
        self.record_id = data.id
        initial = producer_choices(ctx, limit=50)
        if data.producer_id and data.producer_id not in {value for value, _ in initial}:
            initial = producer_choices(ctx, producer_id=data.producer_id) + initial
        self.producer = SearchPicker(initial, lookup=lambda text: producer_choices(ctx, text, 50))
        self.producer.set_value(data.producer_id)
        self.add("producer_id", tr("Chủ thể *"), self.producer)
        self.name = self.line("name", tr("Tên sản phẩm *"), data.name)
        self.product_set = self.combo(
            "product_set", tr("Bộ sản phẩm *"),
            [(0, tr("— chọn —"))] + [(s.no, f"{s.label} ({s.nhom})") for s in product_sets().values()],
            data.product_set,
        )
        self.code = self.line("code", tr("Mã sản phẩm"), data.code, "82-30037-1-2026")
        self.status = self.combo("status", tr("Trạng thái"), [(k, tr(v)) for k, v in PRODUCT_STATUSES.items()],
                                 data.status)
        self.star = self.combo("star", tr("Hạng sao"), [(None, "—")] + [(s, "★" * s) for s in RECOGNISED_STARS],
                               data.star)
        self.decision_no = self.line("decision_no", tr("Số quyết định công nhận"), data.decision_no)
        self.dates = {
            key: self.line(key, label, format_date(getattr(data, key)), "dd/mm/yyyy")
            for key, label in (("decision_date", tr("Ngày quyết định")),
                               ("certificate_date", tr("Ngày cấp giấy chứng nhận")),
                               ("certificate_expiry", tr("Ngày hết hạn (để trống: +36 tháng)")))
        }
        self.certificate_no = self.line("certificate_no", tr("Số giấy chứng nhận"), data.certificate_no)
        self.raw_material_origin = self.line("raw_material_origin", tr("Nguồn nguyên liệu"), data.raw_material_origin)
        self.description = self.text_area("description", tr("Mô tả"), data.description)
        box, self.attachments = attachments_box(ctx, "product", self.record_id, tr("Ảnh và tài liệu sản phẩm"),
                                                   tr("Lưu sản phẩm trước, sau đó mở lại để đính kèm ảnh."))
        self.finish_layout(box)
        if self.record_id and product_recognitions(ctx, self.record_id):
            self._follow_decisions()
        self.name.setFocus()

    def _follow_decisions(self) -> None:
        """The recognition fields of a product with decisions come from them (ocop_desktop/evaluation/projection.py):
        shown, not edited, so the form never seems to change what a decision says."""
        why = tr("Theo quyết định công nhận của sản phẩm; chỉ thay đổi khi có quyết định mới hoặc bị thu hồi.")
        for widget in (self.status, self.star, self.decision_no, self.certificate_no, *self.dates.values()):
            widget.setEnabled(False)
            widget.setToolTip(why)

    def data(self) -> tuple[ProductData, dict[str, str]]:
        errors: dict[str, str] = {}
        parsed = {}
        for key, edit in self.dates.items():
            try:
                parsed[key] = parse_date(edit.text())
            except OcopError as exc:
                errors[key] = exc.message_vi
                parsed[key] = None
        data = ProductData(
            id=self.record_id,
            producer_id=self.producer.value() or "",
            name=self.name.text(),
            product_set=int(self.product_set.currentData() or 0),
            code=self.code.text(),
            status=self.status.currentData(),
            star=self.star.currentData(),
            decision_no=self.decision_no.text(),
            certificate_no=self.certificate_no.text(),
            raw_material_origin=self.raw_material_origin.text(),
            description=self.description.toPlainText(),
            **parsed,
        )
        return data, errors

    def on_save(self) -> None:
        data, date_errors = self.data()
        if date_errors:
            self.show_errors(date_errors)
            return
        self.run_save(lambda confirm: save_product(self.ctx, data, confirm_warnings=confirm))

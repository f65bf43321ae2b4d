"""The producer form (chủ thể OCOP): identity, legal representative, contact, address, attachments."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ocop_desktop.language import tr
from ocop_desktop.reference import ETHNICITIES, GENDERS, LEGAL_TYPES
from ocop_desktop.registry import ProducerData, get_producer, save_producer
from ocop_desktop.store import AppContext
from ui.dialogs.attachments_widget import attachments_box
from ui.dialogs.form import FormDialog
from ui.widgets.search_picker import SearchPicker


class ProducerDialog(FormDialog):
    CHANGES = frozenset({"producer"})

    def __init__(self, ctx: AppContext, producer_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Sửa chủ thể") if producer_id else tr("Thêm chủ thể"), parent)
        self.ctx = ctx
        data = get_producer(ctx, producer_id) if producer_id else ProducerData()
        self.record_id = data.id
        units = ctx.units()
        self.name = self.line("name", tr("Tên chủ thể *"), data.name, tr("ví dụ: Hợp tác xã Sen Tháp Mười"))
        self.legal_type = self.combo("legal_type", tr("Loại hình *"),
                                     [("", tr("— chọn —"))] + [(k, tr(v)) for k, v in LEGAL_TYPES.items()],
                                     data.legal_type)
        self.registration_no = self.line("registration_no", tr("Số đăng ký"), data.registration_no)
        self.tax_code = self.line("tax_code", tr("Mã số thuế"), data.tax_code, "0123456789")
        self.rep_name = self.line("rep_name", tr("Người đại diện"), data.rep_name)
        self.rep_gender = self.combo("rep_gender", tr("Giới tính"),
                                     [(None, "—")] + [(k, tr(v)) for k, v in GENDERS.items()], data.rep_gender)
        self.rep_ethnicity = self.combo("rep_ethnicity", tr("Dân tộc"),
                                        [(None, "—")] + [(e, e) for e in ETHNICITIES], data.rep_ethnicity)
        self.rep_disability = self.check("rep_disability", tr("Người khuyết tật"), data.rep_disability)
        self.phone = self.line("phone", tr("Điện thoại"), data.phone, "0912345678")
        self.email = self.line("email", tr("Email"), data.email)
        self.commune = SearchPicker(
            sorted(((c.code, f"{c.name} ({c.code})") for c in units.communes.values()), key=lambda o: o[1])
        )
        self.commune.set_value(data.commune_code)
        self.add("commune_code", tr("Xã/phường *"), self.commune)
        self.address_detail = self.line("address_detail", tr("Địa chỉ (ấp, số nhà)"), data.address_detail)
        self.founded_year = self.number("founded_year", tr("Năm thành lập"), data.founded_year, 1900, 2100)
        self.workforce = self.number("workforce", tr("Số lao động"), data.workforce, 0, 1_000_000)
        self.notes = self.text_area("notes", tr("Ghi chú"), data.notes)
        box, self.attachments = attachments_box(ctx, "producer", self.record_id, tr("Tệp đính kèm (giấy đăng ký, ảnh cơ sở…)"),
                                                   tr("Lưu chủ thể trước, sau đó mở lại để đính kèm tệp."))
        self.finish_layout(box)
        self.name.setFocus()

    def data(self) -> ProducerData:
        return ProducerData(
            id=self.record_id,
            name=self.name.text(),
            legal_type=self.legal_type.currentData() or "",
            registration_no=self.registration_no.text(),
            tax_code=self.tax_code.text(),
            rep_name=self.rep_name.text(),
            rep_gender=self.rep_gender.currentData(),
            rep_ethnicity=self.rep_ethnicity.currentData(),
            rep_disability=self.rep_disability.isChecked(),
            phone=self.phone.text(),
            email=self.email.text(),
            commune_code=self.commune.value() or self.commune.currentText(),
            address_detail=self.address_detail.text(),
            founded_year=self.spin_value(self.founded_year),
            workforce=self.spin_value(self.workforce),
            notes=self.notes.toPlainText(),
        )

    def on_save(self) -> None:
        data = self.data()
        self.run_save(lambda confirm: save_producer(self.ctx, data, confirm_warnings=confirm))

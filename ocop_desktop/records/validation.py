"""Field checks shared by the record forms. Each returns the cleaned value or records an error.

Messages are Vietnamese (shown next to the field); the field names are the record's attributes.
"""

from __future__ import annotations

import re
from datetime import date

from ocop_desktop.language.text import nfc, visible

_PHONE = re.compile(r"^0\d{9,10}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_TAX = re.compile(r"^\d{10}(-\d{3})?$")
_REG = re.compile(r"^[0-9A-Za-zĐđ./-]+$")


class Checker:
    """Collects errors and warnings for one form, field by field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        self.warnings: dict[str, str] = {}

    def text(self, field: str, label: str, value: str | None, *, required: bool = False,
             max_len: int = 255) -> str | None:
        cleaned = nfc(value or "")
        if not cleaned:
            if required:
                self.errors[field] = f"{label} không được để trống."
            return None
        if not visible(cleaned):
            self.errors[field] = f"{label} chỉ gồm ký tự không nhìn thấy."
            return None
        if len(cleaned) > max_len:
            self.errors[field] = f"{label} dài quá {max_len} ký tự (hiện có {len(cleaned)})."
        return cleaned

    def choice(self, field: str, label: str, value: str | None, options: dict[str, str], *,
               required: bool = True) -> str | None:
        if not value:
            if required:
                self.errors[field] = f"Hãy chọn {label.lower()}."
            return None
        if value not in options:
            self.errors[field] = f"{label} '{value}' không có trong danh mục."
            return None
        return value

    def phone(self, field: str, value: str | None) -> str | None:
        raw = nfc(value or "")
        if not raw:
            return None
        digits = re.sub(r"[\s.()-]", "", raw)
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        if not _PHONE.match(digits):
            self.errors[field] = (
                f"Số điện thoại '{raw}' không hợp lệ: cần 10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84."
            )
            return None
        return digits

    def email(self, field: str, value: str | None) -> str | None:
        raw = nfc(value or "")
        if not raw:
            return None
        if len(raw) > 120 or not _EMAIL.match(raw):
            self.errors[field] = f"Email '{raw}' không hợp lệ (ví dụ: htx@example.vn)."
            return None
        return raw.lower()

    def tax_code(self, field: str, value: str | None) -> str | None:
        raw = nfc(value or "").replace(" ", "")
        if not raw:
            return None
        if not _TAX.match(raw):
            self.errors[field] = f"Mã số thuế '{raw}' không hợp lệ: 10 chữ số, hoặc 10 chữ số-3 chữ số."
            return None
        return raw

    def registration(self, field: str, value: str | None) -> str | None:
        raw = self.text(field, "Số đăng ký", value, max_len=40)
        if raw and not _REG.match(raw):
            self.errors[field] = f"Số đăng ký '{raw}' chỉ gồm chữ, số và các dấu . / -"
            return None
        return raw

    def integer(self, field: str, label: str, value: int | None, low: int, high: int) -> int | None:
        if value is None:
            return None
        if not low <= value <= high:
            self.errors[field] = f"{label} phải trong khoảng {low}–{high}."
            return None
        return value

    def year(self, field: str, label: str, value: int | None) -> int | None:
        return self.integer(field, label, value, 1900, date.today().year)

"""Setting up an installation: which unit it serves, at which level, and who the officer is."""

from __future__ import annotations

from database.base import new_id
from database.engine import write_session
from database.tables import Installation
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.language.translation import LANGUAGES
from ocop_desktop.records.validation import Checker
from ocop_desktop.reference.units import available_provinces, load_province
from ocop_desktop.reference.vocab import LEVELS
from ocop_desktop.store.context import AppContext


def province_of_unit(unit_code: str) -> str | None:
    """The bundled province a unit code belongs to (the province itself or one of its communes)."""
    for code in available_provinces():
        units = load_province(code)
        if units.is_known_unit(unit_code):
            return units.code
    return None


def init_installation(ctx: AppContext, unit_code: str, level: str, officer_name: str,
                      language: str = "vi", *, is_demo: bool = False) -> Installation:
    """Fix the unit, level and officer; allowed once (the device identity must not change)."""
    check = Checker()
    unit = (unit_code or "").strip()
    province = province_of_unit(unit) if unit else None
    if not unit:
        check.errors["unit_code"] = "Hãy chọn đơn vị (tỉnh hoặc xã/phường)."
    elif province is None:
        check.errors["unit_code"] = f"Mã đơn vị '{unit}' không có trong danh mục đơn vị hành chính."
    check.choice("level", "Cấp", level, LEVELS)
    if level == "province" and unit and len(unit) != 2:
        check.errors["level"] = "Cài đặt cấp tỉnh phải chọn mã tỉnh (2 chữ số)."
    if level == "local" and unit and len(unit) != 5:
        check.errors["level"] = "Cài đặt cấp xã phải chọn mã xã/phường (5 chữ số)."
    officer = check.text("officer_name", "Họ tên cán bộ", officer_name, required=True, max_len=120)
    if language not in LANGUAGES:
        check.errors["language"] = f"Ngôn ngữ '{language}' không được hỗ trợ."
    if check.errors:
        raise ValidationFailed(check.errors)
    assert province is not None and officer is not None
    with write_session(ctx.engine) as s:
        if s.get(Installation, 1) is not None:
            raise OcopError("Ứng dụng đã được thiết lập cho một đơn vị; không thể thiết lập lại.",
                            "installation already initialised")
        inst = Installation(device_id=new_id(), province_code=province, unit_code=unit, level=level,
                            officer_name=officer, language=language, is_demo=is_demo)
        s.add(inst)
    return inst


def set_language(ctx: AppContext, language: str) -> None:
    """Remember the interface language of this installation."""
    if language not in LANGUAGES:
        raise OcopError(f"Ngôn ngữ '{language}' không được hỗ trợ.", f"bad language {language}")
    with write_session(ctx.engine) as s:
        inst = s.get(Installation, 1)
        if inst is not None:
            inst.language = language
            s.add(inst)

"""Vietnamese number and date conventions: ``72,5``, ``1.002``, ``dd/mm/yyyy``."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ocop_desktop.infra.errors import OcopError

_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def parse_date(text: str) -> date | None:
    """Parse ``dd/mm/yyyy``; empty text is None; anything else raises with a Vietnamese message."""
    if not text.strip():
        return None
    m = _DATE.match(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise OcopError(f"Ngày '{text}' không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.", f"bad date {text!r}")


def format_int(value: int) -> str:
    """Thousands with a dot: 1002 → ``1.002``."""
    return f"{value:,}".replace(",", ".")


def format_decimal(value: Decimal | Fraction | float | int, places: int | None = None) -> str:
    """Decimal comma, trailing zeros dropped unless ``places`` is given: 72.5 → ``72,5``."""
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = f"{number:f}"
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = format_int(int(whole.lstrip("-") or "0"))
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def parse_decimal(text: str) -> Decimal:
    """Parse ``72,5`` or ``1.002,25`` (Vietnamese) into a Decimal."""
    cleaned = text.strip().replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise OcopError(f"Số '{text}' không hợp lệ (ví dụ: 72,5).", f"bad decimal {text!r}") from exc


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later, clamped to the month's end (BLDS 2015 Điều 147–148)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def date_line(place: str, day: date | None) -> str:
    """The place-and-date line of an official document (Nghị định 30/2020): days below 10 and the
    months 1 and 2 take a leading zero — "Đồng Tháp, ngày 05 tháng 02 năm 2026", "ngày 22 tháng 5
    năm 2026". Without a date the blanks are left to fill by hand."""
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"

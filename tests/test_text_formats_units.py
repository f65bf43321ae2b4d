"""Vietnamese text folding, number/date formats, units and product codes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language.formats import add_months, format_date, format_decimal, format_int, parse_date, parse_decimal
from ocop_desktop.language.text import fold, nfc
from ocop_desktop.reference.units import check_product_code, load_province, parse_product_code, province_from_package


@pytest.mark.parametrize(("text", "key"), [
    ("Tháp Mười", "thap muoi"),
    ("Đồng Tháp", "dong thap"),
    ("hòa", "hoa"),
    ("hoà", "hoa"),
    ("THỦY  sản", "thuy san"),
    ("Thuỷ", "thuy"),
])
def test_fold(text: str, key: str) -> None:
    assert fold(text) == key


def test_nfc_joins_decomposed_text() -> None:
    decomposed = "Tha\u0301p Mu\u031bo\u031b\u0300i"
    assert nfc(decomposed) == "Tháp Mười"
    assert nfc("  a   b ") == "a b"


def test_numbers_and_dates() -> None:
    assert format_decimal(Decimal("72.5")) == "72,5"
    assert format_decimal(70) == "70"
    assert format_decimal(Decimal("1002.25")) == "1.002,25"
    assert format_decimal(Decimal("72.456"), 1) == "72,5"
    assert format_int(1002) == "1.002"
    assert parse_decimal("72,5") == Decimal("72.5")
    assert parse_decimal("1.002,25") == Decimal("1002.25")
    assert format_date(date(2026, 2, 5)) == "05/02/2026"
    assert parse_date("5/2/2026") == date(2026, 2, 5)
    assert parse_date("") is None
    with pytest.raises(OcopError):
        parse_date("31/02/2026")
    with pytest.raises(OcopError):
        parse_decimal("bảy mươi")


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 5, 22), 36) == date(2029, 5, 22)
    assert add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_seed_province_units() -> None:
    units = load_province("82")
    assert len(units.communes) == 102
    assert sum(1 for c in units.communes.values() if c.kind == "phường") == 20
    assert len([d for d in units.former_districts.values() if d.province == "87"]) == 12
    assert units.unit_name("30037") == "Xã Tháp Mười"
    assert "30037" in units.communes_in_former_district("872")
    assert [c.code for c in units.search_communes("thap muoi")] == ["30037"]


def test_other_province_from_package() -> None:
    hanoi = province_from_package("01")
    assert hanoi.code == "01" and len(hanoi.communes) > 100
    with pytest.raises(OcopError):
        province_from_package("99")


def test_product_codes() -> None:
    units = load_province("82")
    new = parse_product_code("82-30253-3-2026")
    assert (new.province, new.commune, new.serial, new.year, new.legacy) == ("82", "30253", 3, 2026, False)
    old = parse_product_code("87-872-30037-12-2022")
    assert old.legacy and old.district == "872" and str(old) == "87-872-30037-12-2022"
    check_product_code(new, units)
    check_product_code(old, units)
    for bad in ("82-3025-3-2026", "82-30253-3", "abc", "82-30253-0-2026"):
        with pytest.raises(OcopError):
            check_product_code(parse_product_code(bad), units)
    with pytest.raises(OcopError):
        check_product_code(parse_product_code("01-00070-1-2026"), units)
    with pytest.raises(OcopError):
        check_product_code(parse_product_code("87-999-30037-1-2022"), units)


def test_the_district_filter_lists_every_former_district_of_the_province() -> None:
    """The province formed from two (82 and 87) offers the districts of both, each with its former
    province, so an officer of either can filter by the district they know."""
    units = load_province("82")
    choices = units.former_district_choices()
    assert len(choices) == len(units.former_districts) == 23
    provinces = {label.split(" — ")[1] for _code, label in choices}
    assert len(provinces) == 2 and all(code.startswith("d:") for code, _ in choices)
    assert "Tiền Giang" in choices[0][1] and "Đồng Tháp" in choices[-1][1]  # grouped by former province
    assert ("d:867", "Thành phố Sa Đéc — Tỉnh Đồng Tháp (cũ)") in choices

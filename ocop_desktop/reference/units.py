"""Administrative units (reference data) and OCOP product codes.

Units come from ``resources/units/<province>.json`` (the current communes, the former provinces
and districts before 07/2025). Another province can be added as a data file of the same shape;
:func:`province_from_package` builds one from the ``vietnam-provinces`` package for the current
units of any province.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.paths import resources_dir
from ocop_desktop.language.text import fold


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    kind: str  # "xã" | "phường" | "đặc khu"
    former_province: str | None = None
    former_districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class District:
    code: str
    name: str
    province: str


@dataclass
class ProvinceUnits:
    """One province: its current communes and its pre-07/2025 districts."""

    code: str
    name: str
    short_name: str
    communes: dict[str, Commune]
    former_districts: dict[str, District] = field(default_factory=dict)
    former_provinces: dict[str, str] = field(default_factory=dict)

    def commune(self, code: str) -> Commune:
        try:
            return self.communes[code]
        except KeyError:
            raise OcopError(
                f"Mã đơn vị hành chính '{code}' không thuộc {self.name}.", f"unknown unit {code}"
            ) from None

    def unit_name(self, code: str | None) -> str:
        """Name of the province, a commune or a former district by code; the code if unknown."""
        if not code:
            return ""
        if code == self.code:
            return self.name
        if code in self.communes:
            return self.communes[code].name
        if code in self.former_districts:
            return self.former_districts[code].name
        return code

    def is_known_unit(self, code: str) -> bool:
        return code == self.code or code in self.communes

    def former_district_choices(self) -> list[tuple[str, str]]:
        """The districts from before 07/2025 to filter by (``d:CODE``), by former province and name;
        each names its former province when the province was formed from several."""
        several = len({d.province for d in self.former_districts.values()}) > 1
        rows = sorted(self.former_districts.values(), key=lambda d: (d.province, d.name))
        return [(f"d:{d.code}", f"{d.name} — {self.former_provinces.get(d.province, d.province)}" if several
                 else d.name) for d in rows]

    def communes_in_former_district(self, district: str) -> list[str]:
        return sorted(c.code for c in self.communes.values() if district in c.former_districts)

    def search_communes(self, text: str) -> list[Commune]:
        key = fold(text)
        return [c for c in self.communes.values() if key in fold(c.name) or c.code.startswith(key)]


def _from_json(data: dict[str, object]) -> ProvinceUnits:
    prov = data["province"]
    assert isinstance(prov, dict)
    communes_raw = data.get("communes", [])
    assert isinstance(communes_raw, list)
    communes = {
        c["code"]: Commune(
            code=c["code"],
            name=c["name"],
            kind=c["type"],
            former_province=c.get("former_province"),
            former_districts=tuple(c.get("former_districts", ())),
        )
        for c in communes_raw
    }
    districts_raw = data.get("former_districts", [])
    assert isinstance(districts_raw, list)
    districts = {d["code"]: District(d["code"], d["name"], d["province"]) for d in districts_raw}
    fp_raw = data.get("former_provinces", [])
    assert isinstance(fp_raw, list)
    return ProvinceUnits(
        code=prov["code"],
        name=prov["name"],
        short_name=str(prov.get("short_name", prov["name"])),
        communes=communes,
        former_districts=districts,
        former_provinces={p["code"]: p["name"] for p in fp_raw},
    )


@cache
def load_province(code: str) -> ProvinceUnits:
    """The bundled data file for province ``code``, else the package's current units."""
    path = resources_dir() / "units" / f"{code}.json"
    if path.exists():
        return _from_json(json.loads(path.read_text(encoding="utf-8")))
    return province_from_package(code)


def province_from_package(code: str) -> ProvinceUnits:
    """Current communes of any province from ``vietnam-provinces`` (no former units there)."""
    from vietnam_provinces import Province, ProvinceCode, Ward

    try:
        province = Province.from_code(ProvinceCode(int(code)))
    except (ValueError, KeyError) as exc:
        raise OcopError(f"Không có tỉnh mã '{code}'.", f"unknown province {code}") from exc
    communes = {}
    for ward in Ward.iter_by_province(province.code):
        c = f"{int(ward.code):05d}"
        communes[c] = Commune(c, ward.name, ward.division_type.value.split()[0].lower())
    name = province.name
    short = name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    full = name if name.startswith("Thành phố") else f"Tỉnh {name}"
    return ProvinceUnits(code=f"{int(province.code):02d}", name=full, short_name=short, communes=communes)


def available_provinces() -> list[str]:
    return sorted(p.stem for p in (resources_dir() / "units").glob("*.json"))


# --- product codes --------------------------------------------------------------------------

_NEW_CODE = re.compile(r"^(\d{2})-(\d{5})-(\d{1,6})-(\d{4})$")
_LEGACY_CODE = re.compile(r"^(\d{2})-(\d{3})-(\d{5})-(\d{1,6})-(\d{4})$")


@dataclass(frozen=True)
class ProductCode:
    """A product code: ``T-X-STT-YYYY`` (QĐ 26) or legacy ``T-H-X-STT-YYYY`` (before 07/2025)."""

    province: str
    commune: str
    serial: int
    year: int
    district: str | None = None

    @property
    def legacy(self) -> bool:
        return self.district is not None

    def __str__(self) -> str:
        middle = f"{self.district}-{self.commune}" if self.district else self.commune
        return f"{self.province}-{middle}-{self.serial}-{self.year}"


def parse_product_code(text: str) -> ProductCode:
    """Tell the two formats apart by the number of segments, never by the province code."""
    value = text.strip()
    m = _NEW_CODE.match(value)
    if m:
        return ProductCode(m.group(1), m.group(2), int(m.group(3)), int(m.group(4)))
    m = _LEGACY_CODE.match(value)
    if m:
        return ProductCode(m.group(1), m.group(3), int(m.group(4)), int(m.group(5)), m.group(2))
    raise OcopError(
        f"Mã sản phẩm '{text}' không đúng dạng T-X-STT-YYYY (ví dụ 82-30037-3-2026) "
        "hoặc dạng cũ T-H-X-STT-YYYY (ví dụ 87-872-30037-3-2022).",
        f"bad product code {text!r}",
    )


def check_product_code(code: ProductCode, units: ProvinceUnits) -> None:
    """A current-format code must name this province and one of its communes; a legacy code a
    former district of the area (communes before 07/2025 are not in the bundled data)."""
    if not 2000 <= code.year <= 2100 or code.serial < 1:
        raise OcopError(f"Mã sản phẩm '{code}': năm hoặc số thứ tự không hợp lệ.", "bad year/serial")
    if code.legacy:
        if code.district not in units.former_districts:
            raise OcopError(
                f"Mã sản phẩm '{code}': huyện cũ '{code.district}' không thuộc địa bàn.",
                "unknown former district",
            )
        return
    if code.province != units.code or code.commune not in units.communes:
        raise OcopError(
            f"Mã sản phẩm '{code}': mã tỉnh hoặc mã xã không thuộc {units.name}.",
            "unknown unit in product code",
        )

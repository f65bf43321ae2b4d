"""The 26 product sets of QĐ 26/2026 Phụ lục I, with their ngành and nhóm."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from ocop_desktop.infra.paths import resources_dir


@dataclass(frozen=True)
class ProductSet:
    no: int
    name: str
    nganh_code: str
    nganh: str
    nhom: str

    @property
    def label(self) -> str:
        return f"{self.no}. {self.name}"


@lru_cache(maxsize=1)
def product_sets() -> dict[int, ProductSet]:
    data = json.loads((resources_dir() / "product_sets.json").read_text(encoding="utf-8"))
    nganh = {n["code"]: n["name"] for n in data["nganh"]}
    return {
        s["no"]: ProductSet(s["no"], s["name"], s["nganh"], nganh[s["nganh"]], s["nhom"])
        for s in data["sets"]
    }

"""What each record's accent-insensitive search key is made of (one place for all record kinds)."""

from __future__ import annotations

from typing import Any

from ocop_desktop.language.text import search_key
from ocop_desktop.reference.units import ProvinceUnits


def producer_key(values: dict[str, Any], units: ProvinceUnits) -> str:
    return search_key(
        values["name"], values.get("registration_no"), values.get("tax_code"),
        values.get("rep_name"), values.get("phone"), units.unit_name(values.get("commune_code")),
    )


def product_key(name: str, code: str | None, producer_name: str, commune_name: str) -> str:
    return search_key(name, code, producer_name, commune_name)

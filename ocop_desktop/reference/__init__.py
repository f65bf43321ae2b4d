"""Reference data that changes only with the law or the map: administrative units and product
codes, the 26 product sets of QĐ 26/2026, and the closed vocabularies with their Vietnamese labels.
"""


from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.units import ProvinceUnits, available_provinces, load_province
from ocop_desktop.reference.vocab import (
    DOSSIER_TYPES,
    ETHNICITIES,
    FIELD_LABELS,
    GENDERS,
    IMPORT_DECISIONS,
    LEGAL_TYPES,
    LEVELS,
    MEMBER_ROLES,
    OUTBOX_STATUSES,
    PRODUCT_STATUSES,
    RECOGNISED_STARS,
    RESULT_STATUSES,
    ROUND_LEVELS,
    SHEET_STATUSES,
    TABLE_LABELS,
)

__all__ = ["DOSSIER_TYPES", "ETHNICITIES", "FIELD_LABELS", "GENDERS", "IMPORT_DECISIONS", "LEGAL_TYPES", "LEVELS", "MEMBER_ROLES", "OUTBOX_STATUSES", "PRODUCT_STATUSES", "RECOGNISED_STARS", "RESULT_STATUSES", "ROUND_LEVELS", "SHEET_STATUSES", "TABLE_LABELS", "ProvinceUnits", "available_provinces", "load_province", "product_sets"]

"""The producer and product lists as paged table models (columns, headers, formatting)."""

from __future__ import annotations

from functools import partial

from ocop_desktop.language import format_date, format_int, tr
from ocop_desktop.reference import LEGAL_TYPES, PRODUCT_STATUSES, product_sets
from ocop_desktop.registry import producer_count, producer_rows, product_count, product_rows
from ocop_desktop.store import AppContext
from ui.models.paged_table_model import Column, PagedTableModel


def producer_model(ctx: AppContext) -> PagedTableModel:
    units = ctx.units()
    columns = [
        Column(tr("Tên chủ thể"), lambda r: r[1], "name", width=0),
        Column(tr("Loại hình"), lambda r: tr(LEGAL_TYPES.get(r[2], r[2] or "")), "legal_type"),
        Column(tr("Số đăng ký"), lambda r: r[3] or "", "registration_no"),
        Column(tr("Người đại diện"), lambda r: r[4] or "", "rep_name", width=170),
        Column(tr("Điện thoại"), lambda r: r[5] or "", "phone"),
        Column(tr("Xã/phường"), lambda r: units.unit_name(r[6]), "commune_code", width=160),
        Column(tr("Số sản phẩm"), lambda r: format_int(r[7] or 0), "products", align_right=True, width=90),
    ]
    return PagedTableModel(columns, partial(producer_count, ctx),
                           partial(producer_rows, ctx), deleted_index=8)


def _stars(value: int | None) -> str:
    return "★" * value if value else ""


def product_model(ctx: AppContext) -> PagedTableModel:
    units = ctx.units()
    sets = product_sets()
    columns = [
        Column(tr("Mã sản phẩm"), lambda r: r[1] or "", "code", width=170),
        Column(tr("Tên sản phẩm"), lambda r: r[2], "name", width=0),
        Column(tr("Bộ sản phẩm"), lambda r: sets[r[3]].label if r[3] in sets else str(r[3]), "product_set", width=200),
        Column(tr("Chủ thể"), lambda r: r[4], "producer", width=240),
        Column(tr("Xã/phường"), lambda r: units.unit_name(r[5]), "commune_code", width=150),
        Column(tr("Trạng thái"), lambda r: tr(PRODUCT_STATUSES.get(r[6], str(r[6]))), "status", width=130),
        Column(tr("Hạng sao"), lambda r: _stars(r[7]), "star", width=80),
        Column(tr("Hết hạn GCN"), lambda r: format_date(r[8]), "certificate_expiry", width=100),
    ]
    return PagedTableModel(columns, partial(product_count, ctx),
                           partial(product_rows, ctx), deleted_index=9)

"""The producer and product lists as paged table models (columns, headers, formatting)."""

from __future__ import annotations

from functools import partial

from ocop_desktop.language import format_date, format_int, tr
from ocop_desktop.reference import LEGAL_TYPES, PRODUCT_STATUSES, product_sets
from ocop_desktop.registry import ProducerRow, ProductRow, producer_count, producer_rows, product_count, product_rows
from ocop_desktop.store import AppContext
from ui.models.paged_table_model import Column, PagedTableModel


def producer_model(ctx: AppContext) -> PagedTableModel:
    units = ctx.units()
    columns = [
        Column[ProducerRow](tr("Tên chủ thể"), lambda r: r.name, "name", width=0),
        Column[ProducerRow](tr("Loại hình"), lambda r: tr(LEGAL_TYPES.get(r.legal_type, r.legal_type or "")), "legal_type"),
        Column[ProducerRow](tr("Số đăng ký"), lambda r: r.registration_no or "", "registration_no"),
        Column[ProducerRow](tr("Người đại diện"), lambda r: r.rep_name or "", "rep_name", width=170),
        Column[ProducerRow](tr("Điện thoại"), lambda r: r.phone or "", "phone"),
        Column[ProducerRow](tr("Xã/phường"), lambda r: units.unit_name(r.commune_code), "commune_code", width=160),
        Column[ProducerRow](tr("Số sản phẩm"), lambda r: format_int(r.products or 0), "products", align_right=True, width=90),
    ]
    return PagedTableModel(columns, partial(producer_count, ctx),
                           partial(producer_rows, ctx))


def _stars(value: int | None) -> str:
    return "★" * value if value else ""


def product_model(ctx: AppContext) -> PagedTableModel:
    units = ctx.units()
    sets = product_sets()
    columns = [
        Column[ProductRow](tr("Mã sản phẩm"), lambda r: r.code or "", "code", width=170),
        Column[ProductRow](tr("Tên sản phẩm"), lambda r: r.name, "name", width=0),
        Column[ProductRow](tr("Bộ sản phẩm"), lambda r: sets[r.product_set].label if r.product_set in sets else str(r.product_set), "product_set", width=200),
        Column[ProductRow](tr("Chủ thể"), lambda r: r.producer, "producer", width=240),
        Column[ProductRow](tr("Xã/phường"), lambda r: units.unit_name(r.commune_code), "commune_code", width=150),
        Column[ProductRow](tr("Trạng thái"), lambda r: tr(PRODUCT_STATUSES.get(r.status, str(r.status))), "status", width=130),
        Column[ProductRow](tr("Hạng sao"), lambda r: _stars(r.star), "star", width=80),
        Column[ProductRow](tr("Hết hạn GCN"), lambda r: format_date(r.certificate_expiry), "certificate_expiry", width=100),
    ]
    return PagedTableModel(columns, partial(product_count, ctx),
                           partial(product_rows, ctx))

"""Spreadsheet exports (.xlsx): Vietnamese headers, real number and date cells, a frozen header row,
columns that fit, and text that a spreadsheet can never run as a formula."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.vocab import LEGAL_TYPES, PRODUCT_STATUSES
from ocop_desktop.registry.producers import producer_rows
from ocop_desktop.registry.products import product_rows
from ocop_desktop.reports.dashboard import Dashboard, Row, dashboard
from ocop_desktop.store.context import AppContext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
DATE_FORMAT = "DD/MM/YYYY"
PAGE = 2000


RowT = TypeVar("RowT")


def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell: numbers and dates keep their type; text stays text even if it looks like a
    formula (a name such as "=HYPERLINK(…)" typed into a record must not run when the file opens)."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


def write_table(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Headers in bold on a frozen first row, then the rows; returns the number of data rows."""
    widths = [len(h) for h in headers]
    for c, header in enumerate(headers, start=1):
        put(sheet, 1, c, header)
        sheet.cell(row=1, column=c).font = Font(bold=True)
        sheet.cell(row=1, column=c).fill = HEADER_FILL
        sheet.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="center")
    count = 0
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            put(sheet, r, c, value)
            shown = value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value if value is not None else "")
            widths[c - 1] = max(widths[c - 1], min(len(shown), 60))
        count += 1
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    sheet.freeze_panes = "A2"
    return count


def _save(workbook: Workbook, target: Path) -> Path:
    with replaced_atomically(target) as temp:
        workbook.save(temp)
    return Path(target)


def _pages(fetch: Callable[[ListRequest, int, int], Sequence[RowT]], request: ListRequest,
           job: JobControl | None) -> Iterator[RowT]:
    offset = 0
    while True:
        rows = fetch(request, offset, PAGE)
        if job is not None:
            job.step(offset, 0, f"{offset} dòng")
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


def export_products(ctx: AppContext, target: Path, request: ListRequest | None = None,
                    job: JobControl | None = None) -> int:
    """The product list (with the filters of ``request``) as a spreadsheet; returns the row count."""
    units, sets = ctx.units(), product_sets()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sản phẩm"

    def rows() -> Iterable[list[Any]]:
        for r in _pages(lambda req, off, lim: product_rows(ctx, req, off, lim), request or ListRequest(), job):
            yield [r.code, r.name, r.product_set, sets[r.product_set].name if r.product_set in sets else "", r.producer,
                   units.unit_name(r.commune_code), PRODUCT_STATUSES.get(r.status, r.status), r.star, r.certificate_expiry]

    count = write_table(sheet, ["Mã sản phẩm", "Tên sản phẩm", "Bộ", "Tên bộ sản phẩm", "Chủ thể", "Xã/phường",
                                "Trạng thái", "Hạng sao", "Hết hạn giấy chứng nhận"], rows())
    _save(workbook, target)
    return count


def export_producers(ctx: AppContext, target: Path, request: ListRequest | None = None,
                     job: JobControl | None = None) -> int:
    units = ctx.units()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chủ thể"

    def rows() -> Iterable[list[Any]]:
        for r in _pages(lambda req, off, lim: producer_rows(ctx, req, off, lim), request or ListRequest(), job):
            yield [r.name, LEGAL_TYPES.get(r.legal_type, r.legal_type), r.registration_no, r.rep_name, r.phone,
                   units.unit_name(r.commune_code), r.products]

    count = write_table(sheet, ["Tên chủ thể", "Loại hình", "Số đăng ký", "Người đại diện", "Điện thoại",
                                "Xã/phường", "Số sản phẩm"], rows())
    _save(workbook, target)
    return count


def export_dashboard(ctx: AppContext, target: Path, figures: Dashboard | None = None) -> Path:
    """Every dashboard figure on its own sheet."""
    figures = figures or dashboard(ctx)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    write_table(summary, ["Chỉ tiêu", "Số lượng"], [
        ["Chủ thể", figures.producers], ["Sản phẩm", figures.products],
        ["Sản phẩm được công nhận (3–5 sao)", figures.recognised], ["5 sao", figures.by_stars["5"]],
        ["4 sao", figures.by_stars["4"]], ["3 sao", figures.by_stars["3"]],
        ["Giấy chứng nhận hết hạn trong 180 ngày", figures.expiring],
        ["Giấy chứng nhận đã hết hạn", figures.expired]])

    def by(title: str, label: str, rows: list[Row]) -> None:
        sheet = workbook.create_sheet(title)
        write_table(sheet, [label, "3 sao", "4 sao", "5 sao", "Tổng"],
                    [[r.label, r.by_star["3"], r.by_star["4"], r.by_star["5"], r.total] for r in rows])

    by("Theo huyện cũ", "Huyện (trước 07/2025)", figures.by_district)
    by("Theo xã", "Xã/phường", figures.by_commune)
    by("Theo ngành", "Ngành", figures.by_nganh)
    by("Theo nhóm", "Nhóm", figures.by_nhom)
    by("Theo bộ sản phẩm", "Bộ sản phẩm", figures.by_set)
    by("Theo loại hình", "Loại hình chủ thể", figures.by_producer_type)
    by("Theo năm", "Năm công nhận", [Row(r.key, r.label, r.by_star) for r in figures.by_year])
    if figures.targets:
        sheet = workbook.create_sheet("Chỉ tiêu")
        write_table(sheet, ["Chỉ tiêu", "Đạt", "Kế hoạch", "Tỷ lệ (%)"],
                    [[t.label, t.value, t.target, round(100 * t.value / t.target, 1) if t.target else None]
                     for t in figures.targets])
    return _save(workbook, target)

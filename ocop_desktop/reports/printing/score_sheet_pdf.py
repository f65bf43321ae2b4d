"""Score sheets on paper: blank for site visits (header pre-filled for a product) and filled with a
member's answers, in the structure of Phụ lục II of QĐ 26/2026. A QR code on every sheet binds
the paper to the record: ``OCOP1|kind|record id|catalog hash|content hash``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from ocop_desktop.evaluation.catalog import Catalog, CatalogSet, Item, Node
from ocop_desktop.evaluation.scoring import SheetInput, score_sheet
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.reports.printing.fonts import SERIF_BOLD, SYMBOLS
from ocop_desktop.reports.printing.layout import (
    CELL,
    CELL_BOLD,
    CELL_ITALIC,
    SMALL,
    TITLE,
    WIDTH,
    escape,
    signature_block,
    style,
)

QR_PREFIX = "OCOP1"
SHADE = colors.HexColor("#f2f2f2")
HASH_CHARS = 32
MASK_PATTERN = 2
BOX = "□"
TICKED = f'<font name="{SYMBOLS}">☒</font>'
CODE_KEY = ("(T): mã tỉnh; (X): mã xã; (STT): số thứ tự sản phẩm trong sổ của xã; 20..: năm đánh giá "
            "(mã đơn vị theo Quyết định số 19/2025/QĐ-TTg)")


@dataclass(frozen=True)
class SheetHeader:
    product_name: str = ""
    product_code: str = ""
    producer_name: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class PrintedSheet:
    """Everything one printed sheet shows; ``answers`` is None for a blank sheet."""

    kind: str  # "blank" | "sheet"
    record_id: str
    cset: CatalogSet
    catalog: Catalog
    header: SheetHeader
    answers: dict[str, int] | None = None
    member: str = ""
    comment: str = ""
    place: str = ""

    def content_hash(self) -> str:
        body = {"kind": self.kind, "record": self.record_id, "set": self.cset.no, "catalog": self.catalog.hash,
                "header": asdict(self.header), "answers": self.answers, "member": self.member}
        canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def qr_payload(self) -> str:
        """128-bit prefixes of the hashes keep the code small enough to scan from a photocopy."""
        return "|".join((QR_PREFIX, self.kind, self.record_id or "-", self.catalog.hash[:HASH_CHARS],
                         self.content_hash()[:HASH_CHARS]))


def decode_payload(text: str) -> dict[str, str]:
    """The fields of a sheet's QR code (hashes as 32-hex-digit prefixes); raises OcopError otherwise."""
    parts = text.strip().split("|")
    if len(parts) != 5 or parts[0] != QR_PREFIX:
        raise OcopError("Mã QR không phải của phiếu OCOP Desktop.", f"bad QR payload {text[:40]!r}")
    return {"kind": parts[1], "record_id": "" if parts[2] == "-" else parts[2], "catalog_hash": parts[3],
            "content_hash": parts[4]}


class QrCode(Flowable):
    """A QR code drawn as one path of dark-module runs (ReportLab's widget draws a shape per module,
    which made a sheet four times slower to print)."""

    QUIET = 4  # modules of white border, as the standard asks

    def __init__(self, payload: str, size: float = 26 * mm) -> None:
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)  # None: smallest version that fits
        code.addData(payload)
        # any of the eight masks gives a valid code; choosing one instead of scoring all eight
        # (which is what make() does, in pure Python) makes the code 8 times faster to build
        code.version = code.calculate_version()
        code.makeImpl(False, MASK_PATTERN)
        count = code.getModuleCount()
        self.rows = [[code.isDark(r, c) for c in range(count)] for r in range(count)]
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.rows)
        module = self.size / (count + 2 * self.QUIET)
        path = self.canv.beginPath()
        for r, row in enumerate(self.rows):
            y = self.size - (r + self.QUIET + 1) * module
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    path.rect((start + self.QUIET) * module, y, (c - start) * module, module)
                else:
                    c += 1
        self.canv.drawPath(path, stroke=0, fill=1)


def qr_flowable(payload: str, size: float = 26 * mm) -> Flowable:
    return QrCode(payload, size)


def _stars(level: int | None) -> str:
    return f" {'*' * level}" if level else ""


def _rows(sheet: PrintedSheet, points: dict[str, int]) -> tuple[list[list[Any]], list[tuple[Any, ...]]]:
    """Table rows of the criteria with their style commands (bold headings). Number cells are plain
    strings styled by the table: a Paragraph per number would double the time to print a sheet."""
    filled = sheet.answers is not None
    rows: list[list[Any]] = [["Các tiêu chí", "Thang\nđiểm"] + (["Điểm"] if filled else [])]
    commands: list[tuple[Any, ...]] = [("FONTNAME", (0, 0), (-1, 0), SERIF_BOLD)]

    def add(text: Paragraph, maximum: str = "", awarded: str = "", bold: bool = False, shade: bool = False) -> None:
        rows.append([text, maximum, awarded] if filled else [text, maximum])
        n = len(rows) - 1
        if bold:
            commands.append(("FONTNAME", (1, n), (-1, n), SERIF_BOLD))
        if shade:
            commands.append(("BACKGROUND", (0, n), (-1, n), SHADE))

    def options(item: Item, chosen: int | None, case: int | None) -> None:
        for o in item.options:
            if o.case == case:
                mark = TICKED if chosen == o.n else BOX
                add(Paragraph(f"{mark} {escape(o.text)}{_stars(o.min_star)}", CELL), str(o.points))

    def node(n: Node, depth: int) -> None:
        awarded = str(points.get(n.item.code, 0)) if filled and n.item is not None else ""
        add(Paragraph(escape(n.title), CELL_BOLD if depth == 0 or n.item is None else CELL), str(n.max), awarded,
            bold=depth == 0 or n.item is not None, shade=depth == 0)
        for note in n.notes:
            add(Paragraph(escape(note), CELL_ITALIC))
        if n.item is not None:
            chosen = (sheet.answers or {}).get(n.item.code)
            if n.item.cases:
                for case_no, case in enumerate(n.item.cases, start=1):
                    add(Paragraph(f"<i>{escape(case)}</i>", CELL))
                    options(n.item, chosen, case_no)
            else:
                options(n.item, chosen, None)
        for child in n.children:
            node(child, depth + 1)

    for part in sheet.cset.parts:
        add(Paragraph(escape(part.title), CELL_BOLD), str(part.max), str(points.get("part:" + part.part, 0)) if filled else "",
            bold=True, shade=True)
        for n in part.nodes:
            node(n, 0)
    add(Paragraph("TỔNG CỘNG", CELL_BOLD), "100", str(points.get("total", 0)) if filled else "", bold=True, shade=True)
    return rows, commands


def sheet_story(sheet: PrintedSheet) -> list[Flowable]:
    """The flowables of one sheet (several sheets can share one PDF, separated by page breaks)."""
    points: dict[str, int] = {}
    if sheet.answers is not None:
        score = score_sheet(sheet.cset, SheetInput(sheet.member, sheet.answers))
        for item in sheet.cset.items:
            points[item.code] = item.points(sheet.answers.get(item.code))
            rule = item.applies_if
            if rule and sheet.cset.item(rule[0]).points(sheet.answers.get(rule[0])) < rule[1]:
                points[item.code] = 0
        points.update({"part:A": score.parts[0], "part:B": score.parts[1], "part:C": score.parts[2],
                       "total": score.total})
    story: list[Flowable] = []
    head = [Paragraph("PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP", TITLE),
            Paragraph(f"(Theo {escape(sheet.catalog.instrument)} — {escape(sheet.catalog.title)})",
                      style("sub", 11, align=1)),
            Spacer(1, 2 * mm),
            Paragraph(f"<b>{escape(sheet.cset.title)}</b>", style("set", 12, align=1, leading=15))]
    qr = qr_flowable(sheet.qr_payload())
    top = Table([[head, qr]], colWidths=[WIDTH - 30 * mm, 30 * mm])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(top)
    h = sheet.header
    dots = "…" * 24
    for label, value in (("Tên sản phẩm", h.product_name), ("Mã số sản phẩm", h.product_code or "(T)-(X)-(STT)-20.."),
                         ("Tên chủ thể sản xuất", h.producer_name), ("Số điện thoại", h.phone),
                         ("Địa chỉ", h.address)):
        story.append(Paragraph(f"{label}: {escape(value) or dots}", style("hdr", 12, leading=16)))
    story.append(Paragraph(f"<i>{escape(CODE_KEY)}</i>", style("key", 10, leading=12)))
    if sheet.member:
        story.append(Paragraph(f"Người đánh giá: <b>{escape(sheet.member)}</b>", style("mem", 12, leading=16)))
    story.append(Spacer(1, 2 * mm))
    if sheet.cset.elimination:
        box = Table([[Paragraph(f"<b>Hồ sơ bị loại khi:</b> {escape(sheet.cset.elimination)}", CELL)]],
                    colWidths=[WIDTH])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black)]))
        story += [box, Spacer(1, 2 * mm)]
    rows, commands = _rows(sheet, points)
    widths = [WIDTH - 36 * mm, 18 * mm, 18 * mm] if sheet.answers is not None else [WIDTH - 20 * mm, 20 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (-1, -1), "CENTER"), ("FONTSIZE", (0, 0), (-1, -1), 11),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                               ("FONTNAME", (0, 1), (-1, -1), CELL.fontName), *commands]))
    story.append(table)
    note = sheet.cset.star_note or ("Ghi chú: Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao "
                                    "(*** - 3 sao; **** - 4 sao; ***** - 5 sao)")
    story += [Spacer(1, 2 * mm), Paragraph(f"<i>{escape(note)}</i>", SMALL), Spacer(1, 3 * mm),
              Paragraph("Ý kiến của người đánh giá:", style("op", 12, leading=16))]
    if sheet.comment:
        story.append(Paragraph(escape(sheet.comment), style("opv", 12, leading=16)))
    else:
        story += [Paragraph("." * 150, style("dots", 12, leading=16)) for _ in range(3)]
    from ocop_desktop.language.formats import date_line

    story.append(signature_block(["Người đánh giá"], sheet.member, place_date=date_line(sheet.place or "……", None)))
    return story


def write_sheets(target: Path, sheets: list[PrintedSheet], title: str, job: Any = None) -> Path:
    from ocop_desktop.reports.printing.layout import write_pdf

    if not sheets:
        raise OcopError("Không có phiếu nào để in.", "no sheets to print")
    story: list[Flowable] = []
    for i, sheet in enumerate(sheets):
        if job is not None:
            job.step(i, len(sheets), sheet.header.product_name or sheet.cset.title)
        if i:
            story.append(PageBreak())
        story += sheet_story(sheet)
    return write_pdf(target, story, title, job)



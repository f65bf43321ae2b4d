"""Printing benchmark: 500 filled score sheets into one PDF, against a bare ReportLab document with
the same tables and text (same font, same column widths and page width; no header blocks, styling,
ticks or QR codes), built in the same run."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table

from ocop_desktop.evaluation.catalog import Node, load_catalog
from ocop_desktop.reports.printing.layout import CELL, WIDTH
from ocop_desktop.reports.printing.score_sheet_pdf import PrintedSheet, SheetHeader, write_sheets

SHEETS = 500


def make_sheets() -> list[PrintedSheet]:
    rng = random.Random(5)
    catalog = load_catalog()
    out = []
    for i in range(SHEETS):
        cset = catalog.sets[i % 26 + 1]
        answers = {item.code: rng.randint(1, len(item.options)) for item in cset.items}
        header = SheetHeader(f"Sản phẩm số {i}", f"82-30037-{i + 1}-2026", "Hợp tác xã Sen Tháp Mười", "0912345678",
                             "Ấp 3, Xã Tháp Mười, Tỉnh Đồng Tháp")
        out.append(PrintedSheet("sheet", f"{i:032x}", cset, catalog, header, answers, f"Thành viên {i % 7 + 1}",
                                place="Đồng Tháp"))
    return out


def bare(sheets: list[PrintedSheet], target: Path) -> None:
    """The same text in the same font, as plain tables: every heading, note, option and point."""
    story: list[Flowable] = []

    def walk(node: Node, rows: list[list[Any]], answers: dict[str, int]) -> None:
        awarded = str(node.item.points(answers.get(node.item.code))) if node.item else ""
        rows.append([Paragraph(node.title, CELL), str(node.max), awarded])
        rows.extend([Paragraph(note, CELL), "", ""] for note in node.notes)
        if node.item:
            rows.extend([Paragraph(f"□ {o.text}", CELL), str(o.points), ""] for o in node.item.options)
        for child in node.children:
            walk(child, rows, answers)

    for sheet in sheets:
        h = sheet.header
        story += [Paragraph(text, CELL) for text in (
            "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP", sheet.cset.title, h.product_name, h.product_code, h.producer_name,
            h.phone, h.address, sheet.cset.elimination)]
        rows: list[list[Any]] = [["Các tiêu chí", "Thang điểm", "Điểm"]]
        for part in sheet.cset.parts:
            rows.append([Paragraph(part.title, CELL), str(part.max), ""])
            for node in part.nodes:
                walk(node, rows, sheet.answers or {})
        story += [Table(rows, colWidths=[WIDTH - 36 * mm, 18 * mm, 18 * mm], repeatRows=1),  # the same columns
                  Paragraph(sheet.cset.star_note, CELL), Paragraph("Ý kiến của người đánh giá:", CELL),
                  Paragraph("Người đánh giá (Ký và ghi rõ họ tên)", CELL), PageBreak()]
    SimpleDocTemplate(str(target), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm).build(story)


def bench_printing(rounds: int = 2) -> dict[str, float]:
    sheets = make_sheets()
    ours, base = [], []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(rounds):
            t = time.perf_counter()
            bare(sheets, Path(folder) / "bare.pdf")
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            write_sheets(Path(folder) / "ours.pdf", sheets, "bench")
            ours.append(time.perf_counter() - t)
    b, o = statistics.median(base), statistics.median(ours)
    return {"bare_s": b, "ours_s": o, "ratio": b / o}


def report() -> bool:
    p = bench_printing()
    print(f"{SHEETS} filled score sheets into one PDF: {p['ours_s']:.1f} s; bare ReportLab with the same tables "
          f"and text: {p['bare_s']:.1f} s; rate ratio {p['ratio']:.2f} (at least 0.70)")
    return p["ratio"] >= 0.7

"""The page and the building blocks of a Vietnamese administrative document (Nghị định 30/2020):
A4, margins 20/20/30/15 mm, the two-column national header, number and place-date line, page
numbers centred in the top margin from page 2, signature blocks. Files are written to a temporary
name and renamed, so a failure never leaves an empty or broken PDF behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ocop_desktop.infra.files import replaced_atomically
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.reports.printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

MARGINS = {"top": 20 * mm, "bottom": 20 * mm, "left": 30 * mm, "right": 15 * mm}
WIDTH = A4[0] - MARGINS["left"] - MARGINS["right"]
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def style(name: str, size: float = 13, font: str = SERIF, align: int = TA_LEFT, leading: float | None = None,
          **extra: Any) -> ParagraphStyle:
    register_fonts()
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25, alignment=align,
                          **extra)


BODY = style("body", 13, align=TA_JUSTIFY)
SMALL = style("small", 11)
CELL = style("cell", 11, leading=13.5)
CELL_BOLD = style("cellBold", 11, SERIF_BOLD, leading=13.5)
CELL_ITALIC = style("cellItalic", 10.5, SERIF_ITALIC, leading=12.5)
CENTER = style("center", 13, align=TA_CENTER)
CENTER_BOLD = style("centerBold", 13, SERIF_BOLD, align=TA_CENTER)
TITLE = style("title", 14, SERIF_BOLD, align=TA_CENTER, leading=18)
ITALIC_CENTER = style("italicCenter", 13, SERIF_ITALIC, align=TA_CENTER)


def escape(text: str | None) -> str:
    """Text for a Paragraph (which reads a little markup)."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Rule(Flowable):
    """A short horizontal rule under a header line, centred in its cell."""

    def __init__(self, length: float, cell_width: float) -> None:
        super().__init__()
        self.length, self.cell_width = length, cell_width

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.cell_width, 5

    def draw(self) -> None:
        start = (self.cell_width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 1, start + self.length, 1)


def national_header(agency_parent: str, agency: str, number: str | None, place_date: str,
                    right_extra: Flowable | None = None) -> list[Flowable]:
    """The two-column header: agency (upper case, issuing body bold, rule below) and the national
    title and motto with the rule as long as the motto; then the number and the place-date line."""
    left_w, right_w = WIDTH * 0.42, WIDTH * 0.58
    left = [Paragraph(escape(agency_parent.upper()), style("hl", 12, align=TA_CENTER)) if agency_parent else Spacer(1, 0),
            Paragraph(escape(agency.upper()), style("hlb", 12, SERIF_BOLD, align=TA_CENTER)),
            Rule(30 * mm, left_w)]
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    motto_w = stringWidth(MOTTO, SERIF_BOLD, 13)
    right = [Paragraph(NATIONAL, style("hr", 12, SERIF_BOLD, align=TA_CENTER)),
             Paragraph(MOTTO, style("hm", 13, SERIF_BOLD, align=TA_CENTER)), Rule(motto_w, right_w)]
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    second_left = Paragraph(f"Số: {escape(number)}" if number else "", style("no", 13, align=TA_CENTER))
    second_right = Paragraph(escape(place_date), style("pd", 13, SERIF_ITALIC, align=TA_CENTER))
    second = Table([[second_left, second_right]], colWidths=[left_w, right_w])
    second.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out: list[Flowable] = [table, Spacer(1, 2 * mm), second]
    if right_extra is not None:
        out.append(right_extra)
    return out


def signature_block(title_lines: Sequence[str], name: str = "", note: str = "(Ký và ghi rõ họ tên)",
                    place_date: str | None = None, left: Flowable | None = None) -> Table:
    """The signing block on the right half (place-date, title, note, space, name)."""
    right: list[Flowable] = []
    if place_date:
        right.append(Paragraph(escape(place_date), ITALIC_CENTER))
    right += [Paragraph(escape(line), CENTER_BOLD) for line in title_lines]
    if note:
        right.append(Paragraph(escape(note), ITALIC_CENTER))
    right += [Spacer(1, 22 * mm), Paragraph(escape(name), CENTER_BOLD)]
    table = Table([[left or "", right]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def grid(rows: list[list[Any]], widths: Sequence[float], header_rows: int = 1,
         extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A ruled table that repeats its header on every page."""
    table = Table(rows, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), SERIF_BOLD),
        ("FONTNAME", (0, header_rows), (-1, -1), SERIF),
        ("FONTSIZE", (0, 0), (-1, -1), 11),
        ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]
    table.setStyle(TableStyle(commands))
    return table


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    """Page numbers centred in the top margin, from page 2 (Nghị định 30/2020)."""
    if doc.page > 1:
        canvas.saveState()
        canvas.setFont(SERIF, 13)
        canvas.drawCentredString(MARGINS["left"] + WIDTH / 2, A4[1] - 12 * mm, str(doc.page))
        canvas.restoreState()


def write_pdf(target: Path, story: list[Flowable], title: str, job: JobControl | None = None,
              on_page: Callable[[Canvas, SimpleDocTemplate], None] | None = None) -> Path:
    """Build the document into a temporary file beside ``target``, then rename it into place."""
    register_fonts()

    def numbered(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        _page_number(canvas, doc)
        if on_page is not None:
            on_page(canvas, doc)
        if job is not None:
            job.step(doc.page, 0, f"Trang {doc.page}")

    with replaced_atomically(target) as temp:
        doc = SimpleDocTemplate(str(temp), pagesize=A4, title=title, author="OCOP Desktop",
                                leftMargin=MARGINS["left"], rightMargin=MARGINS["right"],
                                topMargin=MARGINS["top"], bottomMargin=MARGINS["bottom"])
        doc.build(story, onFirstPage=numbered, onLaterPages=numbered)
    return Path(target)

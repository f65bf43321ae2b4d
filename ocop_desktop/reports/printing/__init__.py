"""Printed documents in the layout of Nghị định 30/2020 (ReportLab, bundled fonts): score sheets
blank and filled, council papers, recognition lists, certificates, the key confirmation sheet and
the statistics report, plus page images for the on-screen preview.
"""


from ocop_desktop.reports.printing.documents import (
    blank_sheet,
    certificate,
    council_filled_sheets,
    council_minutes,
    council_summary,
    key_sheet,
    print_path,
    recognition_list,
    round_blank_sheets,
    statistics_report,
)
from ocop_desktop.reports.printing.preview import PageImage, render_pages

__all__ = ["PageImage", "blank_sheet", "certificate", "council_filled_sheets", "council_minutes", "council_summary", "key_sheet", "print_path", "recognition_list", "render_pages", "round_blank_sheets", "statistics_report"]

"""``print …``: the documents users print, as PDF files (docs/printing.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop.reference.product_sets import product_sets

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def register(sub: Subcommands) -> None:
    pr = sub.add_parser("print", help="in văn bản ra PDF (phiếu đánh giá, bảng tổng hợp, biên bản, danh sách, giấy chứng nhận)")
    pr_verbs = pr.add_subparsers(dest="verb", metavar="VERB", required=True)
    blank = pr_verbs.add_parser("blank-sheet", help="phiếu đánh giá trống của một bộ (hoặc của một sản phẩm)")
    blank.add_argument("--set", type=int, choices=sorted(product_sets()))
    blank.add_argument("--product", help="mã định danh hoặc mã sản phẩm: điền sẵn phần đầu phiếu")
    for verb, helptext, key in (("sheet", "phiếu đã chấm của một thành viên", "--sheet"),
                                ("round-blank-sheets", "phiếu trống cho mọi sản phẩm của một đợt", "--round"),
                                ("council-sheets", "mọi phiếu đã nộp của một hội đồng", "--council"),
                                ("summary", "bảng tổng hợp kết quả của hội đồng", "--council"),
                                ("minutes", "biên bản họp hội đồng", "--council"),
                                ("recognition-list", "danh sách sản phẩm được công nhận (phụ lục quyết định)", "--round"),
                                ("certificate", "giấy chứng nhận", "--recognition"),
                                ("statistics", "báo cáo thống kê sản phẩm OCOP", None)):
        cmd = pr_verbs.add_parser(verb, help=helptext)
        if key:
            cmd.add_argument(key, required=True)
        if verb == "recognition-list":
            cmd.add_argument("--decision-no", default="")
            cmd.add_argument("--decision-date", default="", help="dd/mm/yyyy")
        if verb in ("summary", "minutes"):
            cmd.add_argument("--date", default="", help="dd/mm/yyyy (để trống: điền tay)")
    for cmd in pr_verbs.choices.values():
        cmd.add_argument("--out", required=True, help="tệp PDF sẽ ghi")

    pr.set_defaults(handler=cmd_print)


def cmd_print(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.language.formats import parse_date
    from ocop_desktop.registry.products import product_id_from_text
    from ocop_desktop.reports.printing import documents

    out = Path(args.out)
    if args.verb == "blank-sheet":
        product = product_id_from_text(ctx, args.product) if args.product else None
        path = documents.blank_sheet(ctx, args.set, out, product)
    elif args.verb == "sheet":
        path = documents.filled_sheet(ctx, args.sheet, out)
    elif args.verb == "round-blank-sheets":
        path = documents.round_blank_sheets(ctx, args.round, out)
    elif args.verb == "council-sheets":
        path = documents.council_filled_sheets(ctx, args.council, out)
    elif args.verb == "summary":
        path = documents.council_summary(ctx, args.council, out, parse_date(args.date))
    elif args.verb == "minutes":
        path = documents.council_minutes(ctx, args.council, out, parse_date(args.date))
    elif args.verb == "recognition-list":
        path = documents.recognition_list(ctx, args.round, out, args.decision_no or None, parse_date(args.decision_date))
    elif args.verb == "certificate":
        path = documents.certificate(ctx, args.recognition, out)
    else:
        path = documents.statistics_report(ctx, out)
    print(f"Đã ghi {path}")
    return 0

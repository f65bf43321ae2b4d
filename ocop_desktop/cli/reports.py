"""Figures and spreadsheets: ``stats [--json]`` and ``export products|producers|dashboard --out``.

``export --to UNIT`` writes a signed sync package instead; its options are the sync module's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop.cli import sync
from ocop_desktop.cli.common import EXIT_USER_ERROR, passphrase, print_json

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def register(sub: Subcommands) -> None:
    stats = sub.add_parser("stats", help="số chủ thể, sản phẩm và sản phẩm được công nhận theo hạng sao")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(handler=cmd_stats)

    ex = sub.add_parser("export", help="xuất bảng tính .xlsx, hoặc gói đồng bộ đã ký (--to)")
    ex_verbs = ex.add_subparsers(dest="verb", metavar="VERB")
    for verb, helptext in (("products", "danh sách sản phẩm"), ("producers", "danh sách chủ thể"),
                           ("dashboard", "các số liệu tổng hợp")):
        cmd = ex_verbs.add_parser(verb, help=helptext)
        cmd.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
        if verb != "dashboard":
            cmd.add_argument("--search", default="")
            cmd.add_argument("--unit", default="")
    sync.add_export_arguments(ex)
    ex.set_defaults(handler=cmd_export)


def cmd_stats(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.language.formats import format_int
    from ocop_desktop.reports.dashboard import dashboard

    figures = dashboard(ctx)
    if args.json:
        print_json(figures.as_json())
        return 0
    s = figures.by_stars
    print(f"Chủ thể: {format_int(figures.producers)}\nSản phẩm: {format_int(figures.products)}\n"
          f"Được công nhận: {format_int(figures.recognised)} (5★ {s['5']}, 4★ {s['4']}, 3★ {s['3']})")
    if figures.by_district:
        print("Theo huyện cũ: " + "; ".join(f"{r.label} {r.total}" for r in figures.by_district))
    for t in figures.targets:
        print(f"{t.label}: {t.value}/{t.target}")
    print(f"Giấy chứng nhận hết hạn trong 180 ngày: {figures.expiring}; đã hết hạn: {figures.expired}")
    return 0


def cmd_export(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop import reports
    from ocop_desktop.records.listing import ListRequest

    if args.to:
        return sync.cmd_export_package(ctx, args, passphrase(args))
    if not args.verb or not args.out:
        print("Hãy chọn: export products|producers|dashboard --out TỆP.xlsx, "
              "hoặc export --to ĐƠN_VỊ --out TỆP.ocsync", file=sys.stderr)
        return EXIT_USER_ERROR
    out = Path(args.out)
    if args.verb == "dashboard":
        reports.export_dashboard(ctx, out)
        print(f"Đã ghi {out}")
        return 0
    request = ListRequest(search=args.search, filters={"unit": args.unit})
    if args.verb == "products":
        n = reports.export_products(ctx, out, request)
    else:
        n = reports.export_producers(ctx, out, request)
    print(f"Đã ghi {n} dòng vào {out}")
    return 0

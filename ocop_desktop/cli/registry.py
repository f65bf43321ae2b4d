"""The register on the command line: ``producers list`` and ``products list`` (search, filters, JSON)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ocop_desktop.cli.common import bounded, print_json
from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.vocab import LEGAL_TYPES, PRODUCT_STATUSES

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def register(sub: Subcommands) -> None:
    for noun in ("producers", "products"):
        group = sub.add_parser(noun, help=f"danh sách {'chủ thể' if noun == 'producers' else 'sản phẩm'}")
        verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)
        lst = verbs.add_parser("list", help="liệt kê, tìm kiếm không dấu")
        lst.add_argument("--search", default="", help="tìm không phân biệt dấu, ví dụ 'thap muoi'")
        lst.add_argument("--unit", default="", help="mã xã/phường, hoặc d:MÃ_HUYỆN_CŨ (ví dụ d:872)")
        lst.add_argument("--limit", type=bounded(1, 100_000), default=1000)
        lst.add_argument("--json", action="store_true")
        if noun == "products":
            lst.add_argument("--set", type=int, choices=sorted(product_sets()), help="bộ sản phẩm 1–26")
            lst.add_argument("--status", choices=sorted(map(str, PRODUCT_STATUSES)))
            lst.add_argument("--star", type=int, choices=[3, 4, 5])
        else:
            lst.add_argument("--legal-type", choices=sorted(LEGAL_TYPES))
        group.set_defaults(handler=cmd_list)


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.language.formats import format_date
    from ocop_desktop.records.listing import ListRequest

    units = ctx.units()
    limit = max(1, min(args.limit, 100_000))
    items: list[dict[str, Any]]
    if args.command == "producers":
        from ocop_desktop.registry.producers import producer_rows

        req = ListRequest(search=args.search, filters={"unit": args.unit, "legal_type": args.legal_type})
        rows = producer_rows(ctx, req, 0, limit)
        items = [{"id": r.id, "name": r.name, "legal_type": r.legal_type, "registration_no": r.registration_no,
                  "representative": r.rep_name, "phone": r.phone, "commune_code": r.commune_code,
                  "commune": units.unit_name(r.commune_code), "products": r.products} for r in rows]
        lines = [f"{i['name']} | {LEGAL_TYPES.get(i['legal_type'], '')} | {i['commune']} | {i['products']} SP"
                 for i in items]
    else:
        from ocop_desktop.registry.products import product_rows

        req = ListRequest(search=args.search, filters={"unit": args.unit, "product_set": args.set,
                                                        "status": args.status, "star": args.star})
        prows = product_rows(ctx, req, 0, limit)
        items = [{"id": r.id, "code": r.code, "name": r.name, "product_set": r.product_set, "producer": r.producer,
                  "commune_code": r.commune_code, "commune": units.unit_name(r.commune_code), "status": r.status,
                  "star": r.star, "certificate_expiry": r.certificate_expiry.isoformat() if r.certificate_expiry else None}
                 for r in prows]
        lines = [f"{i['code'] or '-'} | {i['name']} | {i['producer']} | {i['commune']} | "
                 f"{(str(i['star']) + '★') if i['star'] else PRODUCT_STATUSES[i['status']]}"
                 f"{' | hết hạn ' + format_date(r.certificate_expiry) if r.certificate_expiry else ''}"
                 for i, r in zip(items, prows, strict=True)]
    if args.json:
        print_json(items)
    else:
        print("\n".join(lines) if lines else "Không có kết quả.")
    return 0

"""Sync packages on the command line: ``export --to`` (its options), ``verify``, ``import``, ``outbox``,
``conflicts``, ``duplicates`` and ``catalogs``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop.cli.common import EXIT_REJECTED, EXIT_USER_ERROR, MAX_ID, bounded, progress

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def add_export_arguments(export_parser: argparse.ArgumentParser) -> None:
    """``export --to UNIT --out FILE``: the options of a signed package on the ``export`` command."""
    export_parser.add_argument("--to", help="xuất gói đồng bộ đã ký cho đơn vị nhận (mã tỉnh hoặc mã xã)")
    export_parser.add_argument("--out", help="tệp gói .ocsync sẽ ghi")
    export_parser.add_argument("--full", action="store_true", help="xuất toàn bộ thay vì phần thay đổi")
    export_parser.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký (mặc định: hỏi khi chạy)")
    export_parser.add_argument("--receipts-only", action="store_true", help="chỉ gửi biên nhận cho đơn vị nhận")
    export_parser.add_argument("--catalogs-only", action="store_true", help="tỉnh gửi các bộ tiêu chí đã công bố")


def register(sub: Subcommands) -> None:
    verify = sub.add_parser("verify", help="kiểm tra một gói đồng bộ (không nhập gì)")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=cmd_verify)
    sub.add_parser("outbox", help="các gói đồng bộ đã xuất").set_defaults(handler=cmd_outbox)
    catalogs = sub.add_parser("catalogs", help="bộ tiêu chí: danh sách, tỉnh công bố cho cấp xã")
    cverbs = catalogs.add_subparsers(dest="verb", metavar="VERB", required=True)
    cverbs.add_parser("list", help="các bộ tiêu chí có trên máy này")
    publish = cverbs.add_parser("publish", help="tỉnh công bố một bộ tiêu chí (gửi đi bằng export --catalogs-only)")
    publish.add_argument("id")
    catalogs.set_defaults(handler=cmd_catalogs)
    imp = sub.add_parser("import", help="nhập một gói đồng bộ (xem trước; --yes để nhập)")
    imp.add_argument("file")
    imp.add_argument("--yes", action="store_true", help="nhập sau khi xem trước, không hỏi lại")
    imp.add_argument("--accept-gap", metavar="LÝ_DO",
                     help="nhập ngay dù còn thiếu gói trước (ghi nhật ký; các gói thiếu sẽ không nhập được nữa)")
    imp.set_defaults(handler=cmd_import)
    conflicts = sub.add_parser("conflicts", help="xung đột giữa hai phiên bản của một bản ghi")
    verbs = conflicts.add_subparsers(dest="verb", metavar="VERB", required=True)
    verbs.add_parser("list", help="các xung đột chưa xử lý")
    show = verbs.add_parser("show", help="hai phiên bản, từng trường")
    show.add_argument("id", type=bounded(1, MAX_ID))
    resolve = verbs.add_parser("resolve", help="chọn phiên bản giữ lại (ghi vào nhật ký)")
    resolve.add_argument("id", type=bounded(1, MAX_ID))
    resolve.add_argument("--keep", required=True, choices=["local", "incoming"])
    resolve.add_argument("--reason", default="")
    conflicts.set_defaults(handler=cmd_conflicts)
    duplicates = sub.add_parser("duplicates", help="bản ghi giống của hai đơn vị (xem xét, không gộp)")
    dverbs = duplicates.add_subparsers(dest="verb", metavar="VERB", required=True)
    dverbs.add_parser("list", help="các cặp chưa xem xét")
    mark = dverbs.add_parser("mark", help="ghi kết luận: cùng một chủ thể/sản phẩm hay khác nhau")
    mark.add_argument("id", type=bounded(1, MAX_ID))
    mark.add_argument("--same", action="store_true", help="là một (mặc định: khác nhau)")
    mark.add_argument("--note", default="")
    duplicates.set_defaults(handler=cmd_duplicates)


def cmd_export_package(ctx: AppContext, args: argparse.Namespace, passphrase: str) -> int:
    from ocop_desktop.language.formats import format_int
    from ocop_desktop.sync.exchange.export import export_package
    from ocop_desktop.sync.exchange.summaries import counts_text

    if not args.out:
        print("Hãy cho biết tệp gói sẽ ghi: --out TỆP.ocsync", file=sys.stderr)
        return EXIT_USER_ERROR
    result = export_package(ctx, passphrase, args.to, Path(args.out), full=args.full, control=progress(),
                            receipts_only=args.receipts_only, catalogs_only=args.catalogs_only)
    counts = counts_text(result.counts) or (
        "không có bản ghi" if result.full else "không có thay đổi")
    print(f"Đã ghi gói số {result.seq} (epoch {result.epoch}) gửi {result.recipient}: {result.path}\n"
          f"  {'toàn bộ' if result.full else 'phần thay đổi'}: {counts}; {result.files} tệp kèm theo; "
          f"{format_int(result.size)} byte; SHA-256 {result.sha256}\n"
          "  Gói đã được đọc lại và kiểm tra; bản sao nằm trong hộp thư đi.")
    return 0


def cmd_verify(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync.exchange.installation_view import verify_package
    from ocop_desktop.sync.exchange.summaries import counts_text
    from ocop_desktop.sync.package.rejections import PackageRejected

    try:
        verified = verify_package(ctx, Path(args.file), control=progress())
    except PackageRejected as rejected:
        if args.json:
            print(f'{{"ok": false, "code": "{rejected.code}"}}')
        print(f"Gói KHÔNG hợp lệ [{rejected.code}]: {rejected.message_vi}", file=sys.stderr)
        return EXIT_REJECTED
    sender = verified.manifest["sender"]
    if args.json:
        import json
        print(json.dumps({"ok": True, "sha256": verified.sha256, "kind": verified.kind, "sender": sender,
                          "sequence": verified.sequence, "counts": verified.counts,
                          "warnings": verified.warnings}, ensure_ascii=False))
        return 0
    state = {"next": "đúng thứ tự, có thể nhập", "already": "đã nhập trước đây (nhập lại không thay đổi gì)",
             "gap": f"còn thiếu gói số {verified.waiting_for}, sẽ phải chờ"}[verified.sequence]
    counts = counts_text(verified.counts) or "không có bản ghi"
    print(f"Gói hợp lệ: chữ ký của đơn vị {sender['unit']} (khóa {verified.key.key_id[:16]}…), gói số "
          f"{sender['seq']} epoch {sender['epoch']}, tạo lúc {_local_time(verified.manifest['created_at'])}.\n"
          f"  Nội dung: {counts}.\n  Thứ tự: {state}.")
    for warning in verified.warnings:
        print(f"  Lưu ý: {warning}")
    return 0


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync.exchange.importer import import_package, preview_import, record_rejection
    from ocop_desktop.sync.exchange.summaries import counts_text, decisions_text
    from ocop_desktop.sync.package.rejections import PackageRejected
    path = Path(args.file)
    try:
        preview = preview_import(ctx, path, control=progress(), accept_gap=bool(args.accept_gap))
    except PackageRejected as rejected:
        record_rejection(ctx, path, rejected)
        print(f"Gói KHÔNG hợp lệ [{rejected.code}]: {rejected.message_vi}", file=sys.stderr)
        return EXIT_REJECTED
    if preview.status == "already":
        print("Gói này đã được nhập trước đây; không có gì thay đổi.")
        return 0
    sender = preview.verified.manifest["sender"]
    print(f"Gói số {sender['seq']} của đơn vị {sender['unit']}" +
          (f" — còn thiếu gói số {preview.verified.waiting_for}: gói sẽ được giữ trong hàng chờ."
           if preview.status == "gap" else ":"))
    if preview.status == "gap":  # records are compared with the store only when the package's turn comes
        print(f"  Nội dung: {counts_text(preview.verified.counts) or 'không có bản ghi'}")
    else:
        print(decisions_text(preview.tables, indent="  "))
    if not args.yes:
        if not sys.stdin.isatty():
            print("Chưa nhập gì (xem trước). Chạy lại với --yes để nhập.")
            return 0
        if input("Nhập gói này? [c/K] ").strip().lower() not in ("c", "co", "có", "y", "yes"):
            print("Chưa nhập gì.")
            return 0
    report = import_package(ctx, path, control=progress(), accept_gap_reason=args.accept_gap)
    print({"imported": "Đã nhập.", "quarantined": "Đã đưa vào hàng chờ.", "already": "Đã nhập trước đây."}
          [report.status] + (f" Xung đột cần xử lý: {report.conflict_count}." if report.conflict_count else "")
          + (f" Các gói đang chờ gói này cũng đã được nhập: {len(report.released)}." if report.released else ""))
    return 0


def cmd_conflicts(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync.exchange.conflicts import open_conflicts, resolve_conflict, shown, view_conflict

    if args.verb == "list":
        rows = open_conflicts(ctx)
        print("Không có xung đột nào." if not rows else "\n".join(
            f"{c.id} | {c.table_name} | {c.record_id} | từ {c.sender_unit} | {c.fields}" for c in rows))
    elif args.verb == "show":
        view = view_conflict(ctx, args.id)
        for pair in view.fields:
            mark = "≠" if pair.differs else " "
            print(f"{mark} {pair.label}: {shown(pair.local)!s} | {shown(pair.incoming)!s}")
    else:
        resolve_conflict(ctx, args.id, args.keep, args.reason)
        print("Đã xử lý xung đột; lựa chọn được ghi vào nhật ký.")
    return 0


def cmd_catalogs(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.evaluation.catalog import available_catalogs, load_catalog
    from ocop_desktop.sync.exchange.catalogs import publish_catalog

    if args.verb == "list":
        for catalog_id in available_catalogs(ctx.catalogs_dir):
            catalog = load_catalog(catalog_id, ctx.catalogs_dir)
            print(f"{catalog.id} | {catalog.title} | {catalog.hash[:16]}…")
    else:
        publish_catalog(ctx, args.id)
        print(f"Đã công bố bộ tiêu chí {args.id}. Gửi cho các xã: main.py export --to MÃ_XÃ --catalogs-only …")
    return 0


def cmd_duplicates(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync.exchange.consolidation import open_duplicates, review_duplicate

    if args.verb == "list":
        rows = open_duplicates(ctx)
        print("Không có cặp nào cần xem xét." if not rows else "\n".join(
            f"{d.id} | {d.table_name} | {d.record_id} ~ {d.other_id} | {d.reason}" for d in rows))
    else:
        review_duplicate(ctx, args.id, args.same, args.note)
        print("Đã ghi kết luận vào nhật ký; không gộp bản ghi nào.")
    return 0


def _local_time(stamp: str) -> str:
    from ocop_desktop.sync.package.format import parse_timestamp

    return f"{parse_timestamp(stamp).astimezone():%d/%m/%Y %H:%M}"


def cmd_outbox(ctx: AppContext, _args: argparse.Namespace) -> int:
    from ocop_desktop.sync.exchange.export import outbox

    rows = outbox(ctx)
    if not rows:
        print("Chưa xuất gói nào.")
    for row in rows:
        print(f"{row.created_at:%d/%m/%Y %H:%M} | gửi {row.recipient_unit} | số {row.seq} (epoch {row.epoch}) | "
              f"{'toàn bộ' if row.full else 'thay đổi'} | {row.status} | {row.sha256[:16]}…")
    return 0

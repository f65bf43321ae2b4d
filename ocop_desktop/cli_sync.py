"""Sync commands: ``export --to UNIT --out FILE [--full]``, ``verify FILE`` and ``outbox``.

Split from cli.py to keep each module small; the parser is extended here and dispatched there.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from ocop_desktop.context import AppContext
from ocop_desktop.formats import format_int
from ocop_desktop.tasks import JobControl

EXIT_REJECTED = 1


def add_arguments(sub: Any, export_parser: argparse.ArgumentParser) -> None:
    export_parser.add_argument("--to", help="xuất gói đồng bộ đã ký cho đơn vị nhận (mã tỉnh hoặc mã xã)")
    export_parser.add_argument("--out", help="tệp gói .ocsync sẽ ghi")
    export_parser.add_argument("--full", action="store_true", help="xuất toàn bộ thay vì phần thay đổi")
    export_parser.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký (mặc định: hỏi khi chạy)")
    verify = sub.add_parser("verify", help="kiểm tra một gói đồng bộ (không nhập gì)")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true")
    sub.add_parser("outbox", help="các gói đồng bộ đã xuất")


def _progress() -> JobControl:
    last = [0.0]

    def show(done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and now - last[0] > 0.5 and total:
            last[0] = now
            print(f"\r{text}: {100 * done // total}%   ", end="", file=sys.stderr)
    return JobControl(progress=show)


def _counts(counts: dict[str, int]) -> str:
    from ocop_desktop.vocab import TABLE_LABELS

    return ", ".join(f"{TABLE_LABELS.get(t, t)} {format_int(n)}" for t, n in counts.items())


def cmd_export_package(ctx: AppContext, args: argparse.Namespace, passphrase: str) -> int:
    from ocop_desktop.sync.export import export_package

    if not args.out:
        print("Hãy cho biết tệp gói sẽ ghi: --out TỆP.ocsync", file=sys.stderr)
        return 2
    result = export_package(ctx, passphrase, args.to, Path(args.out), full=args.full, control=_progress())
    counts = _counts(result.counts) or (
        "không có bản ghi" if result.full else "không có thay đổi")
    print(f"Đã ghi gói số {result.seq} (epoch {result.epoch}) gửi {result.recipient}: {result.path}\n"
          f"  {'toàn bộ' if result.full else 'phần thay đổi'}: {counts}; {result.files} tệp đính kèm; "
          f"{format_int(result.size)} byte; SHA-256 {result.sha256}\n"
          "  Gói đã được đọc lại và kiểm tra; bản sao nằm trong hộp thư đi.")
    return 0


def cmd_verify(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync.installation_view import verify_package
    from ocop_desktop.sync.rejections import PackageRejected

    try:
        verified = verify_package(ctx, Path(args.file), control=_progress())
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
    counts = _counts(verified.counts) or "không có bản ghi"
    print(f"Gói hợp lệ: chữ ký của đơn vị {sender['unit']} (khóa {verified.key.key_id[:16]}…), gói số "
          f"{sender['seq']} epoch {sender['epoch']}, tạo lúc {_local_time(verified.manifest['created_at'])}.\n"
          f"  Nội dung: {counts}.\n  Thứ tự: {state}.")
    for warning in verified.warnings:
        print(f"  Lưu ý: {warning}")
    return 0


def _local_time(stamp: str) -> str:
    from ocop_desktop.sync.package_format import parse_timestamp

    return f"{parse_timestamp(stamp).astimezone():%d/%m/%Y %H:%M}"


def cmd_outbox(ctx: AppContext, _args: argparse.Namespace) -> int:
    from ocop_desktop.sync.export import outbox

    rows = outbox(ctx)
    if not rows:
        print("Chưa xuất gói nào.")
    for row in rows:
        print(f"{row.created_at:%d/%m/%Y %H:%M} | gửi {row.recipient_unit} | số {row.seq} (epoch {row.epoch}) | "
              f"{'toàn bộ' if row.full else 'thay đổi'} | {row.status} | {row.sha256[:16]}…")
    return 0

"""``audit verify``: walk the hash chain of the change log and name the first broken entry."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def register(sub: Subcommands) -> None:
    au = sub.add_parser("audit", help="nhật ký thay đổi")
    au_verbs = au.add_subparsers(dest="verb", metavar="VERB", required=True)
    au_verbs.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký")
    au.set_defaults(handler=cmd_audit)


def cmd_audit(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.records.audit import verify

    report = verify(ctx.engine)
    if report.ok:
        print(f"Nhật ký toàn vẹn: {report.entries} mục, đầu chuỗi {report.head[:16]}…")
        return 0
    print(f"Nhật ký KHÔNG toàn vẹn tại mục {report.first_bad_seq}: {report.reason}", file=sys.stderr)
    return 1

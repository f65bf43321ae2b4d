"""Commands of an installation's life: ``gui``, ``init``, ``demo`` and ``backups``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop.cli.common import passphrase
from ocop_desktop.reference.vocab import LEVELS

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext

def register(sub: Subcommands) -> None:
    sub.add_parser("gui", help="mở giao diện (mặc định)")
    init = sub.add_parser("init", help="thiết lập đơn vị, cấp và cán bộ (một lần)")
    init.add_argument("--unit", required=True, help="mã tỉnh (2 số) hoặc mã xã/phường (5 số), ví dụ 82 hoặc 30037")
    init.add_argument("--level", required=True, choices=sorted(map(str, LEVELS)), help="cấp của cài đặt")
    init.add_argument("--officer", required=True, help="họ tên cán bộ sử dụng")
    init.add_argument("--language", default="vi", choices=["vi", "en"])
    init.add_argument("--passphrase-file", help="tạo luôn khóa ký, mật khẩu đọc từ tệp này")
    init.set_defaults(handler=cmd_init)

    sub.add_parser("demo", help="tạo cơ sở dữ liệu demo của tỉnh Đồng Tháp (175 chủ thể, 453 sản phẩm)") \
        .set_defaults(handler=cmd_demo)

    backups = sub.add_parser("backups", help="các bản sao lưu và khôi phục")
    bverbs = backups.add_subparsers(dest="verb", metavar="VERB", required=True)
    bverbs.add_parser("list", help="các bản sao lưu, mới nhất trước")
    restore = bverbs.add_parser("restore", help="khôi phục một bản sao lưu (giữ lại bản hiện tại)")
    restore.add_argument("file")
    backups.set_defaults(handler=cmd_backups)


def cmd_init(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.installation.setup import init_installation

    secret = passphrase(args) if args.passphrase_file else None  # read first: a bad file leaves nothing half-made
    inst = init_installation(ctx, args.unit, args.level, args.officer, args.language)
    print(f"Đã thiết lập: đơn vị {inst.unit_code} ({ctx.units().unit_name(inst.unit_code)}), "
          f"{LEVELS[inst.level]}, cán bộ {inst.officer_name}.")
    if secret is not None:
        from ocop_desktop.sync import trust

        fingerprint = trust.create_device_key(ctx, secret)
        print(f"Đã tạo khóa ký. Mã nhận dạng: {trust.grouped_fingerprint(fingerprint)}")
        if inst.level == "province":
            print("Bước tiếp theo: tạo khóa gốc của tỉnh (mật khẩu khác) bằng 'main.py keys root-create'.")
    else:
        print("Bước tiếp theo: tạo khóa ký bằng 'main.py keys create' (hoặc trong thẻ Đồng bộ của giao diện).")
    return 0


def cmd_demo(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.infra.tasks import JobControl
    from ocop_desktop.installation.demo import create_demo

    def show(done: int, total: int, _text: str) -> None:
        if done % 25 == 0 or done == total:
            print(f"  {done}/{total} chủ thể", file=sys.stderr)

    written = create_demo(ctx, JobControl(progress=show))
    if written:
        print(f"Đã tạo dữ liệu demo trong {ctx.data_dir}: {written} sản phẩm.")
    else:
        print(f"Dữ liệu demo đã có sẵn trong {ctx.data_dir}.")
    return 0


def cmd_backups(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.installation.backups import RESTORED_NOTE, list_backups, restore_backup
    from ocop_desktop.language.formats import format_int

    if args.verb == "list":
        for b in list_backups(ctx.data_dir):
            print(f"{b.taken:%d/%m/%Y %H:%M} | {b.label} | {format_int(b.size)} byte | {b.path}")
        return 0
    restored = restore_backup(ctx, Path(args.file))
    restored.close()
    print(RESTORED_NOTE)
    return 0

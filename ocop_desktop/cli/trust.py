"""Trust commands under ``keys``: publishing and exporting the province's trust file, importing it at
an office, showing the version held, adding root keys and replacing this machine's key.

Split from cli.py to keep each module small; the parser lives there.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language.formats import format_date
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync import trust
from ocop_desktop.sync.trust import keys

PassphraseReader = Callable[..., str]


def _signers(ctx: AppContext, args: argparse.Namespace, passphrase: PassphraseReader) -> list[trust.Signer]:
    """Root keys named on the command line, else those in the key folder; one passphrase each."""
    from ocop_desktop.cli.main import read_passphrase_file

    paths = [Path(p) for p in args.root_key] or trust.root_key_paths(ctx)
    if not paths:
        raise OcopError("Không tìm thấy khóa gốc nào: hãy chỉ ra tệp khóa gốc bằng --root-key.", "no root key")
    if args.root_passphrase_file and len(args.root_passphrase_file) != len(paths):
        raise OcopError("Số tệp mật khẩu phải bằng số khóa gốc (--root-passphrase-file theo thứ tự --root-key).",
                        "root passphrase count")
    if args.root_passphrase_file:
        return [trust.Signer(p, read_passphrase_file(f)) for p, f in zip(paths, args.root_passphrase_file, strict=True)]
    shared = passphrase(args)
    return [trust.Signer(p, shared) for p in paths]


def _show(ctx: AppContext) -> int:
    state = trust.trust_status(ctx)
    if state is None:
        print("Chưa có bản tin cậy nào của tỉnh trên máy này.")
        return 0
    print(f"Bản tin cậy phiên bản {state.version}, lập {format_date(state.created.date())}, "
          f"dùng được đến {format_date(state.expires.date())}"
          + (" (ĐÃ HẾT HẠN)" if state.expired else " (sắp hết hạn)" if state.expiring else "") + ".")
    print(f"Khóa gốc: {state.roots}, cần {state.threshold} chữ ký. Khóa máy xã: {state.devices} "
          f"({state.revoked} đã thu hồi). Mã nhận dạng gốc: {state.genesis}")
    if state.own_key_revoked:
        print("CẢNH BÁO: tỉnh đã thu hồi khóa của máy này; hãy thay khóa (keys rotate) và đăng ký lại.")
    for change in trust.pending_changes(ctx) if ctx.require_installation().level == "province" else []:
        print(f"Chưa phát hành: {change}")
    return 0


def run(ctx: AppContext, args: argparse.Namespace, passphrase: PassphraseReader) -> int:
    """Dispatch one of the trust verbs of ``keys``."""
    if args.verb == "trust":
        return _show(ctx)
    if args.verb == "province-export":
        made = trust.publish_trust_version(ctx, _signers(ctx, args, passphrase)) \
            if trust.pending_changes(ctx) else None
        path = trust.write_trust_file(ctx, Path(args.out))
        state = trust.trust_status(ctx)
        assert state is not None
        print(("Đã ký bản tin cậy mới. " if made else "") + f"Đã ghi {path} (đến phiên bản {state.version}).")
        print(f"Đọc mã nhận dạng gốc này cho các xã mới đăng ký: {state.genesis}")
    elif args.verb == "publish":
        version = trust.publish_trust_version(ctx, _signers(ctx, args, passphrase),
                                        new_roots=[Path(p) for p in args.new_root] or None, threshold=args.threshold)
        print(f"Đã ký bản tin cậy phiên bản {version.version}: {len(version.roots)} khóa gốc, "
              f"cần {version.threshold} chữ ký.")
    elif args.verb == "province-pin":
        update = trust.import_trust(ctx, Path(args.file), args.fingerprint)
        if update.before == update.after:
            print(f"Bản tin cậy đã là mới nhất (phiên bản {update.after}); không có gì thay đổi.")
        else:
            print(f"Đã áp dụng bản tin cậy phiên bản {update.after}"
                  + (f" (trước đó: {update.before})" if update.before else "")
                  + f", dùng được đến {format_date(update.expires.date())}.")
        if update.publisher_changed and update.before:
            print("Tỉnh đã đổi khóa phát hành; các gói mới của tỉnh được kiểm tra bằng khóa mới.")
        if update.own_key_revoked:
            print("CẢNH BÁO: tỉnh đã thu hồi khóa của máy này; hãy thay khóa (keys rotate) và đăng ký lại.")
    elif args.verb == "root-create":
        folder = Path(args.out_dir) if args.out_dir else None
        if trust.current_trust_version(ctx) is None:  # the first root key also signs version 1
            first = trust.init_trust_root(ctx, passphrase(args, confirm=True), folder=folder)
            print(f"Đã tạo khóa gốc và ký bản tin cậy phiên bản 1 (1 khóa gốc, cần {first.threshold} chữ ký).")
            print(f"Mã nhận dạng gốc tin cậy (đọc cho các đơn vị): {trust.trust_genesis_fingerprint(ctx)}")
            print("Hãy chép tệp khóa gốc ra USB cất riêng rồi xóa khỏi máy; mật khẩu của nó phải khác mật khẩu khóa ký.")
            return 0
        path = trust.create_root_key(ctx, passphrase(args, confirm=True), folder=folder)
        info = keys.read_header(path.read_bytes())[2]
        print(f"Đã tạo khóa gốc {path}. Mã nhận dạng: {keys.grouped(info.key_id)}")
        print("Khóa mới chỉ có hiệu lực khi được đưa vào bản tin cậy: keys publish --new-root …")
    else:  # rotate
        key_id = trust.replace_device_key(ctx, passphrase(args, confirm=True))
        print(f"Đã thay khóa. Mã nhận dạng mới: {keys.grouped(key_id)}")
        if ctx.require_installation().level == "province":
            print("Hãy phát hành bản tin cậy mới (keys province-export) để các xã nhận khóa phát hành mới.")
        else:
            print("Hãy gửi yêu cầu đăng ký mới lên tỉnh (keys enrol-request).")
    return 0

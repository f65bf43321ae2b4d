"""``keys …``: this machine's signing key, enrolment between a commune and its province, and the
province's trust file (publishing versions with root keys, exporting, pinning at an office, re-keying)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop.cli.common import EXIT_USER_ERROR, bounded, passphrase, read_passphrase_file

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext
    from ocop_desktop.sync.trust import Signer


def register(sub: Subcommands) -> None:
    ky = sub.add_parser("keys", help="khóa ký của cài đặt và danh sách khóa tin cậy")
    ky_verbs = ky.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb, helptext in (("create", "tạo khóa ký (một lần, khi thiết lập)"), ("show", "xem mã nhận dạng khóa"),
                           ("enrol-request", "xuất yêu cầu đăng ký gửi lên tỉnh"),
                           ("enrol-accept", "tỉnh chấp nhận yêu cầu đăng ký của một đơn vị"),
                           ("province-export", "tỉnh phát hành (nếu có thay đổi) và xuất tệp tin cậy cho các xã"),
                           ("province-pin", "đơn vị nhập tệp tin cậy của tỉnh (lần đầu: đối chiếu mã nhận dạng)"),
                           ("trust", "xem bản tin cậy đang giữ: phiên bản, hạn dùng, khóa gốc"),
                           ("publish", "tỉnh ký bản tin cậy mới bằng các khóa gốc (đổi khóa gốc, ngưỡng chữ ký)"),
                           ("root-create", "tỉnh tạo khóa gốc (lần đầu: ký luôn bản tin cậy 1; sau đó: thêm khóa cho một cán bộ)"),
                           ("rotate", "thay khóa của máy này (khi mất máy hoặc khóa bị thu hồi)"),
                           ("revoke", "tỉnh thu hồi khóa của một đơn vị"), ("list", "danh sách khóa tin cậy"),
                           ("print-sheet", "in phiếu xác nhận khóa (mã nhận dạng và mã QR)")):
        cmd = ky_verbs.add_parser(verb, help=helptext)
        if verb in ("create", "enrol-request", "province-export", "publish", "root-create", "rotate"):
            cmd.add_argument("--passphrase-file", help="tệp chứa mật khẩu (mặc định: hỏi khi chạy)")
        if verb in ("province-export", "publish"):
            cmd.add_argument("--root-key", action="append", default=[],
                             help="tệp khóa gốc dùng để ký (lặp lại được; mặc định: các khóa gốc trong thư mục keys)")
            cmd.add_argument("--root-passphrase-file", action="append", default=[],
                             help="mật khẩu của từng khóa gốc, theo thứ tự --root-key (mặc định: --passphrase-file)")
        if verb == "publish":
            cmd.add_argument("--new-root", action="append", default=[],
                             help="tệp khóa gốc của bộ khóa gốc mới (lặp lại; bỏ trống: giữ bộ hiện tại)")
            cmd.add_argument("--threshold", type=bounded(1, 16), help="số chữ ký khóa gốc cần có cho bản sau")
        if verb == "root-create":
            cmd.add_argument("--out-dir", help="thư mục đặt tệp khóa gốc (mặc định: thư mục keys)")
        if verb in ("enrol-request", "province-export", "print-sheet"):
            cmd.add_argument("--out", required=True)
        if verb in ("enrol-accept", "province-pin"):
            cmd.add_argument("file")
            cmd.add_argument("--fingerprint", help="mã nhận dạng đã đối chiếu qua điện thoại hoặc văn bản")
        if verb == "revoke":
            cmd.add_argument("--key", required=True)
            cmd.add_argument("--reason", required=True)
    ky.set_defaults(handler=cmd_keys)


def cmd_keys(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.infra.errors import OcopError
    from ocop_desktop.sync import trust
    from ocop_desktop.sync.trust import keys

    if args.verb == "create":
        fp = trust.create_device_key(ctx, passphrase(args, confirm=True))
        print(f"Đã tạo khóa. Mã nhận dạng: {trust.grouped_fingerprint(fp)}")
    elif args.verb == "show":
        key_file = trust.device_key_path(ctx)
        if not key_file.exists():
            raise OcopError("Máy này chưa có khóa ký. Hãy tạo khóa trước (main.py keys create).", "no device key")
        info = keys.read_header(key_file.read_bytes())[2]
        print(f"{info.purpose}: {trust.grouped_fingerprint(info.key_id)}")
    elif args.verb == "enrol-request":
        path = trust.export_enrolment_request(ctx, passphrase(args), Path(args.out))
        print(f"Đã ghi {path}. Đọc mã nhận dạng này cho tỉnh: {trust.read_enrolment_request(path).grouped}")
    elif args.verb == "enrol-accept":
        request = trust.read_enrolment_request(Path(args.file))
        if not args.fingerprint:
            print(f"Đơn vị {request.unit}, cán bộ {request.officer}, mã nhận dạng {request.grouped}.\n"
                  "Đối chiếu mã này với đơn vị rồi chạy lại với --fingerprint.")
            return EXIT_USER_ERROR
        print(f"Đã chấp nhận khóa {trust.accept_enrolment(ctx, Path(args.file), args.fingerprint)[:16]}… "
              f"cho đơn vị {request.unit}.")
    elif args.verb in ("province-export", "province-pin", "trust", "publish", "root-create", "rotate"):
        return _trust_verb(ctx, args)
    elif args.verb == "print-sheet":
        from ocop_desktop.reports.printing.documents import key_sheet

        print(f"Đã ghi {key_sheet(ctx, Path(args.out))}")
    elif args.verb == "revoke":
        trust.revoke_key(ctx, args.key, args.reason)
        print("Đã thu hồi khóa.")
    else:
        for k in trust.trusted_keys(ctx):
            print(f"{k.unit_code} | {k.purpose} | {trust.grouped_fingerprint(k.key_id)} | {k.status}")
    return 0


def _trust_verb(ctx: AppContext, args: argparse.Namespace) -> int:
    """The verbs of the province's trust file: publish, export, pin, show, root keys, re-key."""
    from ocop_desktop.language.formats import format_date
    from ocop_desktop.sync import trust
    from ocop_desktop.sync.trust import keys

    if args.verb == "trust":
        return _show(ctx)
    if args.verb == "province-export":
        made = trust.publish_trust_version(ctx, _signers(ctx, args)) \
            if trust.pending_changes(ctx) else None
        path = trust.write_trust_file(ctx, Path(args.out))
        state = trust.trust_status(ctx)
        assert state is not None
        print(("Đã ký bản tin cậy mới. " if made else "") + f"Đã ghi {path} (đến phiên bản {state.version}).")
        print(f"Đọc mã nhận dạng gốc này cho các xã mới đăng ký: {state.genesis}")
    elif args.verb == "publish":
        version = trust.publish_trust_version(ctx, _signers(ctx, args),
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
        print(f"Đã tạo khóa gốc {path}. Mã nhận dạng: {trust.grouped_fingerprint(info.key_id)}")
        print("Khóa mới chỉ có hiệu lực khi được đưa vào bản tin cậy: keys publish --new-root …")
    else:  # rotate
        key_id = trust.replace_device_key(ctx, passphrase(args, confirm=True))
        print(f"Đã thay khóa. Mã nhận dạng mới: {trust.grouped_fingerprint(key_id)}")
        if ctx.require_installation().level == "province":
            print("Hãy phát hành bản tin cậy mới (keys province-export) để các xã nhận khóa phát hành mới.")
        else:
            print("Hãy gửi yêu cầu đăng ký mới lên tỉnh (keys enrol-request).")
    return 0


def _signers(ctx: AppContext, args: argparse.Namespace) -> list[Signer]:
    """Root keys named on the command line, else those in the key folder; one passphrase each."""
    from ocop_desktop.infra.errors import OcopError
    from ocop_desktop.sync import trust

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
    from ocop_desktop.language.formats import format_date
    from ocop_desktop.sync import trust

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

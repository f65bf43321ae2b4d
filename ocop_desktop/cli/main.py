"""The command line: ``main.py [--data-dir DIR] COMMAND``; without a command the GUI starts.

Every command prints Vietnamese messages for people and JSON (``--json``) for scripts. Errors the
user can fix exit with status 2 and a message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from database.errors import StoreError
from ocop_desktop import APP_NAME, __version__
from ocop_desktop.cli import evaluation as cli_evaluation
from ocop_desktop.cli import sync as cli_sync
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.infra.logs import setup_logging
from ocop_desktop.infra.paths import resolve_data_dir
from ocop_desktop.language.formats import format_date, format_int
from ocop_desktop.records import audit
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.vocab import LEGAL_TYPES, LEVELS, PRODUCT_STATUSES
from ocop_desktop.store.context import AppContext, open_context

log = logging.getLogger(__name__)
EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME} {__version__} — quản lý chương trình OCOP (mỗi xã một sản phẩm), ngoại tuyến.",
        epilog="Không có lệnh: mở giao diện. Thư mục dữ liệu: --data-dir, hoặc biến OCOP_DATA_DIR.",
    )
    p.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--verbose", action="store_true", help="ghi nhật ký chi tiết")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="mở giao diện (mặc định)")
    init = sub.add_parser("init", help="thiết lập đơn vị, cấp và cán bộ (một lần)")
    init.add_argument("--unit", required=True, help="mã tỉnh (2 số) hoặc mã xã/phường (5 số), ví dụ 82 hoặc 30037")
    init.add_argument("--level", required=True, choices=sorted(LEVELS), help="cấp của cài đặt")
    init.add_argument("--officer", required=True, help="họ tên cán bộ sử dụng")
    init.add_argument("--language", default="vi", choices=["vi", "en"])
    init.add_argument("--passphrase-file", help="tạo luôn khóa ký, mật khẩu đọc từ tệp này")

    sub.add_parser("demo", help="tạo cơ sở dữ liệu demo của tỉnh Đồng Tháp (175 chủ thể, 453 sản phẩm)")
    stats = sub.add_parser("stats", help="số chủ thể, sản phẩm và sản phẩm được công nhận theo hạng sao")
    stats.add_argument("--json", action="store_true")

    for noun in ("producers", "products"):
        group = sub.add_parser(noun, help=f"danh sách {'chủ thể' if noun == 'producers' else 'sản phẩm'}")
        verbs = group.add_subparsers(dest="verb", metavar="VERB", required=True)
        lst = verbs.add_parser("list", help="liệt kê, tìm kiếm không dấu")
        lst.add_argument("--search", default="", help="tìm không phân biệt dấu, ví dụ 'thap muoi'")
        lst.add_argument("--unit", default="", help="mã xã/phường, hoặc d:MÃ_HUYỆN_CŨ (ví dụ d:872)")
        lst.add_argument("--limit", type=int, default=1000)
        lst.add_argument("--json", action="store_true")
        if noun == "products":
            lst.add_argument("--set", type=int, choices=sorted(product_sets()), help="bộ sản phẩm 1–26")
            lst.add_argument("--status", choices=sorted(PRODUCT_STATUSES))
            lst.add_argument("--star", type=int, choices=[3, 4, 5])
        else:
            lst.add_argument("--legal-type", choices=sorted(LEGAL_TYPES))

    rnd = sub.add_parser("round", help="đợt đánh giá, phân hạng")
    rnd_verbs = rnd.add_subparsers(dest="verb", metavar="VERB", required=True)
    create = rnd_verbs.add_parser("create", help="tạo đợt đánh giá")
    create.add_argument("--year", type=int, required=True)
    create.add_argument("--number", type=int, required=True)
    create.add_argument("--level", choices=["province", "central"], default="province")
    create.add_argument("--title", required=True)
    create.add_argument("--start", default="", help="dd/mm/yyyy")
    create.add_argument("--end", default="", help="dd/mm/yyyy")
    add = rnd_verbs.add_parser("add-product", help="đưa sản phẩm vào đợt")
    add.add_argument("--round", required=True)
    add.add_argument("--product", required=True, help="mã định danh hoặc mã sản phẩm")
    add.add_argument("--council", required=True)
    add.add_argument("--dossier", choices=["first", "upgrade", "reevaluation"], default="first")
    rnd_verbs.add_parser("list", help="liệt kê các đợt")

    council = sub.add_parser("council", help="hội đồng đánh giá")
    council_verbs = council.add_subparsers(dest="verb", metavar="VERB", required=True)
    cc = council_verbs.add_parser("create", help="thành lập hội đồng và thành viên")
    cc.add_argument("--round", required=True)
    cc.add_argument("--name", required=True)
    cc.add_argument("--decision-no", default="")
    cc.add_argument("--decision-date", default="", help="dd/mm/yyyy")
    cc.add_argument("--member", action="append", default=[], metavar="'TÊN|VAI TRÒ|CƠ QUAN'",
                    help="vai trò: chair, vice_chair, member, secretary; lặp lại cho mỗi thành viên")
    cc.add_argument("--json", action="store_true")

    score = sub.add_parser("score", help="phiếu đánh giá và kết quả hội đồng")
    score_verbs = score.add_subparsers(dest="verb", metavar="VERB", required=True)
    imp = score_verbs.add_parser("import", help="nhập phiếu từ tệp JSON (docs/score-sheets.md)")
    imp.add_argument("file")
    res = score_verbs.add_parser("result", help="kết quả của hội đồng kèm giải thích")
    res.add_argument("--council", required=True)
    res.add_argument("--json", action="store_true")
    adopt = score_verbs.add_parser("adopt", help="hội đồng kết luận một sản phẩm (khóa phiếu)")
    adopt.add_argument("--entry", required=True)

    rec = sub.add_parser("recognise", help="công nhận sản phẩm theo kết quả hội đồng đã kết luận")
    rec.add_argument("--entry", required=True)
    rec.add_argument("--decision-no", required=True)
    rec.add_argument("--decision-date", required=True, help="dd/mm/yyyy")
    rec.add_argument("--certificate-no", default="")
    rec.add_argument("--issue-date", default="", help="dd/mm/yyyy (mặc định: ngày quyết định)")

    certs = sub.add_parser("certificates", help="giấy chứng nhận")
    cert_verbs = certs.add_subparsers(dest="verb", metavar="VERB", required=True)
    exp = cert_verbs.add_parser("expiring", help="giấy chứng nhận sắp hết hạn")
    exp.add_argument("--days", type=int, default=180)
    exp.add_argument("--json", action="store_true")

    settings = sub.add_parser("settings", help="quy định chấm điểm của tỉnh")
    settings_verbs = settings.add_subparsers(dest="verb", metavar="VERB", required=True)
    scoring = settings_verbs.add_parser("scoring", help="xem hoặc đặt số phiếu tối thiểu, mức chênh lệch, cách tổng hợp")
    scoring.add_argument("--quorum", help="tỷ lệ thành viên phải nộp phiếu, ví dụ 2/3")
    scoring.add_argument("--spread", type=int, help="chênh lệch tổng điểm tối đa giữa các thành viên")
    scoring.add_argument("--consolidation", choices=["median", "all"], help="cách xét yêu cầu tối thiểu")

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

    ex = sub.add_parser("export", help="xuất bảng tính .xlsx, hoặc gói đồng bộ đã ký (--to)")
    ex_verbs = ex.add_subparsers(dest="verb", metavar="VERB")
    for verb, helptext in (("products", "danh sách sản phẩm"), ("producers", "danh sách chủ thể"),
                           ("dashboard", "các số liệu tổng hợp")):
        cmd = ex_verbs.add_parser(verb, help=helptext)
        cmd.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
        if verb != "dashboard":
            cmd.add_argument("--search", default="")
            cmd.add_argument("--unit", default="")

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
            cmd.add_argument("--threshold", type=int, help="số chữ ký khóa gốc cần có cho bản sau")
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

    cli_sync.add_arguments(sub, ex)
    au = sub.add_parser("audit", help="nhật ký thay đổi")
    au_verbs = au.add_subparsers(dest="verb", metavar="VERB", required=True)
    au_verbs.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký")
    return p


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def cmd_init(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.installation.setup import init_installation

    inst = init_installation(ctx, args.unit, args.level, args.officer, args.language)
    print(f"Đã thiết lập: đơn vị {inst.unit_code} ({ctx.units().unit_name(inst.unit_code)}), "
          f"{LEVELS[inst.level]}, cán bộ {inst.officer_name}.")
    if args.passphrase_file:
        from ocop_desktop.sync import trust
        from ocop_desktop.sync.trust import keys

        fingerprint = trust.create_device_key(ctx, _passphrase(args))
        print(f"Đã tạo khóa ký. Mã nhận dạng: {keys.grouped(fingerprint)}")
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


def cmd_stats(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.reports.dashboard import dashboard

    figures = dashboard(ctx)
    if args.json:
        _print_json(figures.as_json())
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

    if args.to:
        return cli_sync.cmd_export_package(ctx, args, _passphrase(args))
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


def cmd_list(ctx: AppContext, args: argparse.Namespace) -> int:
    units = ctx.units()
    limit = max(1, min(args.limit, 100_000))
    if args.command == "producers":
        from ocop_desktop.registry.producers import producer_rows

        req = ListRequest(search=args.search, filters={"unit": args.unit, "legal_type": args.legal_type})
        rows = producer_rows(ctx, req, 0, limit)
        items = [{"id": r[0], "name": r[1], "legal_type": r[2], "registration_no": r[3], "representative": r[4],
                  "phone": r[5], "commune_code": r[6], "commune": units.unit_name(r[6]), "products": r[7]}
                 for r in rows]
        lines = [f"{i['name']} | {LEGAL_TYPES.get(i['legal_type'], '')} | {i['commune']} | {i['products']} SP"
                 for i in items]
    else:
        from ocop_desktop.registry.products import product_rows

        req = ListRequest(search=args.search, filters={"unit": args.unit, "product_set": args.set,
                                                        "status": args.status, "star": args.star})
        rows = product_rows(ctx, req, 0, limit)
        items = [{"id": r[0], "code": r[1], "name": r[2], "product_set": r[3], "producer": r[4],
                  "commune_code": r[5], "commune": units.unit_name(r[5]), "status": r[6], "star": r[7],
                  "certificate_expiry": r[8].isoformat() if r[8] else None} for r in rows]
        lines = [f"{i['code'] or '-'} | {i['name']} | {i['producer']} | {i['commune']} | "
                 f"{(str(i['star']) + '★') if i['star'] else PRODUCT_STATUSES[i['status']]}"
                 f"{' | hết hạn ' + format_date(r[8]) if r[8] else ''}" for i, r in zip(items, rows, strict=True)]
    if args.json:
        _print_json(items)
    else:
        print("\n".join(lines) if lines else "Không có kết quả.")
    return 0


def read_passphrase_file(path: str) -> str:
    """A passphrase kept in a file (for scripts); its final newline is not part of it."""
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\n")
    except OSError as exc:
        raise OcopError("Không đọc được tệp mật khẩu.", f"passphrase file: {exc}") from exc


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    if getattr(args, "passphrase_file", None):
        return read_passphrase_file(args.passphrase_file)
    import getpass

    if not sys.stdin.isatty():
        raise OcopError("Hãy nhập mật khẩu khi chạy trong cửa sổ lệnh, hoặc dùng --passphrase-file.", "no tty")
    first = getpass.getpass("Mật khẩu bảo vệ khóa: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise OcopError("Hai lần nhập mật khẩu không giống nhau.", "passphrase mismatch")
    return first


def cmd_keys(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.sync import trust
    from ocop_desktop.sync.trust import keys

    if args.verb == "create":
        fp = trust.create_device_key(ctx, _passphrase(args, confirm=True))
        print(f"Đã tạo khóa. Mã nhận dạng: {keys.grouped(fp)}")
    elif args.verb == "show":
        info = keys.read_header(trust.device_key_path(ctx).read_bytes())[2]
        print(f"{info.purpose}: {keys.grouped(info.key_id)}")
    elif args.verb == "enrol-request":
        path = trust.export_enrolment_request(ctx, _passphrase(args), Path(args.out))
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
        from ocop_desktop.cli import trust as cli_trust

        return cli_trust.run(ctx, args, _passphrase)
    elif args.verb == "print-sheet":
        from ocop_desktop.reports.printing.documents import key_sheet

        print(f"Đã ghi {key_sheet(ctx, Path(args.out))}")
    elif args.verb == "revoke":
        trust.revoke_key(ctx, args.key, args.reason)
        print("Đã thu hồi khóa.")
    else:
        for k in trust.trusted_keys(ctx):
            print(f"{k.unit_code} | {k.purpose} | {keys.grouped(k.key_id)} | {k.status}")
    return 0


def cmd_audit(ctx: AppContext, args: argparse.Namespace) -> int:
    report = audit.verify(ctx.engine)
    if report.ok:
        print(f"Nhật ký toàn vẹn: {report.entries} mục, đầu chuỗi {report.head[:16]}…")
        return 0
    print(f"Nhật ký KHÔNG toàn vẹn tại mục {report.first_bad_seq}: {report.reason}", file=sys.stderr)
    return 1


COMMANDS: dict[str, Callable[[AppContext, argparse.Namespace], int]] = {
    "init": cmd_init, "demo": cmd_demo, "stats": cmd_stats, "producers": cmd_list, "products": cmd_list,
    "audit": cmd_audit, "round": cli_evaluation.cmd_round, "council": cli_evaluation.cmd_council,
    "score": cli_evaluation.cmd_score, "recognise": cli_evaluation.cmd_recognise,
    "certificates": cli_evaluation.cmd_certificates, "settings": cli_evaluation.cmd_settings,
    "print": cli_evaluation.cmd_print, "export": cmd_export, "keys": cmd_keys,
    "verify": cli_sync.cmd_verify, "outbox": cli_sync.cmd_outbox, "import": cli_sync.cmd_import,
    "conflicts": cli_sync.cmd_conflicts, "backups": cli_sync.cmd_backups, "duplicates": cli_sync.cmd_duplicates,
    "catalogs": cli_sync.cmd_catalogs,
}


def wants_gui(args: argparse.Namespace) -> bool:
    return args.command in (None, "gui")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a headless command (the GUI is started by main.py, the only module that knows ui/)."""
    return run_command(build_parser().parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    writable = _ensure_dir(data_dir)
    setup_logging(data_dir if writable else None, args.verbose)
    try:
        ctx = open_context(data_dir)
        try:
            return COMMANDS[args.command](ctx, args)
        finally:
            ctx.close()
    except ValidationFailed as exc:
        for field, message in {**exc.warnings, **exc.errors}.items():
            print(f"Lỗi ({field}): {message}", file=sys.stderr)
        log.warning("%s", exc)
        return EXIT_USER_ERROR
    except (OcopError, StoreError) as exc:
        print(exc.message_vi, file=sys.stderr)
        log.warning("%s: %s", type(exc).__name__, exc)
        return EXIT_USER_ERROR


def _ensure_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True

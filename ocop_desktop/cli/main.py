"""The command line: ``main.py [--data-dir DIR] COMMAND``; without a command the GUI starts.

Each noun's module registers its own subcommands with their handler (``register``); this module
holds the global options, opens the store and turns the errors a user can fix into a Vietnamese
message and exit status 2, never a traceback. ``--json`` prints JSON for scripts.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ocop_desktop import APP_NAME, __version__
from ocop_desktop.cli import argparse_vi, audit, evaluation, installation, keys, printing, registry, reports, sync
from ocop_desktop.cli.common import EXIT_USER_ERROR

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Handler

log = logging.getLogger(__name__)

#: the command modules, in the order their nouns appear in ``--help``
NOUNS = (installation, reports, registry, evaluation, printing, keys, sync, audit)


def build_parser() -> argparse.ArgumentParser:
    argparse_vi.install()
    p = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME} {__version__} — quản lý chương trình OCOP (mỗi xã một sản phẩm), ngoại tuyến.",
        epilog="Không có lệnh: mở giao diện. Thư mục dữ liệu: --data-dir, hoặc biến OCOP_DATA_DIR.",
    )
    p.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng)")
    p.add_argument("--verbose", action="store_true", help="ghi nhật ký chi tiết")
    p.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="hiện phiên bản rồi thoát")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for noun in NOUNS:
        noun.register(sub)
    return p


def wants_gui(args: argparse.Namespace) -> bool:
    return args.command in (None, "gui")


def main(argv: Sequence[str] | None = None) -> int:
    """Run a headless command (the GUI is started by main.py, the only module that knows ui/)."""
    return run_command(build_parser().parse_args(argv))


def run_command(args: argparse.Namespace) -> int:
    from ocop_desktop.infra.errors import ValidationFailed, user_message
    from ocop_desktop.infra.logs import setup_logging
    from ocop_desktop.infra.paths import resolve_data_dir
    from ocop_desktop.store.context import open_context

    handler: Handler = args.handler
    data_dir = resolve_data_dir(args.data_dir)
    writable = _ensure_dir(data_dir)
    setup_logging(data_dir if writable else None, args.verbose)
    try:
        ctx = open_context(data_dir)
        try:
            return handler(ctx, args)
        finally:
            ctx.close()
    except ValidationFailed as exc:
        for field, problem in {**exc.warnings, **exc.errors}.items():
            print(f"Lỗi ({field}): {problem}", file=sys.stderr)
        log.warning("%s", exc)
        return EXIT_USER_ERROR
    except Exception as exc:  # the environment (a locked store, a full disk) or the user: one message
        message = user_message(exc)
        if message is None:
            raise  # a bug: the traceback goes to the log and the terminal
        print(message, file=sys.stderr)
        log.warning("%s: %s", type(exc).__name__, exc)
        return EXIT_USER_ERROR


def _ensure_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True

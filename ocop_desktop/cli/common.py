"""What every command module shares: exit codes, JSON output, passphrases, progress on stderr."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from ocop_desktop.infra.tasks import JobControl
    from ocop_desktop.store.context import AppContext

    #: what ``ArgumentParser.add_subparsers`` returns; each command module adds its nouns to it
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_USER_ERROR = 2
EXIT_REJECTED = 1

#: a command: the open context and the parsed arguments in, the exit status out
Handler = Callable[["AppContext", argparse.Namespace], int]


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def read_passphrase_file(path: str) -> str:
    """A passphrase kept in a file (for scripts); its final newline is not part of it."""
    from ocop_desktop.infra.errors import OcopError

    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\n")
    except UnicodeDecodeError as exc:
        raise OcopError("Tệp mật khẩu không phải văn bản UTF-8: hãy lưu lại tệp với mã UTF-8.",
                        f"passphrase file {path}: {exc}") from exc
    except OSError as exc:
        raise OcopError("Không đọc được tệp mật khẩu.", f"passphrase file: {exc}") from exc


def passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    """From ``--passphrase-file`` if given, else asked on the terminal (twice with ``confirm``)."""
    from ocop_desktop.infra.errors import OcopError

    if getattr(args, "passphrase_file", None):
        return read_passphrase_file(args.passphrase_file)
    import getpass

    if not sys.stdin.isatty():
        raise OcopError("Hãy nhập mật khẩu khi chạy trong cửa sổ lệnh, hoặc dùng --passphrase-file.", "no tty")
    first = getpass.getpass("Mật khẩu bảo vệ khóa: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise OcopError("Hai lần nhập mật khẩu không giống nhau.", "passphrase mismatch")
    return first


def progress() -> JobControl:
    """A job control that shows a percentage on an interactive stderr, at most twice a second."""
    from ocop_desktop.infra.tasks import JobControl

    last = [0.0]

    def show(done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and now - last[0] > 0.5 and total:
            last[0] = now
            print(f"\r{text}: {100 * done // total}%   ", end="", file=sys.stderr)
    return JobControl(progress=show)


#: the largest id SQLite stores (an id beyond it can name no row)
MAX_ID = 2**63 - 1


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, refused in Vietnamese otherwise
    (a day count of 99,999,999 would overflow the date arithmetic, an id of 10^22 the database)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' không phải số nguyên") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} nằm ngoài khoảng {low}–{high}")
        return value
    return parse

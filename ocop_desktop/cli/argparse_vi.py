"""argparse's own messages in Vietnamese: usage, errors, the help of ``-h``.

argparse looks its texts up through ``gettext`` each time it shows one, by the module's names ``_``
and ``ngettext``; pointing those at this table makes a mistyped command read "lỗi: thiếu tham số
bắt buộc: --unit" instead of English. Texts not in the table (argparse's messages to programmers,
about a wrongly built parser) stay as they are.
"""

from __future__ import annotations

import argparse

VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "lệnh và tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "not allowed with argument %s": "không dùng được cùng với %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
}


def _vi(message: str) -> str:
    return VI.get(message, message)


def _vi_plural(singular: str, plural: str, count: int) -> str:
    return _vi(singular if count == 1 else plural)


def install() -> None:
    """From now on argparse speaks Vietnamese (the command line is Vietnamese first)."""
    setattr(argparse, "_", _vi)  # noqa: B010  (argparse reads these module names at every message)
    setattr(argparse, "ngettext", _vi_plural)  # noqa: B010

"""The command line's own messages (argparse's usage, errors and help) are in Vietnamese, exit 2,
and never a traceback (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_demo import run


@pytest.mark.parametrize(("args", "says"), [
    (("init", "--level", "local", "--officer", "A"), "thiếu tham số bắt buộc: --unit"),
    (("products", "list", "--status", "bogus"), "không có lựa chọn 'bogus'"),
    (("products", "list", "--limit", "nhiều"), "tham số --limit: 'nhiều' không phải số nguyên"),
    (("stats", "--bogus"), "không hiểu tham số: --bogus"),
    (("khong-co-lenh",), "không có lựa chọn 'khong-co-lenh'"),
    (("certificates", "expiring", "--days", "99999999"), "tham số --days: 99999999 nằm ngoài khoảng 0–3650"),
    (("conflicts", "show", "99999999999999999999999"), "nằm ngoài khoảng 1–9223372036854775807"),
    (("duplicates", "mark", "-5"), "-5 nằm ngoài khoảng"),
    (("round", "create", "--year", "20266", "--number", "1", "--title", "x"), "20266 nằm ngoài khoảng 2000–2100"),
])
def test_a_mistyped_command_reads_in_vietnamese(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    out = run(*args, data_dir=tmp_path / "data")
    assert out.returncode == 2
    assert "cách dùng: " in out.stderr and ": lỗi: " in out.stderr and says in out.stderr, out.stderr
    assert "error:" not in out.stderr and "usage:" not in out.stderr and "Traceback" not in out.stderr


def test_help_is_in_vietnamese(tmp_path: Path) -> None:
    out = run("--help", data_dir=tmp_path / "data")
    assert out.returncode == 0
    assert "tùy chọn:" in out.stdout and "hiện trợ giúp này rồi thoát" in out.stdout
    assert "options:" not in out.stdout and "show this help" not in out.stdout


def test_a_passphrase_file_that_is_not_utf8_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "pass.txt").write_bytes("mật khẩu dài đủ mười ký tự".encode("cp1258", errors="replace") + b"\xff\xfe")
    out = run("init", "--unit", "30037", "--level", "local", "--officer", "A",
              "--passphrase-file", str(tmp_path / "pass.txt"), data_dir=tmp_path / "data")
    assert out.returncode == 2 and "không phải văn bản UTF-8" in out.stderr and "Traceback" not in out.stderr
    (tmp_path / "pass.txt").write_text("một mật khẩu đủ dài\n", encoding="utf-8")  # nothing was half made
    again = run("init", "--unit", "30037", "--level", "local", "--officer", "A",
                "--passphrase-file", str(tmp_path / "pass.txt"), data_dir=tmp_path / "data")
    assert again.returncode == 0 and "Đã tạo khóa ký" in again.stdout, again.stderr


def test_a_store_locked_by_another_program_is_a_message_and_nothing_is_written(tmp_path: Path) -> None:
    """Another process holds the write lock (an open import, a second window): the command waits
    for the lock as long as SQLite's busy timeout, then says so in Vietnamese; no traceback."""
    import sqlite3

    data = tmp_path / "data"
    assert run("init", "--unit", "30037", "--level", "local", "--officer", "A", data_dir=data).returncode == 0
    holder = sqlite3.connect(data / "ocop.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        out = run("settings", "scoring", "--spread", "8", data_dir=data)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 2 and "đang bị một chương trình khác khóa" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert "10 điểm" in run("settings", "scoring", data_dir=data).stdout  # the default: nothing was written


def test_showing_a_key_that_was_never_made_is_a_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("init", "--unit", "30037", "--level", "local", "--officer", "A", data_dir=data).returncode == 0
    out = run("keys", "show", data_dir=data)
    assert out.returncode == 2 and "chưa có khóa ký" in out.stderr and "Traceback" not in out.stderr

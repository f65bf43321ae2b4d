"""The command line's own messages (argparse's usage, errors and help) are in Vietnamese, exit 2,
and never a traceback (issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli_demo import run


@pytest.mark.parametrize(("args", "says"), [
    (("init", "--level", "local", "--officer", "A"), "thiếu tham số bắt buộc: --unit"),
    (("products", "list", "--status", "bogus"), "không có lựa chọn 'bogus'"),
    (("products", "list", "--limit", "nhiều"), "tham số --limit: giá trị không hợp lệ: 'nhiều'"),
    (("stats", "--bogus"), "không hiểu tham số: --bogus"),
    (("khong-co-lenh",), "không có lựa chọn 'khong-co-lenh'"),
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

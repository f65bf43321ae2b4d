"""The command line as a newcomer uses it, in a fresh data folder, through real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.installation.demo import create_demo
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext
from tests.conftest import ROOT


def run(*args: str, data_dir: Path | None = None, env_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OCOP_DATA_DIR"}
    if env_dir is not None:
        env["OCOP_DATA_DIR"] = str(env_dir)
    cmd = [sys.executable, str(ROOT / "main.py")]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env, timeout=120, check=False)


def test_help_lists_the_subcommands() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in ("init", "demo", "stats", "producers", "products", "audit"):
        assert command in out.stdout


def test_demo_then_stats(tmp_path: Path) -> None:
    assert run("demo", data_dir=tmp_path).returncode == 0
    out = run("stats", "--json", data_dir=tmp_path)
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["producers"] == 175 and data["products"] == 453
    assert data["by_stars"] == {"3": 366, "4": 86, "5": 1}
    again = run("demo", data_dir=tmp_path)  # idempotent
    assert again.returncode == 0 and "đã có sẵn" in again.stdout
    assert json.loads(run("stats", "--json", data_dir=tmp_path).stdout)["products"] == 453


def test_list_commands_search_without_accents(tmp_path: Path) -> None:
    run("demo", env_dir=tmp_path)  # OCOP_DATA_DIR works as well as --data-dir
    out = run("products", "list", "--search", "thap muoi", "--json", env_dir=tmp_path)
    assert out.returncode == 0
    items = json.loads(out.stdout)
    assert items and all("Tháp Mười" in (i["name"] + i["producer"] + i["commune"]) or i["code"].startswith("87-872")
                         for i in items)
    out = run("producers", "list", "--search", "lai vung", data_dir=tmp_path)
    assert out.returncode == 0 and "Lai Vung" in out.stdout
    five = json.loads(run("products", "list", "--star", "5", "--json", data_dir=tmp_path).stdout)
    assert len(five) == 1
    assert run("audit", "verify", data_dir=tmp_path).returncode == 0


def test_demo_spreads_over_the_twelve_former_districts(demo_ctx: AppContext) -> None:
    from ocop_desktop.records.listing import ListRequest
    from ocop_desktop.registry.products import product_count

    units = demo_ctx.units()
    districts = [d for d in units.former_districts.values() if d.province == "87"]
    counts = {d.code: product_count(demo_ctx, ListRequest(filters={"unit": f"d:{d.code}"})) for d in districts}
    assert len(counts) == 12 and all(n > 0 for n in counts.values())
    assert demo_ctx.require_installation().is_demo


def test_demo_refuses_a_real_installation_even_when_empty(ctx: AppContext) -> None:
    with pytest.raises(OcopError) as info:
        create_demo(ctx)
    assert "cài đặt thật" in info.value.message_vi
    assert summary(ctx)["producers"] == 0 and not ctx.require_installation().is_demo
    save_producer(ctx, ProducerData(name="HTX thật", legal_type="htx", commune_code="30037"))
    with pytest.raises(OcopError):
        create_demo(ctx)
    assert summary(ctx)["producers"] == 1


def test_gui_opens_the_demo_beside_a_real_installation(qtbot: QtBot, ctx: AppContext) -> None:
    from ui.app import GuiApp, create_qapp

    gui = GuiApp(create_qapp())
    assert gui.open(ctx.data_dir)
    gui.open_demo()
    qtbot.waitUntil(lambda: gui.ctx is not None and gui.ctx.data_dir == ctx.data_dir / "demo", timeout=30000)
    assert gui.ctx is not None
    assert summary(gui.ctx)["products"] == 453
    assert summary(ctx)["products"] == 0 and not ctx.require_installation().is_demo
    gui.runner.wait()
    qtbot.addWidget(gui.window)


def test_demo_cancel_writes_nothing(data_dir: Path) -> None:
    from ocop_desktop.infra.tasks import Cancelled, JobControl
    from ocop_desktop.store.context import open_context

    ctx = open_context(data_dir)
    calls = []
    job = JobControl(progress=lambda d, t, s: calls.append(d), is_cancelled=lambda: len(calls) >= 10)
    with pytest.raises(Cancelled):
        create_demo(ctx, job)
    assert summary(ctx)["producers"] == 0
    ctx.close()


def test_bad_input_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    out = run("init", "--unit", "99999", "--level", "local", "--officer", "A", data_dir=tmp_path)
    assert out.returncode == 2
    assert "không có trong danh mục" in out.stderr and "Traceback" not in out.stderr
    out = run("stats", data_dir=tmp_path)
    assert out.returncode == 0
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run("stats", data_dir=blocker / "sub")
    assert out.returncode == 2 and "Không ghi được" in out.stderr and "Traceback" not in out.stderr
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "ocop.sqlite").write_bytes(b"garbage" * 1000)
    out = run("stats", data_dir=corrupt)
    assert out.returncode == 2 and "bị hỏng" in out.stderr and "Traceback" not in out.stderr


def test_init_once(tmp_path: Path) -> None:
    out = run("init", "--unit", "30037", "--level", "local", "--officer", "Võ Văn Kiệt", data_dir=tmp_path)
    assert out.returncode == 0 and "Xã Tháp Mười" in out.stdout
    out = run("init", "--unit", "82", "--level", "province", "--officer", "B", data_dir=tmp_path)
    assert out.returncode == 2 and "không thể thiết lập lại" in out.stderr
    out = run("init", "--unit", "82", "--level", "local", "--officer", "B", data_dir=tmp_path / "x")
    assert out.returncode == 2 and "mã xã/phường" in out.stderr

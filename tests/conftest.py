"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("OCOP_DATA_DIR", None)

import pytest

from ocop_desktop.evaluation.rounds import MemberView
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.store.context import AppContext, open_context

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.sync_fixtures", "tests.message_boxes", "tests.package_format_cases"]
pytest.register_assert_rewrite("tests.bad_packages", "tests.ui_helpers")  # helpers' asserts report like a test's


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    """A store set up for the province of Đồng Tháp."""
    context = open_context(data_dir)
    init_installation(context, "82", "province", "Nguyễn Thị Lan")
    yield context
    context.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, built once per run; tests copy it."""
    from ocop_desktop.installation.demo import create_demo

    folder = tmp_path_factory.mktemp("demo-template")
    context = open_context(folder)
    create_demo(context)
    with context.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    context.close()
    return folder


@pytest.fixture
def demo_ctx(demo_template: Path, tmp_path: Path) -> Iterator[AppContext]:
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    context = open_context(folder)
    yield context
    context.close()


ROLES = ["chair", "vice_chair", "member", "member", "member", "member", "secretary"]
CouncilCase = tuple[AppContext, str, str, str, str, tuple[MemberView, ...]]
"""(ctx, product id, round id, council id, entry id, members), as the council_case fixture gives it."""


@pytest.fixture
def council_case(ctx: AppContext) -> CouncilCase:
    """A set-7 product entered into a round, for a council of seven:
    (ctx, product id, round id, council id, entry id, members)."""
    from datetime import date

    from ocop_desktop.evaluation import rounds as evaluation
    from ocop_desktop.registry.producers import ProducerData, save_producer
    from ocop_desktop.registry.products import ProductData, save_product

    producer = save_producer(ctx, ProducerData(name="HTX Sen Tháp Mười", legal_type="htx", commune_code="30037"))
    product = save_product(ctx, ProductData(producer_id=producer, name="Hạt sen sấy", product_set=7))
    rnd = evaluation.create_round(ctx, 2026, 2, "province", "Đánh giá, phân hạng đợt 2 năm 2026",
                                  date(2026, 11, 1), date(2026, 12, 20))
    council = evaluation.create_council(ctx, rnd, "Hội đồng cấp tỉnh", "123/QĐ-UBND", date(2026, 10, 1),
                                        [(f"Thành viên {i + 1}", role, "Sở NN&MT") for i, role in enumerate(ROLES)])
    entry = evaluation.add_entry(ctx, rnd, product, council, "first")
    return ctx, product, rnd, council, entry, evaluation.get_council(ctx, council).members

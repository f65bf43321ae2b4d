"""Product use cases: set, code, star and certificate rules; tombstones."""

from __future__ import annotations

from datetime import date

import pytest

from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.producers import ProducerData, delete_producer, save_producer
from ocop_desktop.registry.products import (
    ProductData,
    delete_product,
    get_product,
    product_count,
    product_rows,
    restore_product,
    save_product,
)
from ocop_desktop.store.context import AppContext


@pytest.fixture
def producer(ctx: AppContext) -> str:
    return save_producer(ctx, ProducerData(name="HTX Quýt hồng Lai Vung", legal_type="htx", commune_code="30226"))


def test_recognised_product_gets_36_month_expiry(ctx: AppContext, producer: str) -> None:
    pid = save_product(ctx, ProductData(producer_id=producer, name="Quýt hồng Lai Vung", product_set=1,
                                        code=" 82-30226-1-2026 ", status="recognised", star=4,
                                        certificate_date=date(2026, 5, 22)))
    got = get_product(ctx, pid)
    assert got.code == "82-30226-1-2026"
    assert got.certificate_expiry == date(2029, 5, 22)


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": ""}, "name"),
    ({"product_set": 27}, "product_set"),
    ({"product_set": 0}, "product_set"),
    ({"code": "82-3022-1-2026"}, "code"),
    ({"code": "82-99999-1-2026"}, "code"),
    ({"status": "recognised", "star": None}, "star"),
    ({"status": "recognised", "star": 2}, "star"),
    ({"status": "draft", "star": 4}, "star"),
    ({"status": "bogus"}, "status"),
    ({"producer_id": ""}, "producer_id"),
    ({"status": "recognised", "star": 3, "certificate_date": date(2026, 5, 1),
      "certificate_expiry": date(2026, 4, 1)}, "certificate_expiry"),
    ({"status": "recognised", "star": 3, "certificate_date": date(2099, 1, 1)}, "certificate_date"),
])
def test_bad_products_are_refused(ctx: AppContext, producer: str, changes: dict[str, object], field: str) -> None:
    data = ProductData(producer_id=producer, name="Nem Lai Vung", product_set=8)
    for key, value in changes.items():
        setattr(data, key, value)
    with pytest.raises(ValidationFailed) as info:
        save_product(ctx, data)
    assert field in info.value.errors
    assert product_count(ctx, ListRequest(include_deleted=True)) == 0


def test_unknown_producer_is_refused(ctx: AppContext) -> None:
    with pytest.raises(ValidationFailed) as info:
        save_product(ctx, ProductData(producer_id="f" * 32, name="Nem", product_set=8))
    assert "không còn tồn tại" in info.value.errors["producer_id"]


def test_duplicate_code_is_a_warning(ctx: AppContext, producer: str) -> None:
    save_product(ctx, ProductData(producer_id=producer, name="A", product_set=8, code="82-30226-1-2026"))
    with pytest.raises(ValidationFailed) as info:
        save_product(ctx, ProductData(producer_id=producer, name="B", product_set=8, code="82-30226-1-2026"))
    assert info.value.needs_confirmation_only


def test_delete_restore_and_filters(ctx: AppContext, producer: str) -> None:
    a = save_product(ctx, ProductData(producer_id=producer, name="Quýt hồng", product_set=1, status="recognised",
                                      star=4))
    save_product(ctx, ProductData(producer_id=producer, name="Nem", product_set=8))
    assert [r.name for r in product_rows(ctx, ListRequest(filters={"star": "4"}))] == ["Quýt hồng"]
    assert [r.name for r in product_rows(ctx, ListRequest(filters={"product_set": "8"}))] == ["Nem"]
    assert [r.name for r in product_rows(ctx, ListRequest(filters={"status": "draft"}))] == ["Nem"]
    assert product_count(ctx, ListRequest(filters={"unit": "d:876"})) == 2
    delete_product(ctx, a)
    assert product_count(ctx, ListRequest()) == 1
    restore_product(ctx, a)
    assert product_count(ctx, ListRequest()) == 2


def test_product_of_deleted_producer_cannot_be_restored(ctx: AppContext, producer: str) -> None:
    a = save_product(ctx, ProductData(producer_id=producer, name="Nem", product_set=8))
    delete_product(ctx, a)
    delete_producer(ctx, producer)
    with pytest.raises(OcopError) as info:
        restore_product(ctx, a)
    assert "khôi phục chủ thể trước" in info.value.message_vi

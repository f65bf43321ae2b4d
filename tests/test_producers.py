"""Producer use cases: validation messages, duplicate warning, sync metadata, tombstones."""

from __future__ import annotations

import json

import pytest

from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.producers import (
    ProducerData,
    delete_producer,
    get_producer,
    producer_count,
    producer_rows,
    restore_producer,
    save_producer,
)
from ocop_desktop.registry.products import ProductData, save_product
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext


def valid(**changes: object) -> ProducerData:
    data = ProducerData(name="Hợp tác xã Sen Tháp Mười", legal_type="htx", commune_code="30037",
                        registration_no="1234/HTX", phone="0912 345 678", email="HTX@sen.vn",
                        tax_code="1400123456", rep_name="Trần Thị Hoa", rep_gender="nu", rep_ethnicity="Kinh",
                        founded_year=2015, workforce=25)
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_valid_producer_is_saved_clean(ctx: AppContext) -> None:
    pid = save_producer(ctx, valid(name="  Hợp tác xã   Sen Tháp Mười "))
    got = get_producer(ctx, pid)
    assert got.name == "Hợp tác xã Sen Tháp Mười"
    assert got.phone == "0912345678" and got.email == "htx@sen.vn"


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("name", "", "không được để trống"),
    ("name", "x" * 256, "dài quá 255"),
    ("legal_type", "", "Hãy chọn loại hình"),
    ("legal_type", "congty", "không có trong danh mục"),
    ("phone", "12345", "Số điện thoại"),
    ("phone", "0912-abc-678", "Số điện thoại"),
    ("email", "htx@", "Email"),
    ("tax_code", "12345", "Mã số thuế"),
    ("commune_code", "99999", "không thuộc Tỉnh Đồng Tháp"),
    ("commune_code", "", "Hãy chọn xã/phường"),
    ("founded_year", 1800, "Năm thành lập"),
    ("workforce", -1, "Số lao động"),
    ("registration_no", "12 34", "Số đăng ký"),
])
def test_bad_fields_are_named_and_nothing_is_written(ctx: AppContext, field: str, value: object, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        save_producer(ctx, valid(**{field: value}))
    assert field in info.value.errors
    assert fragment in info.value.errors[field]
    assert summary(ctx)["producers"] == 0


def test_duplicate_registration_in_same_commune_is_a_warning(ctx: AppContext) -> None:
    save_producer(ctx, valid())
    with pytest.raises(ValidationFailed) as info:
        save_producer(ctx, valid(name="Cơ sở khác"))
    assert info.value.needs_confirmation_only
    assert "đã dùng cho chủ thể 'Hợp tác xã Sen Tháp Mười'" in info.value.warnings["registration_no"]
    save_producer(ctx, valid(name="Cơ sở khác"), confirm_warnings=True)
    save_producer(ctx, valid(name="Cơ sở xã khác", commune_code="30046"))  # other commune: no warning
    assert summary(ctx)["producers"] == 3


def test_version_vector_and_owner(ctx: AppContext) -> None:
    pid = save_producer(ctx, valid())
    inst = ctx.require_installation()
    save_producer(ctx, valid(id=pid, name="HTX Sen Hồng"))
    from database.engine import read_session
    from database.tables import Producer

    with read_session(ctx.engine) as s:
        row = s.get(Producer, pid)
    assert row is not None
    assert row.owner_unit == "82" and row.origin_device == inst.device_id
    assert json.loads(row.version_vector) == {inst.device_id: 2}
    assert ctx.require_installation().counter == 2


def test_delete_is_a_tombstone_and_can_be_undone(ctx: AppContext) -> None:
    pid = save_producer(ctx, valid())
    delete_producer(ctx, pid)
    assert producer_count(ctx, ListRequest()) == 0
    assert producer_count(ctx, ListRequest(include_deleted=True)) == 1
    with pytest.raises(OcopError):
        get_producer(ctx, pid)
    restore_producer(ctx, pid)
    assert get_producer(ctx, pid).name == "Hợp tác xã Sen Tháp Mười"


def test_producer_with_products_cannot_be_deleted(ctx: AppContext) -> None:
    pid = save_producer(ctx, valid())
    save_product(ctx, ProductData(producer_id=pid, name="Trà tim sen", product_set=12))
    with pytest.raises(OcopError) as info:
        delete_producer(ctx, pid)
    assert "còn 1 sản phẩm" in info.value.message_vi


def test_rename_updates_product_search(ctx: AppContext) -> None:
    from ocop_desktop.registry.products import product_count

    pid = save_producer(ctx, valid())
    save_product(ctx, ProductData(producer_id=pid, name="Trà tim sen", product_set=12))
    assert product_count(ctx, ListRequest(search="sen thap muoi")) == 1
    save_producer(ctx, valid(id=pid, name="Công ty TNHH Hương Quê"))
    assert product_count(ctx, ListRequest(search="huong que")) == 1
    assert product_count(ctx, ListRequest(search="sen thap muoi")) == 1  # "tim sen" + commune Tháp Mười


def test_list_sorting_and_unit_filters(ctx: AppContext) -> None:
    save_producer(ctx, valid(name="B chủ thể", registration_no=None))
    save_producer(ctx, valid(name="A chủ thể", registration_no=None, commune_code="30208"))
    rows = producer_rows(ctx, ListRequest(sort="name"))
    assert [r[1] for r in rows] == ["A chủ thể", "B chủ thể"]
    rows = producer_rows(ctx, ListRequest(sort="name", descending=True))
    assert [r[1] for r in rows] == ["B chủ thể", "A chủ thể"]
    assert [r.name for r in producer_rows(ctx, ListRequest(filters={"unit": "30208"}))] == ["A chủ thể"]
    assert [r.name for r in producer_rows(ctx, ListRequest(filters={"unit": "d:876"}))] == ["A chủ thể"]
    assert [r.name for r in producer_rows(ctx, ListRequest(filters={"unit": "d:872"}))] == ["B chủ thể"]


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u2060\ufeff", "\u00a0\u200b"])
def test_a_name_made_only_of_invisible_characters_is_refused(ctx: AppContext, name: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code="30037"))
    assert "không nhìn thấy" in info.value.errors["name"]

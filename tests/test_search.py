"""Accent-insensitive search as the officers type it."""

from __future__ import annotations

import pytest

from ocop_desktop.listing import ListRequest
from ocop_desktop.producers import ProducerData, producer_rows, save_producer
from ocop_desktop.products import ProductData, product_rows, save_product


@pytest.fixture
def names(ctx):
    for name, commune in [("Hợp tác xã Tháp Mười Xanh", "30046"), ("Cơ sở Hòa Long", "30208"),
                          ("Cơ sở Thuận Hoà", "30253"), ("Công ty Đồng Tháp Foods", "30169"),
                          ("Tổ hợp tác Mỹ An", "30178")]:
        pid = save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code=commune))
        save_product(ctx, ProductData(producer_id=pid, name=f"Sản phẩm của {name}", product_set=7))
    return ctx


def found(ctx, text: str) -> set[str]:
    return {r[1] for r in producer_rows(ctx, ListRequest(search=text))}


def test_thap_muoi_finds_thap_muoi(names) -> None:
    assert "Hợp tác xã Tháp Mười Xanh" in found(names, "thap muoi")
    assert found(names, "THÁP MƯỜI") == found(names, "thap muoi")


def test_dong_thap_finds_dong_thap(names) -> None:
    assert found(names, "dong thap") == {"Công ty Đồng Tháp Foods"}


def test_hoa_finds_both_tone_mark_placements(names) -> None:
    assert {"Cơ sở Hòa Long", "Cơ sở Thuận Hoà"} <= found(names, "hoa")
    assert found(names, "hòa") == found(names, "hoà") == found(names, "hoa")


def test_words_are_prefixes_and_all_must_match(names) -> None:
    assert found(names, "tha muo") == {"Hợp tác xã Tháp Mười Xanh"}
    assert found(names, "hoa long") == {"Cơ sở Hòa Long"}
    assert found(names, "khong co gi") == set()


def test_commune_name_is_searchable(names) -> None:
    assert found(names, "xa lap vo") == {"Công ty Đồng Tháp Foods"}  # commune 30169 is Xã Lấp Vò


def test_fts_operators_in_input_are_harmless(names) -> None:
    for text in ['"', "thap*", "NOT hoa", "(", "hoa OR", "-", "'; DROP TABLE producer; --"]:
        producer_rows(names, ListRequest(search=text))  # must not raise


def test_product_search_covers_producer_and_code(names) -> None:
    rows = product_rows(names, ListRequest(search="dong thap foods"))
    assert [r[2] for r in rows] == ["Sản phẩm của Công ty Đồng Tháp Foods"]

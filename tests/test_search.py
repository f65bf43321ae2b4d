"""Accent-insensitive search as the officers type it."""

from __future__ import annotations

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.producers import ProducerData, producer_rows, save_producer
from ocop_desktop.registry.products import ProductData, product_rows, save_product
from ocop_desktop.store.context import AppContext


@pytest.fixture
def names(ctx: AppContext) -> AppContext:
    for name, commune in [("Hợp tác xã Tháp Mười Xanh", "30046"), ("Cơ sở Hòa Long", "30208"),
                          ("Cơ sở Thuận Hoà", "30253"), ("Công ty Đồng Tháp Foods", "30169"),
                          ("Tổ hợp tác Mỹ An", "30178")]:
        pid = save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code=commune))
        save_product(ctx, ProductData(producer_id=pid, name=f"Sản phẩm của {name}", product_set=7))
    return ctx


def found(ctx: AppContext, text: str) -> set[str]:
    return {r.name for r in producer_rows(ctx, ListRequest(search=text))}


def test_thap_muoi_finds_thap_muoi(names: AppContext) -> None:
    assert "Hợp tác xã Tháp Mười Xanh" in found(names, "thap muoi")
    assert found(names, "THÁP MƯỜI") == found(names, "thap muoi")


def test_dong_thap_finds_dong_thap(names: AppContext) -> None:
    assert found(names, "dong thap") == {"Công ty Đồng Tháp Foods"}


def test_hoa_finds_both_tone_mark_placements(names: AppContext) -> None:
    assert {"Cơ sở Hòa Long", "Cơ sở Thuận Hoà"} <= found(names, "hoa")
    assert found(names, "hòa") == found(names, "hoà") == found(names, "hoa")


def test_words_are_prefixes_and_all_must_match(names: AppContext) -> None:
    assert found(names, "tha muo") == {"Hợp tác xã Tháp Mười Xanh"}
    assert found(names, "hoa long") == {"Cơ sở Hòa Long"}
    assert found(names, "khong co gi") == set()


def test_commune_name_is_searchable(names: AppContext) -> None:
    assert found(names, "xa lap vo") == {"Công ty Đồng Tháp Foods"}  # commune 30169 is Xã Lấp Vò


def test_fts_operators_in_input_are_harmless(names: AppContext) -> None:
    for text in ['"', "thap*", "NOT hoa", "(", "hoa OR", "-", "'; DROP TABLE producer; --"]:
        producer_rows(names, ListRequest(search=text))  # must not raise


def test_product_search_covers_producer_and_code(names: AppContext) -> None:
    rows = product_rows(names, ListRequest(search="dong thap foods"))
    assert [r[2] for r in rows] == ["Sản phẩm của Công ty Đồng Tháp Foods"]


def test_index_matches_a_brute_force_scan_after_many_changes(ctx: AppContext) -> None:
    """Random creates, renames, deletes and restores: the index answers exactly as a full scan would."""
    import random

    from ocop_desktop.language.text import fold
    from ocop_desktop.registry.producers import delete_producer, get_producer, producer_count, restore_producer

    rng = random.Random(5)
    words = ["Sen", "Hòa", "hoà", "Tháp", "Mười", "Đồng", "Quýt", "Nem", "Lai", "Vung"]
    ids: list[str] = []
    for step in range(120):
        action = rng.random()
        name = " ".join(rng.sample(words, 3)) + f" {step}"
        if action < 0.5 or not ids:
            ids.append(save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code="30037")))
            continue
        pid = rng.choice(ids)
        try:
            if action < 0.75:
                save_producer(ctx, ProducerData(name=name, legal_type="htx", commune_code="30208", id=pid))
            elif action < 0.9:
                delete_producer(ctx, pid)
            else:
                restore_producer(ctx, pid)
        except OcopError:
            pass  # editing a deleted producer is refused; that is part of the mix
    live = {r[0] for r in producer_rows(ctx, ListRequest(), 0, 10_000)}
    assert 0 < len(live) < len(ids)
    units = ctx.units()
    keys = {}
    for pid in live:
        p = get_producer(ctx, pid)
        keys[pid] = fold(f"{p.name} {units.unit_name(p.commune_code)}").split()
    for query in ["sen", "hoa", "thap muoi", "dong", "quyt nem", "lai vung", "xa hoa long", "1"]:
        expected = {pid for pid, key in keys.items() if all(any(w.startswith(t) for w in key) for t in query.split())}
        assert {r[0] for r in producer_rows(ctx, ListRequest(search=query), 0, 10_000)} == expected, query
        assert producer_count(ctx, ListRequest(search=query)) == len(expected), query


def test_deleted_rows_are_searchable_when_shown(names: AppContext) -> None:
    from ocop_desktop.registry.producers import delete_producer

    rows = producer_rows(names, ListRequest(search="hoa long"))
    pid = rows[0].id
    from ocop_desktop.registry.products import delete_product
    from ocop_desktop.registry.products import product_rows as prows

    for r in prows(names, ListRequest(filters={"producer_id": pid})):
        delete_product(names, r[0])
    delete_producer(names, pid)
    assert producer_rows(names, ListRequest(search="hoa long")) == []
    shown = producer_rows(names, ListRequest(search="hoa long", include_deleted=True))
    assert [r[0] for r in shown] == [pid] and shown[0][8]

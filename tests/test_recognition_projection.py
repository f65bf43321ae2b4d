"""A product's recognition fields are a local projection of the recognition records: the province
writes only its own decisions, so a commune's next edit of its product is no conflict, and a decision
sent down changes the product at the commune."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from database.engine import read_session, write_session
from database.tables import Product, Recognition
from ocop_desktop.evaluation import recognition, results, sheets
from ocop_desktop.evaluation import rounds as evaluation
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.projection import Held, project, rule
from ocop_desktop.records import audit
from ocop_desktop.records import write as records
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.products import get_product, save_product
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.conflicts import open_conflicts, resolve_conflict
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from tests.conftest import ROLES
from tests.scoring_helpers import answers_for
from tests.sync_fixtures import PASS, Pair, edit_on_both_sides

DECIDED = date(2026, 11, 20)


def _up(pair: Pair, name: str, full: bool = False) -> Path:
    return export_package(pair.local, PASS, "82", pair.tmp / name, full=full).path


def _down(pair: Pair, name: str) -> Path:
    return export_package(pair.province, PASS, "30037", pair.tmp / name).path


def _vector(ctx: AppContext, product_id: str) -> str:
    with read_session(ctx.engine) as s:
        row = s.get(Product, product_id)
        assert row is not None
        return row.version_vector


def _shown(ctx: AppContext, product_id: str) -> tuple[str, int | None, date | None]:
    got = get_product(ctx, product_id)
    return got.status, got.star, got.certificate_expiry


def _council_recognises(ctx: AppContext, product_id: str) -> str:
    """The province's own round, council and sheets for a commune's product; the result (4★) is
    adopted and recognised. Returns the recognition id."""
    rnd = evaluation.create_round(ctx, 2026, 2, "province", "Đợt 2 năm 2026", date(2026, 11, 1), date(2026, 12, 20))
    council = evaluation.create_council(ctx, rnd, "Hội đồng cấp tỉnh", "123/QĐ-UBND", date(2026, 10, 1),
                                        [(f"Thành viên {i + 1}", role, "Sở NN&MT") for i, role in enumerate(ROLES)])
    entry = evaluation.add_entry(ctx, rnd, product_id, council, "first")
    for member in evaluation.get_council(ctx, council).members:
        sheet = sheets.start_sheet(ctx, entry, member.id)
        for code, option in answers_for(load_catalog().set(7), 80, 4).items():
            sheets.save_answer(ctx, sheet, code, option)
        sheets.submit_sheet(ctx, sheet)
    assert results.adopt_result(ctx, entry).final_star == 4
    return recognition.recognise(ctx, entry, "456/QĐ-UBND", DECIDED, "12/2026/GCN", None)


def test_the_newest_live_recognition_decides() -> None:
    old = Held("a" * 32, date(2020, 5, 1), None, False, 3, "1/QĐ", "1/GCN", date(2023, 5, 1))
    new = Held("b" * 32, date(2023, 6, 1), date(2023, 6, 10), True, 4, "2/QĐ", "2/GCN", date(2026, 6, 10))
    assert rule([new, old])["status"] == "revoked"  # the newest is revoked: so is the product
    assert rule([new, old])["star"] == 4 and rule([new, old])["certificate_no"] == "2/GCN"
    valid = rule([old, new._replace(revoked=False)])
    assert valid == {"status": "recognised", "star": 4, "decision_no": "2/QĐ", "decision_date": date(2023, 6, 1),
                     "certificate_no": "2/GCN", "certificate_date": date(2023, 6, 10),
                     "certificate_expiry": date(2026, 6, 10)}
    same_day = old._replace(id="c" * 32, decision_date=date(2023, 6, 1), issue_date=date(2023, 7, 1))
    assert rule([new, same_day])["decision_no"] == "1/QĐ"  # same decision day: the later certificate
    assert rule([old, new._replace(revoked=False, id="0" * 32, decision_date=date(2020, 5, 1))]) == rule(
        [new._replace(revoked=False, id="0" * 32, decision_date=date(2020, 5, 1)), old])  # order-free


def test_recognise_record_and_revoke_leave_the_commune_product_alone(pair: Pair) -> None:
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    vector = _vector(pair.province, product_id)
    history = len(audit.history(pair.province.engine, product_id))
    rec = _council_recognises(pair.province, product_id)
    assert _shown(pair.province, product_id) == ("recognised", 4, date(2029, 11, 20))
    legacy = recognition.record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "72,5", 3, "7/QĐ-UBND",
                                       date(2024, 3, 1), "7/GCN")
    assert _shown(pair.province, product_id) == ("recognised", 4, date(2029, 11, 20))  # older: it does not decide
    recognition.revoke(pair.province, rec, "Ngừng sản xuất", date(2027, 1, 5))
    assert _shown(pair.province, product_id) == ("revoked", 4, date(2029, 11, 20))
    assert _vector(pair.province, product_id) == vector
    assert len(audit.history(pair.province.engine, product_id)) == history  # the recognitions are audited
    assert {e.action for e in audit.history(pair.province.engine, rec)} == {"create", "revoke"}
    assert audit.history(pair.province.engine, legacy)[0].action == "create"


def test_the_commune_edits_a_recognised_product_without_a_conflict(pair: Pair) -> None:
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    _council_recognises(pair.province, product_id)
    data = get_product(pair.local, product_id)
    assert data.status == "draft"  # the decision has not reached the commune yet
    data.description = "Bao bì mới"
    save_product(pair.local, data)
    report = import_package(pair.province, _up(pair, "2.ocsync"))
    assert report.tables["product"] == {"new": 0, "updated": 1, "unchanged": 0, "stale": 0, "conflicts": 0}
    assert open_conflicts(pair.province) == []
    got = get_product(pair.province, product_id)
    assert (got.description, got.status, got.star, got.decision_no) == ("Bao bì mới", "recognised", 4, "456/QĐ-UBND")
    assert summary(pair.province)["by_stars"] == {"3": 0, "4": 1, "5": 0}  # the dashboard's figures


def test_an_equal_version_with_other_projected_fields_is_unchanged(pair: Pair) -> None:
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    recognition.record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "78", 4, "1/QĐ-UBND", DECIDED)
    report = import_package(pair.province, _up(pair, "2.ocsync", full=True))  # the same row, status "draft"
    assert report.tables["product"]["unchanged"] == 1 and report.conflict_count == 0
    assert _shown(pair.province, product_id) == ("recognised", 4, date(2029, 11, 20))


def test_a_decision_sent_down_changes_the_product_at_the_commune(pair: Pair) -> None:
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    rec = recognition.record_legacy(pair.province, product_id, "QĐ 26/2026/QĐ-TTg", "78", 4, "1234/QĐ-UBND",
                                    DECIDED, "9/2026/GCN")
    vector = _vector(pair.local, product_id)
    assert import_package(pair.local, _down(pair, "xuong-1.ocsync")).tables["recognition"]["new"] == 1
    got = get_product(pair.local, product_id)
    assert (got.status, got.star, got.decision_no, got.certificate_no, got.certificate_date,
            got.certificate_expiry) == ("recognised", 4, "1234/QĐ-UBND", "9/2026/GCN", DECIDED, date(2029, 11, 20))
    assert summary(pair.local)["by_stars"]["4"] == 1 and summary(pair.local)["recognised"] == 1
    assert _vector(pair.local, product_id) == vector  # nothing for the commune to send back
    recognition.revoke(pair.province, rec, "Vi phạm an toàn thực phẩm", date(2027, 2, 1))
    import_package(pair.local, _down(pair, "xuong-2.ocsync"))
    assert _shown(pair.local, product_id) == ("revoked", 4, date(2029, 11, 20))
    assert summary(pair.local)["recognised"] == 0
    # the commune's next edit carries the projected fields up; no conflict either way
    data = get_product(pair.local, product_id)
    data.description = "Đã ngừng bán"
    save_product(pair.local, data)
    report = import_package(pair.province, _up(pair, "2.ocsync"))
    assert report.tables["product"]["updated"] == 1 and report.conflict_count == 0
    assert _shown(pair.province, product_id) == ("revoked", 4, date(2029, 11, 20))


def test_the_form_cannot_override_a_decision_but_works_without_one(pair: Pair) -> None:
    product_id = pair.product_id()
    data = get_product(pair.local, product_id)
    data.status, data.star, data.certificate_date = "recognised", 3, date(2021, 4, 1)  # recognised before the app
    save_product(pair.local, data)
    assert _shown(pair.local, product_id) == ("recognised", 3, date(2024, 4, 1))
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    assert _shown(pair.province, product_id) == ("recognised", 3, date(2024, 4, 1))  # kept: no records
    recognition.record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "78", 4, "1/QĐ-UBND", DECIDED)
    import_package(pair.local, _down(pair, "xuong.ocsync"))
    data = get_product(pair.local, product_id)
    assert (data.status, data.star) == ("recognised", 4)
    data.status, data.star = "draft", None  # the decision, not the form, says what the product is
    save_product(pair.local, data)
    assert _shown(pair.local, product_id) == ("recognised", 4, date(2029, 11, 20))


def test_keeping_the_incoming_side_of_a_conflict_keeps_the_decision(pair: Pair) -> None:
    import_package(pair.province, _up(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    recognition.record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "78", 4, "1/QĐ-UBND", DECIDED)
    edit_on_both_sides(pair, "Tỉnh sửa", "Xã sửa")  # a deliberate edit of the commune's row at the province
    assert import_package(pair.province, _up(pair, "2.ocsync")).conflict_count == 1
    [conflict] = open_conflicts(pair.province)
    resolve_conflict(pair.province, conflict.id or 0, "incoming", "xã đúng")
    got = get_product(pair.province, product_id)
    assert (got.description, got.status, got.star) == ("Xã sửa", "recognised", 4)


def test_projection_reads_in_bulk_and_skips_products_without_records(pair: Pair) -> None:
    product_id = pair.product_id()
    with write_session(pair.local.engine) as s:
        inst = current_installation(s)
        records.insert(s, inst, Recognition(product_id=product_id, source="legacy", instrument="QĐ 148/QĐ-TTg",
                                            stars=5, decision_no="5/QĐ", decision_date=DECIDED,
                                            owner_unit="", origin_device=""))
        deleted = Recognition(product_id=product_id, source="legacy", instrument="QĐ 148/QĐ-TTg", stars=3,
                              decision_no="6/QĐ", decision_date=date(2026, 12, 1), owner_unit="", origin_device="")
        records.insert(s, inst, deleted)
        records.set_deleted(s, inst, deleted, True)  # a tombstone never decides
        statements: list[str] = []
        conn = s.connection()
        from sqlalchemy import event

        event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
        ids = [product_id] + [f"{i:032x}" for i in range(1200)]  # unknown ids cost nothing but the lookup
        assert project(conn, ids) == 1 and project(conn, ids) == 0
        assert sum("FROM recognition" in q for q in statements) == 4  # one pass for many ids, one chunk; twice
        assert sum("FROM product" in q for q in statements) == 2  # only the one product with records
        assert sum(q.startswith("UPDATE product") for q in statements) == 1  # the second call had nothing to do
    assert _shown(pair.local, product_id)[:2] == ("recognised", 5)


def test_many_products_are_projected_in_chunks(ctx: AppContext) -> None:
    from database.tables import Producer

    with write_session(ctx.engine) as s:
        producer = Producer(name="HTX", legal_type="htx", province_code="82", commune_code="30037", owner_unit="82",
                            origin_device="x")
        s.add(producer)
        s.flush()
        products = [Product(producer_id=producer.id, name=f"Sản phẩm {i}", product_set=7, owner_unit="82",
                            origin_device="x") for i in range(1234)]
        s.add_all(products)
        s.flush()
        s.add_all([Recognition(product_id=p.id, source="legacy", instrument="QĐ 148/QĐ-TTg", stars=3 + i % 3,
                               decision_no=f"{i}/QĐ", decision_date=DECIDED, revoked=i % 10 == 0, owner_unit="82",
                               origin_device="x") for i, p in enumerate(products[:1200])])
        s.flush()
        assert project(s.connection(), [p.id for p in products]) == 1200
    assert summary(ctx)["by_stars"] == {"3": 360, "4": 360, "5": 360}  # every tenth is revoked
    assert get_product(ctx, products[-1].id).status == "draft"  # no records: as it was

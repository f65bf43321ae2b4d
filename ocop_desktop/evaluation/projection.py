"""A product's recognition fields, derived on each installation from the recognition records it holds.

Records belong to the unit that created them: the province writes its decisions as its own
``recognition`` rows and never the commune's ``product`` row, so a commune's next edit of the
product is not concurrent with a decision (no conflict in an ordinary flow). Each installation
keeps the product's status, star, decision and certificate fields as a projection of the live
recognitions, written here without a version bump and without an audit line: the recognition's own
insert or revocation is what is audited and what travels. A product without any recognition keeps
the values an officer typed in the form (a recognition from before the app, entered by hand).

The queries are Core statements on the caller's connection, in chunks of ids, so that the importer
can project 100,000 products of a package in its own transaction without one query per product.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, select, update
from sqlmodel import SQLModel

import database.tables  # noqa: F401  (registers the tables on the metadata)
from ocop_desktop.reference.vocab import ProductStatus

#: the product columns the projection owns when the product has recognition records
FIELDS = ("status", "star", "decision_no", "decision_date", "certificate_no", "certificate_date",
          "certificate_expiry")
CHUNK = 500  # ids per IN list: well under any back end's limit on bound parameters

_PRODUCT = SQLModel.metadata.tables["product"]
_RECOGNITION = SQLModel.metadata.tables["recognition"]


class Held(NamedTuple):
    """What the projection reads of one live recognition."""

    id: str
    decision_date: date
    issue_date: date | None
    revoked: bool
    stars: int
    decision_no: str
    certificate_no: str | None
    expiry_date: date | None


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for record_id in ids:
        batch.append(record_id)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _precedence(rec: Held) -> tuple[date, date, str]:
    """Order of precedence: decision date, then certificate issue date, then id (the same on every
    installation, so all of them project the same values)."""
    return rec.decision_date, rec.issue_date or rec.decision_date, rec.id


def rule(recognitions: Sequence[Held]) -> dict[str, Any]:
    """The projection of one product's live recognitions: the newest decides. A valid one makes the
    product recognised with its star and certificate; a revoked one makes it revoked and keeps the
    star and certificate it names (what a revocation always showed)."""
    newest = max(recognitions, key=_precedence)
    return {"status": ProductStatus.REVOKED if newest.revoked else ProductStatus.RECOGNISED, "star": newest.stars,
            "decision_no": newest.decision_no, "decision_date": newest.decision_date,
            "certificate_no": newest.certificate_no, "certificate_date": newest.issue_date,
            "certificate_expiry": newest.expiry_date}


def _with_records(conn: Connection, product_ids: list[str]) -> list[str]:
    """The ids worth a look. For many ids, one pass over the recognitions' product ids costs less than
    an IN list per chunk: most products of an upward package have no recognition."""
    if len(product_ids) <= CHUNK:
        return product_ids
    r = _RECOGNITION.c
    held = set(conn.execute(select(r.product_id).where(r.deleted.is_(False)).distinct()).scalars())
    return [i for i in product_ids if i in held]


def projections(conn: Connection, product_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The projected fields of each of ``product_ids`` that has live recognitions (others are absent)."""
    found: dict[str, list[Held]] = {}
    r = _RECOGNITION.c
    for chunk in _chunks(_with_records(conn, list(dict.fromkeys(product_ids)))):
        rows = conn.execute(select(r.product_id, *(r[name] for name in Held._fields))
                            .where(r.product_id.in_(chunk), r.deleted.is_(False)))
        for product_id, *held in rows:
            found.setdefault(product_id, []).append(Held(*held))
    return {product_id: rule(recs) for product_id, recs in found.items()}


def project(conn: Connection, product_ids: Iterable[str]) -> int:
    """Bring the products' recognition fields in line with their recognitions; returns how many rows
    changed. Version vector, ``updated_at`` and the audit log are left alone on purpose."""
    wanted = projections(conn, product_ids)
    p = _PRODUCT.c
    changes = []
    for chunk in _chunks(wanted):
        for row in conn.execute(select(p.id, *(p[f] for f in FIELDS)).where(p.id.in_(chunk))):
            target = wanted[row.id]
            if any(getattr(row, f) != target[f] for f in FIELDS):
                changes.append({"product_id": row.id, **target})
    if changes:
        conn.execute(update(_PRODUCT).where(p.id == bindparam("product_id")), changes)
    return len(changes)


def project_records(conn: Connection, record_ids: Mapping[str, Collection[str]]) -> int:
    """Re-project the products a set of records touches (the importer, after applying a package):
    the products themselves, and the products of the recognitions."""
    touched = set(record_ids.get("product", ()))
    r = _RECOGNITION.c
    for chunk in _chunks(record_ids.get("recognition", ())):
        touched.update(conn.execute(select(r.product_id).where(r.id.in_(chunk))).scalars())
    return project(conn, touched)

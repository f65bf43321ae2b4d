"""Each checked record applied to the store: compared with the local copy by version vector (newer,
older, equal, concurrent), flagged when it looks like another unit's record, and written in batches
in the open transaction. The importer drives it; the dry run uses it to count without writing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.language.text import fold
from ocop_desktop.records.search_keys import producer_key, product_key
from ocop_desktop.sync.exchange.bulk_insert import insert_rows
from ocop_desktop.sync.package.record_codec import COLUMNS, KEYED, check_version_vector, rows_as_records, sql_values
from ocop_desktop.sync.package.view import Verified

log = logging.getLogger(__name__)

BATCH = 1024  # records classified together (one SELECT of the local versions per batch)
DECISIONS = ("new", "updated", "unchanged", "stale", "conflicts")


class InjectedFault(Exception):
    """Raised by a test's :class:`FaultPlan` at a chosen write step."""


@dataclass
class FaultPlan:
    """Fail the import at write number ``at`` (once, or at every write from ``at`` on)."""

    at: int
    every_after: bool = False
    count: int = 0

    def step(self) -> None:
        self.count += 1
        if self.count == self.at or (self.every_after and self.count >= self.at):
            raise InjectedFault(f"injected fault at write {self.count}")


def compare(incoming: dict[str, int], local: dict[str, int]) -> str:
    """newer | older | equal | concurrent, by version vector (never by clock)."""
    devices = incoming.keys() | local.keys()
    ahead = any(incoming.get(d, 0) > local.get(d, 0) for d in devices)
    behind = any(incoming.get(d, 0) < local.get(d, 0) for d in devices)
    if ahead and behind:
        return "concurrent"
    return "newer" if ahead else "older" if behind else "equal"


class DuplicateFinder:
    """Records of another unit that look like an incoming one: the same registration number, or the same
    name (folded: no tone marks, any case) in the same commune. Candidates are read once per commune, and
    registration numbers once per batch of producers (:meth:`prefetch`)."""

    def __init__(self, raw: Any, sender: str) -> None:
        self.raw, self.sender = raw, sender
        self.by_commune: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.by_registration: dict[str, list[str]] = {}

    def _names(self, table: str, commune: str) -> dict[str, list[str]]:
        key = (table, commune)
        if key not in self.by_commune:
            query = ("SELECT id, name FROM producer WHERE commune_code = ? AND owner_unit != ? AND deleted = 0"
                     if table == "producer" else
                     "SELECT p.id, p.name FROM product p JOIN producer r ON r.id = p.producer_id "
                     "WHERE r.commune_code = ? AND p.owner_unit != ? AND p.deleted = 0")
            names: dict[str, list[str]] = {}
            for record_id, name in self.raw.execute(query, (commune, self.sender)):
                names.setdefault(fold(name), []).append(record_id)
            self.by_commune[key] = names
        return self.by_commune[key]

    def prefetch(self, producers: list[dict[str, Any]]) -> None:
        """Other units' producers with the registration numbers of ``producers``, in one query (the rows
        of other units do not change while a package is imported, so they are read once)."""
        wanted = {r["registration_no"] for r in producers if r["registration_no"]} - self.by_registration.keys()
        if not wanted:
            return
        found: dict[str, list[str]] = {number: [] for number in wanted}
        for number, other in self.raw.execute(
                "SELECT registration_no, id FROM producer WHERE registration_no IN (SELECT value FROM json_each(?)) "
                "AND owner_unit != ? AND deleted = 0 ORDER BY rowid", (canonical(sorted(wanted)), self.sender)):
            found[number].append(other)
        self.by_registration.update(found)

    def find(self, table: str, record: dict[str, Any],
             producers: dict[str, tuple[str, str | None]]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if table == "producer":
            commune = record["commune_code"]
            number = record["registration_no"]
            if number:
                if number not in self.by_registration:  # the applier prefetches its batches
                    self.prefetch([record])
                found = [(other, "registration_no") for other in self.by_registration[number]]
        else:
            producer = producers.get(record["producer_id"])
            commune = producer[1] if producer else None
        names = self._names(table, commune) if commune and not record["deleted"] else None
        if names:  # most communes have no other unit's records: nothing to fold the name for
            seen = {other for other, _ in found}
            found += [(other, "name_commune") for other in names.get(fold(record["name"]), []) if other not in seen]
        return found


class Applier:
    """The sink of the verifier: classifies each record against the store and, when writing,
    applies it in the open transaction."""

    def __init__(self, conn: Connection, *, units: Any, write: Verified | None = None,
                 faults: FaultPlan | None = None) -> None:
        """``write``: the package as the dry run verified it; None for the dry run itself."""
        self.units, self.faults = units, faults
        self.write = write is not None
        self.sha256 = write.sha256 if write else ""
        self.sender = write.manifest["sender"]["unit"] if write else ""
        self.raw: Any = conn.connection.driver_connection  # sqlite3 itself: executemany without wrappers
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.producers: dict[str, tuple[str, str | None]] = {}
        self.tables: dict[str, dict[str, int]] = {}
        self.conflicts: list[tuple[str, str, list[str]]] = []
        self.duplicates = DuplicateFinder(self.raw, self.sender)
        self.flagged_total = 0
        self.releases: list[dict[str, Any]] = []
        self.flagged: list[tuple[str, str, str, str]] = []  # table, incoming id, existing id, reason

    def record(self, table: str, record: dict[str, Any]) -> None:
        if table not in self.pending and self.pending:  # the next table: its parents' last rows first
            self.flush_all()  # (a product's search key needs its producer, maybe in the last batch)
        if table == "catalog_release":
            self.releases.append(record)
        batch = self.pending.setdefault(table, [])
        batch.append(record)
        if len(batch) >= BATCH:
            self.flush(table)

    def flush_all(self) -> None:
        for table in list(self.pending):
            self.flush(table)

    def step(self) -> None:
        if self.faults is not None:
            self.faults.step()

    def flush(self, table: str) -> None:
        batch = self.pending.pop(table, [])
        if not batch:
            return
        names = [c.name for c in COLUMNS[table]]
        cursor = self.raw.cursor()
        cursor.execute(f'SELECT {", ".join(names)} FROM "{table}" WHERE id IN (SELECT value FROM json_each(?))',
                       (canonical([r["id"] for r in batch]),))
        local = {row["id"]: row for row in rows_as_records(cursor, table, names)}
        counts = self.tables.setdefault(table, dict.fromkeys(DECISIONS, 0))
        inserts, updates = [], []
        if table == "producer":
            self.duplicates.prefetch([r for r in batch if r["id"] not in local])
        for record in batch:
            if table == "producer":
                self.producers[record["id"]] = (record["name"], record["commune_code"])
            mine = local.get(record["id"])
            if mine is None:
                counts["new"] += 1
                inserts.append(record)
                if table in ("producer", "product"):
                    self.flagged += [(table, record["id"], other, why) for other, why in
                                     self.duplicates.find(table, record, self.producers)]
                continue
            decision = compare(check_version_vector(table, record), check_version_vector(table, mine))
            if decision == "equal":
                counts["unchanged"] += 1
            elif decision == "older":
                counts["stale"] += 1
            elif decision == "newer":
                counts["updated"] += 1
                updates.append(record)
            else:
                counts["conflicts"] += 1
                differing = sorted(k for k in record if record[k] != mine[k] and k != "version_vector")
                if len(self.conflicts) < 200:
                    self.conflicts.append((table, record["id"], differing))
                if self.write:
                    self.step()
                    cursor.execute(
                        "INSERT INTO sync_conflict (table_name, record_id, package_sha256, sender_unit, local_row, "
                        "incoming_row, fields, created_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                        (table, record["id"], self.sha256, self.sender, canonical(mine), canonical(record),
                         canonical(differing), f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}.000000"))
        if not self.write:
            return
        if self.flagged:
            self.step()
            now = f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}.000000"
            insert_rows(cursor, "sync_duplicate", ("table_name", "record_id", "other_id", "reason", "package_sha256",
                                                   "created_at", "status"),
                        [(*f, self.sha256, now, "open") for f in self.flagged])
            self.flagged_total += len(self.flagged)
            self.flagged.clear()
        keyed = table in KEYED
        columns = names + (["search_key"] if keyed else [])
        if inserts:
            self.step()
            insert_rows(cursor, table, columns, [self._values(table, r, keyed) for r in inserts])
        if updates:
            self.step()
            assignments = ", ".join(f"{c} = ?" for c in columns if c != "id")
            cursor.executemany(f'UPDATE "{table}" SET {assignments} WHERE id = ?',
                               [[*self._values(table, r, keyed)[1:], r["id"]] for r in updates])

    def _values(self, table: str, record: dict[str, Any], keyed: bool) -> list[Any]:
        values = sql_values(table, record)  # column order: id first
        if keyed:
            values.append(self._search_key(table, record))
        return values

    def _search_key(self, table: str, record: dict[str, Any]) -> str:
        if table == "producer":
            return producer_key(record, self.units)
        producer = self.producers.get(record["producer_id"])
        if producer is None:
            row = self.raw.execute("SELECT name, commune_code FROM producer WHERE id = ?",
                                   (record["producer_id"],)).fetchone()
            producer = self.producers[record["producer_id"]] = (row[0], row[1]) if row else ("", None)
        return product_key(record["name"], record["code"], producer[0], self.units.unit_name(producer[1]))

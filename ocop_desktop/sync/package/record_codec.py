"""Records in a package: one JSON object per line, one line per row, fields exactly the table's columns.

The schema is read from the table definitions, so a new column travels without a second list to
keep in step; closed vocabularies and foreign keys are checked too. Encoding reads raw SQLite
values (the export of 100,000 products must not build 100,000 ORM objects).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer
from sqlmodel import SQLModel

import database.tables  # noqa: F401  (registers every table on the metadata)
from ocop_desktop.reference import vocab
from ocop_desktop.sync.package.format import HEX32, HEX64
from ocop_desktop.sync.package.rejections import PackageRejected

DERIVED = {"search_key"}  # rebuilt by the importer, never trusted from a package
MAX_TEXT = 65_536
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
FIRST_YEAR, LAST_YEAR = 1945, 2100
CATALOG_ID = re.compile(r"[a-z0-9-]{1,40}")
#: text columns with a fixed shape, checked like the foreign keys
PATTERNS: dict[tuple[str, str], re.Pattern[str]] = {
    ("attachment", "sha256"): HEX64, ("sync_receipt", "package_sha256"): HEX64,
    ("catalog_release", "sha256"): HEX64, ("catalog_release", "catalog_hash"): HEX64,
    ("catalog_release", "catalog_id"): CATALOG_ID, ("score_sheet", "catalog_hash"): HEX64,
    ("score_sheet", "catalog_id"): CATALOG_ID,
}
ENUMS: dict[tuple[str, str], set[Any]] = {
    ("producer", "legal_type"): set(vocab.LEGAL_TYPES),
    ("producer", "rep_gender"): set(vocab.GENDERS),
    ("product", "status"): set(vocab.PRODUCT_STATUSES),
    ("product", "star"): {1, 2, 3, 4, 5},
    ("product", "product_set"): set(range(1, 27)),
    ("council_member", "role"): set(vocab.MEMBER_ROLES),
    ("round_entry", "dossier_type"): set(vocab.DOSSIER_TYPES),
    ("round_entry", "result_status"): set(vocab.RESULT_STATUSES),
    ("round_entry", "product_set"): set(range(1, 27)),
    ("evaluation_round", "level"): set(vocab.LEVELS),
    ("score_sheet", "status"): set(vocab.SHEET_STATUSES),
    ("score_sheet", "product_set"): set(range(1, 27)),
    ("recognition", "stars"): {1, 2, 3, 4, 5},
    ("recognition", "source"): {"council", "legacy"},
    ("attachment", "owner_table"): {"producer", "product", "round_entry"},
    ("sync_receipt", "status"): {"imported", "quarantined"},
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | int | bool | date | datetime
    nullable: bool
    max_len: int


def _kind(sql_type: Any) -> str:
    sql_type = getattr(sql_type, "impl", sql_type)  # SQLModel's UTCDateTime decorates DateTime
    if isinstance(sql_type, Boolean):
        return "bool"
    if isinstance(sql_type, Integer):
        return "int"
    if isinstance(sql_type, DateTime):
        return "datetime"
    if isinstance(sql_type, Date):
        return "date"
    return "str"


def _schema() -> tuple[dict[str, tuple[Column, ...]], dict[str, tuple[tuple[str, str], ...]]]:
    columns, references = {}, {}
    for name, table in SQLModel.metadata.tables.items():
        if "owner_unit" not in table.c:
            continue
        columns[name] = tuple(
            Column(c.name, _kind(c.type), bool(c.nullable), getattr(c.type, "length", None) or MAX_TEXT)
            for c in table.c if c.name not in DERIVED)
        references[name] = tuple(sorted((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys))
    return columns, references


COLUMNS, REFERENCES = _schema()
#: tables whose derived search key the importer computes (it never travels)
KEYED = frozenset(name for name, table in SQLModel.metadata.tables.items() if name in COLUMNS and "search_key" in table.c)


# --- encoding --------------------------------------------------------------------------------

def _converter(column: Column) -> Any:
    if column.kind == "bool":
        return lambda v: None if v is None else bool(v)
    if column.kind == "datetime":
        return lambda v: None if v is None else f"{v[:10]}T{v[11:19]}Z"
    return None


def encode_rows(conn: Connection, table: str, where: str, params: dict[str, Any],
                batch: int = 2000) -> Iterator[tuple[int, bytes]]:
    """Yield (rows, JSONL bytes) for the rows of ``table`` matching ``where``, in id order."""
    columns = COLUMNS[table]
    names = [c.name for c in columns]
    order = sorted(range(len(names)), key=lambda i: names[i])  # keys in sorted order: canonical lines
    sorted_names = [names[i] for i in order]
    converters = [(pos, conv) for pos, i in enumerate(order) if (conv := _converter(columns[i])) is not None]
    select_list = ", ".join(f'"{names[i]}"' for i in order)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]  # same transaction, no wrapper
    cursor.execute(f'SELECT {select_list} FROM "{table}" WHERE {where} ORDER BY id', params)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode  # keys in order
    while rows := cursor.fetchmany(batch):
        lines = []
        for row in rows:
            values = list(row)
            for pos, conv in converters:
                values[pos] = conv(values[pos])
            lines.append(dumps(dict(zip(sorted_names, values, strict=True))))
        lines.append("")
        yield len(rows), "\n".join(lines).encode("utf-8")


def rows_as_records(cursor: Any, table: str, names: list[str]) -> list[dict[str, Any]]:
    """Rows selected with ``names`` (any order) as package records (for conflict snapshots)."""
    by_name = {c.name: c for c in COLUMNS[table]}
    converters = [_converter(by_name[n]) for n in names]
    out = []
    for row in cursor.fetchall():
        out.append({n: (conv(v) if conv else v) for n, v, conv in zip(names, row, converters, strict=True)})
    return out


def python_values(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """A checked record's values as the table's Python types (for changes made through the ORM)."""
    values: dict[str, Any] = {}
    for column in COLUMNS[table]:
        value = record[column.name]
        if value is not None and column.kind == "date":
            value = date.fromisoformat(value)
        elif value is not None and column.kind == "datetime":
            value = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        values[column.name] = value
    return values


_SQL_FORM = {table: [(i, c.name, c.kind) for i, c in enumerate(columns) if c.kind in ("datetime", "bool")]
             for table, columns in COLUMNS.items()}
#: each table's values in column order, in one C call (every synchronised table has several columns)
_IN_ORDER = {table: itemgetter(*(c.name for c in columns)) for table, columns in COLUMNS.items()}


def sql_values(table: str, record: dict[str, Any]) -> list[Any]:
    """A checked record's values in column order, as SQLite stores them (the importer's insert)."""
    values = list(_IN_ORDER[table](record))
    for i, _name, kind in _SQL_FORM[table]:
        value = values[i]
        if value is not None:
            values[i] = f"{value[:10]} {value[11:19]}.000000" if kind == "datetime" else int(value)
    return values


# --- decoding and validation -----------------------------------------------------------------

@lru_cache(maxsize=8192)
def _plausible_day(text: str) -> bool:
    """A real calendar day in the years we accept (cached: a package repeats the same days)."""
    try:
        return FIRST_YEAR <= date.fromisoformat(text).year <= LAST_YEAR
    except ValueError:
        return False  # no 30 February


def _plausible_date(match: re.Match[str] | None) -> bool:
    if match is None:
        return False
    text = match.group(0)  # ASCII digits in the right places, by the pattern
    if len(text) > 10 and not (int(text[11:13]) < 24 and int(text[14:16]) < 60 and int(text[17:19]) < 60):
        return False  # no 25:61
    return _plausible_day(text[:10])


def _bad(table: str, record_id: Any, column: str, why: str) -> PackageRejected:
    return PackageRejected("RECORD_SCHEMA", f"bảng {table}, bản ghi {str(record_id)[:32]}, trường {column}: {why}")


MAX_INT = 2**53 - 1
_CHECKS: dict[str, tuple[tuple[str, str, bool, int, set[Any] | None], ...]] = {
    table: tuple((c.name, c.kind, c.nullable, c.max_len, ENUMS.get((table, c.name))) for c in columns)
    for table, columns in COLUMNS.items()}
_NAMES = {table: frozenset(c.name for c in columns) for table, columns in COLUMNS.items()}
_HEX_COLUMNS = {table: ("id", *(ref for ref, _ in REFERENCES[table])) for table in COLUMNS}


def _date_ok(value: str, pattern: re.Pattern[str]) -> bool:
    return _plausible_date(pattern.fullmatch(value))


def _fast_checker(table: str) -> Any:
    """A straight-line function answering only "is this record valid?" for one table: a loop over
    the column descriptions costs most of the verification time at 100,000 records. When it says
    no, :func:`check_record`'s general loop runs to name the problem."""
    lines = ["def check(r):"]
    env: dict[str, Any] = {"HEX32": HEX32.fullmatch, "HEX64": HEX64.fullmatch, "date_ok": _date_ok, "DATE": DATE,
                           "DATETIME": DATETIME, "MAX_INT": MAX_INT}
    hex_columns = set(_HEX_COLUMNS[table])
    for i, (name, kind, nullable, max_len, allowed) in enumerate(_CHECKS[table]):
        lines.append(f"    v = r[{name!r}]")
        test = {"str": f"type(v) is not str or len(v) > {max_len}",
                "int": "type(v) is not int or not -MAX_INT <= v <= MAX_INT",
                "bool": "type(v) is not bool",
                "date": "type(v) is not str or not date_ok(v, DATE)",
                "datetime": "type(v) is not str or not date_ok(v, DATETIME)"}[kind]
        if allowed is not None:
            env[f"E{i}"] = allowed
            test += f" or v not in E{i}"
        if name in hex_columns:
            test += " or not HEX32(v)"
        if (table, name) in PATTERNS:
            env[f"P{i}"] = PATTERNS[(table, name)].fullmatch
            test += f" or not P{i}(v)"
        if nullable:
            lines.append(f"    if v is not None and ({test}): return False")
        else:
            lines.append(f"    if {test}: return False")
    lines.append("    return True")
    exec("\n".join(lines), env)  # the source is built above from our own schema, never from input
    return env["check"]


_FAST = {table: _fast_checker(table) for table in COLUMNS}


def check_record(table: str, record: Any) -> dict[str, Any]:
    """Check one decoded line against the table: exactly its fields, each of the right type and size."""
    if type(record) is dict and record.keys() == _NAMES[table] and _FAST[table](record):
        check_version_vector(table, record)
        return record
    if type(record) is not dict:
        raise PackageRejected("LINE_MALFORMED", f"records/{table}.jsonl: một dòng không phải đối tượng JSON")
    record_id = record.get("id")
    if record.keys() != _NAMES[table]:
        extra = sorted(set(record) - _NAMES[table])
        missing = sorted(_NAMES[table] - set(record))
        why = f"trường lạ '{extra[0]}'" if extra else f"thiếu trường '{missing[0]}'"
        raise _bad(table, record_id, extra[0] if extra else missing[0], why)
    for name, kind, nullable, max_len, allowed in _CHECKS[table]:
        value = record[name]
        if value is None:
            if not nullable:
                raise _bad(table, record_id, name, "không được để trống")
            continue
        kind_of = type(value)
        if kind == "str":
            if kind_of is not str:
                raise _bad(table, record_id, name, "phải là chuỗi")
            if len(value) > max_len:
                raise _bad(table, record_id, name, f"dài quá {max_len} ký tự")
        elif kind == "int":
            if kind_of is not int or not -MAX_INT <= value <= MAX_INT:
                raise _bad(table, record_id, name, "phải là số nguyên")
        elif kind == "bool":
            if kind_of is not bool:
                raise _bad(table, record_id, name, "phải là true/false")
        elif kind_of is not str:
            raise _bad(table, record_id, name, "phải là ngày (YYYY-MM-DD) hoặc thời điểm (YYYY-MM-DDTHH:MM:SSZ)")
        elif not _plausible_date((DATE if kind == "date" else DATETIME).fullmatch(value)):
            raise PackageRejected("RECORD_DATE", f"bảng {table}, trường {name} = {value[:30]!r}")
        if allowed is not None and value not in allowed:
            raise _bad(table, record_id, name, f"giá trị '{str(value)[:40]}' không có trong danh mục")
    for name in _HEX_COLUMNS[table]:
        value = record[name]
        if value is not None and not HEX32.fullmatch(value):
            raise _bad(table, record_id, name, "phải là 32 chữ số hex")
    for (owner, name), pattern in PATTERNS.items():
        if owner == table and record[name] is not None and not pattern.fullmatch(record[name]):
            raise _bad(table, record_id, name, "sai dạng (mã băm 64 chữ số hex, hoặc mã bộ tiêu chí)")
    check_version_vector(table, record)
    return record


VECTOR = re.compile(r'\{(?:"[0-9a-f]{32}":[1-9][0-9]{0,15}(?:,"[0-9a-f]{32}":[1-9][0-9]{0,15})*)?\}')
VECTOR_ENTRY = re.compile(r'"([0-9a-f]{32})":([0-9]+)')


def check_version_vector(table: str, record: dict[str, Any]) -> dict[str, int]:
    """The vector is compact JSON ``{"<device>":counter,…}`` (canonical, as written): read by pattern,
    which is exact for this one shape, and refused with a device twice."""
    text = record["version_vector"]
    if not VECTOR.fullmatch(text):
        raise _bad(table, record["id"], "version_vector", 'phải có dạng {"thiết bị":bộ đếm > 0,…}')
    pairs = VECTOR_ENTRY.findall(text)
    vector = {device: int(counter) for device, counter in pairs}
    if len(vector) != len(pairs) or any(v > MAX_INT for v in vector.values()):
        raise _bad(table, record["id"], "version_vector", "một thiết bị ghi hai lần hoặc bộ đếm quá lớn")
    return vector

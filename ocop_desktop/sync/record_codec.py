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
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer
from sqlmodel import SQLModel

import database.tables  # noqa: F401  (registers every table on the metadata)
from ocop_desktop import vocab
from ocop_desktop.sync import strict_json
from ocop_desktop.sync.package_format import HEX32, HEX64
from ocop_desktop.sync.rejections import PackageRejected

DERIVED = {"search_key"}  # rebuilt by the importer, never trusted from a package
MAX_TEXT = 65_536
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z")
FIRST_YEAR, LAST_YEAR = 1945, 2100
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
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str | int | bool | date | datetime
    nullable: bool
    max_len: int


def _kind(sql_type: Any) -> str:
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
    result = conn.exec_driver_sql(f'SELECT {select_list} FROM "{table}" WHERE {where} ORDER BY id', params)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    while rows := result.fetchmany(batch):
        lines = []
        for row in rows:
            values = list(row)
            for pos, conv in converters:
                values[pos] = conv(values[pos])
            lines.append(dumps(dict(zip(sorted_names, values, strict=True))))
        lines.append("")
        yield len(rows), "\n".join(lines).encode("utf-8")


# --- decoding and validation -----------------------------------------------------------------

def _plausible_date(match: re.Match[str] | None) -> bool:
    if match is None:
        return False
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return False
    from datetime import date
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _bad(table: str, record_id: Any, column: str, why: str) -> PackageRejected:
    return PackageRejected("RECORD_SCHEMA", f"bảng {table}, bản ghi {str(record_id)[:32]}, trường {column}: {why}")


def check_record(table: str, record: Any) -> dict[str, Any]:
    """Check one decoded line against the table: exactly its fields, each of the right type and size."""
    if not isinstance(record, dict):
        raise PackageRejected("LINE_MALFORMED", f"records/{table}.jsonl: một dòng không phải đối tượng JSON")
    columns = COLUMNS[table]
    record_id = record.get("id")
    if len(record) != len(columns) or any(c.name not in record for c in columns):
        extra = sorted(set(record) - {c.name for c in columns})
        missing = sorted({c.name for c in columns} - set(record))
        why = f"trường lạ '{extra[0]}'" if extra else f"thiếu trường '{missing[0]}'"
        raise _bad(table, record_id, extra[0] if extra else missing[0], why)
    for column in columns:
        value = record[column.name]
        if value is None:
            if not column.nullable:
                raise _bad(table, record_id, column.name, "không được để trống")
            continue
        kind = column.kind
        if kind == "str":
            if not isinstance(value, str):
                raise _bad(table, record_id, column.name, "phải là chuỗi")
            if len(value) > column.max_len:
                raise _bad(table, record_id, column.name, f"dài quá {column.max_len} ký tự")
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise _bad(table, record_id, column.name, "phải là số nguyên")
        elif kind == "bool":
            if not isinstance(value, bool):
                raise _bad(table, record_id, column.name, "phải là true/false")
        elif kind == "date":
            if not isinstance(value, str):
                raise _bad(table, record_id, column.name, "phải là ngày dạng YYYY-MM-DD")
            if not _plausible_date(DATE.fullmatch(value)):
                raise PackageRejected("RECORD_DATE", f"bảng {table}, trường {column.name} = {value[:20]!r}")
        elif kind == "datetime":
            if not isinstance(value, str):
                raise _bad(table, record_id, column.name, "phải là thời điểm dạng YYYY-MM-DDTHH:MM:SSZ")
            if not _plausible_date(DATETIME.fullmatch(value)):
                raise PackageRejected("RECORD_DATE", f"bảng {table}, trường {column.name} = {value[:30]!r}")
        allowed = ENUMS.get((table, column.name))
        if allowed is not None and value not in allowed:
            raise _bad(table, record_id, column.name, f"giá trị '{str(value)[:40]}' không có trong danh mục")
    if not HEX32.fullmatch(record["id"]):
        raise _bad(table, record_id, "id", "phải là 32 chữ số hex")
    for ref, _target in REFERENCES[table]:
        if record[ref] is not None and not HEX32.fullmatch(record[ref]):
            raise _bad(table, record_id, ref, "phải là 32 chữ số hex")
    if table == "attachment" and not HEX64.fullmatch(record["sha256"]):
        raise _bad(table, record_id, "sha256", "phải là 64 chữ số hex")
    check_version_vector(table, record)
    return record


def check_version_vector(table: str, record: dict[str, Any]) -> dict[str, int]:
    vector = strict_json.loads(record["version_vector"].encode("utf-8"), f"version_vector ({table})")
    if not isinstance(vector, dict) or not all(
            HEX32.fullmatch(k) and isinstance(v, int) and not isinstance(v, bool) and v > 0
            for k, v in vector.items()):
        raise _bad(table, record["id"], "version_vector", "phải là {thiết bị: bộ đếm > 0}")  # may be empty
    return vector

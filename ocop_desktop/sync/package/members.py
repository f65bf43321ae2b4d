"""Each member of a package read once: its stored bytes hashed, its content inflated within its declared
size and hashed, record lines checked one by one (docs/package-format.md §4 and §5 step 11)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.attachment_check import FileFacts, check_attachment_row, file_facts
from ocop_desktop.sync.package.container import Entry, Limits, read_member
from ocop_desktop.sync.package.record_codec import REFERENCES, check_record
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.view import RecordSink, View

log = logging.getLogger(__name__)


class RecordChecks:
    """Per-record checks made while the records stream past; errors wait until the hash is known."""

    def __init__(self, view: View, manifest: dict[str, Any], catalogs: set[tuple[str, str]],
                 sink: RecordSink | None = None, recheck: bool = True) -> None:
        self.view = view
        self.sink = sink
        self.recheck = recheck
        self.unit = manifest["sender"]["unit"]
        self.catalogs = catalogs
        self.ids: dict[str, set[str]] = {}
        self.refs: list[tuple[str, str, str, str]] = []  # table, column, target table, id
        self.attachments: list[dict[str, Any]] = []
        self.releases: list[dict[str, Any]] = []
        self._option_counts: dict[tuple[tuple[str, str], int], dict[str, int]] = {}
        self._sets: dict[tuple[tuple[str, str], int], Any] = {}

    def record(self, table: str, record: dict[str, Any]) -> None:
        if self.recheck:
            check_record(table, record)
        if record["owner_unit"] != self.unit:
            raise PackageRejected("RECORD_OUT_OF_SCOPE", f"{table} {record['id']} (đơn vị {record['owner_unit']})")
        ids = self.ids.setdefault(table, set())
        if record["id"] in ids:
            raise PackageRejected("RECORD_DUPLICATE_ID", f"{table} {record['id']}")
        ids.add(record["id"])
        for column, target in REFERENCES[table]:  # parents come first: most references resolve at once
            if record[column] is not None and record[column] not in self.ids.get(target, ()):
                self.refs.append((table, column, target, record[column]))
        if table == "catalog_release":
            self.releases.append(record)
        if table == "attachment":
            if record["owner_id"] not in self.ids.get(record["owner_table"], ()):
                self.refs.append((table, "owner_id", record["owner_table"], record["owner_id"]))
            self.attachments.append(record)
        elif table == "score_sheet" and self.recheck:
            self._scores(record)
        if self.sink is not None:
            self.sink.record(table, record)

    def _scores(self, sheet: dict[str, Any]) -> None:
        key = (sheet["catalog_id"], sheet["catalog_hash"])
        cset = self._sets.get((key, sheet["product_set"]))
        if cset is None and key in self.catalogs:
            cset = self._sets[(key, sheet["product_set"])] = self.view.catalog_set(*key, sheet["product_set"])
        if cset is None:
            raise PackageRejected("CATALOG_UNKNOWN", f"{key[0]} ({key[1][:12]}…)")
        answers = strict_json.loads_record(sheet["answers"].encode("utf-8"), "answers")
        if type(answers) is not dict:
            raise PackageRejected("SCORE_NOT_OPTION", f"phiếu {sheet['id']}: answers phải là đối tượng")
        options = self._options(key, cset)
        if not answers.keys() <= options.keys() or [c for c, v in answers.items()
                                                     if type(v) is not int or not 0 <= v <= options[c]]:
            code = next(c for c, v in answers.items()
                        if c not in options or type(v) is not int or not 0 <= v <= options[c])
            raise PackageRejected("SCORE_NOT_OPTION", f"phiếu {sheet['id']}: tiêu chí {code}, "
                                                      f"lựa chọn {answers[code]!r}")

    def _options(self, key: tuple[str, str], cset: Any) -> dict[str, int]:
        """How many options each criterion of the set has (0 means 'not answered')."""
        cached = self._option_counts.get((key, cset.no))
        if cached is None:
            cached = self._option_counts[(key, cset.no)] = {item.code: len(item.options) for item in cset.items}
        return cached

    def finish(self, files: dict[str, FileFacts]) -> None:
        """Checks that need the whole package: foreign owners, dangling references, attachments."""
        for table, ids in self.ids.items():
            for record_id, owner in self.view.owners(table, ids).items():
                if owner != self.unit:
                    raise PackageRejected("RECORD_OUT_OF_SCOPE", f"{table} {record_id} (của đơn vị {owner})")
        missing: dict[str, set[str]] = {}
        for _table, _column, target, record_id in self.refs:
            if record_id not in self.ids.get(target, set()):
                missing.setdefault(target, set()).add(record_id)
        for target, ids in missing.items():
            absent = ids - self.view.existing(target, ids)
            if absent:
                source = next(r for r in self.refs if r[2] == target and r[3] in absent)
                raise PackageRejected("DANGLING_REFERENCE", f"{source[0]}.{source[1]} → {target} {sorted(absent)[0]}")
        referenced = {row["sha256"] for row in self.attachments} | {row["sha256"] for row in self.releases}
        for row in self.releases:
            if row["sha256"] not in files and not row["deleted"] and not self.view.catalog_known(
                    row["catalog_id"], row["catalog_hash"]):
                raise PackageRejected("DANGLING_REFERENCE", f"catalog_release {row['id']} → tệp {row['sha256'][:16]}…")
        for sha in files:
            if sha not in referenced:  # every file must be some attachment's bytes (and so type-checked)
                raise PackageRejected("FILE_UNREFERENCED", sha[:16] + "…")
        for row in self.attachments:
            facts = files.get(row["sha256"])
            if facts is None and not row["deleted"] and not self.view.has_blob(row["sha256"]):
                raise PackageRejected("DANGLING_REFERENCE", f"attachment {row['id']} → tệp {row['sha256'][:16]}…")
            if facts is not None:
                check_attachment_row(row, facts)


def stored_sha256(fh: BinaryIO, entry: Entry) -> str:
    digest, left = hashlib.sha256(), entry.stored_size
    fh.seek(entry.data_offset)
    while left and (raw := fh.read(min(1 << 20, left))):
        digest.update(raw)
        left -= len(raw)
    return digest.hexdigest()


def changed_reads_as_changed(fh: BinaryIO, entry: Entry, listed: dict[str, Any],
                              chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The member's content. If it does not inflate to its header's size and CRC-32, the stored
    bytes decide: changed from the listed ones reads as MEMBER_HASH (§5 step 11), unchanged (a lying
    header) as the container's MEMBER_INFLATES."""
    try:
        yield from chunks
    except PackageRejected as problem:
        if problem.code == "MEMBER_INFLATES" and stored_sha256(fh, entry) != listed["stored_sha256"]:
            raise PackageRejected("MEMBER_HASH", entry.name) from None
        raise


def stream_member(fh: BinaryIO, entry: Entry, listed: dict[str, Any], limits: Limits,
                   on_line: Callable[[bytes], None] | None, progress: Callable[[int], None]) -> FileFacts | None:
    """Hash the member (as stored and as content); feed complete lines to ``on_line``. A problem
    found in the content is raised only once the hashes match, so a changed member always reads as
    changed, never as a confusing content error."""
    content, stored = hashlib.sha256(), hashlib.sha256()
    deferred: PackageRejected | None = None
    pending = b""
    head, tail = b"", b""
    for chunk in changed_reads_as_changed(fh, entry, listed, read_member(fh, entry, stored.update)):
        content.update(chunk)
        progress(len(chunk))
        if on_line is not None and deferred is None:
            pending += chunk
            lines = pending.split(b"\n")
            pending = lines.pop()
            try:
                if len(pending) > limits.max_line or any(len(line) > limits.max_line for line in lines):
                    raise PackageRejected("LINE_TOO_LONG", entry.name)
                for line in lines:
                    on_line(line)
            except PackageRejected as problem:
                deferred = problem
        elif on_line is None:
            if len(head) < 1 << 18:
                head += chunk[: (1 << 18) - len(head)]
            tail = (tail + chunk)[-16:]
    if content.hexdigest() != listed["sha256"] or stored.hexdigest() != listed["stored_sha256"]:
        raise PackageRejected("MEMBER_HASH", entry.name)
    if deferred is None and pending:
        deferred = PackageRejected("LINE_MALFORMED", f"{entry.name}: dòng cuối không kết thúc bằng xuống dòng")
    if deferred is not None:
        raise deferred
    if on_line is None:
        name_hash = entry.name.removeprefix("files/")
        if name_hash != listed["sha256"]:
            raise PackageRejected("ATTACHMENT_NAME_HASH", name_hash[:16] + "…")
        return file_facts(head, tail, entry.size)
    return None

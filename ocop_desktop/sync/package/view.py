"""What verification reads of the receiving installation (:class:`View`), the facts it reads (keys,
packages seen), what it hands on record by record (:class:`RecordSink`) and what it returns
(:class:`Verified`). Kept apart so that the checks and their callers share one vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True)
class KeyInfo:
    key_id: str
    purpose: str
    unit: str
    device: str | None
    public: bytes
    status: str
    epoch: int


@dataclass(frozen=True)
class SeenPackage:
    epoch: int
    seq: int
    sha256: str
    status: str  # imported | quarantined
    received_at: datetime


class View(Protocol):
    """What the verifier may read about this installation."""

    this_unit: str
    environment: str
    now: datetime

    def key(self, key_id: str) -> KeyInfo | None: ...

    def ledger(self, unit: str, device: str) -> list[SeenPackage]: ...

    def owners(self, table: str, ids: set[str]) -> dict[str, str]:
        """The owner unit of each of ``ids`` this installation holds, to refuse taking over records."""
        ...

    def existing(self, table: str, ids: set[str]) -> set[str]:
        """Which of ``ids`` this installation holds (references may point to them)."""
        ...

    def has_blob(self, sha256: str) -> bool: ...

    def catalog_set(self, catalog_id: str, catalog_hash: str, product_set: int) -> Any: ...

    def catalog_known(self, catalog_id: str, catalog_hash: str) -> bool: ...

    def trust_expires(self) -> datetime | None:
        """When the newest trust version held here expires; None where there is none."""
        ...


@dataclass
class Verified:
    """A package that passed every check, and what importing it would mean for the sequence."""

    path: Path
    sha256: str
    size: int
    manifest: dict[str, Any]
    key: KeyInfo
    sequence: str  # next | already | gap
    waiting_for: int | None = None
    warnings: list[str] = field(default_factory=list)
    record_ids: dict[str, set[str]] = field(default_factory=dict, repr=False)  # what the records were

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest["counts"])


class RecordSink(Protocol):
    """Receives each record once it has passed its own checks (the importer writes it in its open
    transaction, which rolls back if a later check fails)."""

    def record(self, table: str, record: dict[str, Any]) -> None: ...

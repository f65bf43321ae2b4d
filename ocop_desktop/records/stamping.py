"""Sync metadata on every write: the device's counter and the row's version vector.

The counter is per installation and only grows; the version vector of a row maps each device that
changed it to that device's counter at its latest change. The sync issues compare vectors to tell
newer, older and concurrent versions apart; ``updated_at`` is for display only.
"""

from __future__ import annotations

import json

from sqlmodel import Session, select

from database.base import SyncedRow, utcnow
from database.tables import Installation
from ocop_desktop.infra.errors import NotInitialised
from ocop_desktop.infra.jsontext import canonical


def current_installation(session: Session) -> Installation:
    inst = session.exec(select(Installation)).first()
    if inst is None:
        raise NotInitialised()
    return inst


def stamp(session: Session, inst: Installation, row: SyncedRow, *, new: bool = False) -> None:
    """Record a local change of ``row``: bump the device counter and the row's vector entry."""
    inst.counter += 1
    session.add(inst)
    vector: dict[str, int] = json.loads(row.version_vector or "{}")
    vector[inst.device_id] = inst.counter
    row.version_vector = canonical(vector)
    row.updated_at = utcnow()
    if new:
        row.origin_device = inst.device_id
        row.owner_unit = inst.unit_code

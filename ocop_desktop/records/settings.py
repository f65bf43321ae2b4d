"""Settings kept in the store, each declared once: its key, type, default, scope and validation.

A setting is read with its default when it was never written (or cannot be read back, which is
logged), and written only through :func:`write_setting`: validated first, then stored with an audit
line in the same transaction, so a change of a province's rules says who made it, from what to what.
The modules that own a setting declare it (the scoring policy in ``evaluation.policy``, the targets
in ``reports.dashboard``, the clock mark in ``sync.trust.clock``); :data:`REGISTRY` lists them all.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from sqlmodel import Session

from database.engine import read_session, write_session
from database.tables import Installation, Setting
from ocop_desktop.infra.errors import ValidationFailed
from ocop_desktop.records import audit
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")
#: installation: this machine's own bookkeeping; province: a rule the province sets for its work
Scope = Literal["installation", "province"]


def _no_problems(_value: Any) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class SettingSpec(Generic[T]):
    key: str
    label: str  # what the setting is, in Vietnamese
    scope: Scope
    default: Callable[[AppContext | None], T]  # may depend on the province (None: read inside a transaction)
    decode: Callable[[Any], T]  # from the stored JSON value; ValueError, KeyError or TypeError if it is not one
    encode: Callable[[T], Any]  # to a JSON value
    check: Callable[[T], dict[str, str]] = field(default=_no_problems)  # problems by field, in Vietnamese
    audited: bool = True  # False only for bookkeeping that changes with every import (the clock mark)


REGISTRY: dict[str, SettingSpec[Any]] = {}


def declare(spec: SettingSpec[T]) -> SettingSpec[T]:
    """Register a setting; a key is declared once in the whole program."""
    if spec.key in REGISTRY:
        raise ValueError(f"setting {spec.key!r} declared twice")
    REGISTRY[spec.key] = spec
    return spec


def read_setting(session: Session, ctx: AppContext | None, spec: SettingSpec[T]) -> T:
    row = session.get(Setting, spec.key)
    if row is None:
        return spec.default(ctx)
    try:
        return spec.decode(json.loads(row.value))
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("setting %s unreadable (%s): using its default", spec.key, exc)
        return spec.default(ctx)


def setting(ctx: AppContext, spec: SettingSpec[T]) -> T:
    """The value of a setting (its default until it is first written)."""
    with read_session(ctx.engine) as s:
        return read_setting(s, ctx, spec)


def write_setting(session: Session, inst: Installation, spec: SettingSpec[T], value: T) -> None:
    """Validate and store ``value`` in the caller's write transaction, with its audit line."""
    problems = spec.check(value)
    if problems:
        raise ValidationFailed(problems)
    row = session.get(Setting, spec.key)
    before = row.value if row is not None else None
    after = json.dumps(spec.encode(value), ensure_ascii=False, sort_keys=True)
    if before == after:
        return
    row = row or Setting(key=spec.key)
    row.value = after
    session.add(row)
    if spec.audited:
        audit.record(session, inst, "setting", "setting", spec.key,
                     None if before is None else {"value": json.loads(before)}, {"value": json.loads(after)})


def save_setting(ctx: AppContext, spec: SettingSpec[T], value: T) -> None:
    """The use case: one transaction that validates, stores and audits one setting."""
    with write_session(ctx.engine) as s:
        write_setting(s, current_installation(s), spec, value)

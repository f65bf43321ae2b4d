"""Criteria catalogs: the score sheets of a decision as versioned, validated, hashed legal data.

A catalog file (``resources/criteria/<id>.json``, format in docs/catalog-format.md) is loaded,
checked (every set sums to 100, every node's maximum is the sum of its children or its best
option, star markers are 3–5 and never sit on a lower-scoring option than a lower level's) and
given a content hash. Score sheets record the catalog id **and** hash, so a later catalog never
silently re-scores an old sheet.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.infra.paths import resources_dir

FORMAT = "ocop-catalog/1"
DEFAULT_CATALOG = "qd26-2026"
STAR_LEVELS = (3, 4, 5)


class CatalogInvalid(OcopError):
    def __init__(self, catalog_id: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f" (và {len(problems) - 5} lỗi khác)" if len(problems) > 5 else "")
        super().__init__(f"Bộ tiêu chí '{catalog_id}' không hợp lệ: {shown}", f"catalog {catalog_id} invalid: {problems}")


@dataclass(frozen=True)
class Option:
    n: int  # 1-based, as the digit key that chooses it
    text: str
    points: int
    min_star: int | None = None
    case: int | None = None


@dataclass(frozen=True)
class Item:
    """A scorable criterion: the member ticks one option (or answers 0)."""

    code: str
    title: str
    max: int
    part: str
    group: str
    options: tuple[Option, ...]
    notes: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    applies_if: tuple[str, int] | None = None  # (item code, minimum points of that item)
    cases: tuple[str, ...] = ()
    required: tuple[int | None, ...] = (None, None, None)  # points needed for 3★, 4★, 5★

    def points(self, answer: int | None) -> int:
        if not answer:
            return 0
        return self.options[answer - 1].points

    def option(self, answer: int) -> Option:
        return self.options[answer - 1]


@dataclass(frozen=True)
class Node:
    """A heading of the printed sheet (group or criterion) with its children or its item."""

    code: str
    title: str
    max: int
    notes: tuple[str, ...]
    children: tuple[Node, ...] = ()
    item: Item | None = None


@dataclass(frozen=True)
class Part:
    part: str
    title: str
    max: int
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Ground:
    """A reason to reject the dossier without scoring it (set box or a criterion's note)."""

    key: str  # "set" or the item code
    text: str


@dataclass(frozen=True)
class CatalogSet:
    no: int
    title: str
    elimination: str
    star_note: str
    parts: tuple[Part, ...]
    items: tuple[Item, ...]
    grounds: tuple[Ground, ...]
    index: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def item(self, code: str) -> Item:
        return self.items[self.index[code]]

    def has_item(self, code: str) -> bool:
        return code in self.index


@dataclass(frozen=True)
class Catalog:
    id: str
    instrument: str
    title: str
    effective_from: str
    effective_to: str | None
    source: str
    hash: str
    sets: dict[int, CatalogSet]
    resolutions: tuple[dict[str, Any], ...]

    def set(self, no: int) -> CatalogSet:
        try:
            return self.sets[no]
        except KeyError:
            raise OcopError(f"Bộ tiêu chí {self.instrument} không có bộ sản phẩm số {no}.",
                            f"set {no} not in {self.id}") from None


def content_hash(document: Any) -> str:
    """SHA-256 of the canonical JSON of the document (independent of spacing and key order)."""
    return hashlib.sha256(canonical(document).encode("utf-8")).hexdigest()


def _required(options: tuple[Option, ...]) -> tuple[int | None, ...]:
    out: list[int | None] = []
    for level in STAR_LEVELS:
        marked = [o.points for o in options if o.min_star is not None and o.min_star <= level]
        out.append(max(marked) if marked else None)
    return tuple(out)


def _build_node(raw: dict[str, Any], part: str, group: str, items: list[Item], problems: list[str],
                set_no: int) -> Node:
    code, title = str(raw.get("code", "")), str(raw.get("title", ""))
    where = f"bộ {set_no}, mục {code}"
    maximum = raw.get("max")
    if not isinstance(maximum, int) or maximum < 0:
        problems.append(f"{where}: điểm tối đa không hợp lệ")
        maximum = 0
    notes = tuple(raw.get("notes", []))
    children_raw = raw.get("children") or []
    options_raw = raw.get("options") or []
    if children_raw and options_raw:
        problems.append(f"{where}: vừa có mục con vừa có lựa chọn")
    if children_raw:
        children = tuple(_build_node(c, part, group or code, items, problems, set_no) for c in children_raw)
        if sum(c.max for c in children) != maximum:
            problems.append(f"{where}: tổng điểm mục con {sum(c.max for c in children)} ≠ {maximum}")
        return Node(code, title, maximum, notes, children)
    if not options_raw:
        problems.append(f"{where}: không có lựa chọn nào")
    options = []
    for n, o in enumerate(options_raw, start=1):
        points, star, case = o.get("points"), o.get("min_star"), o.get("case")
        if not isinstance(points, int) or points < 0:
            problems.append(f"{where}: lựa chọn {n} có điểm không hợp lệ")
            points = 0
        if star is not None and star not in STAR_LEVELS:
            problems.append(f"{where}: lựa chọn {n} có mức sao {star} không hợp lệ")
            star = None
        options.append(Option(n, str(o.get("text", "")), points, star, case))
    cases = tuple(raw.get("cases", []))
    groups = [[o for o in options if o.case == c] for c in range(1, len(cases) + 1)] if cases else [options]
    for g in groups:
        if g and max(o.points for o in g) != maximum:
            problems.append(f"{where}: lựa chọn cao nhất {max(o.points for o in g)} ≠ điểm tối đa {maximum}")
    marked = sorted((o.min_star, o.points) for o in options if o.min_star)
    for (s1, p1), (s2, p2) in itertools.pairwise(marked):
        if s2 > s1 and p2 < p1:
            problems.append(f"{where}: mức sao cao hơn đặt ở lựa chọn ít điểm hơn")
    applies = raw.get("applies_if")
    item = Item(
        code=code, title=title, max=maximum, part=part, group=group or code, options=tuple(options), notes=notes,
        grounds=tuple(raw.get("grounds", [])),
        applies_if=(str(applies["item"]), int(applies["min_points"])) if applies else None,
        cases=cases, required=_required(tuple(options)),
    )
    items.append(item)
    return Node(code, title, maximum, notes, (), item)


def build_catalog(document: dict[str, Any]) -> Catalog:
    """Validate a parsed catalog document; raise CatalogInvalid listing every problem found."""
    catalog_id = str(document.get("id", "?"))
    problems: list[str] = []
    if document.get("format") != FORMAT:
        problems.append(f"định dạng '{document.get('format')}' không phải {FORMAT}")
    sets: dict[int, CatalogSet] = {}
    for raw_set in document.get("sets", []):
        no = raw_set.get("no")
        items: list[Item] = []
        parts = []
        for raw_part in raw_set.get("parts", []):
            nodes = tuple(_build_node(n, raw_part["part"], "", items, problems, no) for n in raw_part.get("children", []))
            if sum(n.max for n in nodes) != raw_part.get("max"):
                problems.append(f"bộ {no}, phần {raw_part['part']}: tổng {sum(n.max for n in nodes)} ≠ {raw_part.get('max')}")
            parts.append(Part(raw_part["part"], raw_part["title"], raw_part["max"], nodes))
        total = sum(p.max for p in parts)
        if total != 100:
            problems.append(f"bộ {no}: tổng điểm {total} ≠ 100")
        index = {item.code: i for i, item in enumerate(items)}
        if len(index) != len(items):
            problems.append(f"bộ {no}: mã tiêu chí trùng nhau")
        for item in items:
            if item.applies_if and item.applies_if[0] not in index:
                problems.append(f"bộ {no}, mục {item.code}: điều kiện áp dụng trỏ tới mục không có")
        grounds = ([Ground("set", raw_set["elimination"])] if raw_set.get("elimination") else [])
        grounds += [Ground(i.code, g) for i in items for g in i.grounds]
        sets[no] = CatalogSet(no, raw_set["title"], raw_set.get("elimination", ""), raw_set.get("star_note", ""),
                              tuple(parts), tuple(items), tuple(grounds), index)
    if not sets:
        problems.append("không có bộ sản phẩm nào")
    if problems:
        raise CatalogInvalid(catalog_id, problems)
    return Catalog(
        id=catalog_id, instrument=document["instrument"], title=document.get("title", ""),
        effective_from=document.get("effective_from", ""), effective_to=document.get("effective_to"),
        source=document.get("source", ""), hash=content_hash(document), sets=sets,
        resolutions=tuple(document.get("resolutions", [])),
    )


def load_catalog_file(path: Path) -> Catalog:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OcopError(f"Không đọc được tệp bộ tiêu chí '{path.name}'.", f"catalog {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise CatalogInvalid(path.stem, ["tệp không phải một đối tượng JSON"])
    return build_catalog(document)


def catalog_path(catalog_id: str, received: Sequence[Path] = ()) -> Path | None:
    """Where the catalog file with this id lives: bundled first, then the ``received`` folders (an
    installation's ``catalogs/``, from ``AppContext.catalogs_dir``)."""
    if not re.fullmatch(r"[a-z0-9-]{1,40}", catalog_id):
        return None
    for folder in (resources_dir() / "criteria", *received):
        path = folder / f"{catalog_id}.json"
        if path.exists():
            return path
    return None


@cache
def load_catalog(catalog_id: str = DEFAULT_CATALOG, received: Path | None = None) -> Catalog:
    """A catalog by id, bundled or received from the province into ``received`` (the context's
    ``catalogs_dir``), validated once per process."""
    path = catalog_path(catalog_id, () if received is None else (received,))
    if path is None:
        raise OcopError(f"Không có bộ tiêu chí '{catalog_id}'.", f"no catalog {catalog_id}")
    return load_catalog_file(path)


def available_catalogs(received: Path | None = None) -> list[str]:
    """The ids of the bundled catalogs and of those received into ``received``."""
    folders = (resources_dir() / "criteria", *(() if received is None else (received,)))
    return sorted({p.stem for folder in folders if folder.exists() for p in folder.glob("*.json")})


def check_answers(cset: CatalogSet, answers: Mapping[str, object]) -> list[str]:
    """Problems with answers that are not in the catalog (Vietnamese), empty when all are valid."""
    problems = []
    for code, value in answers.items():
        if not cset.has_item(code):
            problems.append(f"tiêu chí '{code}' không có trong bộ {cset.no}")
            continue
        item = cset.item(code)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= len(item.options):
            problems.append(f"tiêu chí {code}: lựa chọn '{value}' không có (chỉ có 0–{len(item.options)})")
    return problems

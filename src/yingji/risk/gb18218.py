"""Identification and grading of major hazard installations of hazardous chemicals by GB 18218-2018
(危险化学品重大危险源辨识).

Clause 4.2 (identification): for a production or storage unit, S = q1/Q1 + … + qn/Qn with q the maximum
quantity present (t) and Q the critical quantity: Table 1 for the named chemicals, otherwise Table 2 by the
substance's hazard category, the lowest Q when several categories apply. The unit is a major hazard when
S ≥ 1 (equality included). Clause 4.3 (grading): R = α (β1·q1/Q1 + … + βn·qn/Qn), β from Table 3 for the named
toxic gases and from Table 4 by category otherwise, α from Table 5 by the number of people within 500 m of the
plant boundary; Table 6 grades R: ≥ 100 first grade, 50-100 second, 10-50 third, < 10 fourth, each boundary
value belonging to the higher grade.

The tables are data (data/gb18218_table1.csv and data/gb18218_tables.json). Arithmetic is exact (fractions of
the decimal quantities given), so S = 1 is never lost to a floating-point slip.
"""

import csv
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data"
MAX_QUANTITY = Decimal(10**9)
MAX_PEOPLE = 10**9


class HazardInputError(ValueError):
    """A bad input item; `field` names it the way the API does ("items.2.quantity_t", "exposed_people")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Substance:
    """One row of Table 1."""

    seq: int
    name: str
    aliases: tuple[str, ...]
    name_en: str
    cas: tuple[str, ...]
    q: Decimal


@dataclass(frozen=True)
class Tables:
    table1: tuple[Substance, ...]
    categories: dict[str, Decimal]  # Table 2: symbol → Q
    category_labels: dict[str, str]
    beta_named: dict[str, Decimal]  # Table 3: name or CAS → β
    beta_category: dict[str, Decimal]  # Table 4: symbol → β
    alpha: tuple[tuple[int, Decimal], ...]  # Table 5: (least people, α), most people first
    grades: tuple[tuple[int, Decimal, str], ...]  # Table 6: (grade, least R, label), grade 1 first


def _key(text: str) -> str:
    # Full-width brackets and spaces are how people type; the table uses ASCII ones.
    return re.sub(r"\s+", "", text.replace("（", "(").replace("）", ")").replace("，", ",")).lower()


@cache
def tables() -> Tables:
    """The standard's tables, read once from the app's data files."""
    with (DATA / "gb18218_table1.csv").open(encoding="utf-8") as handle:
        table1 = tuple(
            Substance(
                seq=int(row["seq"]),
                name=row["name_cn"],
                aliases=tuple(a for a in row["alias_cn"].split(";") if a),
                name_en=row["name_en"],
                cas=tuple(c for c in row["cas"].split(";") if c),
                q=Decimal(row["critical_t"]),
            )
            for row in csv.DictReader(handle)
        )
    rest = json.loads((DATA / "gb18218_tables.json").read_text(encoding="utf-8"))
    beta_named: dict[str, Decimal] = {}
    for row in rest["table3"]:
        beta_named[_key(row["name"])] = Decimal(row["beta"])
        beta_named[row["cas"]] = Decimal(row["beta"])
    return Tables(
        table1=table1,
        categories={symbol: Decimal(row["q"]) for symbol, row in rest["table2"].items()},
        category_labels={symbol: row["label"] for symbol, row in rest["table2"].items()},
        beta_named=beta_named,
        beta_category={symbol: Decimal(beta) for beta, symbols in rest["table4"].items() for symbol in symbols},
        alpha=tuple((row["min_people"], Decimal(row["alpha"])) for row in rest["table5"]),
        grades=tuple((row["grade"], Decimal(row["min_r"]), row["label"]) for row in rest["table6"]),
    )


@cache
def _name_index() -> dict[str, tuple[Substance, ...]]:
    """Names (Chinese, aliases, English, the name before its brackets, each part of "甲烷,天然气") → rows."""
    exact: dict[str, list[Substance]] = {}
    loose: dict[str, list[Substance]] = {}
    for row in tables().table1:
        for name in (row.name, *row.aliases, row.name_en):
            exact.setdefault(_key(name), []).append(row)
        base = re.split(r"[(\[]", _key(row.name))[0]
        for part in {base, *base.split(",")}:
            if part:
                loose.setdefault(part, []).append(row)
    index = {k: tuple(dict.fromkeys(v)) for k, v in loose.items()}
    index.update({k: tuple(dict.fromkeys(v)) for k, v in exact.items()})
    return index


@cache
def _cas_index() -> dict[str, tuple[Substance, ...]]:
    index: dict[str, list[Substance]] = {}
    for row in tables().table1:
        for cas in row.cas:
            index.setdefault(cas, []).append(row)
    return {k: tuple(v) for k, v in index.items()}


def _ambiguous(field: str, rows: Sequence[Substance]) -> HazardInputError:
    names = "；".join(f"{r.seq}. {r.name}" for r in rows)
    return HazardInputError(
        field, _("several Table 1 entries match; give the exact name: %(names)s") % {"names": names}
    )


def find_substance(*, name: str | None = None, cas: str | None = None, field: str = "name") -> Substance | None:
    """The Table 1 row a name or CAS number names, None when Table 1 lists neither; HazardInputError when
    the name or number fits several rows (nitrocellulose, ammonium nitrate)."""
    if name:
        rows = _name_index().get(_key(name), ())
        if len(rows) > 1:
            raise _ambiguous(field, rows)
        if rows:
            return rows[0]
    if cas:
        rows = _cas_index().get(cas.strip(), ())
        if len(rows) > 1:
            raise _ambiguous(field.replace("name", "cas"), rows)
        if rows:
            return rows[0]
    return None


def alpha_for(people: int) -> Decimal:
    """α of Table 5 for the number of people who may be exposed within 500 m of the plant boundary."""
    for least, alpha in tables().alpha:
        if people >= least:
            return alpha
    raise HazardInputError("exposed_people", _("must not be negative"))


def grade_for(r: Fraction | Decimal | int) -> tuple[int, str]:
    """The grade of Table 6 for R (boundary values belong to the higher grade)."""
    value = Fraction(r)
    for grade, least, label in tables().grades:
        if value >= Fraction(least):
            return grade, label
    return tables().grades[-1][0], tables().grades[-1][2]


@dataclass(frozen=True)
class ItemResult:
    index: int
    name: str
    cas: str
    table: int  # 1 or 2: where Q came from
    table1_seq: int | None
    category: str  # the Table 2 symbol that gave Q (Table 2) or β (Table 4); "" when none
    quantity_t: Decimal
    q_crit: Decimal
    beta: Decimal | None
    ratio: Fraction

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "name": self.name,
            "cas": self.cas,
            "table": self.table,
            "table1_seq": self.table1_seq,
            "category": self.category,
            "quantity_t": float(self.quantity_t),
            "q_crit": float(self.q_crit),
            "beta": float(self.beta) if self.beta is not None else None,
            "ratio": _round(self.ratio),
        }


@dataclass(frozen=True)
class Identification:
    s: Fraction
    is_major: bool
    alpha: Decimal
    r: Fraction | None
    grade: int | None
    grade_label: str
    items: list[ItemResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "s": _round(self.s),
            "is_major": self.is_major,
            "alpha": float(self.alpha),
            "r": _round(self.r) if self.r is not None else None,
            "grade": self.grade,
            "grade_label": self.grade_label,
            "items": [item.as_dict() for item in self.items],
        }


def _round(value: Fraction) -> float:
    return round(float(value), 6)


def _decimal(raw: Any, field: str) -> Decimal:
    if isinstance(raw, bool):
        raise HazardInputError(field, _("give a number"))
    try:
        value = Decimal(str(raw)) if not isinstance(raw, Decimal) else raw
    except (InvalidOperation, ValueError):
        raise HazardInputError(field, _("give a number")) from None
    if not value.is_finite():
        raise HazardInputError(field, _("give a finite number"))
    return value


def _categories(raw: Any, field: str) -> list[str]:
    if raw in (None, "", []):
        return []
    symbols = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else None
    if symbols is None:
        raise HazardInputError(field, _("give a Table 2 symbol such as W2 or J1"))
    known = tables().categories
    cleaned = []
    for symbol in symbols:
        text = str(symbol).strip().upper()
        if text not in known:
            raise HazardInputError(
                field,
                _("unknown Table 2 category %(symbol)s; one of %(known)s")
                % {"symbol": symbol, "known": ", ".join(known)},
            )
        cleaned.append(text)
    return cleaned


def _item(index: int, raw: Mapping[str, Any]) -> ItemResult:
    where = f"items.{index}"
    t = tables()
    name = str(raw.get("name") or "").strip()
    cas = str(raw.get("cas") or "").strip()
    categories = _categories(raw.get("category"), f"{where}.category")
    quantity = _decimal(raw.get("quantity_t"), f"{where}.quantity_t")
    if quantity < 0:
        raise HazardInputError(f"{where}.quantity_t", _("a quantity cannot be negative"))
    if quantity > MAX_QUANTITY:
        raise HazardInputError(f"{where}.quantity_t", _("too large"))
    if not name and not cas and not categories:
        raise HazardInputError(f"{where}.name", _("give the substance's name or CAS number, or its Table 2 category"))
    substance = find_substance(name=name, cas=cas, field=f"{where}.name") if (name or cas) else None
    # Among several categories the lowest Q applies (a tie goes to the larger β, the safer side).
    by_q = sorted(categories, key=lambda s: (t.categories[s], -t.beta_category[s]))
    chosen = by_q[0] if by_q else ""
    if substance is not None:
        q_crit, table = substance.q, 1
    elif chosen:
        q_crit, table = t.categories[chosen], 2
    else:
        raise HazardInputError(
            f"{where}.name" if name else f"{where}.cas",
            _("%(what)s is not in Table 1; give its Table 2 category (for example W2 or J1)") % {"what": name or cas},
        )
    beta = None
    for key in (
        *(s for s in (substance.cas if substance else ())),
        cas,
        _key(substance.name) if substance else "",
        _key(name),
    ):
        if key and key in t.beta_named:
            beta = t.beta_named[key]
            break
    if beta is None and chosen:
        beta = t.beta_category[chosen]
    return ItemResult(
        index=index,
        name=substance.name if substance else name or t.category_labels[chosen],
        cas=cas or (substance.cas[0] if substance and substance.cas else ""),
        table=table,
        table1_seq=substance.seq if substance else None,
        category=chosen,
        quantity_t=quantity,
        q_crit=q_crit,
        beta=beta,
        ratio=Fraction(quantity) / Fraction(q_crit),
    )


def identify(items: Sequence[Mapping[str, Any]], exposed_people: int) -> Identification:
    """Identify and grade one unit: S, whether it is a major hazard, α, R and the grade (None unless major).

    Each item is {"name" or "cas" (Table 1), "category" (a Table 2 symbol or a list of them), "quantity_t"}.
    Raises HazardInputError naming the bad item's field. R needs every item's β; when the unit is not a major
    hazard and some β is unknown, R is None.
    """
    if isinstance(exposed_people, bool) or not isinstance(exposed_people, int):
        raise HazardInputError("exposed_people", _("give a whole number"))
    if exposed_people < 0 or exposed_people > MAX_PEOPLE:
        raise HazardInputError("exposed_people", _("must be between 0 and 10^9"))
    if not items:
        raise HazardInputError("items", _("give at least one substance"))
    results = [_item(index, raw) for index, raw in enumerate(items)]
    s = sum((item.ratio for item in results), Fraction(0))
    is_major = s >= 1
    alpha = alpha_for(exposed_people)
    missing = [item for item in results if item.beta is None]
    if missing and is_major:
        first = missing[0]
        raise HazardInputError(
            f"items.{first.index}.category",
            _("%(name)s: give its Table 2 category so that β can be taken from Table 4") % {"name": first.name},
        )
    betas = [(i.beta, i.ratio) for i in results if i.beta is not None]
    r = None if missing else Fraction(alpha) * sum((Fraction(beta) * ratio for beta, ratio in betas), Fraction(0))
    grade, label = grade_for(r) if is_major and r is not None else (None, "")
    return Identification(s=s, is_major=is_major, alpha=alpha, r=r, grade=grade, grade_label=label, items=results)

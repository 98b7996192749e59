"""Excel in and out for every registry, driven by one column spec per registry (see sheets.py).

The workbook has one sheet: a header row of fixed Chinese column titles, then one row per record. An import
reads every row, creates records whose code is new and updates those it finds (in the user's scope), all in
one transaction: when any row is bad nothing is written, and each problem is reported as "第N行 字段: 原因".
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed
from yingji.core.inputs import MAX_QUANTITY
from yingji.core.models import User
from yingji.core.xlsx import read_rows, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 5000
TRUE_WORDS = {"是", "true", "1", "yes", "y", "开放"}
FALSE_WORDS = {"否", "false", "0", "no", "n", "关闭", ""}


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Column:
    """One column: its fixed Chinese header, the service keyword it feeds, and how to read and write it.

    kind is one of text, int, float, date, bool, choice (a TextChoices in `choices`), choices (a list of
    them, joined by "、") or org (an org unit by code or name)."""

    header: str
    field: str
    kind: str = "text"
    required: bool = False
    choices: type[models.TextChoices] | None = None
    get: Callable[[Any], Any] | None = None
    default: Any = None

    def _choice_type(self) -> type[models.TextChoices]:
        assert self.choices is not None, f"{self.header}: a choice column names its choices"
        return self.choices

    def value_of(self, obj: Any) -> Any:
        """The cell value exported for `obj`."""
        value = self.get(obj) if self.get else getattr(obj, self.field)
        if value is None:
            return None
        if self.kind == "choice":
            return str(dict(self._choice_type().choices).get(value, value))
        if self.kind == "choices":
            labels = dict(self._choice_type().choices)
            return "、".join(str(labels.get(v, v)) for v in value)
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "org":
            return value.name
        return value

    def parse(self, raw: Any, *, user: User, lookup_org: Callable[[User, str], Any]) -> Any:
        """The service value of a cell; raises CellError with the reason."""
        text = _text(raw)
        if text == "":
            if self.required:
                raise CellError(_("required"))
            return self.default if self.default is not None else _empty(self.kind)
        if self.kind == "text":
            return text
        if self.kind == "int":
            return _int(raw, text)
        if self.kind == "float":
            try:
                number = float(raw) if isinstance(raw, int | float) else float(text)
            except (ValueError, OverflowError):
                raise CellError(_("not a number: %(value)s") % {"value": text}) from None
            if not math.isfinite(number) or abs(number) > MAX_QUANTITY:
                raise CellError(_("not a number: %(value)s") % {"value": text})
            return number
        if self.kind == "date":
            return _date(raw, text)
        if self.kind == "bool":
            if text.lower() in TRUE_WORDS:
                return True
            if text.lower() in FALSE_WORDS:
                return False
            raise CellError(_("write 是 or 否"))
        if self.kind == "choice":
            return _choice(self._choice_type(), text)
        if self.kind == "choices":
            return [
                _choice(self._choice_type(), part.strip())
                for part in text.replace(",", "、").split("、")
                if part.strip()
            ]
        if self.kind == "org":
            org = lookup_org(user, text)
            if org is None:
                raise CellError(_("no such unit: %(value)s") % {"value": text})
            return org
        raise AssertionError(f"unknown column kind {self.kind}")


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def _empty(kind: str) -> Any:
    return {"text": "", "choices": [], "bool": False}.get(kind)


def _int(raw: Any, text: str) -> int:
    if isinstance(raw, bool):
        raise CellError(_("not a whole number: %(value)s") % {"value": text})
    try:
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        else:
            number = int(text)
    except (ValueError, OverflowError):
        raise CellError(_("not a whole number: %(value)s") % {"value": text}) from None
    if abs(number) > MAX_QUANTITY:
        raise CellError(_("at most %(n)d") % {"n": MAX_QUANTITY})
    return number


def _date(raw: Any, text: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise CellError(_("not a date (YYYY-MM-DD): %(value)s") % {"value": text}) from None


def _choice(choices: type[models.TextChoices], text: str) -> str:
    for value, label in choices.choices:
        if text in (value, str(label)):
            return value
    raise CellError(_("not one of %(options)s") % {"options": "、".join(str(label) for _v, label in choices.choices)})


@dataclass(frozen=True)
class Sheet:
    """A registry's spreadsheet: its columns, the column that identifies a record (its code), and how to
    list, find, create and update records through the selectors and services."""

    slug: str
    title: str
    columns: list[Column]
    rows: Callable[[User], Iterable[Any]]
    find: Callable[[User, Any], Any | None]
    create: Callable[..., Any]
    update: Callable[..., Any]
    key: str = "code"
    lookup_org: Callable[[User, str], Any] = field(default=lambda user, value: None)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def export_xlsx(sheet: Sheet, *, user: User) -> bytes:
    """The registry as the user sees it, as an .xlsx file (texts as text, never formulas)."""
    # Choice labels are written in Chinese whatever language the user reads: the file format is fixed.
    with translation.override("zh-hans"):
        rows = [[column.value_of(obj) for column in sheet.columns] for obj in sheet.rows(user)]
    return write_xlsx(title=sheet.title, header=[column.header for column in sheet.columns], rows=rows)


def _read(data: bytes) -> list[tuple[Any, ...]]:
    return read_rows(data, max_rows=MAX_IMPORT_ROWS)


def _error(line: int, header: str, reason: str) -> str:
    if header == "__all__":  # a rule over several fields: the row, not a column
        return f"第{line}行: {reason}"
    return f"第{line}行 {header}: {reason}"


def import_xlsx(sheet: Sheet, *, user: User, data: bytes) -> ImportReport:
    """Create or update every row's record, all or nothing; raises ValidationFailed with one
    "第N行 字段: 原因" message per problem under the `file` field."""
    rows = _read(data)
    if not rows:
        raise ValidationFailed(_("the file is empty"), {"file": [_("The file is empty.")]})
    header = [_text(h) for h in rows[0]]
    missing = [c.header for c in sheet.columns if c.header not in header]
    if missing:
        absent = [_error(1, h, _("column missing")) for h in missing]
        raise ValidationFailed(absent[0], {"file": absent})
    index = {h: i for i, h in enumerate(header)}
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(_text(v) for v in row)]
    if len(body) > MAX_IMPORT_ROWS:
        raise ValidationFailed(_("too many rows"), {"file": [_("At most %(n)d rows.") % {"n": MAX_IMPORT_ROWS}]})
    by_field = {c.field: c.header for c in sheet.columns}
    problems: list[str] = []
    created = updated = 0
    seen: dict[Any, int] = {}
    with translation.override("zh-hans"), transaction.atomic():
        for line, row in body:
            values: dict[str, Any] = {}
            row_problems = []
            for column in sheet.columns:
                raw = row[index[column.header]] if index[column.header] < len(row) else None
                try:
                    values[column.field] = column.parse(raw, user=user, lookup_org=sheet.lookup_org)
                except CellError as exc:
                    row_problems.append(_error(line, column.header, str(exc)))
            key = values.get(sheet.key)
            if key in seen:
                row_problems.append(_error(line, by_field[sheet.key], _("same as row %(n)d") % {"n": seen[key]}))
            seen.setdefault(key, line)
            if row_problems:
                problems.extend(row_problems)
                continue
            existing = sheet.find(user, key)
            try:
                if existing is None:
                    sheet.create(by=user, **values)
                    created += 1
                else:
                    # Count a row as updated only when its record reads differently afterwards: re-importing an
                    # exported file reports 0, changing one row reports 1.
                    before = [column.value_of(existing) for column in sheet.columns]
                    sheet.update(by=user, obj=existing, **values)
                    after_obj = sheet.find(user, key)
                    if after_obj is None or [column.value_of(after_obj) for column in sheet.columns] != before:
                        updated += 1
            except ValidationFailed as exc:
                for name, messages in (exc.errors or {"__all__": [exc.detail]}).items():
                    problems.extend(_error(line, by_field.get(name, name), str(m)) for m in messages)
        if problems:
            # Raising inside the transaction rolls back the rows already written.
            raise ValidationFailed(problems[0], {"file": problems})
    return ImportReport(created=created, updated=updated)

"""Every statistic as an Excel workbook: one exporter reads any statistic's result, so a figure registered later
exports with no new code. Scalar figures go to the first sheet (with last year's figure and the change as a
formula), each breakdown (`by_*`, a dict of counts) and each list of rows to a sheet of its own."""

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import DIMENSIONS, FIGURE_LABELS, STATS, Result

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
# Excel refuses sheet titles longer than 31 characters or containing []:*?/\
SHEET_TITLE_MAX = 31


def label(key: str, dimension: str | None = None) -> str:
    """The reader's name of a figure or of a key of a breakdown."""
    if dimension and key in DIMENSIONS.get(dimension, {}):
        return str(DIMENSIONS[dimension][key])
    if key in FIGURE_LABELS:
        return str(FIGURE_LABELS[key])
    return key


def header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font, cell.fill = BOLD, HEAD_FILL


def change_formula(row: int, current: str = "B", previous: str = "C") -> str:
    """Year-on-year change as a formula: blank when last year's figure is zero."""
    return f'=IF({previous}{row}=0,"",({current}{row}-{previous}{row})/{previous}{row})'


def widths(sheet: Worksheet, width: int = 18) -> None:
    for col in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(col)].width = width if col > 1 else 30


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, int | float | str | bool)


def _safe_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:SHEET_TITLE_MAX]


def write_scalars(sheet: Worksheet, result: Result, previous: Result | None, start_row: int = 1) -> int:
    """Scalar figures as rows (figure, value[, last year, change]); returns the next free row."""
    titles = [_("Figure"), _("Value")] + (
        [_("Same period last year"), pgettext("year on year", "Change")] if previous else []
    )
    header(sheet, start_row, titles)
    row = start_row + 1
    for key, value in result.items():
        if key == "previous" or not _is_scalar(value):
            continue
        sheet.cell(row=row, column=1, value=label(key))
        sheet.cell(row=row, column=2, value=value)
        if previous is not None and _is_scalar(previous.get(key)) and isinstance(value, int | float):
            sheet.cell(row=row, column=3, value=previous.get(key))
            cell = sheet.cell(row=row, column=4, value=change_formula(row))
            cell.number_format = "0.0%"
        row += 1
    return row + 1


def write_breakdown(
    sheet: Worksheet, dimension: str, values: dict[str, Any], previous: dict[str, Any] | None, start_row: int = 1
) -> int:
    """A breakdown (key → count) as rows with a total formula; returns the next free row."""
    titles = [label(dimension), _("Value")] + (
        [_("Same period last year"), pgettext("year on year", "Change")] if previous else []
    )
    header(sheet, start_row, titles)
    row = start_row + 1
    first = row
    for key, value in values.items():
        sheet.cell(row=row, column=1, value=label(key, dimension))
        sheet.cell(row=row, column=2, value=value)
        if previous is not None:
            sheet.cell(row=row, column=3, value=previous.get(key, 0))
            sheet.cell(row=row, column=4, value=change_formula(row)).number_format = "0.0%"
        row += 1
    if values:
        sheet.cell(row=row, column=1, value=_("Total")).font = BOLD
        sheet.cell(row=row, column=2, value=f"=SUM(B{first}:B{row - 1})").font = BOLD
        if previous is not None:
            sheet.cell(row=row, column=3, value=f"=SUM(C{first}:C{row - 1})").font = BOLD
            sheet.cell(row=row, column=4, value=change_formula(row)).number_format = "0.0%"
        row += 1
    return row + 1


def write_rows(sheet: Worksheet, rows: list[dict[str, Any]], start_row: int = 1) -> int:
    """A list of records as a table, one column per key of the first record."""
    if not rows:
        sheet.cell(row=start_row, column=1, value=_("None"))
        return start_row + 2
    keys = [k for k, v in rows[0].items() if _is_scalar(v)]
    header(sheet, start_row, [label(k) for k in keys])
    for offset, record in enumerate(rows, start=1):
        for col, key in enumerate(keys, start=1):
            sheet.cell(row=start_row + offset, column=col, value=record.get(key))
    return start_row + len(rows) + 2


def aligned(dimension: str, current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Last year's breakdown keyed like this year's: months are matched by position (2025-03 ↔ 2026-03)."""
    if dimension != "by_month":
        return previous
    return dict(zip(current, previous.values(), strict=False))


def stat_workbook(name: str, result: Result, filters: StatFilters) -> bytes:
    """A statistic's result as an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = _safe_title(str(STATS[name].label))
    sheet.cell(row=1, column=1, value=str(STATS[name].label)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=f"{filters.date_from.isoformat()} – {filters.date_to.isoformat()}")
    previous = result.get("previous")
    write_scalars(sheet, result, previous, start_row=4)
    widths(sheet)
    for key, value in result.items():
        if key == "previous" or _is_scalar(value):
            continue
        tab = book.create_sheet(_safe_title(label(key)))
        if isinstance(value, dict) and all(_is_scalar(v) for v in value.values()):
            before = aligned(key, value, previous.get(key, {})) if previous else None
            write_breakdown(tab, key, value, before)
        elif isinstance(value, list):
            write_rows(tab, value)
        widths(tab)
    out = BytesIO()
    book.save(out)
    return out.getvalue()

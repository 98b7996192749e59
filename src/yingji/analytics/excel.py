"""Every statistic as an Excel workbook: one exporter reads any statistic's result, so a figure registered later
exports with no new code. Scalar figures go to the first sheet (with last year's figure and the change as a
formula), each breakdown (`by_*`, a dict of counts) and each list of rows to a sheet of its own."""

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yingji.analytics.filters import StatFilters
from yingji.analytics.stats import DIMENSIONS, FIGURE_LABELS, STATS, Result
from yingji.core.xlsx import XLSX_CONTENT_TYPE, _as_text_if_formula, text_safe

__all__ = ["XLSX_CONTENT_TYPE", "put", "stat_workbook", "write_stat"]

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


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """A value from the data (a name, a reason) in a cell: kept as text even when it looks like a formula (the
    core kit's rule for every workbook). The report's own formulas are written with `sheet.cell` directly."""
    cell = sheet.cell(row=row, column=column, value=text_safe(value))
    _as_text_if_formula(cell)
    return cell


def header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = put(sheet, row, col, title)
        cell.font, cell.fill = BOLD, HEAD_FILL


def change_formula(row: int, current: str = "B", previous: str = "C") -> str:
    """Year-on-year change as a formula: blank when last year's figure is zero."""
    return f'=IF({previous}{row}=0,"",({current}{row}-{previous}{row})/{previous}{row})'


def widths(sheet: Worksheet, width: int = 18) -> None:
    for col in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(col)].width = width if col > 1 else 30


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, int | float | str | bool)


def safe_title(title: str) -> str:
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
        if key == "previous" or not is_scalar(value):
            continue
        put(sheet, row, 1, label(key))
        put(sheet, row, 2, value)
        if previous is not None and is_scalar(previous.get(key)) and isinstance(value, int | float):
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
        put(sheet, row, 1, label(key, dimension))
        put(sheet, row, 2, value)
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
    keys = [k for k, v in rows[0].items() if is_scalar(v)]
    header(sheet, start_row, [label(k) for k in keys])
    for offset, record in enumerate(rows, start=1):
        for col, key in enumerate(keys, start=1):
            put(sheet, start_row + offset, col, record.get(key))
    return start_row + len(rows) + 2


def aligned(dimension: str, current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Last year's breakdown keyed like this year's: months are matched by position (2025-03 ↔ 2026-03)."""
    if dimension != "by_month":
        return previous
    return dict(zip(current, previous.values(), strict=False))


def write_stat(sheet: Worksheet, result: Result) -> None:
    """A statistic's result on one sheet: its figures (against last year where it compares), then each
    breakdown and each table below them."""
    previous = result.get("previous")
    row = write_scalars(sheet, result, previous)
    for key, value in result.items():
        if key == "previous" or is_scalar(value):
            continue
        if isinstance(value, dict) and all(is_scalar(v) for v in value.values()):
            before = aligned(key, value, previous.get(key, {})) if previous else None
            row = write_breakdown(sheet, key, value, before, row)
        elif isinstance(value, list):
            sheet.cell(row=row, column=1, value=label(key)).font = BOLD
            row = write_rows(sheet, value, row + 1)
    widths(sheet)


def stat_workbook(name: str, result: Result, filters: StatFilters) -> bytes:
    """A statistic's result as an .xlsx file."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = safe_title(str(STATS[name].label))
    put(sheet, 1, 1, str(STATS[name].label)).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=f"{filters.date_from.isoformat()} – {filters.date_to.isoformat()}")
    previous = result.get("previous")
    write_scalars(sheet, result, previous, start_row=4)
    widths(sheet)
    for key, value in result.items():
        if key == "previous" or is_scalar(value):
            continue
        tab = book.create_sheet(safe_title(label(key)))
        if isinstance(value, dict) and all(is_scalar(v) for v in value.values()):
            before = aligned(key, value, previous.get(key, {})) if previous else None
            write_breakdown(tab, key, value, before)
        elif isinstance(value, list):
            write_rows(tab, value)
        widths(tab)
    out = BytesIO()
    book.save(out)
    return out.getvalue()

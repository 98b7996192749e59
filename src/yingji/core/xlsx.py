"""Excel in and out, safely: a bounded reader and a writer that never writes a formula.

The reader refuses, before doing any real work, a file that is too large or whose sheets unpack to too much,
then reads row by row and stops at the limit: a workbook of a million rows is refused after reading the first
few thousand, in well under a second. Anything openpyxl cannot read is a `ValidationFailed` on the `file`
field, never a crash.

The writer writes every text as text: a name that starts with `=` (or `+`, `-`, `@`, a tab or a carriage
return, which spreadsheet programs also take as the start of a formula) is written as a string cell with the
quote prefix, so opening the export never runs `=HYPERLINK(…)` or `=cmd|…` (OWASP: CSV/formula injection).
"""

import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any
from zipfile import BadZipFile, ZipFile

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yingji.core.errors import ValidationFailed
from yingji.core.inputs import xml_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024
# What the sheets of an accepted file may unpack to: 5000 rows of 50 columns is well under this.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COLUMNS = 200
# Cells per row on average that a sheet may hold: openpyxl parses a whole sheet to size it when the sheet does
# not say its size, so what it may parse is bounded before it starts.
MAX_CELLS_PER_ROW = 40
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CHUNK = 256 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _refuse(detail: str, message: str) -> ValidationFailed:
    return ValidationFailed(detail, {"file": [message]})


def read_rows(data: bytes, *, max_rows: int) -> list[tuple[Any, ...]]:
    """The first sheet's rows (the header row first) as tuples of cell values, at most `max_rows` rows after
    the header (blank rows not counted, though a run of them as long again is refused too). Raises
    ValidationFailed on the `file` field for a file too large, not a workbook, or with too many rows."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is too large."), _("At most %(n)d MB.") % {"n": MAX_BYTES // (1024 * 1024)})
    not_xlsx = _refuse(_("not an .xlsx file"), _("Not an .xlsx file."))
    too_many = _refuse(_("too many rows"), _("At most %(n)d rows.") % {"n": max_rows})
    try:
        with ZipFile(BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _refuse(_("The file is too large."), _("The workbook unpacks to more than 64 MB."))
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    if not _within(archive, info.filename, rows=2 * max_rows + 1):
                        raise too_many
    except (BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        raise not_xlsx from None
    rows: list[tuple[Any, ...]] = []
    filled = 0
    # A workbook crafted or damaged in any of many ways makes openpyxl raise almost anything; to the user
    # each is the same "not an .xlsx file".
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.active
            if sheet is None or not hasattr(sheet, "iter_rows"):
                raise not_xlsx
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                width = len(row)
                while width and row[width - 1] is None:
                    width -= 1
                rows.append(row[:width])
                if any(v is not None and str(v).strip() for v in row):
                    filled += 1
                # The header plus max_rows filled rows; blank rows count towards a second allowance.
                if filled > max_rows + 1 or len(rows) > 2 * max_rows + 1:
                    raise too_many
        finally:
            workbook.close()
    except ValidationFailed:
        raise
    except Exception as exc:  # noqa: BLE001 (see above)
        raise not_xlsx from exc
    return rows


def _within(archive: ZipFile, name: str, *, rows: int) -> bool:
    """Whether a sheet's XML holds at most `rows` rows and MAX_CELLS_PER_ROW cells a row on average; reads
    the sheet in chunks and stops as soon as it holds more (a byte scan, much cheaper than parsing)."""
    row_count = cell_count = 0
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            # The tail is kept so a tag cut by the chunk boundary is seen whole, and is not counted twice.
            cut = max(0, len(text) - 32)
            row_count += sum(1 for m in _ROW.finditer(text) if m.start() < cut)
            cell_count += sum(1 for m in _CELL.finditer(text) if m.start() < cut)
            tail = text[cut:]
            if row_count > rows or cell_count > rows * MAX_CELLS_PER_ROW:
                return False
    row_count += len(_ROW.findall(tail))
    cell_count += len(_CELL.findall(tail))
    return row_count <= rows and cell_count <= rows * MAX_CELLS_PER_ROW


def text_safe(value: Any) -> Any:
    """A value as a cell may hold it: control characters a workbook cannot contain are dropped."""
    if isinstance(value, str):
        return xml_safe(value)
    return value


def _as_text_if_formula(cell: Cell | MergedCell) -> None:
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl made it a formula ("="); keep the text, never evaluate it
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def write_xlsx(*, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet named `title`: a bold, frozen header row, then `rows`; every text stays text."""
    workbook = Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = text_safe(title)[:31] or "Sheet"
    ws.append([text_safe(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        _as_text_if_formula(cell)
    for values in rows:
        ws.append([text_safe(v) for v in values])
        for cell in ws[ws.max_row]:
            _as_text_if_formula(cell)
    for number, title_text in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(number)].width = max(10, len(str(title_text)) * 2 + 4)
    ws.freeze_panes = "A2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()

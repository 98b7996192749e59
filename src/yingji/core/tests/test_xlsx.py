"""The bounded Excel reader and the writer that never writes a formula."""

import time
import zipfile
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from yingji.core.errors import ValidationFailed
from yingji.core.xlsx import MAX_BYTES, read_rows, write_xlsx


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def with_sheet(xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced by `xml`."""
    source = zipfile.ZipFile(BytesIO(workbook([["a"]])))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def million_rows() -> bytes:
    """A small file (compressed) of a million one-cell rows, as an attacker would send."""
    rows = b"<row><c><v>1</v></c></row>" * 1_000_000
    return with_sheet(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_rows_are_read_with_the_header_first():
    assert read_rows(workbook([["名称", "数量"], ["帐篷", 3]]), max_rows=10) == [("名称", "数量"), ("帐篷", 3)]


def test_a_million_row_file_is_refused_in_under_a_second():
    data = million_rows()
    assert len(data) < 2 * 1024 * 1024
    started = time.process_time()
    with pytest.raises(ValidationFailed) as refused:
        read_rows(data, max_rows=5000)
    assert time.process_time() - started < 1.0
    assert refused.value.errors == {"file": ["At most 5000 rows."]}


def test_blank_rows_do_not_get_past_the_limit_either():
    rows = b"<row><c><v></v></c></row>" * 30_000
    xml = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    with pytest.raises(ValidationFailed, match="too many rows"):
        read_rows(with_sheet(xml + rows + b"</sheetData></worksheet>"), max_rows=100)


def test_a_file_over_the_size_limit_is_refused_unread():
    with pytest.raises(ValidationFailed, match="too large"):
        read_rows(b"PK" + b"\0" * MAX_BYTES, max_rows=10)


@pytest.mark.parametrize(
    "data",
    [
        b"not a workbook",
        with_sheet(b"<worksheet><sheetData><row><c r="),  # cut off
        with_sheet(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>'
        ),  # no such string
        with_sheet(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="x"><c r="!!"><v>1</v></c></row></sheetData></worksheet>'
        ),  # bad references
    ],
)
def test_malformed_workbooks_and_sheets_are_a_field_error(data):
    with pytest.raises(ValidationFailed) as refused:
        read_rows(data, max_rows=10)
    assert refused.value.errors == {"file": ["Not an .xlsx file."]}


def test_texts_that_look_like_formulas_are_written_as_text():
    names = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "普通名称"]
    data = write_xlsx(title="队伍", header=["名称", "人数"], rows=[[name, 3] for name in names])
    sheet = load_workbook(BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == names
    assert [c.data_type for c in cells] == ["s"] * len(names)
    assert all(c.quotePrefix for c in cells[:-1]) and not cells[-1].quotePrefix
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"


def test_control_characters_a_workbook_cannot_hold_are_dropped():
    data = write_xlsx(title="t", header=["名称"], rows=[["甲\x01乙\x1b"]])
    assert load_workbook(BytesIO(data)).active["A2"].value == "甲乙"


def test_a_sheet_of_few_rows_but_too_many_cells_is_refused_unparsed():
    xml = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    started = time.process_time()
    with pytest.raises(ValidationFailed, match="too many rows"):
        read_rows(with_sheet(xml + b"<c><v>1</v></c>" * 1_000_000 + b"</row></sheetData></worksheet>"), max_rows=100)
    assert time.process_time() - started < 1.0

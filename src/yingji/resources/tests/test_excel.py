"""Excel in and out: every registry round-trips, and a bad import writes nothing and names each bad row."""

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from yingji.resources.models import Equipment, Expert, MaterialItem, Shelter, Team, Warehouse
from yingji.resources.sheets import SHEETS

MODELS = {
    "teams": Team,
    "experts": Expert,
    "equipment": Equipment,
    "materials": MaterialItem,
    "warehouses": Warehouse,
    "shelters": Shelter,
}


def rows_of(content: bytes) -> list[list]:
    sheet = load_workbook(BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(api, slug: str, content: bytes, headers):
    file = BytesIO(content)
    file.name = f"{slug}.xlsx"
    return api.post(f"/api/v1/{slug}/import", {"file": file}, headers=headers)


@pytest.mark.parametrize("slug", list(SHEETS))
def test_export_then_import_changes_nothing(stock, cast, api, bearer, slug):
    headers = bearer(cast.admin)
    exported = api.get(f"/api/v1/{slug}/export", headers=headers)
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of(exported.content)
    assert rows[0] == [c.header for c in SHEETS[slug].columns]
    assert len(rows) == 1 + MODELS[slug].objects.count()
    response = upload(api, slug, exported.content, headers)
    assert response.status_code == 200, response.json()
    assert response.json() == {"created": 0, "updated": 0}
    assert rows_of(api.get(f"/api/v1/{slug}/export", headers=headers).content) == rows


def test_import_creates_new_records_with_chinese_labels(stock, cast, api, bearer):
    headers = bearer(cast.street_officer)
    header = [c.header for c in SHEETS["shelters"].columns]
    row = [
        "SH-NEW",
        "团城山公园",
        "室外",
        "短期固定避难场所",
        "团城山路",
        30.21,
        115.05,
        40000,
        None,
        "供水、厕所",
        "否",
        0,
        "",
        "",
        "甲街道",
    ]
    response = upload(api, "shelters", workbook([header, row]), headers)
    assert response.status_code == 200, response.json()
    shelter = Shelter.objects.get(code="SH-NEW")
    assert (shelter.shelter_class, shelter.capacity, shelter.facilities) == ("fixed_short", 20000, ["water", "toilets"])
    assert shelter.org == cast.street_a


def test_bad_rows_reject_the_whole_import_and_name_each_problem(stock, cast, api, bearer):
    headers = bearer(cast.street_officer)
    header = [c.header for c in SHEETS["equipment"].columns]
    good = ["EQ-1", "排涝泵车", "排涝泵车", "", 2, "", None, None, "完好待用", None, "", "", "甲街道"]
    bad_quantity = ["EQ-2", "发电机组", "发电机组", "", "两台", "", None, None, "完好待用", None, "", "", "甲街道"]
    bad_owner = ["EQ-3", "照明车", "照明车", "", 1, "", None, None, "完好待用", "2026-13-01", "", "", "乙街道"]
    before = Equipment.objects.count()
    response = upload(api, "equipment", workbook([header, good, bad_quantity, bad_owner]), headers)
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "第3行 数量: 不是整数：两台",
        "第4行 下次保养日期: 不是日期（YYYY-MM-DD）：2026-13-01",
        "第4行 所属单位: 单位不存在：乙街道",
    ]
    # The good row was not written either.
    assert Equipment.objects.count() == before and not Equipment.objects.filter(code="EQ-1").exists()


def test_a_service_rule_broken_in_one_row_rolls_back_the_others(stock, cast, api, bearer):
    header = [c.header for c in SHEETS["teams"].columns]
    ok = ["TM-1", "甲街道抢险队", "防汛抢险", "甲街道", None, None, "", "", "", 10, 5, "", "待命"]
    too_many = ["TM-2", "甲街道医疗队", "医疗救护队", "甲街道", None, None, "", "", "", 3, 5, "", "待命"]
    response = upload(api, "teams", workbook([header, ok, too_many]), bearer(cast.street_officer))
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["第3行 在岗人数: 不能超过总人数。"]
    assert not Team.objects.filter(org__code__in=["TM-1", "TM-2"]).exists()


def test_missing_column_and_duplicate_codes_are_reported(stock, cast, api, bearer):
    headers = bearer(cast.admin)
    header = [c.header for c in SHEETS["materials"].columns]
    response = upload(api, "materials", workbook([header[:-1]]), headers)
    assert response.json()["errors"]["file"] == ["第1行 保质期（天）: 缺少此列"]
    row = ["M-1", "编织袋", "防汛抢险", "", "条", None]
    response = upload(api, "materials", workbook([header, row, row]), headers)
    assert response.json()["errors"]["file"] == ["第3行 编码: 与第2行重复"]


def test_not_a_spreadsheet_is_a_field_error(cast, api, bearer):
    response = upload(api, "experts", b"this is not a workbook", bearer(cast.admin))
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_import_needs_the_right_to_create(stock, cast, api, bearer):
    header = [c.header for c in SHEETS["experts"].columns]
    row = ["EX-9", "王磊", "消防安全", "", "", "", "可调用", None, None, "甲街道"]
    assert upload(api, "experts", workbook([header, row]), bearer(cast.duty)).status_code == 403


def test_list_page_imports_and_shows_the_row_errors(stock, cast, client):
    client.force_login(cast.street_officer)
    header = [c.header for c in SHEETS["warehouses"].columns]
    bad = ["WH-9", "", "", None, None, "", "", "是", "甲街道"]
    file = BytesIO(workbook([header, bad]))
    file.name = "warehouses.xlsx"
    page = client.post("/resources/warehouses/import/", {"file": file}, follow=True).content.decode()
    assert "第2行 名称: 必填" in page and not Warehouse.objects.filter(code="WH-9").exists()
    assert client.get("/resources/warehouses/export/").status_code == 200


def test_a_latitude_out_of_range_names_the_column_and_the_reason_not_the_constraint(stock, cast, api, bearer):
    headers = bearer(cast.admin)
    rows = rows_of(api.get("/api/v1/teams/export", headers=headers).content)
    header, first = rows[0], list(rows[1])
    first[header.index("纬度")] = 95
    first[header.index("经度")] = 115
    response = upload(api, "teams", workbook([header, first]), headers)
    assert response.status_code == 400
    problems = response.json()["errors"]["file"]
    assert len(problems) == 1 and problems[0].startswith("第2行 纬度: "), problems
    assert "约束" not in problems[0] and "valid_coordinates" not in problems[0], problems


def test_a_reimport_counts_only_the_rows_that_changed(stock, cast, api, bearer):
    headers = bearer(cast.admin)
    rows = rows_of(api.get("/api/v1/warehouses/export", headers=headers).content)
    assert upload(api, "warehouses", workbook(rows), headers).json() == {"created": 0, "updated": 0}
    header, first = rows[0], list(rows[1])
    first[header.index("名称")] = f"{first[header.index('名称')]}（新）"
    response = upload(api, "warehouses", workbook([rows[0], first, *rows[2:]]), headers)
    assert response.json() == {"created": 0, "updated": 1}

"""Excel on the enterprise pages: export (audited) and an empty template, and an upload that saves every row or none,
listing each problem as 第N行 字段: 原因."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from yingji.conftest import PASSWORD
from yingji.core.models import AuditEntry
from yingji.risk.models import EnterpriseProfile

NEW_ROW = ["T-NEW", "新企业", "甲街道", "", "C", "26", "small", "", None, None, "", "", "", 10, "", "否", "", "否", 0,
           "否", "否", "否"]  # fmt: skip


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(workbook) -> SimpleUploadedFile:
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("企业.xlsx", out.getvalue())


def test_export_and_template_downloads(cast, profiles):
    client = signed_in(cast.admin)
    exported = client.get("/risk/enterprises/export/")
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    rows = list(load_workbook(BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编码" and {r[0] for r in rows[1:]} == {cast.enterprise_x.code, cast.enterprise_y.code}
    assert AuditEntry.objects.filter(action="core.export.download", payload__what="risk.enterprises").exists()
    template = client.get("/risk/enterprises/template/")
    sheet = list(load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True))
    assert sheet == [rows[0]]
    # A street officer's export holds their street's enterprises only.
    street = signed_in(cast.street_officer)
    rows = list(
        load_workbook(BytesIO(street.get("/risk/enterprises/export/").content)).active.iter_rows(values_only=True)
    )
    assert {r[0] for r in rows[1:]} == {cast.enterprise_x.code}


def test_upload_creates_profiles(cast, profiles):
    client = signed_in(cast.admin)
    workbook = load_workbook(BytesIO(client.get("/risk/enterprises/export/").content))
    workbook.active.append(NEW_ROW)
    response = client.post("/risk/enterprises/import/", {"file": upload(workbook)}, follow=True)
    assert response.redirect_chain[-1][0] == "/risk/enterprises/"
    assert "导入完成：新增 1 条，更新 0 条。" in response.content.decode()
    assert EnterpriseProfile.objects.get(org__code="T-NEW").industry_division == "26"


def test_upload_with_a_bad_row_saves_nothing_and_names_each_problem(cast, profiles):
    client = signed_in(cast.admin)
    workbook = load_workbook(BytesIO(client.get("/risk/enterprises/export/").content))
    workbook.active.append(NEW_ROW)
    workbook.active.cell(row=2, column=4, value="91350100M000100Y44")  # a wrong check character
    workbook.active.cell(row=4, column=7, value="巨型")  # no such scale
    response = client.post("/risk/enterprises/import/", {"file": upload(workbook)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "第2行 统一社会信用代码" in page and "第4行 规模" in page
    assert not EnterpriseProfile.objects.filter(org__code="T-NEW").exists()


def test_upload_refuses_what_is_not_a_workbook(cast, profiles):
    client = signed_in(cast.admin)
    response = client.post("/risk/enterprises/import/", {"file": SimpleUploadedFile("a.xlsx", b"not a workbook")})
    assert response.status_code == 200 and "import-errors" in response.content.decode()


def test_enterprise_user_may_not_import(cast, profiles):
    client = signed_in(cast.enterprise_manager)
    assert client.get("/risk/enterprises/import/").status_code == 403
    workbook = load_workbook(BytesIO(signed_in(cast.admin).get("/risk/enterprises/export/").content))
    workbook.active.append(NEW_ROW)
    assert client.post("/risk/enterprises/import/", {"file": upload(workbook)}).status_code == 403
    assert not EnterpriseProfile.objects.filter(org__code="T-NEW").exists()

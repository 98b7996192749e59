"""The pages render for each role in scope, answer 404 outside it, and drive the closed loop through forms."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.risk import services
from yingji.risk.models import Commitment, EnforcementDocument, HazardUnit, HiddenDanger, RiskPoint
from yingji.risk.tests.conftest import PNG


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_pages_render_for_district_staff(cast, inspector, profiles):
    values = {"l_value": 3, "e_value": 6, "c_value": 15, "control_level": "company", "responsible": "赵"}
    point = services.risk_point_create(
        by=None, org=cast.enterprise_x, name="液氯储罐", hazard="泄漏", method="lec", **values
    )
    danger = services.danger_create(by=inspector, org=cast.enterprise_x, title="配电箱未接地")
    client = signed_in(inspector)
    for url in ["/risk/", "/risk/?by=industry", "/risk/enterprises/", f"/risk/enterprises/org/{cast.enterprise_x.pk}/",
                "/risk/dangers/", "/risk/dangers/?overdue=on&status=reported", "/risk/dangers/new/",
                f"/risk/dangers/{danger.pk}/", "/risk/map/", f"/risk/points/{point.pk}/card/", "/risk/commitments/",
                "/risk/plans/"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    assert "液氯储罐" in client.get(f"/risk/points/{point.pk}/card/").content.decode()


def test_enterprise_user_lands_on_own_enterprise_and_cannot_see_others(cast, profiles):
    client = signed_in(cast.enterprise_manager)
    response = client.get("/risk/")
    assert response.status_code == 302 and response["Location"] == f"/risk/enterprises/org/{cast.enterprise_x.pk}/"
    assert client.get(f"/risk/enterprises/org/{cast.enterprise_y.pk}/").status_code == 404
    other = services.danger_create(by=None, org=cast.enterprise_y, title="乙的隐患")
    assert client.get(f"/risk/dangers/{other.pk}/").status_code == 404


def test_commitment_form_on_own_page(cast, profiles):
    client = signed_in(cast.enterprise_manager)
    url = f"/risk/enterprises/org/{cast.enterprise_x.pk}/"
    refused = client.post(url, {"major_hazards_controlled": "on"})
    assert refused.status_code == 200 and not Commitment.objects.exists()
    done = client.post(url, {"major_hazards_controlled": "on", "key_equipment_normal": "on",
                             "special_operations_controlled": "on"})  # fmt: skip
    assert done.status_code == 302
    assert 'id="commitment-done"' in client.get(url).content.decode()


def test_closed_loop_through_forms(cast, inspector, media_in_tmp):
    staff, enterprise = signed_in(inspector), signed_in(cast.enterprise_manager)
    created = staff.post(
        "/risk/dangers/new/", {"org": cast.enterprise_x.pk, "title": "消防通道堵塞", "grade": "general"}
    )
    danger = HiddenDanger.objects.get(title="消防通道堵塞")
    assert created.status_code == 302 and created["Location"] == f"/risk/dangers/{danger.pk}/"
    deadline = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    missing = enterprise.post(f"/risk/dangers/{danger.pk}/to/rectifying/", {"measures": "清理"})
    assert missing.status_code == 400
    assigned = enterprise.post(f"/risk/dangers/{danger.pk}/to/rectifying/", {"measures": "清理", "responsible": "王",
                               "funds": "0", "deadline": deadline, "interim_measures": "专人看守"})  # fmt: skip
    assert assigned.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("after.png", PNG, content_type="image/png")
    enterprise.post(f"/risk/dangers/{danger.pk}/photos/", {"file": upload, "stage": "rectified"})
    photo = danger.photos.get()
    assert enterprise.get(f"/risk/photos/{photo.pk}/").status_code == 200
    assert signed_in(cast.outsider).get(f"/risk/photos/{photo.pk}/").status_code == 404
    assert enterprise.post(f"/risk/dangers/{danger.pk}/to/rectified/", {}).status_code == 302
    assert staff.post(f"/risk/dangers/{danger.pk}/to/accepted/", {"note": "合格"}).status_code == 302
    assert staff.post(f"/risk/dangers/{danger.pk}/to/closed/", {}).status_code == 302
    danger.refresh_from_db()
    assert danger.status == "closed"
    invalid = staff.post(f"/risk/dangers/{danger.pk}/to/accepted/", {})
    assert invalid.status_code == 400 and "允许" in invalid.content.decode()


def test_document_page_and_docx(cast, inspector):
    document = services.document_issue(by=inspector, org=cast.enterprise_x, kind="order", body="责令于七日内整改。")
    client = signed_in(cast.enterprise_manager)
    page = client.get(f"/risk/documents/{document.pk}/")
    assert page.status_code == 200 and document.number in page.content.decode()
    docx = client.get(f"/risk/documents/{document.pk}/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert document.number in text and "责令于七日内整改" in text
    assert signed_in(cast.street_officer).get(f"/risk/documents/{document.pk}/").status_code == 200
    assert EnforcementDocument.objects.count() == 1


def test_inspection_page_records_checklist_and_findings(cast, inspector):
    inspection = services.inspection_create(by=inspector, org=cast.enterprise_x)
    client = signed_in(inspector)
    page = client.get(f"/risk/inspections/{inspection.pk}/")
    assert page.status_code == 200 and "重大危险源已辨识" in page.content.decode()
    form = page.context["form"]
    data = {f"ok_{i}": "on" for i in range(len(form.items)) if i != 2}
    data.update(
        {"note_2": "培训记录缺失", "extra": "配电箱未接地\n", "summary": "发现隐患2处", "reinspect_by": "2030-01-01"}
    )
    done = client.post(f"/risk/inspections/{inspection.pk}/", data)
    assert done.status_code == 302
    titles = set(HiddenDanger.objects.filter(inspection=inspection).values_list("title", flat=True))
    assert titles == {form.items[2], "配电箱未接地"}
    assert signed_in(cast.street_officer).get(f"/risk/inspections/{inspection.pk}/").status_code == 200
    assert signed_in(cast.enterprise_manager).get(f"/risk/inspections/{inspection.pk}/").status_code == 200
    other = services.inspection_create(by=inspector, org=cast.enterprise_y)
    assert signed_in(cast.enterprise_manager).get(f"/risk/inspections/{other.pk}/").status_code == 404


def test_self_inspection_page(cast):
    client = signed_in(cast.enterprise_manager)
    url = f"/risk/enterprises/org/{cast.enterprise_x.pk}/self-inspection/"
    page = client.get(url)
    items = page.context["form"].items
    data = {f"ok_{i}": "on" for i in range(1, len(items))}
    done = client.post(url, data)
    assert done.status_code == 302
    assert HiddenDanger.objects.get(source="self").title == items[0]
    assert client.get(f"/risk/enterprises/org/{cast.enterprise_y.pk}/self-inspection/").status_code == 404


def test_enterprise_edits_own_profile_and_bad_credit_code_lands_on_the_field(cast, profiles):
    client = signed_in(cast.enterprise_manager)
    url = f"/risk/enterprises/org/{cast.enterprise_x.pk}/edit/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update({"uscc": "91350100M000100Y44", "employees": 80, "emergency_staff": 2})
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].errors["uscc"]
    data["uscc"] = "91350100M000100Y43"
    assert client.post(url, {**data, "address": "新地址1号"}).status_code == 302
    x, _y = profiles
    x.refresh_from_db()
    assert x.employees == 80 and x.org.address == "新地址1号"
    assert client.get(f"/risk/enterprises/org/{cast.enterprise_y.pk}/edit/").status_code == 404


def test_enterprise_adds_and_reassesses_a_risk_point(cast):
    client = signed_in(cast.enterprise_manager)
    url = f"/risk/enterprises/org/{cast.enterprise_x.pk}/points/new/"
    body = {"name": "液氯储罐区", "hazard": "液氯泄漏", "method": "lec", "l_value": "3", "e_value": "6",
            "c_value": "15", "control_level": "company", "responsible": "赵六"}  # fmt: skip
    assert client.post(url, body).status_code == 302
    point = RiskPoint.objects.get()
    assert point.colour == "orange" and point.score == 270
    edit = f"/risk/enterprises/org/{cast.enterprise_x.pk}/points/{point.pk}/"
    assert client.get(edit).context["form"].initial["l_value"] == "3"
    missing = client.post(edit, {**body, "method": "matrix"})
    assert missing.status_code == 200 and missing.context["form"].errors
    assert client.post(edit, {**body, "method": "matrix", "likelihood": "5", "severity": "5"}).status_code == 302
    point.refresh_from_db()
    assert point.colour == "red" and point.l_value is None
    other = f"/risk/enterprises/org/{cast.enterprise_y.pk}/points/new/"
    assert client.post(other, body).status_code == 404


def test_hazard_unit_page_calculates_then_registers(cast, inspector):
    client = signed_in(cast.enterprise_manager)
    url = f"/risk/enterprises/org/{cast.enterprise_x.pk}/hazard-units/new/"
    body = {"name": "液氯库", "kind": "storage", "exposed_people": "120", "items": "液氯, , 20\n7664-41-7, , 1"}
    shown = client.post(url, {**body, "calculate": "1"})
    assert shown.status_code == 200 and shown.context["result"].grade == 3
    assert not HazardUnit.objects.exists()
    bad = client.post(url, {**body, "items": "液氯, , 20\n不存在物质, , 1", "calculate": "1"})
    assert bad.context["result"] is None and "第2行" in bad.context["form"].errors["items"][0]
    assert client.post(url, {**body, "save": "1"}).status_code == 302
    unit = HazardUnit.objects.get()
    assert unit.is_major and unit.grade == 3 and unit.items[1] == {"cas": "7664-41-7", "quantity_t": "1"}
    assert client.get(f"/risk/enterprises/org/{cast.enterprise_y.pk}/hazard-units/new/").status_code == 404


def test_document_issued_from_the_inspection_page(cast, inspector):
    inspection = services.inspection_create(by=inspector, org=cast.enterprise_x)
    services.inspection_record(by=inspector, inspection=inspection, checklist=[], findings=[{"title": "出口堵塞"}])
    client = signed_in(inspector)
    issued = client.post(f"/risk/inspections/{inspection.pk}/documents/", {"kind": "order", "body": "责令整改。",
                                                                            "deadline": "2030-01-01"})  # fmt: skip
    document = EnforcementDocument.objects.get()
    assert issued.status_code == 302 and issued["Location"] == f"/risk/documents/{document.pk}/"
    assert document.inspection == inspection and document.org == cast.enterprise_x
    refused = signed_in(cast.enterprise_manager).post(f"/risk/inspections/{inspection.pk}/documents/",
                                                       {"kind": "order", "body": "x"})  # fmt: skip
    assert refused.status_code == 403 and EnforcementDocument.objects.count() == 1

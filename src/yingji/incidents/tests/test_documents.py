"""Word copies of the reports and the after-action review: same facts as the HTML view, Chinese fonts, scopes."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from docx import Document as open_docx
from docx.oxml.ns import qn

from yingji.incidents import services
from yingji.incidents.docx_writer import MIME_TYPE
from yingji.incidents.models import ReportKind
from yingji.incidents.tests.conftest import local

pytestmark = pytest.mark.django_db

REPORT_HEADINGS = ["一、基本情况", "二、处置经过", "三、报告时限"]
REVIEW_HEADINGS = ["一、基本情况", "二、处置时效", "三、评估结论", "四、整改措施"]


def docx_text(content: bytes) -> tuple[object, str]:
    """The opened document and all its text, tables included."""
    doc = open_docx(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return doc, "\n".join(parts)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sent_report(cast, record):
    """A major accident (3 dead) whose initial report went out at 10:00 on 1 May 2026."""
    with time_machine.travel(local(2026, 5, 1, 9, 30), tick=False):
        incident = record(deaths=3, serious_injuries=4, minor_injuries=2, occurred_at=local(2026, 5, 1, 9, 10))
    with time_machine.travel(local(2026, 5, 1, 10, 0), tick=False):
        return services.report_send(by=cast.duty, report=incident.reports.get())


@pytest.fixture
def reviewed(cast, record, commander):
    """A closed incident with its review written."""
    incident = record(deaths=1, serious_injuries=2, occurred_at=timezone.now() - timedelta(minutes=30))
    services.report_add(by=cast.duty, incident=incident, kind=ReportKind.FINAL)
    for report in incident.reports.all():
        services.report_send(by=cast.duty, report=report)
    services.incident_close(by=cast.duty, incident=incident)
    services.review_save(by=commander, incident=incident, findings="接报及时\n处置得当", improvements="加强储罐巡检")
    return incident


def test_report_docx_holds_the_facts_headings_and_send_time(cast, sent_report):
    response = signed_in(cast.duty).get(f"/incidents/reports/{sent_report.pk}/docx/")
    assert response.status_code == 200 and response["Content-Type"] == MIME_TYPE
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    doc, text = docx_text(response.content)
    assert doc.paragraphs[0].text == "黄石港区应急管理局 突发事件信息初报"
    for fact in [
        "甲化工储罐泄漏",
        "较大事故",
        "死亡 3 人",
        "重伤（含急性工业中毒）4 人",
        "轻伤 2 人",
        "甲化工有限公司",
    ]:
        assert fact in text, fact
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == REPORT_HEADINGS
    assert "报送时间：2026年5月1日 10:00" in text and "报送人：t_duty" in text
    assert doc.paragraphs[-1].text == "2026年5月1日 10:00"


def test_docx_sets_the_east_asian_fonts(cast, sent_report):
    doc, _text = docx_text(signed_in(cast.duty).get(f"/incidents/reports/{sent_report.pk}/docx/").content)

    def east_asia(run) -> str:
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asia(doc.paragraphs[0].runs[0]) == "宋体"
    heading = next(p for p in doc.paragraphs if p.style.name == "Heading 1")
    assert east_asia(heading.runs[0]) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("依据"))
    assert east_asia(body.runs[0]) == "仿宋_GB2312"
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_and_printable_page_state_the_same_facts(cast, sent_report):
    client = signed_in(cast.duty)
    page = client.get(f"/incidents/reports/{sent_report.pk}/").content.decode()
    _doc, text = docx_text(client.get(f"/incidents/reports/{sent_report.pk}/docx/").content)
    document = sent_report.content
    for label, value in document["meta"] + [fact for s in document["sections"] for fact in s["facts"]]:
        assert label in page and label in text
        assert value.split("\n")[0] in page and value in text
    for section in document["sections"]:
        assert section["heading"] in page and section["heading"] in text
        for item in section["items"]:
            assert item in page and item in text
    assert f'href="/incidents/reports/{sent_report.pk}/docx/"' in page


def test_sent_report_stays_as_sent(cast, sent_report):
    services.incident_update(by=cast.duty, incident=sent_report.incident, deaths=12)
    _doc, text = docx_text(signed_in(cast.duty).get(f"/incidents/reports/{sent_report.pk}/docx/").content)
    assert "死亡 3 人" in text and "死亡 12 人" not in text


def test_due_report_docx_is_a_preview_of_the_incident_now(cast, record):
    incident = record(deaths=2)
    report = incident.reports.get()
    _doc, text = docx_text(signed_in(cast.duty).get(f"/incidents/reports/{report.pk}/docx/").content)
    assert "死亡 2 人" in text and "一般事故" in text


def test_review_docx_has_the_figures_as_a_table(cast, reviewed):
    response = signed_in(cast.duty).get(f"/incidents/{reviewed.pk}/review/docx/")
    assert response.status_code == 200
    doc, text = docx_text(response.content)
    assert doc.paragraphs[0].text == "甲化工储罐泄漏 应急处置总结评估"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == REVIEW_HEADINGS
    figures = next(t for t in doc.tables if t.rows[0].cells[0].text == "指标")
    measures = [row.cells[0].text for row in figures.rows[1:]]
    assert measures == ["首次报告用时", "首次调度用时", "处置总时长"]
    for fact in ["一般事故", "死亡 1 人", "重伤（含急性工业中毒）2 人", "接报及时", "处置得当", "加强储罐巡检"]:
        assert fact in text, fact
    page = signed_in(cast.duty).get(f"/incidents/{reviewed.pk}/review/?print=1").content.decode()
    for row in figures.rows[1:]:
        assert row.cells[0].text in page and row.cells[1].text in page


def test_review_page_links_the_docx(cast, reviewed):
    page = signed_in(cast.duty).get(f"/incidents/{reviewed.pk}/review/").content.decode()
    assert f'href="/incidents/{reviewed.pk}/review/docx/"' in page


def test_api_serves_the_docx(api, cast, bearer, sent_report, reviewed):
    headers = bearer(cast.duty)
    response = api.get(f"/api/v1/reports/{sent_report.pk}/docx", headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == MIME_TYPE
    assert "较大事故" in docx_text(response.content)[1]
    response = api.get(f"/api/v1/incidents/{reviewed.pk}/review/docx", headers=headers)
    assert response.status_code == 200 and "加强储罐巡检" in docx_text(response.content)[1]


def test_docx_outside_the_scope_is_not_found(api, cast, bearer, record):
    incident = record(enterprise=cast.enterprise_y, lat=30.205, lon=115.075)
    report = incident.reports.get()
    for user in (cast.street_officer, cast.outsider):
        headers = bearer(user)
        assert api.get(f"/api/v1/reports/{report.pk}/docx", headers=headers).status_code == 404
        assert api.get(f"/api/v1/incidents/{incident.pk}/review/docx", headers=headers).status_code == 404
        client = signed_in(user)
        assert client.get(f"/incidents/reports/{report.pk}/docx/").status_code == 404
        assert client.get(f"/incidents/{incident.pk}/review/docx/").status_code == 404

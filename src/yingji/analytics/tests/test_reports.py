"""Reports: queued through the API, built by the worker job with progress on the row, read back with openpyxl and
pypdf; the monthly schedule; the archive's scope."""

import os
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

import yingji
from yingji.analytics import services, tasks
from yingji.analytics.models import Report
from yingji.analytics.reports import ReportFontMissing, font_path
from yingji.incidents.models import Grade


def fetch(api, headers, url: str) -> bytes:
    response = api.get(url, headers=headers)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


@pytest.fixture
def funds(cast):
    line = services.budget_line_create(by=None, year=2026, code="equipment", name="应急装备购置", amount_yuan=1_000_000)
    rewards = services.budget_line_create(
        by=None, year=2026, code="rewards", name="安全生产举报奖励", amount_yuan=50_000, rewards=True
    )
    services.fund_entry_add(
        by=None, line=line, kind="commitment", project="排涝泵车", amount_yuan=400_000, on=date(2026, 1, 5)
    )
    services.fund_entry_add(
        by=None, line=line, kind="spending", project="排涝泵车", amount_yuan=300_000, on=date(2026, 1, 20)
    )
    services.reward_award(
        by=None, line=rewards, recipient="王先生", reason="举报非法储存危化品", amount_yuan=2_000, on=date(2026, 1, 9)
    )
    return line


def test_monthly_report_is_built_with_excel_and_pdf(api, bearer, cast, history, funds):
    headers = bearer(cast.duty)
    response = api.post(
        "/api/v1/analytics/reports",
        {"kind": "monthly", "period": "2026-01"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued"
    status = api.get(f"/api/v1/analytics/reports/{queued['id']}", headers=headers).json()
    assert (status["status"], status["progress"], status["xlsx_url"]) == ("queued", 0, None)

    assert tasks.build_queued_reports() == 1

    status = api.get(f"/api/v1/analytics/reports/{queued['id']}", headers=headers).json()
    assert (status["status"], status["progress"]) == ("done", 100)
    assert status["requested_by"] == "t_duty"
    book = load_workbook(BytesIO(fetch(api, headers, status["xlsx_url"])))
    assert book.sheetnames == [
        "概要", "事故", "预警", "报警", "调度", "物资", "专项资金",
        "事故隐患", "风险点分级", "执法检查", "应急预案", "预案评审、备案和演练", "灾害救助", "教育培训",
    ]  # fmt: skip
    dangers = {row[0]: row[1:3] for row in book["事故隐患"].iter_rows(values_only=True) if row[0]}
    assert dangers["发现的隐患"] == (0, 0)
    summary = {row[0]: row[1:] for row in book["概要"].iter_rows(min_row=6, values_only=True) if row[0]}
    # January 2026: A2 and B1 (A3 fell on 1 February); January 2025: P1.
    assert summary["事故起数"][:2] == (2, 1)
    assert summary["死亡人数"][:2] == (3, 2)
    assert summary["事故起数"][2].startswith("=IF(")
    accidents = book["事故"]
    assert len(accidents._charts) == 1
    funds_sheet = book["专项资金"]
    rows = list(funds_sheet.iter_rows(min_row=2, max_row=4, values_only=True))
    assert rows[0][:7] == ("应急装备购置", 2026, 1_000_000, 400_000, 300_000, 0, "=C2-E2-F2")
    assert rows[2][2] == "=SUM(C2:C3)"

    pdf = PdfReader(BytesIO(fetch(api, headers, status["pdf_url"])))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "测试区安全生产和应急管理月报（2026年1月）" in text
    assert "专项资金" in text and "应急装备购置" in text
    with translation.override("zh-hans"):
        assert str(Grade.IV.label) in text  # the grade table, labelled in Chinese
    assert "同比" in text
    assert "8. 事故隐患" in text and "14. 教育培训" in text and "考试合格率" in text
    fonts = {str(font) for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert fonts  # the Chinese font is embedded (subset), or the text above could not have been extracted


def test_street_report_covers_the_street_only(api, bearer, cast, history):
    report = services.report_request(by=cast.street_officer, kind="annual", period="2025")
    services.reports_build_queued()
    report.refresh_from_db()
    assert report.status == "done"
    book = load_workbook(report.xlsx.open("rb"))
    summary = {row[0]: row[1:] for row in book["概要"].iter_rows(min_row=6, values_only=True) if row[0]}
    # 2025 in street A: P1 (31 Jan), A0 (1 Dec), A1 (31 Dec); B1 is street B's and 2026's.
    assert summary["事故起数"][0] == 3


def test_report_archive_is_scoped(api, bearer, cast):
    mine = services.report_request(by=cast.duty, kind="monthly", period="2026-01")
    headers = bearer(cast.street_officer)
    assert api.get(f"/api/v1/analytics/reports/{mine.pk}", headers=headers).status_code == 404
    assert api.get(f"/api/v1/analytics/reports/{mine.pk}/xlsx", headers=headers).status_code == 404
    assert api.get("/api/v1/analytics/reports", headers=headers).json()["count"] == 0


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"kind": "monthly", "period": "2026-13"}, "period"),
        ({"kind": "monthly", "period": "2026"}, "period"),
        ({"kind": "annual", "period": "1850"}, "period"),
        ({"kind": "annual", "period": "2999"}, "period"),
        ({"kind": "weekly", "period": "2026"}, "kind"),
    ],
)
def test_bad_report_requests_are_400(api, bearer, cast, payload, field):
    response = api.post(
        "/api/v1/analytics/reports", payload, content_type="application/json", headers=bearer(cast.duty)
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_team_leader_without_the_right_gets_403(api, bearer, cast):
    response = api.post(
        "/api/v1/analytics/reports",
        {"kind": "annual", "period": "2025"},
        content_type="application/json",
        headers=bearer(cast.outsider),
    )
    assert response.status_code == 403


def test_monthly_schedule_queues_last_month_once(cast):
    assert services.monthly_schedule(today=date(2026, 3, 2)) is None
    first = services.monthly_schedule(today=date(2026, 3, 1))
    again = services.monthly_schedule(today=date(2026, 3, 1))
    assert first.pk == again.pk
    assert (first.kind, first.period, first.org, first.requested_by) == ("monthly", "2026-02", cast.district, None)
    services.monthly_schedule(today=date(2026, 1, 1))
    assert Report.objects.filter(kind="annual", period="2025", scheduled=True).count() == 1


def test_missing_font_fails_the_report_with_a_clear_message(cast, tmp_path):
    with override_settings(REPORT_FONT=str(tmp_path / "none.ttc")):
        with pytest.raises(ReportFontMissing, match="fonts-wqy-microhei"):
            font_path()
        report = services.report_request(by=None, kind="annual", period="2025")
        services.reports_build_queued()
    report.refresh_from_db()
    assert report.status == "failed"
    assert "fonts-wqy-microhei" in report.error


def test_report_list_query_count_is_fixed(api, bearer, cast, django_assert_max_num_queries):
    for period in ("2025-10", "2025-11", "2025-12"):
        services.report_request(by=cast.duty, kind="monthly", period=period)
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(8):
        body = api.get("/api/v1/analytics/reports", headers=headers).json()
    assert [r["period"] for r in body["items"]] == ["2025-12", "2025-11", "2025-10"]


def test_the_worker_knows_the_report_jobs():
    from yingji.core.worker import discover

    jobs = discover()
    assert jobs["yingji.analytics.tasks.build_queued_reports"].every_s == 10
    assert jobs["yingji.analytics.tasks.schedule_monthly_reports"].every_s == 3600


def test_report_font_set_to_a_missing_file_stops_the_start(tmp_path):
    src = str(Path(yingji.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": src,
        "YINGJI_DATA_DIR": str(tmp_path),
        "YINGJI_REPORT_FONT": str(tmp_path / "none.ttf"),
    }
    run = subprocess.run(
        [sys.executable, "-c", "import yingji.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode != 0
    assert f"YINGJI_REPORT_FONT: no font file at {tmp_path / 'none.ttf'}" in run.stderr
    font = tmp_path / "font.ttf"
    font.write_bytes(b"")
    env["YINGJI_REPORT_FONT"] = str(font)
    run = subprocess.run(
        [sys.executable, "-c", "from yingji import settings; print(settings.REPORT_FONT)"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.stdout.strip() == str(font), run.stderr

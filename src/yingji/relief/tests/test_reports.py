"""Damage reports by street in stages, statistics by event and street, and the Excel workbook."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yingji.core.errors import Conflict, ValidationFailed
from yingji.relief import selectors, services


def file(cast, relief, stage, street=None, by=None, **figures):
    return services.report_submit(
        by=by or cast.street_officer, event=relief.event, street=street or cast.street_a, stage=stage, **figures
    )


def test_stages_go_initial_verified_final(cast, relief):
    with pytest.raises(Conflict) as early:
        file(cast, relief, "verified")
    assert "initial" in early.value.detail
    file(cast, relief, "initial", affected_people=1200, relocated=300)
    with pytest.raises(Conflict):
        file(cast, relief, "initial")
    file(cast, relief, "verified", affected_people=1350, relocated=320)
    file(cast, relief, "final", affected_people=1400, relocated=320, direct_loss_10k_yuan=Decimal("85.5"))
    with pytest.raises(Conflict):
        file(cast, relief, "final")


def test_crops_lost_cannot_exceed_crops_affected(cast, relief):
    with pytest.raises(ValidationFailed):
        file(cast, relief, "initial", crop_affected_ha=Decimal("10"), crop_failed_ha=Decimal("12"))


def test_a_street_reports_only_for_itself(cast, relief):
    with pytest.raises(ValidationFailed):
        file(cast, relief, "initial", street=cast.street_b)


def test_stats_take_each_streets_latest_stage_and_total_them(cast, relief):
    file(cast, relief, "initial", affected_people=1000, collapsed_houses=2)
    file(cast, relief, "verified", affected_people=1100, collapsed_houses=3)
    file(cast, relief, "initial", street=cast.street_b, by=cast.duty, affected_people=500, collapsed_houses=1)
    services.distribution_create(
        by=cast.duty,
        event=relief.event,
        household=relief.home_a,
        material=relief.stock.water,
        warehouse=relief.stock.warehouse_a,
        quantity=4,
        signed_by="张三",
    )
    stats = selectors.event_stats(user=cast.duty, event=relief.event)
    assert stats["totals"]["affected_people"] == 1600 and stats["totals"]["collapsed_houses"] == 4
    assert {r.stage for r in stats["reports"]} == {"verified", "initial"}
    assert stats["relief"] == [
        {"street": "甲街道", "material": "瓶装饮用水", "unit": "箱", "quantity": 4, "households": 1}
    ]
    # Street A's officer sees only street A.
    own = selectors.event_stats(user=cast.street_officer, event=relief.event)
    assert own["totals"]["affected_people"] == 1100


def test_excel_export_in_reporting_layout(client, api, bearer, cast, relief):
    file(cast, relief, "initial", affected_people=1000, relocated=120, direct_loss_10k_yuan=Decimal("12.5"))
    response = api.get(f"/api/v1/relief/events/{relief.event.pk}/export.xlsx", headers=bearer(cast.duty))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["灾情统计", "救助物资发放汇总", "发放明细"]
    rows = list(book["灾情统计"].values)
    assert rows[0][0].startswith("自然灾害情况统计表") and rows[2][2] == "受灾人口（人）"
    assert rows[3][:4] == ("甲街道", "初报", 1000, 0) and rows[-1][0] == "合计" and rows[-1][12] == 12.5
    client.force_login(cast.duty)
    assert client.get(f"/relief/events/{relief.event.pk}/export.xlsx").status_code == 200


def test_api_reports_and_events(api, bearer, cast, relief):
    headers = bearer(cast.street_officer)
    body = {"event": relief.event.pk, "street": cast.street_a.pk, "stage": "initial", "affected_people": 10}
    assert api.post("/api/v1/relief/reports", body, content_type="application/json", headers=headers).status_code == 201
    again = api.post("/api/v1/relief/reports", body, content_type="application/json", headers=headers)
    assert again.status_code == 409
    other = {**body, "street": cast.street_b.pk}
    assert (
        api.post("/api/v1/relief/reports", other, content_type="application/json", headers=headers).status_code == 400
    )
    assert api.get("/api/v1/relief/events", headers=headers).json()["count"] == 1
    assert api.get("/api/v1/relief/events", headers=bearer(cast.outsider)).json()["count"] == 0
    assert api.get(f"/api/v1/relief/events/{relief.event.pk}", headers=bearer(cast.outsider)).status_code == 404
    stats = api.get(f"/api/v1/relief/events/{relief.event.pk}/stats", headers=headers)
    assert stats.status_code == 200 and stats.json()["totals"]["affected_people"] == 10


def test_event_page_hands_out_relief(client, cast, relief):
    client.force_login(cast.street_officer)
    url = f"/relief/events/{relief.event.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "household": relief.home_a.pk,
        "material": relief.stock.water.pk,
        "warehouse": relief.stock.warehouse_a.pk,
        "quantity": 1,
        "signed_by": "张三",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200 and "override_reason" in again.context["form"].errors


def test_event_page_files_reports_in_stage_order(client, cast, relief):
    client.force_login(cast.street_officer)
    url = f"/relief/events/{relief.event.pk}/"
    figures = {"street": cast.street_a.pk, "affected_people": 120, "relocated": 30, "report": ""}
    early = client.post(url, {**figures, "stage": "verified"})
    assert early.status_code == 200 and "stage" in early.context["report_form"].errors
    assert client.post(url, {**figures, "stage": "initial"}).status_code == 302
    other = client.post(url, {**figures, "street": cast.street_b.pk, "stage": "initial"})
    assert other.status_code == 200 and "street" in other.context["report_form"].errors
    assert selectors.latest_reports(user=cast.duty, event=relief.event)[0].affected_people == 120

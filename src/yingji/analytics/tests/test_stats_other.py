"""Warnings, alarms, dispatches, resources, funds and targets against hand-computed fixtures; `real_only`."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import models

from yingji.analytics import services
from yingji.analytics.stats import STATS, compute, real_only, register
from yingji.analytics.tests.conftest import CURRENT, MARCH, local
from yingji.incidents.models import Dispatch, Incident
from yingji.resources import services as resources
from yingji.resources.models import Team
from yingji.warnings.models import EarlyWarning


def warning(cast, key: str, sent, level: str, event_type: str, streets, msg_type: str = "Alert", published=True):
    row = EarlyWarning.objects.create(
        identifier=f"T-{key}",
        sender="yingji@test",
        msg_type=msg_type,
        status="published" if published else "draft",
        event_type=event_type,
        level=level,
        headline=f"测试预警 {key}",
        effective=sent,
        expires=sent + timedelta(hours=12),
        sent=sent if published else None,
        org=cast.bureau,
        created_by=cast.duty,
    )
    row.streets.set(streets)
    return row


@pytest.fixture
def warnings_history(cast):
    a, b = cast.street_a, cast.street_b
    warning(cast, "W1", local(2026, 1, 10, 9, 0), "yellow", "rainstorm", [a])
    warning(cast, "W2", local(2026, 1, 20, 9, 0), "red", "flood", [b])
    warning(cast, "W3", local(2026, 1, 11, 9, 0), "orange", "rainstorm", [a], msg_type="Update")  # not a new warning
    warning(cast, "W4", local(2026, 1, 12, 9, 0), "blue", "fog", [a], published=False)  # a draft
    warning(cast, "W5", local(2025, 1, 5, 9, 0), "blue", "fog", [a])  # a year earlier


def test_warnings_issued_by_level_and_type(warnings_history, cast):
    figures = compute("warnings", user=cast.duty, filters=CURRENT)
    assert figures["count"] == 2
    assert figures["by_level"] == {"blue": 0, "yellow": 1, "orange": 0, "red": 1}
    assert figures["by_event_type"] == {"rainstorm": 1, "flood": 1}
    assert figures["previous"]["count"] == 1


def test_street_sees_the_warnings_naming_it(warnings_history, cast):
    figures = compute("warnings", user=cast.street_officer, filters=CURRENT)
    assert (figures["count"], figures["by_level"]["red"]) == (1, 0)
    by_b = replace(CURRENT, street=cast.street_b.pk, street_path=cast.street_b.path)
    assert compute("warnings", user=cast.duty, filters=by_b)["by_level"]["red"] == 1


def test_alarms_by_level_and_acknowledgement(crafted, cast):
    figures = compute("alarms", user=cast.duty, filters=MARCH)
    assert (figures["count"], figures["acknowledged"], figures["mean_ack_s"]) == (9, 1, 120.0)
    assert figures["by_level"]["blue"] == 9
    assert figures["per_day"] == round(9 / 31, 2)
    assert figures["by_device_type"] == {"combustible_gas": 5, "temperature": 4}
    assert compute("alarms", user=cast.street_officer, filters=MARCH)["count"] == 5
    assert compute("alarms", user=cast.duty, filters=replace(MARCH, industry="building_materials"))["count"] == 4


@pytest.fixture
def teams(cast):
    def team(code, parent):
        return resources.team_create(by=None, parent=parent, code=code, name=f"{code}队", kind="water", headcount=20)

    return team("TM-A", cast.street_a), team("TM-B", cast.street_b)


def test_dispatch_times(history, teams, cast):
    team_a, team_b = teams
    a2, b1 = history.incidents["A2"], history.incidents["B1"]

    def order(incident: Incident, team: Team, after_min: int, on_scene_min: int | None) -> None:
        dispatched = incident.received_at + timedelta(minutes=after_min)
        on_scene = dispatched + timedelta(minutes=on_scene_min) if on_scene_min is not None else None
        Dispatch.objects.create(
            incident=incident, team=team, dispatched_by=cast.duty, dispatched_at=dispatched, on_scene_at=on_scene
        )

    order(a2, team_a, 10, 25)  # 600 s to dispatch, 1,500 s to arrive
    order(a2, team_b, 20, None)  # a second order for A2: its first dispatch still counts
    order(b1, team_b, 5, 20)  # 300 s, 1,200 s
    figures = compute("dispatches", user=cast.duty, filters=CURRENT)
    assert (figures["count"], figures["incidents_dispatched"]) == (3, 2)
    assert figures["by_resource"] == {"team": 3, "equipment": 0, "expert": 0}
    assert (figures["to_dispatch_mean_s"], figures["to_dispatch_median_s"]) == (450.0, 450.0)
    assert (figures["to_arrival_mean_s"], figures["arrivals"]) == (1350.0, 2)
    assert figures["previous"]["count"] == 0
    mine = compute("dispatches", user=cast.street_officer, filters=CURRENT)
    assert (mine["count"], mine["to_dispatch_mean_s"]) == (2, 600.0)


def test_resources_on_standby_and_deployed(teams, cast):
    Team.objects.filter(pk=teams[1].pk).update(status="deployed")
    warehouse = resources.warehouse_create(by=None, org=cast.street_a, code="WH-A", name="甲街道物资库")
    water = resources.material_create(by=None, code="M-W", name="瓶装水", category="food", unit="箱")
    resources.stock_receive(
        by=None,
        warehouse=warehouse,
        item=water,
        quantity=10,
        reason="入库",
        batch="B1",
        expiry=date.today() + timedelta(days=10),
    )
    resources.stock_minimum_set(by=None, warehouse=warehouse, item=water, minimum=50)
    figures = compute("resources", user=cast.duty, filters=CURRENT)
    assert figures["teams"] == {"standby": 1, "deployed": 1, "unavailable": 0}
    assert (figures["team_headcount_standby"], figures["team_headcount_deployed"]) == (20, 20)
    assert (figures["stock_below_minimum"], figures["lots_expiring"], figures["lots_expired"]) == (1, 1, 0)
    assert figures["below_minimum"] == [
        {"warehouse": "甲街道物资库", "item": "瓶装水", "quantity": 10, "minimum": 50, "unit": "箱"}
    ]
    assert "previous" not in figures
    assert compute("resources", user=cast.street_officer, filters=CURRENT)["teams"]["deployed"] == 0


def test_funds_totals(cast):
    line = services.budget_line_create(by=None, year=2026, code="drills", name="应急演练", amount_yuan=200_000)
    rewards = services.budget_line_create(
        by=None, year=2026, code="rewards", name="举报奖励", amount_yuan=10_000, rewards=True
    )
    services.fund_entry_add(
        by=None, line=line, kind="commitment", project="防汛演练", amount_yuan=80_000, on=date(2026, 3, 1)
    )
    services.fund_entry_add(
        by=None, line=line, kind="spending", project="防汛演练", amount_yuan=60_000, on=date(2026, 3, 9)
    )
    services.fund_entry_add(
        by=None, line=line, kind="spending", project="防汛演练", amount_yuan=-5_000, on=date(2026, 3, 10)
    )
    services.fund_entry_add(
        by=None, line=line, kind="spending", project="消防演练", amount_yuan=30_000, on=date(2026, 5, 1)
    )
    services.reward_award(
        by=None, line=rewards, recipient="李女士", reason="举报隐患", amount_yuan=1_000, on=date(2026, 3, 2)
    )
    figures = compute("funds", user=cast.duty, filters=MARCH)
    # To 31 March: spent 60,000 − 5,000 (a correction); May's 30,000 is later.
    assert (figures["budget_yuan"], figures["committed_yuan"], figures["spent_yuan"]) == (210_000, 80_000, 55_000)
    assert (figures["awards_yuan"], figures["remaining_yuan"]) == (1_000, 154_000)
    assert figures["execution_rate"] == round(56_000 / 210_000, 4)
    assert figures["by_project"] == [{"project": "防汛演练", "spent_yuan": 55_000}]


def test_award_needs_a_rewards_line(cast):
    line = services.budget_line_create(by=None, year=2026, code="drills", name="应急演练", amount_yuan=1)
    with pytest.raises(services.ValidationFailed) as refused:
        services.reward_award(by=None, line=line, recipient="x", reason="y", amount_yuan=1, on=date(2026, 1, 1))
    assert "line" in refused.value.errors


def test_control_targets_against_the_period(history, cast):
    services.target_set(by=cast.admin, year=2026, indicator="deaths", org=cast.district, limit=6)
    services.target_set(by=cast.admin, year=2026, indicator="incidents", org=cast.district, limit=10)
    services.target_set(by=cast.admin, year=2026, indicator="deaths", org=cast.street_a, limit=1)
    january = replace(CURRENT, date_from=date(2026, 1, 1))
    targets = {t["indicator"]: t for t in compute("incidents", user=cast.duty, filters=january)["targets"]}
    # January 2026 in the district: A2 and B1, three deaths.
    assert (targets["deaths"]["limit"], targets["deaths"]["actual"], targets["deaths"]["used_share"]) == (6, 3, 0.5)
    assert (targets["incidents"]["actual"], targets["incidents"]["within"]) == (2, True)
    street = compute("incidents", user=cast.street_officer, filters=january)["targets"]
    assert [(t["indicator"], t["limit"], t["actual"]) for t in street] == [("deaths", 1, 0)]
    # A period across two years has no single year's targets.
    assert compute("incidents", user=cast.duty, filters=CURRENT)["targets"] == []


def test_targets_api_and_permission(api, bearer, cast):
    body = {"year": 2026, "indicator": "deaths", "org": cast.district.pk, "limit": 5}
    assert (
        api.put(
            "/api/v1/analytics/targets", body, content_type="application/json", headers=bearer(cast.duty)
        ).status_code
        == 403
    )
    response = api.put("/api/v1/analytics/targets", body, content_type="application/json", headers=bearer(cast.admin))
    assert response.status_code == 200
    response = api.put(
        "/api/v1/analytics/targets", {**body, "limit": 4}, content_type="application/json", headers=bearer(cast.admin)
    )
    assert response.json()["limit"] == 4
    listed = api.get("/api/v1/analytics/targets?year=2026", headers=bearer(cast.duty)).json()
    assert [(t["indicator"], t["limit"]) for t in listed] == [("deaths", 4)]
    bad = api.put(
        "/api/v1/analytics/targets",
        {**body, "org": cast.enterprise_x.pk},
        content_type="application/json",
        headers=bearer(cast.admin),
    )
    assert bad.status_code == 400


def test_funds_api(api, bearer, cast):
    headers = bearer(cast.admin)
    line = api.post(
        "/api/v1/analytics/funds/lines",
        {"year": 2026, "code": "equipment", "name": "装备", "amount_yuan": 1000},
        content_type="application/json",
        headers=headers,
    )
    assert line.status_code == 201
    entry = {"line": line.json()["id"], "kind": "spending", "project": "泵车", "amount_yuan": 300, "date": "2026-02-01"}
    assert (
        api.post("/api/v1/analytics/funds/entries", entry, content_type="application/json", headers=headers).status_code
        == 201
    )
    wrong_year = {**entry, "date": "2025-12-31"}
    response = api.post("/api/v1/analytics/funds/entries", wrong_year, content_type="application/json", headers=headers)
    assert (response.status_code, list(response.json()["errors"])) == (400, ["date"])
    street = bearer(cast.street_officer)
    assert (
        api.post("/api/v1/analytics/funds/entries", entry, content_type="application/json", headers=street).status_code
        == 403
    )
    funds = api.get("/api/v1/stats/funds?from=2026-01-01&to=2026-12-31", headers=bearer(cast.duty)).json()
    assert (funds["spent_yuan"], funds["remaining_yuan"]) == (300, 700)


# ---- exercise data ------------------------------------------------------------------------------------------


def test_real_only_leaves_models_without_the_field_alone():
    rows = Dispatch.objects.all()
    assert real_only(rows) is rows


def test_real_only_drops_exercise_incidents_now_that_incidents_have_the_field():
    assert "exercise" in str(real_only(Incident.objects.all()).query)
    assert "exercise" in str(real_only(Dispatch.objects.all(), "incident").query)


class Drill(models.Model):
    """A model with an `exercise` field, as incidents and warnings will have one (not migrated: SQL is inspected)."""

    exercise = models.BooleanField(default=False)
    title = models.CharField(max_length=10)

    class Meta:
        app_label = "analytics"
        managed = False

    def __str__(self) -> str:
        return self.title


def test_real_only_filters_exercise_rows_when_the_field_exists():
    sql = str(real_only(Drill.objects.all()).query)
    assert '"exercise"' in sql and ("= False" in sql or "= 0" in sql or "NOT" in sql)


def test_a_statistic_registered_later_is_served_and_exported(api, bearer, cast):
    @register("test-hidden-dangers", label="Hidden dangers", compare=True)
    def hidden_dangers(user, filters):
        return {"count": filters.date_from.year, "by_level": {"major": 1}}

    try:
        body = api.get(
            "/api/v1/stats/test-hidden-dangers?from=2026-01-01&to=2026-01-31", headers=bearer(cast.duty)
        ).json()
        assert (body["count"], body["previous"]["count"]) == (2026, 2025)
        xlsx = api.get("/api/v1/stats/test-hidden-dangers/xlsx", headers=bearer(cast.duty))
        assert xlsx.status_code == 200
    finally:
        del STATS["test-hidden-dangers"]

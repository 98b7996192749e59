"""Monitoring's links to plans, end to end: a 三防 response level reached at the level stations proposes the flood
plans covering that level to the duty desk (and on the open flood incident, where the duty officer activates it), and
an alarm rule naming a plan proposes that plan when it alarms."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.core.errors import ValidationFailed
from yingji.core.models import Notification
from yingji.incidents.models import EventKind, TimelineEntry
from yingji.monitoring.hydrology import station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import FloodResponse
from yingji.monitoring.services import alarm_raise, device_create, rule_create, rule_update
from yingji.plans.models import PlanStatus
from yingji.plans.tests.conftest import make_plan  # noqa: F401 — shared fixture

FILED = PlanStatus.FILED


@pytest.fixture
def flood_plans(cast, make_plan):  # noqa: F811
    # The standard body has tiers Ⅳ and Ⅱ: those are the levels the plans cover.
    return {
        "flood": make_plan(
            org=cast.district, level="district_special", title="区防汛应急预案", incident_types=("flood",), status=FILED
        ),
        "overall": make_plan(
            org=cast.district, level="district_overall", title="区总体应急预案", incident_types=(), status=FILED
        ),
        "hazchem": make_plan(
            org=cast.district,
            level="district_special",
            title="区危险化学品事故应急预案",
            incident_types=("hazchem_leak",),
            status=FILED,
        ),
    }


@pytest.fixture
def stations(cast):
    river = device_create(by=None, code="WL-B-01", name="长江水位站", type="water_level", org=cast.street_b)
    lake = device_create(by=None, code="WL-A-01", name="磁湖水位站", type="water_level", org=cast.street_a)
    station_save(by=None, device=river, kind="river", fortify_level=22.8, warning_level=24.5, guarantee_level=26.0)
    station_save(by=None, device=lake, kind="lake", fortify_level=18.5, warning_level=19.0)
    return river, lake


def level(engine: IngestEngine, value: float, code: str, minutes_ago: float) -> None:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    body = {"device": code, "ts": at.isoformat(), "metrics": {"water_level_m": value}}
    assert engine.ingest([Envelope("http", code, body)]).accepted == 1


def proposals(user) -> list[Notification]:
    return list(Notification.objects.filter(category="plan_proposal", recipient=user).order_by("id"))


def test_flood_response_levels_propose_the_flood_plans_and_the_duty_officer_activates(
    cast, flood_plans, stations, record, api, bearer, django_capture_on_commit_callbacks
):
    engine = IngestEngine(cache_ttl_s=0)
    with django_capture_on_commit_callbacks(execute=True):
        level(engine, 22.9, "WL-B-01", minutes_ago=30)  # 设防 on the Yangtze: Ⅳ
    (first,) = proposals(cast.duty)
    response = FloodResponse.objects.get(status="proposed")
    assert first.title == f"三防IV级应急响应 #{response.pk}：建议启动预案"
    # The district's flood plan first, then the overall plan; not the hazchem plan.
    assert first.body.startswith(
        "三防IV级应急响应条件已达到（1个河道站达到设防水位）：建议启动《区防汛应急预案》、《区总体应急预案》IV级响应"
    )
    assert "区危险化学品" not in first.body
    assert first.link == "/monitoring/hydrology/"  # no flood incident open yet

    incident = record(type_code="flood", title="长江水位上涨", enterprise=None, org=cast.district)
    with django_capture_on_commit_callbacks(execute=True):
        level(engine, 24.6, "WL-B-01", minutes_ago=20)  # 警戒: Ⅲ, which neither plan provides
    assert FloodResponse.objects.get(status="proposed").level == 3
    assert len(proposals(cast.duty)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        level(engine, 19.1, "WL-A-01", minutes_ago=10)  # two stations at 警戒: Ⅱ
    second = proposals(cast.duty)[-1]
    assert "Ⅱ" not in second.title and second.title.startswith("三防II级应急响应")
    assert second.link == f"/incidents/{incident.pk}/"
    entry = TimelineEntry.objects.get(incident=incident, payload__flood_response__isnull=False)
    assert entry.kind == EventKind.COMMAND and "建议启动《区防汛应急预案》、《区总体应急预案》II级响应" in entry.text
    assert entry.payload["plans"] == [flood_plans["flood"].pk, flood_plans["overall"].pk]
    assert proposals(cast.outsider) == []

    # The duty officer activates the proposed plan at the proposed level on the flood incident.
    body = {"plan": flood_plans["flood"].pk, "level": "II"}
    answer = api.post(
        f"/api/v1/incidents/{incident.pk}/activations", body, content_type="application/json", headers=bearer(cast.duty)
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["level"] == "II" and len(answer.json()["tasks"]) == 3

    # The proposal is made once, however often the stations are checked again.
    from yingji.monitoring.hydrology import flood_response_check

    with django_capture_on_commit_callbacks(execute=True):
        assert flood_response_check() is None
    assert len(proposals(cast.duty)) == 2


def test_a_rule_naming_a_plan_proposes_it_when_it_alarms(cast, flood_plans, django_capture_on_commit_callbacks):
    plan = flood_plans["flood"]
    gauge = device_create(by=None, code="WL-C-01", name="沿江水位站", type="water_level", org=cast.street_b)
    rule = rule_create(by=None, name="沿江水位", device=gauge, metric="water_level_m", yellow=23.0, plan=plan.pk)
    assert rule.plan == plan.pk
    with django_capture_on_commit_callbacks(execute=True):
        ref = alarm_raise(
            device=gauge, rule=rule, metric="water_level_m", level="yellow", value=23.2, at=datetime.now(UTC)
        )
    (note,) = proposals(cast.duty)
    assert note.title == f"报警 #{ref.id}：建议启动预案"
    assert note.body == "乙街道：《区防汛应急预案》：报警规则指定的预案"


def test_a_rule_names_only_a_plan_in_force(cast, make_plan):  # noqa: F811
    draft = make_plan(
        org=cast.district, level="district_special", title="区防汛应急预案（草稿）", incident_types=("flood",)
    )
    with pytest.raises(ValidationFailed) as err:
        rule_create(by=None, name="水位", device_type="water_level", metric="water_level_m", yellow=23.0, plan=draft.pk)
    assert list(err.value.errors) == ["plan"]
    rule = rule_create(by=None, name="水位", device_type="water_level", metric="water_level_m", yellow=23.0)
    with pytest.raises(ValidationFailed):
        rule_update(by=None, rule=rule, plan=10**12)


def test_the_rule_plan_in_the_api_and_the_form(cast, flood_plans, api, bearer, client):
    plan = flood_plans["flood"]
    rule = rule_create(
        by=None, name="水位", device_type="water_level", metric="water_level_m", yellow=23.0, plan=plan.pk
    )
    rows = api.get("/api/v1/rules", headers=bearer(cast.duty)).json()["items"]
    assert [r["plan"] for r in rows if r["id"] == rule.pk] == [plan.pk]
    client.force_login(cast.duty)
    page = client.get(f"/monitoring/rules/{rule.pk}/edit/").content.decode()
    assert f'<option value="{plan.pk}" selected>区防汛应急预案</option>' in page
    # Choosing another plan on the page saves it.
    form = client.get(f"/monitoring/rules/{rule.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "device"}
    data.update(plan=str(flood_plans["overall"].pk), name="水位", kind="threshold", direction="above")
    answer = client.post(f"/monitoring/rules/{rule.pk}/edit/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.plan == flood_plans["overall"].pk

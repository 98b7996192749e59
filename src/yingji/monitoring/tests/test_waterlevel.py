"""Water levels: a station's 设防 / 警戒 / 保证 levels become its device's rule, crossings up and down with the
deadband, margins, the hourly trend, the chart's level lines, the 防汛 response proposed from the stations, the
level API and its scope."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.monitoring.chart import line_chart
from yingji.monitoring.hydrology import flood_response, level_state, station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm, FloodResponseRule, WarningSuggestion
from yingji.monitoring.services import device_create
from yingji.monitoring.waterlevel import (
    StationState,
    hourly_trend,
    margins,
    propose_response,
    rate_per_hour,
    stage_reached,
)

T0 = datetime(2026, 7, 6, 0, 0, tzinfo=UTC)
LEVELS = {"fortify": 22.8, "warning": 24.5, "guarantee": 26.0}


def level(engine: IngestEngine, at: datetime, value: float, code: str = "WL-B-01") -> None:
    body = {"device": code, "ts": at.isoformat(), "metrics": {"water_level_m": value}}
    assert engine.ingest([Envelope("http", code, body)]).accepted == 1


def test_pure_stage_margins_trend():
    assert stage_reached(22.79, LEVELS) is None
    assert stage_reached(22.8, LEVELS) == "fortify"
    assert stage_reached(24.5, LEVELS) == "warning"
    assert stage_reached(26.0, LEVELS) == "guarantee"
    assert margins(24.0, LEVELS) == {"fortify": 1.2, "warning": -0.5, "guarantee": -2.0}
    assert stage_reached(30.0, {"fortify": 22.8, "warning": None, "guarantee": None}) == "fortify"
    points = [(T0 + timedelta(minutes=30 * i), 22.0 + 0.1 * i) for i in range(8)]  # 00:00 … 03:30
    at = T0 + timedelta(hours=4)
    rows = hourly_trend(points, at, hours=4)
    assert [r["hour"].hour for r in rows] == [0, 1, 2, 3]
    assert [r["level"] for r in rows] == pytest.approx([22.1, 22.3, 22.5, 22.7])
    assert rows[0]["change"] is None and rows[1]["change"] == pytest.approx(0.2)
    assert rate_per_hour(points, T0 + timedelta(hours=3, minutes=30)) == pytest.approx(0.2)
    assert rate_per_hour(points[:1], T0) is None
    # An hour without readings shows as none, and the next change is counted from the last known level.
    rows = hourly_trend([p for p in points if p[0].hour != 1], at, hours=4)
    assert rows[1]["level"] is None and rows[2]["change"] == pytest.approx(0.4)


def test_the_station_levels_become_the_device_rule(river, plant):
    rule = river.rule
    assert (rule.device_id, rule.metric, rule.blue, rule.yellow, rule.orange, rule.red, rule.deadband) == (
        plant.river.pk,
        "water_level_m",
        22.8,
        24.5,
        None,
        26.0,
        0.1,
    )
    station_save(by=None, device=plant.river, warning_level=24.0)
    rule.refresh_from_db()
    assert rule.yellow == 24.0 and rule.active


def test_crossings_up_and_down_with_the_deadband(river):
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: T0 + timedelta(days=1))
    steps = [
        (22.79, None, None),
        (22.8, "blue", "active"),  # at 设防
        (24.49, "blue", "active"),
        (24.5, "yellow", "active"),  # at 警戒
        (26.0, "red", "active"),  # at 保证
        (24.0, "red", "active"),  # an open alarm keeps its highest level
        (22.71, "red", "active"),  # inside the deadband below 设防: still abnormal
        (22.69, "red", "cleared"),  # through it: cleared
        (22.75, "red", "cleared"),  # below 设防 again the old alarm stays cleared, no new one
        (22.8, "blue", "active"),  # crossing up again raises a new alarm
    ]
    for i, (value, expected_level, expected_status) in enumerate(steps):
        level(engine, T0 + timedelta(minutes=10 * i), value)
        alarm = Alarm.objects.filter(rule=river.rule).order_by("-id").first()
        got = (alarm.level, alarm.status) if alarm else (None, None)
        assert got == (expected_level, expected_status), (i, value)
    assert Alarm.objects.filter(rule=river.rule).count() == 2
    # Each crossing that raised or escalated suggested a flood warning for the street the station serves.
    assert WarningSuggestion.objects.filter(event_type="flood", alarm__rule=river.rule).count() == 4


def test_level_state_and_chart(river, plant):
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: T0 + timedelta(days=1))
    for i in range(7):
        level(engine, T0 + timedelta(minutes=30 * i), 24.0 + 0.1 * i)
    state = level_state(station=river, end=T0 + timedelta(hours=3, minutes=5))
    assert state["level"] == pytest.approx(24.6) and state["stage"] == "warning"
    assert state["margins"]["warning"] == pytest.approx(0.1) and state["margins"]["guarantee"] == pytest.approx(-1.4)
    assert state["rate_m_per_h"] == pytest.approx(0.2)
    chart = line_chart(state["points"], guides=LEVELS)
    assert chart.low == 22.8 and chart.high == 26.0  # the scale takes the levels in
    assert [g[0] for g in chart.guides] == ["fortify", "warning", "guarantee"]
    assert chart.guides[0][2] == pytest.approx(118.0) and chart.guides[2][2] == pytest.approx(2.0)


def test_station_rules_are_checked(plant, cast):
    with pytest.raises(ValidationFailed) as exc:
        station_save(by=None, device=plant.rain, kind="river", fortify_level=1)
    assert "kind" in exc.value.errors
    with pytest.raises(ValidationFailed):
        station_save(by=None, device=plant.river, kind="river", fortify_level=25, warning_level=24)
    with pytest.raises(ValidationFailed) as exc:
        station_save(by=None, device=plant.rain, kind="rain", serves=[cast.enterprise_x])
    assert "serves" in exc.value.errors
    with pytest.raises(NotAllowed):
        station_save(by=cast.street_officer, device=plant.river, kind="river")


def test_response_levels_from_the_stations():
    def states(*stages: tuple[str, str | None]) -> list[StationState]:
        return [StationState(f"S{i}", kind, stage) for i, (kind, stage) in enumerate(stages)]

    assert propose_response(states(("river", None), ("lake", "fortify")))[0] is None
    assert propose_response(states(("river", "fortify")))[0] == 4
    assert propose_response(states(("river", "warning")))[0] == 3
    assert propose_response(states(("river", "warning"), ("lake", "warning")))[0] == 2
    assert propose_response(states(("lake", "guarantee")))[0] == 1


def test_flood_response_uses_the_bureau_rules(river, plant, cast):
    lake = device_create(by=None, code="WL-A-01", name="甲湖水位站", type="water_level", org=cast.street_a)
    station_save(by=None, device=lake, kind="lake", fortify_level=18.5, warning_level=19.0)
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: T0 + timedelta(days=1))
    level(engine, T0, 23.0)
    level(engine, T0, 18.6, code="WL-A-01")
    end = T0 + timedelta(minutes=5)
    result = flood_response(user=cast.duty, end=end)
    assert result["level"] == 4 and {s.code: s.stage for s in result["stations"]} == {
        "WL-B-01": "fortify",
        "WL-A-01": "fortify",
    }
    # The bureau's own rule: Ⅲ when any two stations pass 设防.
    FloodResponseRule.objects.create(level=3, stage="fortify", min_stations=2)
    assert flood_response(user=cast.duty, end=end)["level"] == 3
    # Street A sees only its lake, which no rule of the bureau's covers alone.
    assert flood_response(user=cast.street_officer, end=end)["level"] is None


def test_level_api(river, cast, api, bearer):
    engine = IngestEngine(cache_ttl_s=0)
    now = datetime.now(UTC)
    level(engine, now - timedelta(minutes=30), 24.4)
    level(engine, now - timedelta(minutes=1), 24.6)
    response = api.get("/api/v1/hydrology/stations/WL-B-01/level", headers=bearer(cast.duty))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage"] == "warning" and body["margins"]["warning"] == pytest.approx(0.1) and len(body["trend"]) == 24
    assert api.get("/api/v1/hydrology/stations/WL-B-01/level", headers=bearer(cast.street_officer)).status_code == 404
    response = api.get("/api/v1/hydrology/response", headers=bearer(cast.duty))
    assert response.status_code == 200 and response.json()["level"] == 3

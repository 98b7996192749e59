"""Rain accumulations (window edges, gaps) and the rainstorm signal at its thresholds and just below them, pure and
through ingest, the suggested warning for the streets a gauge serves, and the rainfall API with its scope."""

from datetime import UTC, datetime, timedelta

import pytest

from yingji.monitoring.hydrology import RAINSTORM_SIGNAL_RULE, station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm, RainstormCriterion, WarningSuggestion
from yingji.monitoring.rainfall import (
    DEFAULT_CRITERIA,
    Criterion,
    accumulate,
    signal_rank,
    station_signal,
    totals_at,
    window_signal,
)
from yingji.monitoring.services import rule_create

END = datetime(2026, 7, 6, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def every(minutes: int, *, start: datetime, end: datetime, mm: float) -> list[tuple[datetime, float]]:
    out, t = [], start
    while t <= end:
        out.append((t, mm))
        t += timedelta(minutes=minutes)
    return out


# Accumulation --------------------------------------------------------------------------------------


def test_a_window_counts_readings_after_its_start_up_to_its_end():
    start = END - timedelta(hours=3)
    readings = every(10, start=start, end=END, mm=1.0)  # 19 readings, one exactly at the start
    acc = accumulate(readings, start=start, end=END)
    assert acc.mm == 18.0 and acc.readings == 18  # the one at the start belongs to the window before
    assert acc.complete and acc.gaps == ()
    # One more reading just after the end does not count; one at the end does.
    assert accumulate([*readings, (END + MIN, 5.0)], start=start, end=END).mm == 18.0


def test_a_silence_longer_than_allowed_is_a_gap_shown_not_filled():
    start = END - timedelta(hours=3)
    readings = [
        (t, v) for t, v in every(10, start=start, end=END, mm=1.0) if not (start + 60 * MIN < t < start + 110 * MIN)
    ]
    acc = accumulate(readings, start=start, end=END, max_gap=timedelta(minutes=20))
    assert not acc.complete
    assert acc.gaps == ((start + 60 * MIN, start + 110 * MIN),)
    assert acc.mm == 14.0  # what was reported, nothing made up for the gap


def test_gaps_at_the_window_edges():
    start = END - timedelta(hours=1)
    # Nothing before the window and the first reading 30 minutes in: the first half hour is unknown.
    acc = accumulate(every(10, start=start + 30 * MIN, end=END, mm=0.5), start=start, end=END)
    assert acc.gaps == ((start, start + 30 * MIN),) and not acc.complete
    # The gauge fell silent 40 minutes before the end.
    acc = accumulate(every(10, start=start - 10 * MIN, end=END - 40 * MIN, mm=0.5), start=start, end=END)
    assert acc.gaps == ((END - 40 * MIN, END),)
    # A reading 5 minutes in that ends two hours of silence may hold rain from before the window: a gap.
    readings = [(start - 115 * MIN, 1.0), *every(10, start=start + 5 * MIN, end=END, mm=0.5)]
    acc = accumulate(readings, start=start, end=END)
    assert acc.gaps == ((start, start + 5 * MIN),)
    # A steady gauge reading every 10 minutes straddling the start is complete.
    acc = accumulate(every(10, start=start - 55 * MIN, end=END, mm=0.5), start=start, end=END)
    assert acc.complete and acc.mm == 3.0


def test_totals_at_sum_each_window():
    readings = every(60, start=END - timedelta(hours=23), end=END, mm=2.0)
    assert totals_at(readings, END, [1, 3, 6, 12, 24]) == {1: 2.0, 3: 6.0, 6: 12.0, 12: 24.0, 24: 48.0}


# Signal --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mm", "hours", "signal"),
    [
        (50.0, 12, "blue"),
        (49.9, 12, None),
        (50.0, 6, "yellow"),
        (49.9, 6, None),
        (50.0, 3, "orange"),
        (49.9, 3, None),
        (100.0, 3, "red"),
        (99.9, 3, "orange"),
        (50.0, 1, "orange"),  # 50 mm within an hour fell within three
        (100.0, 24, None),  # no criterion is over 24 hours
    ],
)
def test_window_signal_at_each_threshold_and_just_below(mm, hours, signal):
    assert window_signal(mm, hours) == signal


def test_station_signal_is_the_highest_criterion_met():
    assert station_signal({3: 30.0, 6: 45.0, 12: 50.0}).level == "blue"
    assert station_signal({3: 30.0, 6: 50.0, 12: 60.0}).level == "yellow"
    assert station_signal({3: 100.0, 6: 100.0, 12: 100.0}).level == "red"
    assert station_signal({3: 49.99, 6: 49.99, 12: 49.99}) is None
    assert signal_rank(station_signal({3: 50.0, 6: 50.0, 12: 50.0})) == 3


def test_criteria_are_data_a_local_variant_replaces_them():
    local = (*DEFAULT_CRITERIA, Criterion("orange", 1, 40.0))
    assert window_signal(40.0, 1, local) == "orange"
    assert window_signal(40.0, 1) is None


# Through ingest ------------------------------------------------------------------------------------


@pytest.fixture
def gauge(plant, cast):
    station_save(by=None, device=plant.rain, kind="rain", serves=[cast.street_a, cast.street_b])
    rule_create(by=None, **RAINSTORM_SIGNAL_RULE)
    return plant.rain


def rain(engine: IngestEngine, at: datetime, mm: float, code: str = "RAIN-B-01") -> None:
    result = engine.ingest([Envelope("http", code, {"device": code, "ts": at.isoformat(), "metrics": {"rain_mm": mm}})])
    assert result.accepted == 1


def feed(amounts: list[float], *, step: timedelta, end: datetime) -> IngestEngine:
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: end + timedelta(days=1))
    for i, mm in enumerate(amounts):
        rain(engine, end - step * (len(amounts) - 1 - i), mm)
    return engine


def signal_alarm() -> Alarm | None:
    return Alarm.objects.filter(metric="rainstorm_signal").first()


@pytest.mark.parametrize(
    ("amounts", "step", "level"),
    [
        ([10.0] * 5, timedelta(minutes=10), "orange"),  # 50 mm within 40 minutes
        ([10.0] * 4 + [9.9], timedelta(minutes=10), None),
        ([25.0] * 4, timedelta(minutes=20), "red"),  # 100 mm in an hour
        ([25.0] * 3 + [24.9], timedelta(minutes=20), "orange"),
        ([10.0] * 5, timedelta(hours=1), "yellow"),  # 50 mm in four hours: 3 h holds 40
        ([5.0] * 10, timedelta(hours=1), "blue"),  # 50 mm in nine hours
        ([5.0] * 9 + [4.9], timedelta(hours=1), None),
    ],
)
def test_ingest_raises_the_signal_met(gauge, amounts, step, level):
    feed(amounts, step=step, end=END)
    alarm = signal_alarm()
    assert (alarm.level if alarm else None) == level


def test_the_signal_suggests_a_rainstorm_warning_for_the_streets_served(gauge, cast):
    feed([10.0] * 5, step=timedelta(minutes=10), end=END)
    suggestion = WarningSuggestion.objects.get(event_type="rainstorm")
    assert suggestion.level == "orange"
    assert "甲街道" in suggestion.headline and "乙街道" in suggestion.headline
    assert "3小时内降雨量达50毫米以上" in suggestion.basis
    assert suggestion.instruction.startswith("政府及相关部门按照职责做好防暴雨应急工作")
    assert set(suggestion.streets.all()) == {cast.street_a, cast.street_b}
    url = suggestion.warning_url
    assert url.startswith("/warnings/new/?event_type=rainstorm&level=orange") and f"streets={cast.street_a.pk}" in url


def test_the_signal_rises_and_clears_as_the_rain_moves_out_of_the_windows(gauge):
    engine = feed([10.0] * 5, step=timedelta(minutes=10), end=END)
    rain(engine, END + timedelta(minutes=10), 50.0)  # 100 mm within an hour: red
    assert signal_alarm().level == "red"
    rain(engine, END + timedelta(hours=13), 0.0)  # all of it out of the 12-hour window
    assert signal_alarm().status == "cleared"


def test_bureau_criteria_replace_the_national_ones(gauge):
    RainstormCriterion.objects.create(level="orange", hours=1, mm=40)
    feed([10.0] * 4, step=timedelta(minutes=10), end=END)
    assert signal_alarm().level == "orange"


# API -----------------------------------------------------------------------------------------------


def test_rainfall_api_answers_the_window(gauge, cast, api, bearer):
    readings = every(10, start=END - timedelta(hours=4), end=END, mm=3.0)
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: END)
    for t, mm in readings:
        rain(engine, t, mm)
    to = END.isoformat().replace("+00:00", "Z")
    response = api.get(f"/api/v1/hydrology/stations/RAIN-B-01/rainfall?hours=3&to={to}", headers=bearer(cast.duty))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["mm"] == 54.0 and body["complete"] is True and body["signal"] == "orange"
    assert body["from"].startswith("2026-07-06T09:00:00") and body["to"].startswith("2026-07-06T12:00:00")
    assert body["gaps"] == []
    response = api.get(f"/api/v1/hydrology/stations/RAIN-B-01/rainfall?hours=1&to={to}", headers=bearer(cast.duty))
    assert response.json()["mm"] == 18.0 and response.json()["signal"] is None
    later = (END + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    body = api.get(
        f"/api/v1/hydrology/stations/RAIN-B-01/rainfall?hours=3&to={later}", headers=bearer(cast.duty)
    ).json()
    assert body["complete"] is False and body["mm"] == 36.0 and len(body["gaps"]) == 1


def test_rainfall_api_scope_and_bad_input(gauge, cast, api, bearer):
    url = "/api/v1/hydrology/stations/RAIN-B-01/rainfall"
    assert api.get(url, headers=bearer(cast.street_officer)).status_code == 404  # street A: not its gauge
    assert api.get(url, headers=bearer(cast.outsider)).status_code in (403, 404)
    assert api.get(url).status_code == 401
    assert api.get(url + "?hours=0", headers=bearer(cast.duty)).status_code == 400
    assert api.get(url + "?hours=25", headers=bearer(cast.duty)).status_code == 400
    assert api.get(url + "?to=2026-07-06T12:00:00", headers=bearer(cast.duty)).status_code == 400
    assert api.get(url + "?to=0001-01-01T00:00:00Z", headers=bearer(cast.duty)).status_code == 400
    assert api.get("/api/v1/hydrology/stations/NOPE/rainfall", headers=bearer(cast.duty)).status_code == 404
    stations = api.get("/api/v1/hydrology/stations", headers=bearer(cast.duty)).json()
    assert [s["code"] for s in stations] == ["RAIN-B-01"] and stations[0]["serves"] == ["甲街道", "乙街道"]

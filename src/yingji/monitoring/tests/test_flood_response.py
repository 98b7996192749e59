"""The 三防 response level the level stations propose is recorded when it is reached: a more severe level supersedes
it, a milder one leaves it standing, every station back below 设防 ends it; each change is sent to the apps above
(`flood_response_changed`), shown on the 三防 page and in the API, and checked by the worker too."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from yingji.monitoring import tasks
from yingji.monitoring.hydrology import flood_response_check, station_save
from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import FloodResponse, Reading
from yingji.monitoring.services import device_create
from yingji.monitoring.signals import flood_response_changed

T0 = datetime(2026, 7, 6, 0, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=6)


@pytest.fixture
def sent():
    """What `flood_response_changed` carried: (level, status, created) per send."""
    calls: list[tuple[int, str, bool]] = []

    def receiver(*, response: FloodResponse, created: bool, **kwargs: Any) -> None:
        calls.append((response.level, response.status, created))

    flood_response_changed.connect(receiver, dispatch_uid="test_flood_response")
    yield calls
    flood_response_changed.disconnect(dispatch_uid="test_flood_response")


def level(engine: IngestEngine, at: datetime, value: float, code: str = "WL-B-01") -> None:
    body = {"device": code, "ts": at.isoformat(), "metrics": {"water_level_m": value}}
    assert engine.ingest([Envelope("http", code, body)]).accepted == 1


def test_levels_reached_are_proposed_superseded_and_ended(river, sent, django_capture_on_commit_callbacks):
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: NOW)
    with django_capture_on_commit_callbacks(execute=True):
        level(engine, T0, 22.79)  # below 设防: nothing
        assert not FloodResponse.objects.exists()
        level(engine, T0 + timedelta(minutes=10), 22.8)  # 设防 on the river: Ⅳ
    first = FloodResponse.objects.get()
    assert (first.level, first.status, first.proposed_at) == (4, "proposed", NOW)
    assert first.basis == "1个河道站达到设防水位"
    assert first.stations == [{"code": "WL-B-01", "kind": "river", "stage": "fortify"}]
    assert sent == [(4, "proposed", True)]

    with django_capture_on_commit_callbacks(execute=True):
        level(engine, T0 + timedelta(minutes=20), 24.5)  # 警戒: Ⅲ supersedes Ⅳ
    first.refresh_from_db()
    second = FloodResponse.objects.get(status="proposed")
    assert (first.status, first.ended_at) == ("superseded", NOW)
    assert (second.level, second.basis) == (3, "1个河道站达到警戒水位")
    assert sent[-1] == (3, "proposed", True)

    # Falling back to 设防 proposes only Ⅳ: the Ⅲ proposed stands (people lower a response, not a sensor).
    assert flood_response_check(now=T0 + timedelta(minutes=30)) is None
    level(engine, T0 + timedelta(minutes=30), 23.0)
    assert FloodResponse.objects.filter(status="proposed").get() == second

    with django_capture_on_commit_callbacks(execute=True):
        level(engine, T0 + timedelta(minutes=40), 22.0)  # through the deadband below 设防: the alarm clears
    second.refresh_from_db()
    assert (second.status, second.ended_at) == ("ended", NOW)
    assert sent[-1] == (3, "ended", False) and len(sent) == 3
    assert not FloodResponse.objects.filter(status="proposed").exists()


def test_two_stations_at_warning_propose_level_two(river, plant, cast):
    lake = device_create(by=None, code="WL-A-01", name="甲湖水位站", type="water_level", org=cast.street_a)
    station_save(by=None, device=lake, kind="lake", fortify_level=18.5, warning_level=19.0)
    engine = IngestEngine(cache_ttl_s=0, clock=lambda: NOW)
    level(engine, T0, 24.6)
    level(engine, T0, 19.2, code="WL-A-01")
    proposed = FloodResponse.objects.get(status="proposed")
    assert proposed.level == 2 and "2个水位站达到警戒水位" in proposed.basis
    assert {s["code"] for s in proposed.stations} == {"WL-B-01", "WL-A-01"}


def test_the_worker_checks_and_an_inactive_device_counts_for_nothing(river, plant):
    # A reading stored without judging (an import, say): only the worker's check sees the level.
    Reading.objects.create(
        device=plant.river, metric="water_level_m", ts=datetime.now(UTC) - timedelta(minutes=5), value=24.7
    )
    assert tasks.check_flood_response() == 3
    assert tasks.check_flood_response() is None  # nothing new
    plant.river.active = False
    plant.river.save(update_fields=["active"])
    assert tasks.check_flood_response() is None
    assert FloodResponse.objects.get().status == "ended"


def test_the_proposal_in_the_api_and_on_the_page(river, cast, api, bearer, client):
    engine = IngestEngine(cache_ttl_s=0)
    level(engine, datetime.now(UTC) - timedelta(minutes=1), 24.6)
    body = api.get("/api/v1/hydrology/response", headers=bearer(cast.duty)).json()
    assert body["level"] == 3 and body["proposal"]["level"] == 3 and body["proposal"]["status"] == "proposed"
    assert body["proposal"]["basis"] == "1个河道站达到警戒水位"
    client.force_login(cast.duty)
    page = client.get("/monitoring/hydrology/").content.decode()
    assert 'data-proposal="3"' in page and "1个河道站达到警戒水位" in page

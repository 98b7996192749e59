"""Fire danger per area from the stations; the chain told once per area and day; missed patrols flagged."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from shapely.geometry import shape

from yingji.core.models import ChannelConfig, Delivery, Notification
from yingji.core.worker import JOBS, discover
from yingji.forest import selectors, services
from yingji.forest.danger import StationDay, area_danger, patrols_required
from yingji.forest.models import DangerNotice, ForestArea, MissedPatrol
from yingji.forest.tests.conftest import HUANGJING, TUANCHENG, set_danger

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 4, 5)


def station(name, lat, lon, level):
    return StationDay(name, lat, lon, level, f"L{level}", level * 6.0)


def test_the_highest_station_inside_an_area_sets_its_level():
    geom = shape(TUANCHENG)
    stations = [station("inside low", 30.230, 115.020, 2), station("inside high", 30.235, 115.030, 4)]
    danger = area_danger(geom, [*stations, station("far", 30.216, 115.065, 5)])
    assert (danger.level, danger.station, danger.distance_m) == (4, "inside high", 0.0)


def test_with_no_station_inside_the_nearest_within_reach_counts():
    geom = shape(HUANGJING)
    danger = area_danger(geom, [station("west", 30.232, 115.025, 5), station("east", 30.215, 115.09, 3)])
    # East is ~1.4 km from the area's edge, west ~3 km: the nearest speaks for it.
    assert danger.station == "east" and 1000 < danger.distance_m < 2000
    assert area_danger(geom, [station("far", 30.5, 115.5, 5)]) is None


def test_patrols_asked_grow_with_the_level_but_not_below_the_area_own():
    assert [patrols_required(level, 1) for level in (None, 1, 2, 3, 4, 5)] == [1, 1, 1, 2, 3, 4]
    assert patrols_required(3, 3) == 3


def test_danger_per_area_from_the_stations(forest):
    set_danger(forest.stations["AWS-TCS"], DAY, 4)
    set_danger(forest.stations["AWS-HJS"], DAY, 2)
    dangers = selectors.area_dangers(areas=[forest.tuancheng, forest.huangjing], day=DAY)
    assert dangers[forest.tuancheng.pk].level == 4 and dangers[forest.tuancheng.pk].station == "团城山林区气象站"
    assert dangers[forest.huangjing.pk].level == 2
    assert selectors.area_dangers(areas=[forest.tuancheng], day=DAY + timedelta(days=1)) == {forest.tuancheng.pk: None}


def test_high_danger_tells_the_chain_once_per_day_and_area(forest, cast, api, bearer):
    ChannelConfig.objects.create(name="短信网关", kind="sms", url="http://127.0.0.1:9/sms")
    set_danger(forest.stations["AWS-TCS"], DAY, 5)
    set_danger(forest.stations["AWS-HJS"], DAY, 3)
    notices = services.danger_notify(day=DAY)
    assert [(n.area.code, n.level, n.patrols_per_day) for n in notices] == [("FA-TCS", 5, 4)]
    # Two chain members sign in (inbox + SMS to their phones); the community chief has only a phone (SMS).
    assert notices[0].recipients == 3
    inbox = Notification.objects.filter(category="forest")
    assert sorted(n.recipient.username for n in inbox) == ["t_ranger", "t_street"]
    assert "4" in inbox[0].body
    # SMS: the community chief by the chain's phone; the users by their own phone where they have one.
    assert sorted(Delivery.objects.values_list("address", flat=True)) == ["13900000001", "13900000003"]
    # Run again the same day (the worker runs every ten minutes): nobody is told twice.
    assert services.danger_notify(day=DAY) == []
    assert Notification.objects.filter(category="forest").count() == 2
    assert DangerNotice.objects.count() == 1
    # The next day is a new day.
    # With no reading of its own station, 黄荆山 takes the nearest station's (团城山's, ~3 km away).
    set_danger(forest.stations["AWS-TCS"], DAY + timedelta(days=1), 4)
    assert len(services.danger_notify(day=DAY + timedelta(days=1))) == 2
    danger = api.get(
        f"/api/v1/forest-areas/{forest.tuancheng.pk}/danger?day={DAY}", headers=bearer(cast.street_officer)
    )
    assert danger.json()["level"] == 5 and danger.json()["patrols_required"] == 4


def _patrol(forest, area, start: datetime, minutes: int = 60):
    patrol = services.patrol_start(by=forest.ranger, area=area, at=start)
    return services.patrol_end(by=forest.ranger, patrol=patrol, at=start + timedelta(minutes=minutes))


@pytest.fixture
def old_areas(forest):
    """The areas existed long before the days tested."""
    ForestArea.objects.update(created_at=datetime(2026, 1, 1, tzinfo=SHANGHAI))
    return forest


def test_missed_patrols_are_flagged_by_the_worker_job_with_frozen_time(old_areas):
    forest = old_areas
    discover()
    job = JOBS["yingji.forest.tasks.flag_missed_patrols"]
    set_danger(forest.stations["AWS-TCS"], DAY, 4)  # 团城山 at level 4 asks for 3 rounds
    set_danger(forest.stations["AWS-HJS"], DAY, 2)  # 黄荆山 at level 2 asks for its own 2
    with time_machine.travel(datetime(2026, 4, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        _patrol(forest, forest.tuancheng, datetime(2026, 4, 5, 8, 0, tzinfo=SHANGHAI))
        # A patrol under way is not a patrol done.
        services.patrol_start(by=forest.ranger, area=forest.tuancheng)
    with time_machine.travel(datetime(2026, 4, 6, 1, 0, tzinfo=SHANGHAI), tick=False):
        assert job.func() == 2
    flagged = {m.area.code: (m.done, m.expected, m.level) for m in MissedPatrol.objects.all()}
    assert flagged == {"FA-TCS": (1, 3, 4), "FA-HJS": (0, 2, 2)}
    assert Notification.objects.filter(recipient=forest.ranger, title__contains="2026-04-05").count() == 1
    with time_machine.travel(datetime(2026, 4, 6, 2, 0, tzinfo=SHANGHAI), tick=False):
        assert job.func() == 0
    assert MissedPatrol.objects.count() == 2


def test_enough_patrols_are_not_flagged(old_areas):
    forest = old_areas
    with time_machine.travel(datetime(2026, 4, 5, 20, 0, tzinfo=SHANGHAI), tick=False):
        # No station reading: 团城山 asks its own one round and had it; 黄荆山 asks two and had none.
        _patrol(forest, forest.tuancheng, datetime(2026, 4, 5, 8, 0, tzinfo=SHANGHAI))
    flagged = services.patrols_flag_missed(day=DAY)
    assert [m.area.code for m in flagged] == ["FA-HJS"]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_below_high_danger_nobody_is_notified(forest, level):
    set_danger(forest.stations["AWS-TCS"], DAY, level)
    assert services.danger_notify(day=DAY) == []

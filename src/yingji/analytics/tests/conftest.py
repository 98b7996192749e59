"""A hand-computed history on top of the fixed cast, around the turn of 2025/2026 (Asia/Shanghai local times).

Current period 2025-12-01 … 2026-01-31 and the same period a year earlier, 2024-12-01 … 2025-01-31:

| id | where (street)   | occurred (local) | category                 | deaths | serious | loss (yuan) | counts in |
| A0 | enterprise X (A) | 2025-12-01 07:00 | accident (fire)          | 0 | 0 | 1,000     | current (UTC: 30 Nov) |
| A1 | enterprise X (A) | 2025-12-31 23:30 | accident (fire)          | 1 | 2 | 100,000   | current |
| A2 | enterprise X (A) | 2026-01-01 00:10 | accident (hazchem leak)  | 0 | 0 | 5,000     | current |
| B1 | enterprise Y (B) | 2026-01-15 12:00 | natural disaster (flood) | 3 | 0 | 2,000,000 | current |
| A3 | enterprise X (A) | 2026-02-01 00:30 | accident (fire)          | 5 | 0 | 0         | none (UTC: 31 Jan) |
| M1 | enterprise X (A) | 2026-01-10 10:00 | accident (fire), merged  | 9 | 0 | 0         | none (a duplicate) |
| P1 | enterprise X (A) | 2025-01-31 23:59 | accident (fire)          | 2 | 0 | 0         | previous |
| P2 | enterprise Y (B) | 2024-11-30 23:59 | accident (fire)          | 4 | 0 | 0         | none |
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from yingji.analytics.filters import StatFilters
from yingji.incidents.models import Incident, IncidentType, Status
from yingji.incidents.services import incident_create
from yingji.monitoring.models import Alarm, Reading
from yingji.monitoring.services import device_create, rule_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
CURRENT = StatFilters(date_from=date(2025, 12, 1), date_to=date(2026, 1, 31))
MARCH = StatFilters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@dataclass
class History:
    incidents: dict[str, Incident]


def record(cast, name: str, at: datetime, type_code: str, org, **figures: int) -> Incident:
    kind = IncidentType.objects.get(code=type_code)
    return incident_create(
        by=None,
        title=f"测试事件 {name}",
        category=kind.category,
        type=kind,
        occurred_at=at,
        received_at=at,
        enterprise=org,
        org=org,
        address="测试地址",
        **figures,
    )


@pytest.fixture
def history(cast) -> History:
    x, y = cast.enterprise_x, cast.enterprise_y
    rows = {
        "A0": record(cast, "A0", local(2025, 12, 1, 7, 0), "fire", x, direct_loss_yuan=1_000),
        "A1": record(
            cast, "A1", local(2025, 12, 31, 23, 30), "fire", x, deaths=1, serious_injuries=2, direct_loss_yuan=100_000
        ),
        "A2": record(cast, "A2", local(2026, 1, 1, 0, 10), "hazchem_leak", x, direct_loss_yuan=5_000),
        "B1": record(cast, "B1", local(2026, 1, 15, 12, 0), "flood", y, deaths=3, direct_loss_yuan=2_000_000),
        "A3": record(cast, "A3", local(2026, 2, 1, 0, 30), "fire", x, deaths=5),
        "M1": record(cast, "M1", local(2026, 1, 10, 10, 0), "fire", x, deaths=9),
        "P1": record(cast, "P1", local(2025, 1, 31, 23, 59), "fire", x, deaths=2),
        "P2": record(cast, "P2", local(2024, 11, 30, 23, 59), "fire", y, deaths=4),
    }
    # A duplicate merged into another record is not a second incident.
    Incident.objects.filter(pk=rows["M1"].pk).update(status=Status.MERGED, merged_into=rows["A1"])
    return History(incidents=rows)


# ---- alarms: the crafted March 2026 history of test_alarm_quality.py ------------------------------------------


def alarm(device, rule, raised: datetime, *, cleared_after: timedelta | None, acked_after=None, peak, by=None):
    return Alarm.objects.create(
        device=device,
        rule=rule,
        org=device.org,
        metric=rule.metric,
        status="closed" if by else "cleared",
        level="blue",
        value=peak,
        peak_value=peak,
        raised_at=raised,
        last_at=raised,
        cleared_at=raised + cleared_after if cleared_after else None,
        acknowledged_at=raised + acked_after if acked_after else None,
        acknowledged_by=by if acked_after else None,
        closed_by=by,
        closed_at=raised + cleared_after if by else None,
    )


@pytest.fixture
def crafted(cast):
    g1 = device_create(by=None, code="G1", name="甲化工可燃气体G1", type="combustible_gas", org=cast.enterprise_x)
    t1 = device_create(by=None, code="T1", name="乙建材温度T1", type="temperature", org=cast.enterprise_y)
    r1 = rule_create(by=None, name="R1 可燃气体", device_type="combustible_gas", metric="ch4_lel", blue=10, yellow=20)
    r2 = rule_create(by=None, name="R2 温度", device_type="temperature", metric="temp_c", blue=40)
    start = local(2026, 3, 10, 10, 0)
    for n in range(5):
        alarm(g1, r1, start + timedelta(minutes=7 * n), cleared_after=timedelta(minutes=2), peak=12)
    for day, peak in ((5, 41), (6, 42), (7, 41.5)):
        alarm(t1, r2, local(2026, 3, day, 14, 0), cleared_after=timedelta(minutes=3), peak=peak)
    real = local(2026, 3, 20, 9, 0)
    alarm(t1, r2, real, cleared_after=timedelta(hours=2), acked_after=timedelta(seconds=120), peak=80, by=cast.duty)
    base = local(2026, 3, 1, 0, 0)
    readings = [
        Reading(device=t1, metric="temp_c", ts=base + timedelta(minutes=40 * i), value=30 + 15 * i / 999)
        for i in range(1000)
    ]
    readings.append(Reading(device=t1, metric="temp_c", ts=real, value=80))
    Reading.objects.bulk_create(readings)
    return {"g1": g1, "t1": t1, "r1": r1, "r2": r2}


@pytest.fixture(autouse=True)
def report_files(settings, tmp_path):
    """Report files of a test land in its own temporary folder, not in the data directory."""
    settings.MEDIA_ROOT = tmp_path / "uploads"

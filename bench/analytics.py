"""Analytics benchmark: each statistic and the dashboard's data through the API (p50/p95), against the very SQL
those answers ran, replayed as plain SQL in the same run (the ratio shows what Django, the registry and the
Python around the queries cost); then a monthly report built end to end.

Run: .venv/bin/python bench/analytics.py [--postgres] [--incidents N] [--alarms N] [--readings N] [--full]
Defaults are small (2,000 incidents, 20,000 alarms, 200,000 readings) so it finishes in a minute on SQLite.
`--full` is the issue's size (20,000 incidents, 200,000 alarms, 50 million readings; use it with --postgres,
which creates and drops a throwaway database on 127.0.0.1:5432). Targets (issue 15): p95 <= 300 ms per statistic
and for the dashboard, ratio <= 1.5, monthly report <= 30 s.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL database")
parser.add_argument("--incidents", type=int, default=2_000)
parser.add_argument("--alarms", type=int, default=20_000)
parser.add_argument("--readings", type=int, default=200_000)
parser.add_argument("--full", action="store_true", help="20,000 incidents, 200,000 alarms, 50 million readings")
parser.add_argument("--repeat", type=int, default=15, help="API calls per statistic")
parser.add_argument("--seed", type=int, default=15)
args = parser.parse_args()
if args.full:
    args.incidents, args.alarms, args.readings = 20_000, 200_000, 50_000_000

DATA_DIR = tempfile.mkdtemp(prefix="yingji-bench-analytics-")
os.environ["YINGJI_DATA_DIR"] = DATA_DIR
os.environ.pop("DATABASE_URL", None)
PG_DB = f"yingji_bench_analytics_{os.getpid()}"
if args.postgres:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def create_pg_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')
        conn.execute(f'CREATE DATABASE "{PG_DB}"')


def drop_pg_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}"')


if args.postgres:
    create_pg_database()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from yingji.analytics import services as analytics  # noqa: E402
from yingji.analytics.filters import StatFilters  # noqa: E402
from yingji.analytics.stats import compute  # noqa: E402
from yingji.core.models import OrgKind, User  # noqa: E402
from yingji.core.roles import Role  # noqa: E402
from yingji.core.services import org_create, token_issue, user_create  # noqa: E402
from yingji.incidents.models import Dispatch, Incident, IncidentType  # noqa: E402
from yingji.monitoring.models import Alarm, Reading  # noqa: E402
from yingji.monitoring.services import device_create, rule_create  # noqa: E402
from yingji.resources.models import Team  # noqa: E402
from yingji.resources.services import team_create  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
rng = random.Random(args.seed)
NOW = timezone.now()
YEAR_S = 365 * 86400


def ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[max(0, int(round(0.95 * len(ordered))) - 1)] * 1000


def build_world() -> User:
    district = org_create(by=None, code="B420202", name="基准区", kind=OrgKind.DISTRICT, lat=30.21, lon=115.08)
    bureau = org_create(by=None, code="B-BUREAU", name="基准区应急管理局", kind=OrgKind.BUREAU, parent=district)
    streets = [
        org_create(by=None, code=f"B-S{i}", name=f"街道{i}", kind=OrgKind.STREET, parent=district) for i in range(6)
    ]
    enterprises = [
        org_create(
            by=None,
            code=f"B-E{i:03d}",
            name=f"企业{i}",
            kind=OrgKind.ENTERPRISE,
            parent=streets[i % 6],
            industry=rng.choice(["hazchem", "metallurgy", "building_materials", "logistics"]),
            lat=30.2 + rng.random() / 50,
            lon=115.05 + rng.random() / 20,
        )
        for i in range(60)
    ]
    for i in range(20):
        team_create(by=None, parent=streets[i % 6], code=f"B-T{i}", name=f"救援队{i}", kind="fire_rescue", headcount=20)
    user = user_create(by=None, username="bench", password="Bench-Password-2026", org=bureau, roles=[Role.DUTY_OFFICER])  # noqa: S106
    types = list(IncidentType.objects.all())
    teams = list(Team.objects.all())
    print(f"creating {args.incidents:,} incidents …", flush=True)
    incidents = []
    for n in range(args.incidents):
        kind = rng.choice(types)
        at = NOW - timedelta(seconds=rng.uniform(0, 2 * YEAR_S))
        org = rng.choice(enterprises)
        incidents.append(
            Incident(
                code=f"B{n:09d}",
                title=f"基准事件{n}",
                category=kind.category,
                type=kind,
                status=rng.choice(["closed"] * 9 + ["open"]),
                occurred_at=at,
                received_at=at + timedelta(minutes=5),
                address="基准地址",
                org=org,
                enterprise=org,
                deaths=rng.choices([0, 1, 3], weights=[90, 9, 1])[0],
                serious_injuries=rng.choice([0, 0, 0, 1, 2]),
                direct_loss_yuan=rng.choice([0, 10_000, 200_000]),
                grade=rng.choice(["", "IV", "IV", "III"]),
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=2000)
    dispatches = []
    for incident in Incident.objects.only("pk", "received_at").iterator(chunk_size=5000):
        if rng.random() < 0.5:
            sent = incident.received_at + timedelta(minutes=rng.uniform(2, 20))
            dispatches.append(
                Dispatch(
                    incident_id=incident.pk,
                    team=rng.choice(teams),
                    status="released",
                    dispatched_by=user,
                    dispatched_at=sent,
                    on_scene_at=sent + timedelta(minutes=rng.uniform(5, 30)),
                )
            )
    Dispatch.objects.bulk_create(dispatches, batch_size=2000)
    print(f"creating 300 devices and {args.alarms:,} alarms …", flush=True)
    rule = rule_create(by=None, name="硫化氢", device_type="toxic_gas", metric="h2s_ppm", blue=5, yellow=10)
    devices = [
        device_create(by=None, code=f"B-D{i:03d}", name=f"探测器{i}", type="toxic_gas", org=rng.choice(enterprises))
        for i in range(300)
    ]
    alarms = []
    for _ in range(args.alarms):
        device = rng.choice(devices)
        raised = NOW - timedelta(seconds=rng.uniform(0, YEAR_S))
        acked = rng.random() < 0.3
        alarms.append(
            Alarm(
                device=device,
                rule=rule,
                org_id=device.org_id,
                metric="h2s_ppm",
                status="closed" if acked else "cleared",
                level="blue",
                peak_value=rng.uniform(5, 8),
                raised_at=raised,
                last_at=raised,
                cleared_at=raised + timedelta(minutes=rng.uniform(1, 60)),
                acknowledged_at=raised + timedelta(minutes=2) if acked else None,
            )
        )
    Alarm.objects.bulk_create(alarms, batch_size=5000)
    print(f"creating {args.readings:,} readings …", flush=True)
    per_device = max(1, args.readings // len(devices))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO monitoring_reading (device_id, metric, ts, value) "
                "SELECT d.id, 'h2s_ppm', now() - (g * interval '1 minute'), 3 + random() * 3 "
                "FROM monitoring_device d CROSS JOIN generate_series(1, %s) g",
                [per_device],
            )
    else:
        rows = (
            Reading(device=d, metric="h2s_ppm", ts=NOW - timedelta(minutes=g), value=3 + rng.random() * 3)
            for d in devices
            for g in range(per_device)
        )
        batch: list[Reading] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                Reading.objects.bulk_create(batch)
                batch.clear()
        Reading.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return user


def replay(queries: list[dict[str, str]]) -> float:
    """Run the captured SQL again as plain SQL: the time the database alone needs for the same answer."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query["sql"])
            cursor.fetchall()
    return time.perf_counter() - start


def request_cost(client: Client, headers: dict[str, str]) -> float:
    """The fixed cost of one authenticated API request (token, middleware, JSON) with no query of its own: the
    statistics catalogue."""
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        client.get("/api/v1/stats", headers=headers)
        times.append(time.perf_counter() - start)
    return ms(times)[0]


BASE_MS = 0.0


def measure(name: str, url: str, client: Client, headers: dict[str, str], run: Callable[[], object]) -> None:
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    api_times, sql_times, fn_times = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        api_times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content[:300]
        sql_times.append(replay(queries))
        start = time.perf_counter()
        run()
        fn_times.append(time.perf_counter() - start)
    api50, api95 = ms(api_times)
    sql50, sql95 = ms(sql_times)
    fn50, _fn95 = ms(fn_times)
    ratio = api50 / sql50 if sql50 else float("inf")
    # The same ratio without the fixed cost every request pays: what the statistic's own code adds to its SQL.
    own = max(api50 - BASE_MS, 0.0) / sql50 if sql50 else float("inf")
    fast, close = "ok" if api95 <= 300 else "MISSES", "ok" if ratio <= 1.5 else "MISSES"
    print(
        f"{name:<14} API p50 {api50:7.1f} ms p95 {api95:7.1f} ms {fast:6} | plain SQL p50 {sql50:7.1f} ms "
        f"({len(queries):2d} q) | ratio {ratio:5.2f} {close:6} | less the request cost {own:5.2f} | "
        f"in-process {fn50:.1f} ms"
    )


def main() -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    user = build_world()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"data ready in {time.perf_counter() - started:.1f} s on {connection.vendor}; load average {load} "
        f"on {os.cpu_count()} CPUs (timings grow with it; the ratios much less)\n"
    )
    _token, raw = token_issue(user=user)
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()
    global BASE_MS
    BASE_MS = request_cost(client, headers)
    print(f"fixed cost of an authenticated API request: p50 {BASE_MS:.1f} ms")
    today = timezone.localdate()
    filters = StatFilters(date_from=today.replace(year=today.year - 1), date_to=today)
    query = f"from={filters.date_from}&to={filters.date_to}"
    from yingji.analytics.rollup import refresh
    from yingji.analytics.selectors import dashboard
    from yingji.analytics.stats import STATS

    def stat(name: str) -> None:
        measure(
            name,
            f"/api/v1/stats/{name}?{query}",
            client,
            headers,
            lambda: compute(name, user=user, filters=filters),
        )

    # Before: every alarm figure counted from the alarms table (no roll-up yet).
    print("before the daily alarm roll-up:")
    for name in ("alarms", "dispatches", "alarm-quality"):
        stat(name)
    start = time.perf_counter()
    days = refresh()
    print(f"\nbackfill of the daily alarm roll-up: {days} days in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    refresh()
    print(f"an incremental refresh with nothing changed: {(time.perf_counter() - start) * 1000:.0f} ms\n")
    print("after (every statistic):")
    for name in STATS:
        stat(name)
    measure("dashboard", "/api/v1/analytics/dashboard", client, headers, lambda: dashboard(user=user))
    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    report = analytics.report_request(by=None, kind="monthly", period=month)
    start = time.perf_counter()
    analytics.reports_build_queued()
    report.refresh_from_db()
    took = time.perf_counter() - start
    print(
        f"\nmonthly report {month}: {report.status} in {took:.1f} s (target <= 30 s)  "
        f"{'ok' if took <= 30 and report.status == 'done' else 'MISSES'}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        if args.postgres:
            drop_pg_database()

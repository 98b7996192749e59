"""Prevention benchmark (issue 11, Performance): the four-colour layer, the hidden-danger list (filtered,
paginated) and the indicators through the API, p50/p95 per endpoint.

The target is 5,000 enterprises, 50,000 risk points and 200,000 hidden dangers on PostgreSQL with p95 ≤ 200 ms, and
that is what it runs by default (writing the data takes minutes); smaller sizes and SQLite are behind flags:

  .venv/bin/python bench/prevention.py                                                  # the issue's size, PostgreSQL
  .venv/bin/python bench/prevention.py --sqlite --enterprises 200 --points 2000 --dangers 8000   # a quick look

Data are written with bulk inserts (a benchmark fixture, not the services: 200,000 audited transactions would
measure the audit chain, not the reads). The database is throwaway: a SQLite file in a temporary data directory,
or a new PostgreSQL database (127.0.0.1:5432, user postgres, `--postgres-url` to change) dropped at the end.
Requests go through Django's test client with a bearer token, as a district user and as a street officer.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--points", type=int, default=50000)
    parser.add_argument("--dangers", type=int, default=200000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per endpoint and user")
    parser.add_argument("--sqlite", dest="postgres", action="store_false", help="a throwaway SQLite file instead")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    return parser.parse_args()


def setup(args: argparse.Namespace) -> str | None:
    """Point Django at a throwaway database and migrate it; returns the PostgreSQL database to drop, if any."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["YINGJI_DATA_DIR"] = tempfile.mkdtemp(prefix="yingji-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
    os.environ["YINGJI_ALLOWED_HOSTS"] = "testserver"  # Django's test client
    dropped = None
    if args.postgres:
        import psycopg

        name = f"yingji_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(args.postgres_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
        dropped = name
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dropped


def populate(args: argparse.Namespace) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from yingji.core.models import OrgKind, OrgUnit
    from yingji.core.roles import Role, ensure_roles
    from yingji.core.services import org_create, token_issue, user_create
    from yingji.risk.lec import matrix
    from yingji.risk.models import DangerStatus, EnterpriseProfile, HiddenDanger, RiskPoint

    rng = random.Random(11)
    ensure_roles()
    district = org_create(by=None, code="B420202", name="基准区", kind=OrgKind.DISTRICT, lat=30.21, lon=115.08)
    bureau = org_create(by=None, code="B-BUREAU", name="基准区应急管理局", kind=OrgKind.BUREAU, parent=district)
    streets = [
        org_create(by=None, code=f"B-S{i}", name=f"街道{i}", kind=OrgKind.STREET, parent=district) for i in range(5)
    ]
    with transaction.atomic():
        units = []
        for i in range(args.enterprises):
            street = streets[i % len(streets)]
            units.append(OrgUnit(code=f"B-E{i}", name=f"企业{i}", kind=OrgKind.ENTERPRISE, parent=street,
                                 lat=30.15 + rng.random() * 0.1, lon=115.0 + rng.random() * 0.15,
                                 industry="hazchem"))  # fmt: skip
        OrgUnit.objects.bulk_create(units, batch_size=2000)
        units = list(OrgUnit.objects.filter(kind=OrgKind.ENTERPRISE).select_related("parent"))
        for unit in units:
            unit.path = f"{unit.parent.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=2000)
        EnterpriseProfile.objects.bulk_create(
            [EnterpriseProfile(org=u, scale=rng.choice(["large", "medium", "small"]), high_risk=rng.random() < 0.3,
                               industry_section="C") for u in units],
            batch_size=2000,
        )  # fmt: skip
        points = []
        for i in range(args.points):
            likelihood, severity = rng.randint(1, 5), rng.randint(1, 5)
            result = matrix(likelihood, severity)
            points.append(RiskPoint(org=units[i % len(units)], name=f"风险点{i}", hazard="h", method="matrix",
                                    likelihood=likelihood, severity=severity, score=result.score,
                                    colour=result.colour, control_level="team", responsible="r"))  # fmt: skip
        RiskPoint.objects.bulk_create(points, batch_size=5000)
        now = timezone.now()
        statuses = DangerStatus.values
        batch = []
        for i in range(args.dangers):
            status = rng.choice(statuses)
            deadline = now + timedelta(days=rng.randint(-10, 20)) if status != DangerStatus.REPORTED else None
            found = now - timedelta(days=rng.randint(1, 300))
            grade = "major" if rng.random() < 0.03 else "general"
            batch.append(HiddenDanger(org=units[i % len(units)], title=f"隐患{i}", source="inspector", grade=grade,
                                      status=status, found_at=found, deadline=deadline))  # fmt: skip
            if len(batch) == 10000:
                HiddenDanger.objects.bulk_create(batch)
                batch = []
        HiddenDanger.objects.bulk_create(batch)
    secret = secrets.token_urlsafe(16)
    admin = user_create(by=None, username="bench_admin", password=secret, org=bureau, roles=[Role.INSPECTOR])
    street = user_create(by=None, username="bench_street", password=secret, org=streets[0],
                         roles=[Role.STREET_OFFICER])  # fmt: skip
    return {"district": token_issue(user=admin)[1], "street": token_issue(user=street)[1]}


def measure(tokens: dict, repeat: int) -> list[tuple[str, str, float, float, int]]:
    from django.test import Client

    client = Client()
    endpoints = [
        ("four-colour layer", "/api/v1/map/layers/risk"),
        ("hidden dangers, open, page 3", "/api/v1/hidden-dangers?open=true&page=3&page_size=50"),
        ("hidden dangers, overdue", "/api/v1/hidden-dangers?overdue=true&page_size=50"),
        ("hidden dangers, major, search", "/api/v1/hidden-dangers?grade=major&q=隐患1&page_size=50"),
        ("indicators by street", "/api/v1/risk/indicators"),
        ("indicators by industry", "/api/v1/risk/indicators?by=industry"),
    ]
    rows = []
    for who, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        for label, url in endpoints:
            client.get(url, headers=headers)  # warm up
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
            rows.append((who, label, statistics.median(times), p95, len(response.content)))
    return rows


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they come, also into a file
    args = parse()
    dropped = setup(args)
    try:
        from django.db import connection

        started = time.perf_counter()
        tokens = populate(args)
        print(f"database: {connection.vendor}; {args.enterprises} enterprises, {args.points} risk points, "
              f"{args.dangers} hidden dangers written in {time.perf_counter() - started:.1f} s")  # fmt: skip
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs: a busy machine slows every figure")
        print(f"{'user':9} {'endpoint':32} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}  (target p95 ≤ 200 ms)")
        for who, label, p50, p95, size in measure(tokens, args.repeat):
            flag = "" if p95 <= 200 else "  ← over target"
            print(f"{who:9} {label:32} {p50:8.1f} {p95:8.1f} {size:9d}{flag}")
    finally:
        if dropped:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(args.postgres_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dropped}"')


if __name__ == "__main__":
    main()

"""Map layer benchmark: the enterprises layer with 20,000 enterprises, for the whole district and for a street-size
window (bbox), through the layer function the API calls, against a plain SQL reference (the same rows' id, name,
lat, lon straight from the database cursor) measured in the same run.

Run: .venv/bin/python bench/map.py [--features 20000] [--queries 30]. Throwaway data directory and SQLite database
(or DATABASE_URL). Targets (issue 16): p95 <= 200 ms whole district, <= 50 ms for a street-size window.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DATA_DIR = tempfile.mkdtemp(prefix="yingji-bench-map-")
os.environ["YINGJI_DATA_DIR"] = DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from yingji.core.geo import district_geometry  # noqa: E402
from yingji.core.maplayers import BBox, layer  # noqa: E402
from yingji.core.models import OrgKind, OrgUnit  # noqa: E402
from yingji.core.roles import Role  # noqa: E402
from yingji.core.services import org_create, user_create  # noqa: E402


def p(values: list[float]) -> tuple[float, float]:
    array = np.array(values) * 1000
    return float(np.percentile(array, 50)), float(np.percentile(array, 95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    call_command("migrate", verbosity=0)
    district = org_create(by=None, code="B420202", name="基准区", kind=OrgKind.DISTRICT, lat=30.21, lon=115.08)
    bureau = org_create(by=None, code="B-BUREAU", name="基准区应急管理局", kind=OrgKind.BUREAU, parent=district)
    street = org_create(by=None, code="B-A", name="基准街道", kind=OrgKind.STREET, parent=district)
    user = user_create(
        by=None,
        username="bench",
        password="Bench-password-2021!",  # noqa: S106
        org=bureau,
        roles=[Role.DUTY_OFFICER],
    )
    west, south, east, north = district_geometry().bounds
    lats, lons = rng.uniform(south, north, args.features), rng.uniform(west, east, args.features)
    OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                code=f"B-E{i}",
                name=f"企业{i}",
                kind=OrgKind.ENTERPRISE,
                parent=street,
                path=f"{street.path}e{i}/",
                lat=float(lats[i]),
                lon=float(lons[i]),
                industry="hazchem",
            )
            for i in range(args.features)
        ),
        batch_size=2000,
    )
    print(f"{args.features:,} enterprises in the district box {west:.3f},{south:.3f},{east:.3f},{north:.3f}")
    whole, window, sql_whole, sql_window, sizes = [], [], [], [], []
    for _ in range(args.queries):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        # A street-size view: about 1.5 km x 1 km.
        box = BBox(lon - 0.008, lat - 0.0045, lon + 0.008, lat + 0.0045)
        start = time.perf_counter()
        body = json.dumps(layer("enterprises", user))
        whole.append(time.perf_counter() - start)
        start = time.perf_counter()
        small = layer("enterprises", user, bbox=box)
        json.dumps(small)
        window.append(time.perf_counter() - start)
        sizes.append(len(small["features"]))
        for sink, where, params in (
            (sql_whole, "", []),
            (
                sql_window,
                " AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s",
                [box.south, box.north, box.west, box.east],
            ),
        ):
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, name, lat, lon FROM core_orgunit WHERE kind = %s AND active AND lat IS NOT NULL"  # noqa: S608
                    + where,
                    ["enterprise", *params],
                )
                json.dumps([{"id": r[0], "name": r[1], "coordinates": [r[3], r[2]]} for r in cursor.fetchall()])
            sink.append(time.perf_counter() - start)
    (w50, w95), (b50, b95), (s50, s95), (t50, t95) = p(whole), p(window), p(sql_whole), p(sql_window)
    print(
        f"whole district  p50 {w50:7.1f} ms  p95 {w95:7.1f} ms  ({len(body) / 2**20:.1f} MiB of GeoJSON; "
        "target p95 <= 200)"
    )
    print(f"  plain SQL     p50 {s50:7.1f} ms  p95 {s95:7.1f} ms  ratio layer / SQL (p95) {w95 / s95:.1f}x")
    print(
        f"street window   p50 {b50:7.1f} ms  p95 {b95:7.1f} ms  ({np.mean(sizes):.0f} features on average; "
        "target p95 <= 50)"
    )
    print(f"  plain SQL     p50 {t50:7.1f} ms  p95 {t95:7.1f} ms  ratio layer / SQL (p95) {b95 / t95:.1f}x")


if __name__ == "__main__":
    main()

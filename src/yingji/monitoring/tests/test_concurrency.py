"""One open alarm per device and rule, even when several ingest processes judge readings at the same
moment: the conditional unique constraint decides (PostgreSQL in CI; SQLite serialises writers)."""

import contextlib
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from yingji.monitoring.ingest import Envelope, IngestEngine
from yingji.monitoring.models import Alarm

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 6


def test_concurrent_ingest_opens_exactly_one_alarm(plant):
    start = datetime.now(UTC) - timedelta(minutes=5)
    engines = [IngestEngine() for _ in range(WORKERS)]
    for engine in engines:
        engine.refresh(force=True)  # every "process" believes no alarm is open yet
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    # SQLite serialises writers anyway, and its in-memory test database (shared cache) fails a second
    # writer at once instead of waiting: take turns there. The "processes" still hold stale caches, so
    # the constraint path is exercised; PostgreSQL runs them truly at once.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def ingest(i: int) -> None:
        body = json.dumps({"ts": (start + timedelta(seconds=i)).isoformat(), "metrics": {"ch4_lel": 30.0}}).encode()
        try:
            barrier.wait(timeout=10)
            with turns:
                engines[i].ingest([Envelope("mqtt", "yingji/telemetry/GAS-X-01", body, "GAS-X-01")])
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ingest, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    alarm = Alarm.objects.get(device=plant.gas)
    assert alarm.status == "active" and alarm.level == "yellow"
    # Every reading counted once into the one alarm.
    assert alarm.repeat_count == WORKERS

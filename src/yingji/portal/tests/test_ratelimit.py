"""The public rate limit counts in the database, so it holds across web processes: real separate processes
post against one database and together get exactly the limit."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from yingji.core.models import RateCounter
from yingji.core.ratelimit import address_key, client_network
from yingji.portal.ratelimit import LIMITS, rate_hit
from yingji.resources.tests.test_ledger_concurrency import production_database

SCRIPT = """
import json, sys
import django
django.setup()
from yingji.portal.ratelimit import rate_hit
print(json.dumps([rate_hit(scope="question", address="198.51.100.7").allowed for _ in range(int(sys.argv[1]))]))
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start(hits: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "yingji.settings",
        "YINGJI_SECRET_KEY": settings.SECRET_KEY,
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(hits)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _results(process: subprocess.Popen) -> list[bool]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_limit_holds_across_processes(tmp_path):
    limit = LIMITS["question"][0]
    with production_database(tmp_path):
        # One process after another: the second sees what the first counted.
        first = _results(_start(3))
        second = _results(_start(3))
        assert first == [True, True, True]
    assert second == [True, True, False]
    assert sum(first + second) == limit


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_get_exactly_the_limit(tmp_path):
    # However their posts interleave, together they get exactly the limit.
    limit = LIMITS["question"][0]
    with production_database(tmp_path):
        a, b = _start(4), _start(4)
        results = _results(a) + _results(b)
    assert sum(results) == limit


def test_the_next_window_opens_again_and_retry_after_points_to_it(db):
    limit, window = LIMITS["question"]
    start = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    for i in range(limit):
        assert rate_hit(scope="question", address="a", now=start + timedelta(seconds=i)).allowed
    refused = rate_hit(scope="question", address="a", now=start + timedelta(seconds=600))
    assert not refused.allowed and refused.retry_after_s == window - 600
    assert rate_hit(scope="question", address="a", now=start + timedelta(seconds=window)).allowed


def test_addresses_are_kept_only_as_keyed_hashes(db):
    rate_hit(scope="lead", address="203.0.113.9")
    (row,) = RateCounter.objects.all()
    assert row.key == address_key("203.0.113.9") and "203.0.113.9" not in row.key


def test_an_ipv6_client_counts_as_its_64_network():
    assert client_network("2001:db8:1:2:aaaa::1") == client_network("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::1") != client_network("2001:db8:1:2::1")
    assert client_network("::ffff:192.0.2.7") == client_network("192.0.2.7") == "192.0.2.7"
    assert client_network("198.51.100.1") != client_network("198.51.100.2")

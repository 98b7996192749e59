"""Live updates end to end: a real uvicorn server in a thread, a real HTTP client reading the event stream.

The fan-out under test is the one the database selects (the polled table on SQLite, LISTEN/NOTIFY across two
connections on PostgreSQL), also from another process; the Redis fan-out is tested against the Redis at
127.0.0.1:6379."""

import http.client
import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from yingji.core import live

# Each transactional test flushes every table afterwards, which is slow on PostgreSQL: few, fuller tests.
live_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(asgi_server) -> int:
    return int(asgi_server.rsplit(":", 1)[1])


class Stream:
    """An SSE client over a plain HTTP connection."""

    def __init__(self, port: int, headers: dict[str, str], channel: str = "duty") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", f"/live/{channel}/", headers={**headers, "Accept": "text/event-stream"})
        self.response = self.conn.getresponse()

    def next_event(self) -> tuple[str, dict]:
        name, data = "message", ""
        while True:
            line = self.response.fp.readline().decode("utf-8").rstrip("\n")
            if line == "":
                if data:
                    return name, json.loads(data)
                continue
            if line.startswith(":") or line.startswith("retry:"):
                continue
            key, _, value = line.partition(": ")
            if key == "event":
                name = value
            elif key == "data":
                data = value

    def close(self) -> None:
        self.conn.close()


def _connected(port: int, headers: dict[str, str]) -> Stream:
    stream = Stream(port, headers)
    assert stream.response.status == 200
    assert stream.response.getheader("Content-Type").startswith("text/event-stream")
    assert stream.next_event() == ("ready", {})
    return stream


@live_db
def test_published_event_reaches_connected_clients_of_its_scope(server, cast, bearer):
    district = _connected(server, bearer(cast.duty))
    street = _connected(server, bearer(cast.street_officer))
    try:
        live.publish("duty", "incident", {"id": 1}, scope=cast.enterprise_y.path)  # street B: not street A's
        live.publish("duty", "incident", {"id": 2}, scope="")  # district-wide: district staff only
        live.publish("duty", "incident", {"id": 3, "title": "测试"}, scope=cast.enterprise_x.path)  # under street A
        assert [district.next_event() for _ in range(3)] == [
            ("incident", {"id": 1}),
            ("incident", {"id": 2}),
            ("incident", {"id": 3, "title": "测试"}),
        ]
        assert street.next_event() == ("incident", {"id": 3, "title": "测试"})
    finally:
        district.close()
        street.close()
    expected = "postgres" if connection.vendor == "postgresql" else "table"
    assert live.backend() == expected


@live_db
def test_event_published_by_another_process_reaches_the_stream(server, cast, bearer):
    # The worker and ingest are separate processes: their events must reach the web process's pages.
    stream = _connected(server, bearer(cast.duty))
    settings_db = connection.settings_dict
    database_url = (
        f"sqlite:///{settings_db['NAME']}"
        if connection.vendor == "sqlite"
        else f"postgres://{settings_db['USER']}@{settings_db['HOST']}:{settings_db['PORT']}/{settings_db['NAME']}"
    )
    script = (
        "import django; django.setup(); from yingji.core.live import publish; "
        f"publish('duty', 'alarm', {{'title': '液位超限'}}, scope={cast.enterprise_x.path!r})"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "yingji.settings"}
    try:
        subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
        assert stream.next_event() == ("alarm", {"title": "液位超限"})
    finally:
        stream.close()


@live_db
def test_stream_needs_a_user_with_a_scope(server, cast, bearer):
    for headers, status in (({}, 401), (bearer(cast.outsider), 404)):
        conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
        conn.request("GET", "/live/duty/", headers=headers)
        assert conn.getresponse().status == status
        conn.close()


@live_db
def test_redis_fan_out(server, cast, bearer, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert live.backend() == "redis"
    stream = _connected(server, bearer(cast.duty))
    try:
        live.publish("duty", "alarm", {"title": "可燃气体浓度超限"}, scope=cast.enterprise_x.path)
        assert stream.next_event() == ("alarm", {"title": "可燃气体浓度超限"})
    finally:
        stream.close()


def test_visible_follows_the_org_tree():
    assert live.visible("/1/4/9/", None)
    assert live.visible("/1/4/9/", "/1/4/")
    assert not live.visible("/1/5/", "/1/4/")
    assert not live.visible("", "/1/4/")

"""An open live stream ends within seconds when its token is revoked, its user signs out or is deactivated
(issue 10: streams kept delivering after all three)."""

import http.client
import time

import pytest
from django.conf import settings
from django.test import Client

from yingji.core import live
from yingji.core.services import token_issue, token_revoke

live_db = pytest.mark.django_db(transaction=True)
# The stream re-checks every RECHECK_S; allow a few rounds.
CLOSE_WITHIN_S = live.RECHECK_S * 3


@pytest.fixture
def port(asgi_server) -> int:
    return int(asgi_server.rsplit(":", 1)[1])


def open_stream(port: int, headers: dict[str, str]) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CLOSE_WITHIN_S + 5)
    conn.request("GET", "/live/duty/", headers={**headers, "Accept": "text/event-stream"})
    response = conn.getresponse()
    assert response.status == 200
    assert b"event: ready" in _read_until(response, b"event: ready")
    return response


def _read_until(response: http.client.HTTPResponse, marker: bytes) -> bytes:
    seen = b""
    while marker not in seen:
        line = response.readline()
        if not line:
            break
        seen += line
    return seen


def seconds_until_closed(response: http.client.HTTPResponse) -> tuple[float, bytes]:
    """Read the stream to its end; how long that took and what came."""
    start = time.monotonic()
    rest = b""
    while line := response.readline():
        rest += line
    return time.monotonic() - start, rest


@live_db
def test_stream_ends_when_its_token_is_revoked(port, cast):
    token, raw = token_issue(user=cast.duty)
    response = open_stream(port, {"Authorization": f"Bearer {raw}"})
    token_revoke(by=cast.duty, token=token)
    took, rest = seconds_until_closed(response)
    assert took < CLOSE_WITHIN_S
    assert b"event: signed-out" in rest


@live_db
def test_stream_ends_when_its_user_is_deactivated(port, cast, bearer):
    response = open_stream(port, bearer(cast.duty))
    cast.duty.is_active = False
    cast.duty.save(update_fields=["is_active"])
    took, rest = seconds_until_closed(response)
    assert took < CLOSE_WITHIN_S and b"signed-out" in rest


@live_db
def test_stream_ends_when_its_session_signs_out(port, cast):
    browser = Client()
    browser.force_login(cast.duty)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    response = open_stream(port, {"Cookie": cookie})
    browser.post("/logout/")
    took, rest = seconds_until_closed(response)
    assert took < CLOSE_WITHIN_S and b"signed-out" in rest


@live_db
def test_stream_of_a_valid_session_stays_open(port, cast):
    browser = Client()
    browser.force_login(cast.duty)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    response = open_stream(port, {"Cookie": cookie})
    time.sleep(live.RECHECK_S * 2)
    live.publish("duty", "incident", {"id": 7}, scope="")
    assert b'data: {"id": 7}' in _read_until(response, b'{"id": 7}')
    response.close()

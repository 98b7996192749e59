"""The hall's public endpoints and pages answer 429 with Retry-After once a network passes its limit; people
signed in are not counted; IPv6 clients are counted per /64."""

from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory

from yingji.training import ratelimit
from yingji.training.models import HallBooking, Question
from yingji.training.tests.test_hall import JSON, _visit


@pytest.fixture
def tight(monkeypatch):
    limits = {scope: (2, 600) for scope in ratelimit.LIMITS}
    monkeypatch.setattr(ratelimit, "LIMITS", limits)


def test_a_window_counts_up_to_its_limit_then_refuses_until_the_next(db, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMITS", {"quiz": (3, 600)})
    at = datetime(2026, 5, 1, 8, 5, tzinfo=UTC)
    decisions = [ratelimit.rate_hit(scope="quiz", client="10.0.0.1", now=at) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    # 08:05 lies 300 s into the ten-minute window that ends at 08:10.
    assert decisions[-1].retry_after_s == 300 and decisions[-1].count == 4
    assert ratelimit.rate_hit(scope="quiz", client="10.0.0.2", now=at).allowed
    assert ratelimit.rate_hit(scope="quiz", client="10.0.0.1", now=datetime(2026, 5, 1, 8, 10, tzinfo=UTC)).allowed


def test_ipv6_clients_are_counted_per_64():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert ratelimit.client_of(one) == ratelimit.client_of(other) == "2001:db8:1:2::/64"
    assert ratelimit.client_of(factory.get("/", REMOTE_ADDR="::ffff:10.1.2.3")) == "10.1.2.3"


def test_public_booking_api_answers_429_with_retry_after(base, api, tight):
    for group in ("一小", "二小"):
        response = api.post("/api/v1/hall/bookings", _visit(base, visitors=5, group_name=group), content_type=JSON)
        assert response.status_code == 201
    refused = api.post("/api/v1/hall/bookings", _visit(base, visitors=5, group_name="三小"), content_type=JSON)
    assert refused.status_code == 429
    body = refused.json()
    assert body["retry_after_s"] > 0 and int(refused["Retry-After"]) == body["retry_after_s"]
    assert "Too many requests" in body["detail"] or "请求过于频繁" in body["detail"]
    assert HallBooking.objects.count() == 2


def test_signed_in_bookers_are_not_counted(base, api, bearer, cast, tight):
    for number in range(3):
        response = api.post(
            "/api/v1/hall/bookings",
            _visit(base, visitors=5, group_name=f"企业{number}", group_kind="enterprise"),
            content_type=JSON,
            headers=bearer(cast.enterprise_manager),
        )
        assert response.status_code == 201


def test_quiz_and_slots_are_limited_per_network(base, api, tight):
    Question.objects.create(topic="fire", text="火警电话是？", choices=["110", "119"], answer=1)
    assert api.get("/api/v1/hall/quizzes/paper?topic=fire&size=5").status_code == 200
    score = {"answers": [{"question": Question.objects.get().pk, "choice": 1}]}
    assert api.post("/api/v1/hall/quizzes/score", score, content_type=JSON).status_code == 200
    assert api.get("/api/v1/hall/quizzes/paper?topic=fire&size=5").status_code == 429
    # Another network still gets its paper.
    assert api.get("/api/v1/hall/quizzes/paper?topic=fire&size=5", REMOTE_ADDR="10.9.9.9").status_code == 200
    assert api.get("/api/v1/hall/slots").status_code == 200
    assert api.get("/api/v1/hall/slots").status_code == 200
    assert api.get("/api/v1/hall/slots").status_code == 429


def test_hall_page_shows_the_429_page(base, tight):
    visitor = Client()
    for group in ("一小", "二小"):
        assert visitor.post("/training/hall/", _visit(base, visitors=5, group_name=group)).status_code == 200
    refused = visitor.post("/training/hall/", _visit(base, visitors=5, group_name="三小"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'id="too-many"' in refused.content.decode()
    assert HallBooking.objects.count() == 2
    # Reading the page is not counted.
    assert visitor.get("/training/hall/").status_code == 200


def test_qr_sign_in_guesses_are_limited(base, tight):
    visitor = Client()
    url = f"/training/sign-in/{base.session.signin_code}/"
    for phone in ("13000000001", "13000000002"):
        assert visitor.post(url, {"phone": phone}).status_code == 200
    assert visitor.post(url, {"phone": "13000000003"}).status_code == 429

"""Input no view should see: NUL characters, numbers beyond the database's range, NaN, bodies that are not
JSON; and every API error answered as JSON, a crash included. Plus the Content-Security-Policy on every
answer, and a page size that does not leak from one request to the next."""

import pytest

from yingji.core import api as core_api

BIG = 2**63  # one past the largest bigint


def test_ids_beyond_the_database_range_are_not_found(cast, api, bearer):
    response = api.get(f"/api/v1/orgs/{BIG}", headers=bearer(cast.admin))
    assert response.status_code == 404 and response.json()["detail"] == "未找到"
    assert api.get(f"/api/v1/orgs/{BIG - 1}", headers=bearer(cast.admin)).status_code == 404


def test_page_numbers_beyond_the_database_range_are_refused(cast, api, bearer):
    headers = bearer(cast.admin)
    response = api.get(f"/api/v1/orgs?page={BIG}", headers=headers)
    assert response.status_code == 400 and "page" in response.json()["errors"]
    far = api.get(f"/api/v1/orgs?page={BIG - 1}&page_size=500", headers=headers)
    assert far.status_code == 200 and far.json()["items"] == []
    assert api.get(f"/api/v1/orgs?parent={BIG * 4}", headers=headers).status_code == 400


def test_nul_characters_are_refused_even_from_anonymous_clients(cast, api):
    response = api.get("/api/v1/warnings?q=%00")
    assert response.status_code == 400 and response.json()["detail"] == "不允许包含 NUL 字符"
    token = api.post(
        "/api/v1/auth/token", {"username": "admin\u0000", "password": "x"}, content_type="application/json"
    )
    assert token.status_code == 400 and "errors" in token.json()
    assert api.get("/api/v1/devices/a%00b", HTTP_AUTHORIZATION="Bearer x").status_code == 400
    assert api.get("/login/?next=%00").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        '{"ids": NaN}',
        '{"ids": [Infinity]}',
        '{"ids": [1e400]}',
        '{"ids": [18446744073709551616]}',
        '{"ids": [1], "x\\u0000": 1}',
        '{"ids": [1], "x": "\\ud800"}',
        '{"ids": [1], "x": "a\\u0001"}',
        "{not json",
    ],
)
def test_json_bodies_with_what_no_column_holds_are_a_400(cast, api, bearer, body):
    response = api.post("/api/v1/notifications/read", body, content_type="application/json", headers=bearer(cast.admin))
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


def test_json_sent_as_text_is_refused(cast, api, bearer):
    response = api.post("/api/v1/notifications/read", "{}", content_type="text/plain", headers=bearer(cast.admin))
    assert response.status_code == 415 and response.json() == {
        "detail": "请求内容须为 application/json",
        "errors": {"__all__": ["请求内容须为 application/json"]},
    }


def test_every_api_error_is_json(cast, api, bearer):
    missing = api.get("/api/v1/no-such-thing", headers=bearer(cast.admin))
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到"}
    wrong = api.put("/api/v1/health")
    assert wrong.status_code == 405 and wrong.json() == {"detail": "不支持该请求方法"} and "GET" in wrong["Allow"]
    assert api.get("/api/v1/orgs").json() == {"detail": "请先登录"}


def test_an_unexpected_error_is_logged_and_answered_as_json(cast, api, bearer, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(core_api.selectors, "org_list", broken)
    response = api.get("/api/v1/orgs", headers=bearer(cast.admin))
    assert response.status_code == 500 and response.json() == {"detail": "服务器内部错误"}
    assert "a bug" not in response.content.decode()
    assert any("internal error on GET /api/v1/orgs" in r.getMessage() for r in caplog.records)


def test_page_sizes_do_not_leak_between_requests(cast, api, bearer):
    headers = bearer(cast.admin)
    assert len(api.get("/api/v1/orgs?page_size=1", headers=headers).json()["items"]) == 1
    # Ninja keeps one paginator per endpoint: the next request, without page_size, gets the default of 50.
    everything = api.get("/api/v1/orgs", headers=headers).json()
    assert everything["count"] > 1 and len(everything["items"]) == everything["count"]


def test_every_answer_carries_a_content_security_policy_without_inline_script(cast, client, api):
    client.force_login(cast.admin)
    for response in (client.get("/"), client.get("/login/"), api.get("/api/v1/health"), client.get("/admin/")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_shared_paginator_is_never_written_by_a_request(cast):
    # One Pages instance serves every request to an endpoint, from many threads: a page size stored on it by
    # one request would be used by another's running at the same time.
    from yingji.core.models import OrgUnit

    pages = core_api.Pages()
    before = dict(vars(pages))
    first = pages.paginate_queryset(OrgUnit.objects.order_by("pk"), core_api.Pages.Input(page=1, page_size=1))
    second = pages.paginate_queryset(OrgUnit.objects.order_by("pk"), core_api.Pages.Input(page=1, page_size=3))
    assert vars(pages) == before
    assert (len(first["items"]), len(second["items"])) == (1, 3)


def test_infinite_numbers_spelled_as_text_are_refused(cast, api, bearer):
    body = {
        "latitude": 30.2,
        "start": {"dmc": "inf", "dc": "Infinity"},
        "observations": [{"date": "2026-04-01", "temp_c": 20, "rh_pct": 40, "wind_kmh": 10, "rain_mm": 0}],
    }
    response = api.post("/api/v1/fire-danger/fwi", body, content_type="application/json", headers=bearer(cast.admin))
    assert response.status_code == 400 and {"start.dmc", "start.dc"} <= set(response.json()["errors"])

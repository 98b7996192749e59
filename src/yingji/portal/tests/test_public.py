"""The public portal: no sign-in, only published non-exercise content, no personal data, light pages."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from yingji.portal import services
from yingji.portal.models import Article, PublishStatus
from yingji.routing.tests.conftest import offset
from yingji.warnings import services as warnings

PAGES = [
    "/public/",
    "/public/warnings/",
    "/public/shelters/",
    "/public/articles/",
    "/public/faq/",
    "/public/ask/",
    "/public/report/",
    "/public/follow/",
]
PERSONAL = ["13800000000", "王管理员", "contact", "created_by", "published_by", "manager", "phone"]


@pytest.fixture
def articles(cast):
    def article(title: str, status: str, exercise: bool = False) -> Article:
        row = services.article_create(
            by=cast.admin, org=cast.bureau, title=title, body="第一段。\n\n第二段。", exercise=exercise
        )
        if status == PublishStatus.PUBLISHED:
            row = services.article_set_status(by=cast.admin, article=row, status=status)
        return row

    return {
        "published": article("汛期防溺水安全提示", "published"),
        "draft": article("草稿：地震避险要点", "draft"),
        "exercise": article("演练：化工园区疏散通告", "published", exercise=True),
    }


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_open_without_sign_in(client, cast, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "/login/" not in response.get("Location", "")


def test_pages_show_published_warnings_never_drafts_or_unpublished(client, warning_states):
    for url in ["/public/", "/public/warnings/"]:
        html = client.get(url).content.decode()
        assert "暴雨黄色预警（已发布）" in html
        assert "暴雨红色预警（草稿）" not in html and "暴雨橙色预警（待发布）" not in html
        # The national rainstorm yellow defence guide (CMA Order 16) comes with it.
        assert "转移危险地带人员和危房居民到安全场所避雨" in html


def test_public_warnings_json_has_guides_and_no_personal_data(api, warning_states):
    response = api.get("/api/v1/public/warnings")
    assert response.status_code == 200
    body = response.json()
    assert [w["headline"] for w in body] == ["暴雨黄色预警（已发布）"]
    assert body[0]["guide_verified"] is True and len(body[0]["guide"]) == 4
    text = json.dumps(body, ensure_ascii=False)
    for key in ["created_by", "approved_by", "published_by", "t_duty", "t_admin"]:
        assert key not in text


def test_articles_show_only_published_non_exercise(client, articles):
    html = client.get("/public/articles/").content.decode()
    assert "汛期防溺水安全提示" in html
    assert "草稿：地震避险要点" not in html and "演练：化工园区疏散通告" not in html
    assert client.get(f"/public/articles/{articles['published'].pk}/").status_code == 200
    assert client.get(f"/public/articles/{articles['draft'].pk}/").status_code == 404
    assert client.get(f"/public/articles/{articles['exercise'].pk}/").status_code == 404


def test_an_article_published_later_is_archived_out_of_sight(client, cast, articles):
    services.article_set_status(by=cast.admin, article=articles["published"], status="archived")
    assert client.get(f"/public/articles/{articles['published'].pk}/").status_code == 404


def test_nearest_shelters_json_ordered_by_walking_time_without_personal_data(api, shelters):
    lat, lon = offset(0, 0)
    response = api.get("/api/v1/public/shelters/nearest", {"lat": lat, "lon": lon})
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [shelters.near.pk, shelters.middle.pk, shelters.far.pk]
    assert [r["eta_s"] for r in rows] == sorted(r["eta_s"] for r in rows)
    assert all(r["free_capacity"] > 0 for r in rows)
    text = json.dumps(rows, ensure_ascii=False)
    for word in PERSONAL:
        assert word not in text


@pytest.mark.parametrize(
    "query",
    [{"lat": "nan", "lon": "115.05"}, {"lat": "91", "lon": "115"}, {"lat": "30.2"}, {"lat": "31.9", "lon": "114"}],
)
def test_nearest_shelters_refuses_bad_points_with_400(api, shelters, query):
    response = api.get("/api/v1/public/shelters/nearest", query)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_shelter_page_finds_by_typed_community(client, cast, shelters):
    from yingji.core.services import org_update

    lat, lon = offset(0, 0)
    org_update(by=None, org=cast.community_a, lat=float(lat), lon=float(lon))
    html = client.get("/public/shelters/", {"q": "甲一"}).content.decode()
    assert html.index("避难场所S-NEAR") < html.index("避难场所S-MID") < html.index("避难场所S-FAR")
    assert "避难场所S-CLOSED" not in html and "避难场所S-FULL" not in html
    assert "<polyline" in html and "13800000000" not in html


def test_shelter_page_by_location_without_javascript(client, shelters):
    lat, lon = offset(0, 0)
    html = client.get("/public/shelters/", {"lat": lat, "lon": lon}).content.decode()
    assert "避难场所S-NEAR" in html


def _weight(client, url: str) -> int:
    html = client.get(url).content
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="/static/([^"]+)"', html):
        path = finders.find(asset.decode())
        assert path, asset
        total += len(open(path, "rb").read())
    return total


@pytest.mark.parametrize("url", PAGES)
def test_every_public_page_weighs_under_200_kb(client, shelters, warning_states, url):
    assert _weight(client, url) < 200 * 1024


def test_shelter_results_page_weighs_under_200_kb(client, shelters):
    lat, lon = offset(0, 0)
    assert _weight(client, f"/public/shelters/?lat={lat}&lon={lon}") < 200 * 1024


def test_question_post_answers_201_with_receipt_and_status_hides_contact(api, cast):
    response = api.post(
        "/api/v1/public/questions",
        {"category": "shelter", "text": "离我最近的避难场所在哪？", "contact": "13912345678"},
        content_type="application/json",
    )
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    status = api.get(f"/api/v1/public/questions/{receipt}")
    assert status.status_code == 200 and status.json()["status"] == "open"
    assert "13912345678" not in json.dumps(status.json()) and "contact" not in status.json()


def test_question_honeypot_is_refused(api, cast):
    response = api.post(
        "/api/v1/public/questions",
        {"category": "other", "text": "buy now", "website": "http://spam.example"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "website" in response.json()["errors"]


@pytest.mark.parametrize(
    "payload",
    [{"category": "nope", "text": "x"}, {"category": "other", "text": ""}, {"category": "other", "text": "x" * 2001}],
)
def test_question_bad_input_is_400(api, cast, payload):
    assert api.post("/api/v1/public/questions", payload, content_type="application/json").status_code == 400


def test_sixth_question_from_one_address_is_429_with_retry_after(api, cast):
    payload = {"category": "other", "text": "问题"}
    for _ in range(5):
        assert api.post("/api/v1/public/questions", payload, content_type="application/json").status_code == 201
    refused = api.post("/api/v1/public/questions", payload, content_type="application/json")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    # Another address is counted on its own.
    other = api.post("/api/v1/public/questions", payload, content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 201


def test_ask_page_posts_without_javascript_and_shows_the_receipt(client, cast):
    response = client.post("/public/ask/", {"category": "warning", "text": "暴雨预警时学校停课吗？"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "暴雨预警时学校停课吗？" in html
    assert re.search(r'class="receipt">Q[A-Z0-9]{9}<', html)


def test_faq_lists_only_published_answers(client, cast):
    shown = services.question_ask(address="1.1.1.1", category="shelter", text="避难场所可以带宠物吗？")
    hidden = services.question_ask(address="1.1.1.2", category="shelter", text="私下的问题", contact="13900001111")
    services.question_answer(by=cast.duty, question=shown, answer="可以，需拴绳。", faq=True, faq_title="带宠物")
    services.question_answer(by=cast.duty, question=hidden, answer="已电话回复。")
    html = client.get("/public/faq/").content.decode()
    assert "可以，需拴绳。" in html and "带宠物" in html
    assert "私下的问题" not in html and "13900001111" not in html
    body = json.dumps(client.get("/api/v1/public/faq").json(), ensure_ascii=False)
    assert "可以，需拴绳。" in body and "私下的问题" not in body


def test_exercise_warnings_never_reach_the_public(client, api, warning_states):
    from yingji.portal import selectors
    from yingji.warnings.models import EarlyWarning

    if not selectors.WARNINGS_HAVE_EXERCISE_FLAG:
        # The hook waits for warnings' `exercise` flag; until it exists every published warning is real.
        assert not any(f.name == "exercise" for f in EarlyWarning._meta.get_fields())
        return
    EarlyWarning.objects.filter(pk=warning_states["published"].pk).update(exercise=True)
    assert "暴雨黄色预警（已发布）" not in client.get("/public/").content.decode()
    assert api.get("/api/v1/public/warnings").json() == []


def test_public_lists_keep_their_query_count(client, api, cast, django_assert_max_num_queries):
    for i in range(5):
        question = services.question_ask(address=f"10.0.0.{i}", category="other", text=f"问题{i}")
        services.question_answer(by=cast.duty, question=question, answer="答复", faq=True)
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/public/faq").json()["count"] == 5
    with django_assert_max_num_queries(8):
        assert client.get("/public/faq/").status_code == 200


def test_hazard_reports_are_rate_limited_too(api, cast):
    for _ in range(5):
        assert (
            api.post("/api/v1/public/leads", {"kind": "road", "description": "坑", "place": "路口"}).status_code == 201
        )
    refused = api.post("/api/v1/public/leads", {"kind": "road", "description": "坑", "place": "路口"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_page_forms_answer_429_too(client, cast):
    for _ in range(5):
        client.post("/public/ask/", {"category": "other", "text": "问题"})
    refused = client.post("/public/ask/", {"category": "other", "text": "问题"})
    assert refused.status_code == 429 and refused["Retry-After"]


def test_shelter_searches_are_rate_limited(api, client, shelters, monkeypatch):
    from yingji.portal.ratelimit import LIMITS

    monkeypatch.setitem(LIMITS, "nearest", (2, 600))
    lat, lon = offset(0, 0)
    for _ in range(2):
        assert api.get("/api/v1/public/shelters/nearest", {"lat": lat, "lon": lon}).status_code == 200
    refused = api.get("/api/v1/public/shelters/nearest", {"lat": lat, "lon": lon})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get("/public/shelters/", {"lat": lat, "lon": lon}).status_code == 429


def test_without_a_road_network_the_finder_says_so(api, client, cast):
    lat, lon = offset(0, 0)
    response = api.get("/api/v1/public/shelters/nearest", {"lat": lat, "lon": lon})
    assert response.status_code == 409 and "network" in response.json()["errors"]
    page = client.get("/public/shelters/", {"lat": lat, "lon": lon})
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()


def test_a_published_warning_has_its_own_public_page_and_drafts_404(client, cast, warning_states):
    published = warning_states["published"]
    response = client.get(f"/public/warnings/{published.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "暴雨黄色预警（已发布）" in html and "注意防范城市内涝。" in html
    assert "转移危险地带人员和危房居民到安全场所避雨" in html  # the defence guide
    assert f'href="/api/v1/warnings/{published.pk}/cap"' in html
    for key in ["t_duty", "t_admin"]:
        assert key not in html
    assert client.get(f"/public/warnings/{warning_states['draft'].pk}/").status_code == 404
    assert client.get(f"/public/warnings/{warning_states['approved'].pk}/").status_code == 404
    assert client.get("/public/warnings/99999999/").status_code == 404
    # The list links each warning to its page.
    assert f'href="/public/warnings/{published.pk}/"' in client.get("/public/warnings/").content.decode()


def test_a_cancelled_warning_page_says_it_is_no_longer_in_force(client, cast, warning_states):
    published = warning_states["published"]
    html = client.get(f"/public/warnings/{published.pk}/").content.decode()
    assert 'id="not-in-force"' not in html
    warnings.warning_cancel(by=cast.admin, warning=published)
    html = client.get(f"/public/warnings/{published.pk}/").content.decode()
    assert 'id="not-in-force"' in html

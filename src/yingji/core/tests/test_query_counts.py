"""Query-count pins for core's lists: with more rows than the pin allows queries, one query per row (an N+1)
cannot hide under it."""

import pytest
from django.urls import reverse

from yingji.conftest import PASSWORD
from yingji.core.models import Notification, OrgKind
from yingji.core.roles import Role
from yingji.core.services import org_create, token_issue, user_create

ROWS = 30


@pytest.fixture
def many(cast):
    """ROWS streets, each with a community under it; ROWS people with a token each; ROWS messages for duty."""
    for n in range(ROWS):
        street = org_create(by=None, code=f"Q-S{n}", name=f"街道{n}", kind=OrgKind.STREET, parent=cast.district)
        org_create(by=None, code=f"Q-C{n}", name=f"社区{n}", kind=OrgKind.COMMUNITY, parent=street)
        person = user_create(by=None, username=f"q_user{n}", password=PASSWORD, org=street, roles=[Role.STREET_OFFICER])
        token_issue(user=person, name=f"令牌{n}")
    Notification.objects.bulk_create(
        Notification(recipient=cast.duty, title=f"消息{n}", body="正文", link="/orgs/") for n in range(ROWS)
    )
    return cast


# Measured: 3-4 queries per API list (auth, token use, page, count) and 8-9 per page (session, user, the list and
# its count, the nav's unread count, …): a query per row would add ROWS to either.
API_PIN = 6
PAGE_PIN = 12


def test_api_lists(many, api, bearer, django_assert_max_num_queries):
    duty, admin = bearer(many.duty), bearer(many.admin)
    with django_assert_max_num_queries(API_PIN):
        orgs = api.get("/api/v1/orgs", {"page_size": 100}, headers=duty).json()
    assert orgs["count"] > 2 * ROWS and all(o["parent_name"] for o in orgs["items"] if o["parent"])
    with django_assert_max_num_queries(API_PIN):
        tokens = api.get("/api/v1/auth/tokens", {"page_size": 100}, headers=admin).json()
    assert {t["user"] for t in tokens["items"]} >= {f"q_user{n}" for n in range(ROWS)}
    with django_assert_max_num_queries(API_PIN):
        inbox = api.get("/api/v1/notifications", {"page_size": 100}, headers=duty).json()
    assert inbox["count"] == ROWS


def test_list_pages(many, client, django_assert_max_num_queries):
    client.force_login(many.admin)
    pages = [
        reverse("core:org-list"),
        reverse("core:org-detail", args=[many.district.pk]),  # ROWS streets under it
        reverse("core:token-list"),
    ]
    for url in pages:
        with django_assert_max_num_queries(PAGE_PIN):
            response = client.get(url)
        assert response.status_code == 200, url
    assert "街道29" in client.get(pages[1]).content.decode()
    client.force_login(many.duty)
    with django_assert_max_num_queries(PAGE_PIN):
        response = client.get(reverse("core:notification-list"))
    assert response.content.decode().count("消息") >= ROWS

"""Query-count pins on the duty desk's lists, API and pages: with 25 rows, one query per row would break the pin."""

import pytest

from yingji.incidents import services
from yingji.resources.services import equipment_create

pytestmark = pytest.mark.django_db

ROWS = 25
# The counts with 2 rows were the same: session, user and permissions, the scoped rows, the page's count (the desk
# and the detail page draw several panels each).
API, PAGE, DESK, LISTS, DETAIL = 4, 11, 16, 4, 24


@pytest.fixture
def incidents(record):
    return [record(title=f"泄漏{n}", deaths=n % 3) for n in range(ROWS)]


@pytest.fixture
def busy_incident(record, cast, commander):
    """One incident with 25 notes, 25 tasks and 25 dispatch orders (one piece of equipment each)."""
    incident = record()
    for n in range(ROWS):
        services.incident_note(by=cast.duty, incident=incident, text=f"续报{n}")
        services.task_create(
            by=commander, incident=incident, title=f"任务{n}", assignee_org=cast.street_a, assignee_user=cast.duty
        )
        pump = equipment_create(
            by=None, org=cast.street_a, code=f"EQ-{n}", name=f"泵车{n}", category="pump", lat=30.21, lon=115.08
        )
        services.dispatch_create(by=cast.duty, incident=incident, equipment=pump)
    return incident


def test_incident_list_api_and_page(incidents, api, bearer, cast, client, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(API):
        response = api.get("/api/v1/incidents?page_size=100", headers=headers)
    assert response.json()["count"] == ROWS
    client.force_login(cast.duty)
    with django_assert_max_num_queries(PAGE):
        page = client.get("/incidents/list/")
    assert page.status_code == 200 and f"泄漏{ROWS - 1}" in page.content.decode()


def test_desk_page(incidents, client, cast, django_assert_max_num_queries):
    client.force_login(cast.duty)
    with django_assert_max_num_queries(DESK):
        page = client.get("/incidents/")
    assert page.status_code == 200 and f"泄漏{ROWS - 1}" in page.content.decode()


@pytest.mark.parametrize("what", ["timeline", "tasks", "dispatches", "reports"])
def test_an_incidents_lists(busy_incident, api, bearer, cast, what, django_assert_max_num_queries):
    headers = bearer(cast.duty)
    with django_assert_max_num_queries(LISTS):
        response = api.get(f"/api/v1/incidents/{busy_incident.pk}/{what}", headers=headers)
    assert response.status_code == 200 and len(response.json()) >= (1 if what == "reports" else ROWS)


def test_incident_detail_page(busy_incident, client, cast, django_assert_max_num_queries):
    client.force_login(cast.duty)
    with django_assert_max_num_queries(DETAIL):
        page = client.get(f"/incidents/{busy_incident.pk}/")
    assert page.status_code == 200 and f"泵车{ROWS - 1}" in page.content.decode()

"""What a drill makes is marked 演练 wherever it appears: incident list, duty desk (page and live summary), dispatch
orders, reports due, the team's message, workbench to-dos, warnings list, detail and to-dos; real objects never are."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.models import Notification
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.core.todos import todos_for
from yingji.incidents import activation
from yingji.incidents import services as incident_services
from yingji.incidents.selectors import incident_summary
from yingji.incidents.tests.conftest import record  # noqa: F401 - a fixture
from yingji.resources.tests.conftest import stock  # noqa: F401 - a fixture
from yingji.warnings import services as warning_services
from yingji.warnings.models import EarlyWarning

TAG = '<span class="tag exercise">演练</span>'


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def marked(html: str, text: str) -> bool:
    """Whether the row, card or list item holding `text` carries the 演练 tag."""
    chunks = [c for c in re.split(r"<(?:tr|li)[ >]", html) if text in c]
    assert chunks, f"{text} is not on the page"
    return any(TAG in chunk for chunk in chunks)


@pytest.fixture
def drill_and_real(cast, record, stock):  # noqa: F811
    drill = activation.incident_mark_exercise(by=cast.duty, incident=record(title="储罐泄漏演练"))
    real = record(title="真实储罐泄漏")
    return drill, real


def test_incident_list_desk_and_reports_mark_the_drill(cast, drill_and_real):
    drill, real = drill_and_real
    duty = signed_in(cast.duty)
    listing = duty.get("/incidents/list/").content.decode()
    assert marked(listing, drill.title) and not marked(listing, real.title)
    desk = duty.get("/incidents/").content.decode()
    assert marked(desk, drill.title) and not marked(desk, real.title)
    # Reports due on the desk: one per incident, by its number.
    assert marked(desk, f">{drill.code}</a>") and not marked(desk, f">{real.code}</a>")
    # Rows added live and map popups come from the summary.
    assert incident_summary(drill)["exercise"] is True and incident_summary(real)["exercise"] is False
    review = duty.get(f"/incidents/{drill.pk}/review/").content.decode()
    assert TAG in review


def test_dispatch_order_message_and_todo_of_a_drill_are_marked(cast, drill_and_real, stock):  # noqa: F811
    drill, real = drill_and_real
    leader = user_create(
        by=None, username="t_leader_a", password=PASSWORD, org=stock.team_a.org, roles=[Role.TEAM_LEADER]
    )
    order = incident_services.dispatch_create(by=cast.duty, incident=drill, team=stock.team_a)
    incident_services.dispatch_create(by=cast.duty, incident=real, team=stock.team_b)
    (message,) = Notification.objects.filter(recipient=leader)
    assert message.title == f"【演练】调派令：{drill.code} {drill.title}"
    client = signed_in(leader)
    orders = client.get("/incidents/dispatches/").content.decode()
    assert marked(orders, drill.title)
    assert TAG in client.get(f"/incidents/dispatches/{order.pk}/").content.decode()
    titles = [t.title for t in todos_for(leader)]
    assert f"【演练】{drill.code} {drill.title} · {order.resource_name}" in titles
    reports = [t.title for t in todos_for(cast.duty) if drill.code in t.title or real.code in t.title]
    assert {t.startswith("【演练】") for t in reports} == {True, False}


def test_the_dispatch_api_says_which_orders_are_a_drills(cast, drill_and_real, stock, api, bearer):  # noqa: F811
    drill, real = drill_and_real
    incident_services.dispatch_create(by=cast.duty, incident=drill, team=stock.team_a)
    incident_services.dispatch_create(by=cast.duty, incident=real, team=stock.team_b)
    for incident, exercise in ((drill, True), (real, False)):
        response = api.get(f"/api/v1/incidents/{incident.pk}/dispatches", headers=bearer(cast.duty))
        assert response.status_code == 200
        assert [order["exercise"] for order in response.json()] == [exercise]


def test_warnings_list_detail_and_todo_mark_the_drill(cast, commander):
    def draft(headline: str, exercise: bool):
        return warning_services.warning_create(
            by=cast.duty,
            event_type="rainstorm",
            level="yellow",
            headline=headline,
            description="演练用" if exercise else "预计降雨50毫米以上。",
            streets=[cast.street_a],
            expires=timezone.now() + timedelta(hours=6),
            exercise=exercise,
        )

    drill, real = draft("暴雨黄色预警（演练）", True), draft("暴雨黄色预警", False)
    client = signed_in(commander)
    listing = client.get("/warnings/").content.decode()
    assert marked(listing, drill.headline) and not marked(listing, f">{real.headline}</a>")
    assert TAG in client.get(f"/warnings/{drill.pk}/").content.decode()
    assert TAG not in client.get(f"/warnings/{real.pk}/").content.decode()
    titles = {t.title for t in todos_for(commander)}
    level = drill.get_level_display()
    assert titles == {f"【演练】{level} {drill.headline}", f"{level} {real.headline}"}


def test_a_drill_warning_can_be_drafted_from_the_page(cast, db):
    client = signed_in(cast.duty)
    form = client.get("/warnings/new/?exercise=1").content.decode()
    assert re.search(r'name="exercise"[^>]*checked', form)
    response = client.post(
        "/warnings/new/",
        {
            "event_type": "rainstorm",
            "level": "blue",
            "headline": "演练预警",
            "description": "演练用",
            "streets": [cast.street_a.pk],
            "expires": (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "exercise": "on",
        },
    )
    assert response.status_code == 302
    assert EarlyWarning.objects.get(headline="演练预警").exercise is True

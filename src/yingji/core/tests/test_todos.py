"""To-dos on the workbench, with a message in the inbox: warnings to approve, incidents regraded upward, reports
due, dispatch orders to acknowledge."""

import pytest
from django.test import Client

from yingji.conftest import PASSWORD
from yingji.core.models import Notification
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.core.todos import todos_for
from yingji.incidents import services as incidents
from yingji.incidents.tests.conftest import commander, record  # noqa: F401 — shared fixtures
from yingji.resources.services import team_create
from yingji.warnings.tests.conftest import draft  # noqa: F401 — shared fixture

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return [todo.kind for todo in todos_for(user)]


def test_a_draft_warning_is_a_commanders_to_do_and_message(cast, commander, draft):  # noqa: F811
    warning = draft()
    assert "待审批预警" in kinds(commander)
    assert "待审批预警" not in kinds(cast.duty)  # the author cannot approve it
    message = Notification.objects.get(recipient=commander)
    assert warning.headline in message.title and message.link == f"/warnings/{warning.pk}/"
    page = Client()
    page.login(username="t_commander", password=PASSWORD)
    assert warning.headline in page.get("/").content.decode()


def test_an_upward_regrade_tells_the_commanders(cast, commander, record):  # noqa: F811
    incident = record()
    incidents.incident_update(by=cast.duty, incident=incident, deaths=3)
    assert any("较大事故" in n.title for n in Notification.objects.filter(recipient=commander))
    assert "事故等级调整" in kinds(commander)
    # A correction downward is not an alarm for the commanders.
    before = Notification.objects.filter(recipient=commander).count()
    incidents.incident_update(by=cast.duty, incident=incident, deaths=0)
    assert Notification.objects.filter(recipient=commander).count() == before


def test_the_duty_officer_sees_reports_due_and_the_team_leader_orders(cast, record):  # noqa: F811
    incident = record()
    assert "待报送报告" in kinds(cast.duty)
    team = team_create(
        by=None, parent=cast.street_a, code="T1", name="甲队", kind="fire_rescue", lat=30.215, lon=115.085
    )
    leader = user_create(by=None, username="t_tl", password=PASSWORD, org=team.org, roles=[Role.TEAM_LEADER])
    assert kinds(leader) == []
    incidents.dispatch_create(by=cast.duty, incident=incident, team=team)
    assert kinds(leader) == ["调派指令"]
    assert kinds(cast.outsider) == []

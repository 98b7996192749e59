"""Alarms from monitoring: a rule that opens incidents proposes one to the duty officer (or records it at once),
linked on its timeline; an enterprise with an open incident gets no second one."""

import pytest
from django.test import Client
from django.utils import timezone

from yingji.conftest import PASSWORD
from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.incidents import selectors, services
from yingji.incidents.models import EventKind, Incident, IncidentProposal
from yingji.monitoring.services import alarm_escalate, alarm_raise, device_create, rule_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def detector(cast):
    return device_create(
        by=None,
        code="GAS-X-01",
        name="储罐区可燃气体探测器",
        type="combustible_gas",
        org=cast.enterprise_x,
        lat=30.215,
        lon=115.085,
    )


def rule(opens: bool, at_once: bool = False):
    return rule_create(
        by=None,
        name="可燃气体浓度",
        device_type="combustible_gas",
        metric="ch4_lel",
        blue=10,
        yellow=20,
        orange=35,
        red=50,
        opens_incident=opens,
        opens_at_once=at_once,
    )


def test_alarm_of_a_rule_that_opens_at_once_records_one(cast, detector, django_capture_on_commit_callbacks):
    gas_rule = rule(opens=True, at_once=True)
    with django_capture_on_commit_callbacks(execute=True):
        ref = alarm_raise(device=detector, rule=gas_rule, metric="ch4_lel", level="yellow", value=25, at=timezone.now())
    incident = Incident.objects.get()
    assert (incident.source, incident.type.code, incident.org, incident.created_by) == (
        "sensor",
        "gas",
        cast.enterprise_x,
        None,
    )
    assert incident.grade == "IV"
    entries = list(incident.timeline.values_list("kind", flat=True))
    assert entries == [EventKind.INTAKE, EventKind.ALARM]
    with django_capture_on_commit_callbacks(execute=True):
        alarm_escalate(alarm_id=ref.id, level="red", value=60, at=timezone.now())
    assert Incident.objects.count() == 1
    assert incident.timeline.filter(kind=EventKind.ALARM).count() == 2


def test_other_alarms_do_not_open_incidents(cast, detector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector, rule=rule(opens=False), metric="ch4_lel", level="blue", value=12, at=timezone.now()
        )
    assert not Incident.objects.exists()


def test_desk_lists_the_open_alarms_of_its_scope_on_load(cast, detector, client):
    alarm_raise(device=detector, rule=rule(opens=False), metric="ch4_lel", level="yellow", value=25, at=timezone.now())
    client.force_login(cast.duty)
    assert "储罐区可燃气体探测器 · 可燃气体浓度" in client.get("/incidents/").content.decode()
    street_b = user_create(
        by=None, username="t_street_b", password=PASSWORD, org=cast.street_b, roles=[Role.STREET_OFFICER]
    )
    client.force_login(street_b)
    assert "储罐区可燃气体探测器" not in client.get("/incidents/").content.decode()


def test_alarm_proposes_an_incident_that_the_duty_officer_confirms(cast, detector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector, rule=rule(opens=True), metric="ch4_lel", level="yellow", value=25, at=timezone.now()
        )
    assert not Incident.objects.exists()
    proposal = IncidentProposal.objects.get()
    assert (proposal.status, proposal.type.code, proposal.enterprise) == ("pending", "gas", cast.enterprise_x)
    assert list(selectors.pending_proposals(user=cast.duty)) == [proposal]
    assert list(selectors.pending_proposals(user=cast.street_officer)) == [proposal]
    outsider_street = user_create(
        by=None, username="t_b", password=PASSWORD, org=cast.street_b, roles=[Role.STREET_OFFICER]
    )
    assert list(selectors.pending_proposals(user=outsider_street)) == []
    incident = services.proposal_confirm(by=cast.duty, proposal=proposal)
    assert incident.timeline.filter(kind=EventKind.ALARM).exists()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.incident, proposal.decided_by) == ("confirmed", incident, cast.duty)
    with pytest.raises(Conflict, match="无"):
        services.proposal_dismiss(by=cast.duty, proposal=proposal, reason="误报")


def test_a_second_alarm_attaches_to_the_enterprises_open_incident(
    cast, detector, record, django_capture_on_commit_callbacks
):
    open_incident = record()
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector, rule=rule(opens=True), metric="ch4_lel", level="yellow", value=25, at=timezone.now()
        )
    proposal = IncidentProposal.objects.get()
    client = Client()
    client.force_login(cast.duty)
    desk = client.get("/incidents/").content.decode()
    assert open_incident.code in desk  # the desk offers "attach to" the open incident
    response = client.post(f"/incidents/proposals/{proposal.pk}/attach/", {"incident": open_incident.pk})
    assert response.status_code == 302
    assert Incident.objects.count() == 1
    assert open_incident.timeline.filter(kind=EventKind.ALARM).count() == 1


def test_a_rule_that_opens_at_once_joins_the_open_incident_instead_of_a_second(
    cast, detector, record, django_capture_on_commit_callbacks
):
    open_incident = record()
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector,
            rule=rule(opens=True, at_once=True),
            metric="ch4_lel",
            level="yellow",
            value=25,
            at=timezone.now(),
        )
    assert Incident.objects.count() == 1
    assert open_incident.timeline.filter(kind=EventKind.ALARM).count() == 1


def test_a_proposal_is_dismissed_with_a_reason(cast, detector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector, rule=rule(opens=True), metric="ch4_lel", level="yellow", value=25, at=timezone.now()
        )
    proposal = IncidentProposal.objects.get()
    with pytest.raises(ValidationFailed):
        services.proposal_dismiss(by=cast.duty, proposal=proposal, reason=" ")
    services.proposal_dismiss(by=cast.duty, proposal=proposal, reason="传感器标定")
    proposal.refresh_from_db()
    assert proposal.status == "dismissed" and proposal.reason == "传感器标定"


def test_a_team_leader_cannot_decide_proposals(cast, detector, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alarm_raise(
            device=detector, rule=rule(opens=True), metric="ch4_lel", level="yellow", value=25, at=timezone.now()
        )
    leader = user_create(by=None, username="t_tl", password=PASSWORD, org=cast.bureau, roles=[Role.TEAM_LEADER])
    with pytest.raises(NotAllowed):
        services.proposal_confirm(by=leader, proposal=IncidentProposal.objects.get())


def test_a_fire_alarm_proposes_an_incident_only_when_verified_real(cast, django_capture_on_commit_callbacks):
    from yingji.monitoring.firealarm import alarm_verify
    from yingji.monitoring.models import Alarm

    panel = device_create(
        by=None,
        code="FAP-Y-01",
        name="乙建材火灾报警控制器",
        type="fire_panel",
        org=cast.enterprise_y,
        address="乙建材办公楼",
        lat=30.205,
        lon=115.075,
    )
    fire_rule = rule_create(
        by=None, name="火警", device_type="fire_panel", metric="fire_alarm", red=1, needs_verification=True
    )

    def raised():
        with django_capture_on_commit_callbacks(execute=True):
            ref = alarm_raise(
                device=panel, rule=fire_rule, metric="fire_alarm", level="red", value=1, at=timezone.now()
            )
        return Alarm.objects.get(pk=ref.id)

    alarm = raised()
    with django_capture_on_commit_callbacks(execute=True):
        alarm_verify(by=cast.duty, alarm=alarm, result="false_alarm", note="误报")
    assert not IncidentProposal.objects.exists()
    alarm = raised()  # outside the capture below: each commit's callbacks run once
    with django_capture_on_commit_callbacks(execute=True):
        alarm_verify(by=cast.duty, alarm=alarm, result="real", note="确认起火")
    # The venue's data goes into the proposal; the duty officer opens the incident from it.
    incident = services.proposal_confirm(by=cast.duty, proposal=IncidentProposal.objects.get())
    assert (incident.type.code, incident.org, incident.address, incident.source) == (
        "fire",
        cast.enterprise_y,
        "乙建材办公楼",
        "sensor",
    )
    assert incident.timeline.filter(kind=EventKind.ALARM).count() == 1

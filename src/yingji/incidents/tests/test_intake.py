"""Intake, regrading within the art. 13 windows, merging duplicates, closing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yingji.core.errors import Conflict, NotAllowed, ValidationFailed
from yingji.core.models import AuditEntry
from yingji.core.services import user_create
from yingji.incidents import services
from yingji.incidents.models import EventKind, IncidentCounter, ReportKind, ReportStatus, Status
from yingji.incidents.tests.conftest import local

pytestmark = pytest.mark.django_db


def kinds(incident) -> list[str]:
    return list(incident.timeline.values_list("kind", flat=True))


def test_intake_grades_sets_deadline_and_logs(cast, record):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        incident = record(deaths=3, occurred_at=local(2026, 5, 1, 8, 40))
    assert incident.grade == "III"
    assert incident.org == cast.enterprise_x
    assert incident.code == "YJ20260501001"
    assert incident.report_deadline == local(2026, 5, 1, 11, 0)
    initial = incident.reports.get()
    assert (initial.kind, initial.status, initial.recipient) == (
        ReportKind.INITIAL,
        ReportStatus.DUE,
        "黄石市应急管理局",
    )
    assert kinds(incident) == [EventKind.INTAKE]
    assert AuditEntry.objects.filter(action="incidents.incident.create", object_id=str(incident.pk)).exists()


def test_natural_disaster_is_not_graded(record):
    incident = record(type_code="flood", enterprise=None, deaths=12)
    assert incident.grade == ""


def test_type_must_match_category(record):
    with pytest.raises(ValidationFailed) as exc:
        record(category="natural_disaster")
    assert "type" in exc.value.errors


def test_a_role_without_intake_may_not_record(cast, record):
    team_leader = user_create(
        by=None, username="t_tl", password="Correct-Horse-42", org=cast.bureau, roles=["team_leader"]
    )
    with pytest.raises(NotAllowed):
        record(by=team_leader)


def test_casualty_change_within_window_regrades_and_asks_supplementary_report(cast, record):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        incident = record(occurred_at=local(2026, 5, 1, 8, 0), serious_injuries=9)
    assert incident.grade == "IV"
    with time_machine.travel(local(2026, 5, 31, 8, 0), tick=False):  # the 30th day's last moment
        incident = services.incident_update(by=cast.duty, incident=incident, serious_injuries=10)
    assert incident.grade == "III"
    assert kinds(incident) == [EventKind.INTAKE, EventKind.CASUALTIES, EventKind.GRADE]
    progress = incident.reports.get(kind=ReportKind.PROGRESS)
    assert progress.status == ReportStatus.DUE and "较大事故" in progress.reason
    assert incident.report_deadline == local(2026, 5, 1, 11, 0)  # the initial report is still due first


def test_casualty_change_after_window_does_not_regrade(cast, record):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        incident = record(occurred_at=local(2026, 5, 1, 8, 0))
    with time_machine.travel(local(2026, 5, 31, 8, 0, 1), tick=False):
        incident = services.incident_update(by=cast.duty, incident=incident, deaths=5)
    assert incident.grade == "IV"
    assert not incident.reports.filter(kind=ReportKind.PROGRESS).exists()
    assert "超过补报期限" in incident.timeline.last().text


def test_road_traffic_window_is_seven_days(cast, record):
    with time_machine.travel(local(2026, 5, 1, 9, 0), tick=False):
        incident = record(type_code="road_traffic", enterprise=None, occurred_at=local(2026, 5, 1, 8, 0))
    with time_machine.travel(local(2026, 5, 8, 8, 0), tick=False):
        incident = services.incident_update(by=cast.duty, incident=incident, deaths=3)
    assert incident.grade == "III"
    with time_machine.travel(local(2026, 5, 8, 8, 0, 1), tick=False):
        incident = services.incident_update(by=cast.duty, incident=incident, deaths=10)
    assert incident.grade == "III"


def test_each_change_in_window_adds_to_the_due_supplementary_report(cast, record):
    incident = record()
    services.incident_update(by=cast.duty, incident=incident, minor_injuries=2)
    services.incident_update(by=cast.duty, incident=incident, minor_injuries=3)
    progress = incident.reports.get(kind=ReportKind.PROGRESS)
    assert progress.reason.count("伤亡人数或损失变化") == 2


def test_report_send_freezes_the_document_with_its_time(cast, record):
    incident = record(deaths=1)
    report = incident.reports.get()
    with time_machine.travel(local(2026, 5, 1, 10, 0), tick=False):
        sent = services.report_send(by=cast.duty, report=report)
    assert sent.sent_at == local(2026, 5, 1, 10, 0)
    assert "甲化工储罐泄漏" in sent.document and "初报" in sent.document and "死亡 1 人" in sent.document
    incident.refresh_from_db()
    assert incident.report_deadline is None
    with pytest.raises(Conflict):
        services.report_send(by=cast.duty, report=report)


def test_closing_requires_a_final_report(cast, record):
    incident = record()
    with pytest.raises(ValidationFailed) as exc:
        services.incident_close(by=cast.duty, incident=incident)
    assert "终报" in exc.value.errors["status"][0]
    final = services.report_add(by=cast.duty, incident=incident, kind=ReportKind.FINAL)
    services.report_send(by=cast.duty, report=final)
    closed = services.incident_close(by=cast.duty, incident=incident)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    assert incident.reports.get(kind=ReportKind.INITIAL).status == ReportStatus.CANCELLED


def test_invalid_status_transition_names_the_allowed_ones(cast, record):
    incident = record()
    services.incident_set_status(by=cast.duty, incident=incident, status=Status.RESPONDING)
    with pytest.raises(Conflict) as exc:
        services.incident_set_status(by=cast.duty, incident=incident, status=Status.OPEN)
    assert "closed" in exc.value.detail and "允许" in exc.value.detail


def test_merging_a_duplicate_keeps_and_links_it(cast, record):
    kept = record()
    duplicate = record(source="transfer_119", reporter_name="李四")
    services.incident_merge(by=cast.duty, duplicate=duplicate, into=kept)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == kept
    assert duplicate.reports.get().status == ReportStatus.CANCELLED
    assert "李四" in kept.timeline.last().text
    with pytest.raises(Conflict):
        services.incident_merge(by=cast.duty, duplicate=duplicate, into=kept)


def test_commander_sets_command_and_tasks(cast, commander, record):
    incident = record()
    services.incident_command(
        by=commander, incident=incident, commander=commander, response_level="III", post_address="厂区东门"
    )
    incident.refresh_from_db()
    assert (incident.status, incident.response_level, incident.commander) == (Status.RESPONDING, "III", commander)
    task = services.task_create(
        by=commander,
        incident=incident,
        title="疏散下风向居民",
        assignee_org=cast.street_a,
        due_at=timezone.now() + timedelta(hours=1),
    )
    with pytest.raises(NotAllowed):
        services.task_create(by=cast.duty, incident=incident, title="x", assignee_org=cast.street_a)
    services.task_set_status(by=cast.duty, task=task, status="done")
    with pytest.raises(Conflict) as exc:
        services.task_set_status(by=cast.duty, task=task, status="open")
    assert "无" in exc.value.detail
    assert [EventKind.INTAKE, EventKind.COMMAND, EventKind.STATUS, EventKind.TASK, EventKind.TASK] == kinds(incident)


def test_duty_officer_cannot_command(cast, record):
    with pytest.raises(NotAllowed):
        services.incident_command(by=cast.duty, incident=record(), response_level="IV")


def test_shifts_may_not_overlap(cast, shift, leader):
    with pytest.raises(ValidationFailed):
        services.shift_create(
            by=cast.admin,
            org=cast.bureau,
            starts_at=shift.starts_at + timedelta(hours=1),
            ends_at=shift.ends_at + timedelta(hours=1),
            officer=cast.duty,
            leader=leader,
        )


def test_the_thousandth_intake_of_a_day_gets_its_own_number(cast, record):
    # Numbers come from a per-day counter, not from sorting codes as text (where YJ…999 sorts after YJ…1000).
    IncidentCounter.objects.create(day=timezone.localdate(), last=998)
    codes = [record().code for _ in range(3)]
    prefix = f"YJ{timezone.localdate():%Y%m%d}"
    assert codes == [f"{prefix}999", f"{prefix}1000", f"{prefix}1001"]


def test_numbering_continues_after_incidents_recorded_before_the_counter(cast, record):
    first = record()
    IncidentCounter.objects.all().delete()
    assert int(record().code[-3:]) == int(first.code[-3:]) + 1

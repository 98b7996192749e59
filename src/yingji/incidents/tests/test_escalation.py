"""The worker escalates overdue reports to the duty leader on shift and the commanders, once per report."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yingji.core.models import Notification
from yingji.core.worker import JOBS, discover
from yingji.incidents.models import EventKind

pytestmark = pytest.mark.django_db


def test_overdue_report_is_escalated_once_by_the_worker(cast, shift, leader, commander, record):
    incident = record()
    discover()
    job = JOBS["yingji.incidents.tasks.escalate_overdue_reports"]
    assert job.func() == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=1)):
        assert job.func() == 1
        assert job.func() == 0
    notes = Notification.objects.filter(category="incident.overdue")
    assert sorted(n.recipient.username for n in notes) == ["t_commander", "t_leader"]
    assert incident.code in notes.first().title
    assert incident.timeline.filter(kind=EventKind.ESCALATION).count() == 1
    report = incident.reports.get()
    assert report.escalated_at is not None


def test_sent_reports_are_not_escalated(cast, shift, commander, record):
    from yingji.incidents.services import report_send, reports_escalate_overdue

    incident = record()
    report_send(by=cast.duty, report=incident.reports.get())
    assert reports_escalate_overdue(now=timezone.now() + timedelta(hours=3)) == 0
    assert not Notification.objects.filter(category="incident.overdue").exists()

"""The three-year evaluation reminder, with frozen time, run as the worker runs it."""

from datetime import date

import time_machine

from yingji.core.models import Notification
from yingji.core.worker import discover
from yingji.plans import services
from yingji.plans.models import PlanStatus

JOB = "yingji.plans.tasks.remind_evaluations"


def test_reminder_comes_once_when_three_years_have_passed(make_plan, cast):
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        plan = make_plan(status=PlanStatus.FILED)
    job = discover()[JOB]
    with time_machine.travel("2029-03-09 10:00 +0800", tick=False):
        job.func()
        assert Notification.objects.count() == 0
    with time_machine.travel("2029-03-10 10:00 +0800", tick=False):
        job.func()
        job.func()
    notes = Notification.objects.filter(recipient=cast.enterprise_manager)
    assert notes.count() == 1 and plan.title in notes.get().title
    plan.refresh_from_db()
    assert plan.evaluation_reminded_for == date(2029, 3, 10)


def test_an_evaluation_moves_the_next_due_date(make_plan, cast):
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        plan = make_plan(status=PlanStatus.FILED)
    with time_machine.travel("2029-03-01 10:00 +0800", tick=False):
        services.plan_evaluated(by=cast.enterprise_manager, plan=plan, on=date(2029, 3, 1))
    with time_machine.travel("2029-06-01 10:00 +0800", tick=False):
        assert services.plans_remind_evaluations() == 0
    plan.refresh_from_db()
    assert services.evaluation_due(plan) == date(2032, 3, 1)


def test_drafts_and_abolished_plans_are_not_reminded(make_plan, commander):
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        make_plan(status=PlanStatus.DRAFT)
        plan = make_plan(status=PlanStatus.APPROVED, title="已废止")
        services.plan_transition(by=commander, plan=plan, to=PlanStatus.ABOLISHED)
    with time_machine.travel("2030-01-01 10:00 +0800", tick=False):
        assert services.plans_remind_evaluations() == 0

"""Filing numbers: unique and sequential per year, also when plans are filed at once (real threads)."""

import contextlib
import threading

import pytest
import time_machine
from django.db import connection, connections

from yingji.plans import services
from yingji.plans.models import FilingCounter, PlanFiling, PlanStatus


def test_numbers_run_on_within_a_year_and_restart_the_next(make_plan, commander):
    with time_machine.travel("2026-12-31 15:00 +0800", tick=False):
        first = make_plan(status=PlanStatus.FILED, title="一号方案")
        second = make_plan(status=PlanStatus.FILED, title="二号方案")
    with time_machine.travel("2027-01-01 09:00 +0800", tick=False):
        third = make_plan(status=PlanStatus.FILED, title="三号方案")
    assert first.filing_number == "黄石港应急预案备〔2026〕0001号"
    assert second.filing_number == "黄石港应急预案备〔2026〕0002号"
    assert third.filing_number == "黄石港应急预案备〔2027〕0001号"
    assert first.filings.get().version == 1


def test_a_revised_plan_refiled_gets_a_new_number(make_plan, commander, cast):
    plan = make_plan(status=PlanStatus.FILED)
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=PlanStatus.REVISING)
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=PlanStatus.UNDER_REVIEW)
    services.plan_review_update(by=commander, plan=plan, conclusion="pass")
    plan = services.plan_transition(by=commander, plan=plan, to=PlanStatus.APPROVED)
    plan = services.plan_transition(by=commander, plan=plan, to=PlanStatus.FILED)
    assert [f.seq for f in plan.filings.order_by("seq")] == [1, 2]
    assert plan.filings.order_by("seq").last().version == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_filing_gives_distinct_sequential_numbers(make_plan, commander):
    plans = [make_plan(status=PlanStatus.APPROVED, title=f"方案{i}") for i in range(6)]
    barrier = threading.Barrier(len(plans))
    errors: list[BaseException] = []
    # SQLite's in-memory test database fails a second writer at once instead of waiting: take turns there
    # (SQLite serialises writers anyway). PostgreSQL runs them truly at once against the counter row's lock.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def file(plan) -> None:
        barrier.wait(timeout=10)
        try:
            with turns:
                services.plan_transition(by=commander, plan=plan, to=PlanStatus.FILED)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(PlanFiling.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert len(set(PlanFiling.objects.values_list("number", flat=True))) == 6
    assert FilingCounter.objects.get().last == 6

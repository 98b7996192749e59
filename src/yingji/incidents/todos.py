"""The duty desk's to-dos on the workbench: reports due, orders to acknowledge, alarms proposing incidents,
incidents regraded upward."""

from collections.abc import Iterable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.models import User
from yingji.core.notify import exercise_title
from yingji.core.todos import Todo
from yingji.incidents import selectors
from yingji.incidents.models import DispatchStatus, EventKind

REGRADED_WITHIN = timedelta(hours=24)


def reports_due(user: User) -> Iterable[Todo]:
    if not user.has_perm("incidents.change_incident"):
        return []
    soon = timezone.now() + timedelta(minutes=30)
    return [
        Todo(
            kind=_("Report due"),
            title=exercise_title(f"{r.incident.code} {r.get_kind_display()} → {r.recipient}", r.incident.exercise),
            url=reverse("incidents:detail", args=[r.incident_id]),
            due=r.due_at,
            urgent=r.due_at <= soon,
        )
        for r in selectors.reports_due(user=user)[:20]
    ]


def orders_to_acknowledge(user: User) -> Iterable[Todo]:
    if not user.has_perm("incidents.change_dispatch"):
        return []
    orders = selectors.team_dispatches(user=user).filter(status=DispatchStatus.DISPATCHED)[:20]
    return [
        Todo(
            kind=_("Dispatch order"),
            title=exercise_title(f"{d.incident.code} {d.incident.title} · {d.resource_name}", d.incident.exercise),
            url=reverse("incidents:dispatch", args=[d.pk]),
            due=d.dispatched_at,
            urgent=True,
        )
        for d in orders
    ]


def proposals(user: User) -> Iterable[Todo]:
    if not user.has_perm("incidents.add_incident"):
        return []
    return [
        Todo(
            kind=_("Alarm proposes an incident"),
            title=p.title,
            url=reverse("incidents:desk"),
            due=p.raised_at,
            urgent=True,
        )
        for p in selectors.pending_proposals(user=user)[:20]
    ]


def regraded(user: User) -> Iterable[Todo]:
    if not user.has_perm("incidents.command_incident"):
        return []
    since = timezone.now() - REGRADED_WITHIN
    entries = selectors.scoped_timeline(user=user).filter(kind=EventKind.GRADE, at__gte=since)
    return [
        Todo(
            kind=_("Incident regraded"),
            title=exercise_title(f"{e.incident.code} {e.text}", e.incident.exercise),
            url=reverse("incidents:detail", args=[e.incident_id]),
            due=e.at,
            urgent=True,
        )
        for e in entries.filter(incident__status__in=selectors.OPEN_STATUSES).select_related("incident")[:20]
    ]


SOURCES = [reports_due, orders_to_acknowledge, proposals, regraded]

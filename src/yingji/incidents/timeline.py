"""The incident's timeline and its live push: every command of the desk logs here and tells open pages."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from yingji.core.live import publish
from yingji.core.models import User
from yingji.incidents.models import Incident, TimelineEntry
from yingji.incidents.selectors import incident_summary

LIVE_CHANNEL = "duty"


def actor_name(by: User | None) -> str:
    return str(by) if by is not None else "系统"


def push(incident: Incident, action: str) -> None:
    """Tell every open desk in the incident's scope, once the transaction commits."""
    data = {**incident_summary(incident), "action": action}
    scope = incident.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "incident", data, scope=scope))


def log(
    incident: Incident,
    *,
    kind: str,
    text: str,
    by: User | None,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    """Append an entry to the incident's timeline and push it live after commit."""
    entry = TimelineEntry.objects.create(
        incident=incident, at=at or timezone.now(), actor=by, kind=kind, text=text[:500], payload=payload or {}
    )
    data = {
        "incident": incident.pk,
        "kind": kind,
        "kind_label": entry.get_kind_display(),
        "text": entry.text,
        "actor": actor_name(by),
        "at": entry.at.isoformat(),
    }
    scope = incident.org.path
    transaction.on_commit(lambda: publish(LIVE_CHANNEL, "timeline", data, scope=scope))
    return entry


def timeline_append(
    *, incident: Incident, kind: str, text: str, by: User | None = None, payload: dict[str, Any] | None = None
) -> TimelineEntry:
    """Append an event from another part of the platform (a linked alarm, a dispatch) to the timeline."""
    return log(incident, kind=kind, text=text, by=by, payload=payload)

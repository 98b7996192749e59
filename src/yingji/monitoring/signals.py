"""Signals monitoring sends to the apps above it (ARCHITECTURE.md: lower layers tell higher ones by signal).

`alarm_changed` — sent after the transaction commits, whenever an alarm is raised, its level rises,
it is acknowledged, it clears or it is closed (not for every repeated abnormal reading).

    kwargs: alarm (monitoring.Alarm, freshly read; alarm.rule.opens_incident says whether the rule asks
            for an incident, alarm.rule.plan names the plan it asks to activate), created (bool: True only when
            the alarm was just raised).

`flood_response_changed` — sent after the transaction commits, when the level stations' state proposes a 三防
(防汛) response level (a first one, or a more severe one superseding it) and when the proposal ends.

    kwargs: response (monitoring.FloodResponse, freshly read: level 4 = Ⅳ … 1 = Ⅰ, basis, status),
            created (bool: True when the level was just proposed; the receiver proposes the plans to activate).

Receivers run with `send_robust`: a failing receiver is logged and cannot stop ingest.
"""

import logging
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal

log = logging.getLogger("yingji.monitoring")

alarm_changed = Signal()
flood_response_changed = Signal()


def _send_on_commit(signal: Signal, rows: "models.QuerySet[Any]", name: str, *, created: bool) -> None:
    """Send `signal` with the row (read afresh) as `name` once the current transaction commits."""

    def send() -> None:
        if not signal.has_listeners():
            return
        row = rows.first()
        if row is None:
            return
        for receiver, result in signal.send_robust(sender=rows.model, created=created, **{name: row}):
            if isinstance(result, Exception):
                log.error("%s receiver %r failed: %r", name, receiver, result)

    transaction.on_commit(send)


def alarm_changed_on_commit(alarm_id: int, *, created: bool) -> None:
    """Send `alarm_changed` once the current transaction commits (immediately outside one)."""
    from yingji.monitoring.models import Alarm

    rows = Alarm.objects.select_related("device", "rule", "org").filter(pk=alarm_id)
    _send_on_commit(alarm_changed, rows, "alarm", created=created)


def flood_response_changed_on_commit(response_id: int, *, created: bool) -> None:
    """Send `flood_response_changed` once the current transaction commits."""
    from yingji.monitoring.models import FloodResponse

    _send_on_commit(flood_response_changed, FloodResponse.objects.filter(pk=response_id), "response", created=created)

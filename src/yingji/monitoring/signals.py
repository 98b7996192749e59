"""Signals monitoring sends to the apps above it (ARCHITECTURE.md: lower layers tell higher ones by signal).

`alarm_changed` — sent after the transaction commits, whenever an alarm is raised, its level rises,
it is acknowledged, it clears or it is closed (not for every repeated abnormal reading).

    kwargs: alarm (monitoring.Alarm, freshly read; alarm.rule.opens_incident says whether the rule asks
            for an incident), created (bool: True only when the alarm was just raised).

Receivers run with `send_robust`: a failing receiver is logged and cannot stop ingest.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger("yingji.monitoring")

alarm_changed = Signal()


def alarm_changed_on_commit(alarm_id: int, *, created: bool) -> None:
    """Send `alarm_changed` once the current transaction commits (immediately outside one)."""

    def send() -> None:
        if not alarm_changed.has_listeners():
            return
        from yingji.monitoring.models import Alarm

        alarm = Alarm.objects.select_related("device", "rule", "org").filter(pk=alarm_id).first()
        if alarm is None:
            return
        for receiver, result in alarm_changed.send_robust(sender=Alarm, alarm=alarm, created=created):
            if isinstance(result, Exception):
                log.error("alarm_changed receiver %r failed: %r", receiver, result)

    transaction.on_commit(send)

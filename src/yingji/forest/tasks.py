"""Forest fire prevention's periodic jobs in the worker: notify the responsible chain of high fire danger (once per
area and day, as soon as the day's danger is computed) and flag yesterday's missed patrols."""

from datetime import timedelta

from django.utils import timezone

from yingji.core.worker import periodic
from yingji.forest.selectors import danger_day
from yingji.forest.services import danger_notify, patrols_flag_missed


@periodic(every_s=600)
def notify_high_fire_danger() -> int:
    return len(danger_notify(day=danger_day()))


@periodic(every_s=3600)
def flag_missed_patrols() -> int:
    """Yesterday is over in local time: count its patrols against what its fire danger asked."""
    return len(patrols_flag_missed(day=timezone.localdate() - timedelta(days=1)))

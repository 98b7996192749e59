"""The daily alarm roll-up (`AlarmDay`): the alarms of each local day counted per owner, site, device type, level and
status, so that the alarm statistics of a year read a few thousand rows instead of every alarm.

Exact, not approximate: a day is read from the roll-up only when nothing changed on it since the last refresh.
What changed is known from the alarms table itself: an alarm with an id above the mark (raised since, or stored
late for an earlier day) or an alarm with a step (`AlarmEvent`: acknowledged, cleared, closed, level raised …) with
an id above the mark. Those days and today are read from the alarms; the worker's `refresh` folds them in.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from yingji.analytics.filters import StatFilters
from yingji.analytics.models import AlarmDay, RollupMark
from yingji.analytics.stats import alarm_rows, duration_seconds, in_area, real_only
from yingji.core.models import User
from yingji.monitoring.models import Alarm, AlarmEvent

ALARMS = "alarms"
BATCH = 5000


class AlarmGroup(TypedDict):
    """Alarms of one day with one level, status and device type (summed over owners and sites)."""

    day: date
    level: str
    status: str
    device_type: str
    count: int
    acknowledged: int
    ack_seconds: float


def _local_day(column: str = "raised_at") -> TruncDate:
    return TruncDate(column, tzinfo=timezone.get_current_timezone())


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _ack_duration() -> ExpressionWrapper:
    return ExpressionWrapper(F("acknowledged_at") - F("raised_at"), output_field=DurationField())


def _on_days(rows: QuerySet[Alarm], days: set[date]) -> QuerySet[Alarm]:
    """Alarms raised on the given local days (bounded by the first and last for the index on raised_at)."""
    if not days:
        return rows.none()
    start, end = _day_start(min(days)), _day_start(max(days) + timedelta(days=1))
    return (
        rows.filter(raised_at__gte=start, raised_at__lt=end).annotate(local_day=_local_day()).filter(local_day__in=days)
    )


def _days_of(rows: QuerySet[Alarm]) -> set[date]:
    return set(rows.order_by().annotate(local_day=_local_day()).values_list("local_day", flat=True).distinct())


def changed_days(mark: RollupMark | None) -> set[date] | None:
    """The local days whose alarms changed since the mark (and today, always read fresh); None without a mark:
    nothing was rolled up yet."""
    if mark is None:
        return None
    raised = Alarm.objects.filter(pk__gt=mark.alarm_id)
    stepped = Alarm.objects.filter(pk__in=AlarmEvent.objects.filter(pk__gt=mark.event_id).values("alarm_id"))
    return {timezone.localdate()} | _days_of(raised) | _days_of(stepped)


def _groups_of_alarms(rows: QuerySet[Alarm], *by: str, **expressions: Any) -> Iterable[dict[str, Any]]:
    return (
        rows.order_by()
        .values(*by, day=_local_day(), device_type=F("device__type"), **expressions)
        .annotate(
            n=Count("pk"),
            acked=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            ack=Sum(_ack_duration(), filter=Q(acknowledged_at__isnull=False)),
        )
    )


def _ack_seconds(value: Any) -> float:
    """A summed time to acknowledge from the alarms (a duration) in seconds; none acknowledged is 0."""
    return duration_seconds(value) if value is not None else 0.0


def _as_group(row: dict[str, Any], ack_seconds: float) -> AlarmGroup:
    """A grouped row (`n` alarms, `acked` acknowledged) as an AlarmGroup (the fields an AlarmDay row shares)."""
    return AlarmGroup(
        day=row["day"],
        level=row["level"],
        status=row["status"],
        device_type=row["device_type"],
        count=row["n"],
        acknowledged=row["acked"],
        ack_seconds=ack_seconds,
    )


@transaction.atomic
def refresh(*, rebuild: bool = False) -> int:
    """Fold the alarms changed since the last refresh into the roll-up (all of them the first time, or with
    `rebuild`); how many days were written. Yesterday is refolded every time, for changes that arrive while
    the previous refresh ran."""
    mark, _created = RollupMark.objects.select_for_update().get_or_create(name=ALARMS)
    # Read the high-water marks first: whatever lands while this runs is above them and is read next time.
    top_alarm = Alarm.objects.aggregate(m=Max("pk"))["m"] or 0
    top_event = AlarmEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    rows = real_only(Alarm.objects.all())
    if rebuild or (mark.alarm_id == 0 and mark.event_id == 0):
        AlarmDay.objects.all().delete()
        days = _days_of(rows)
    else:
        days = (changed_days(mark) or set()) | {timezone.localdate() - timedelta(days=1)}
        AlarmDay.objects.filter(day__in=days).delete()
        rows = _on_days(rows, days)
    batch: list[AlarmDay] = []
    groups = _groups_of_alarms(rows, "org_id", "level", "status", installation=F("device__installation_org_id"))
    for group in groups:
        fields = _as_group(group, _ack_seconds(group["ack"]))
        batch.append(AlarmDay(org_id=group["org_id"], installation_org_id=group["installation"], **fields))
        if len(batch) >= BATCH:
            AlarmDay.objects.bulk_create(batch)
            batch.clear()
    AlarmDay.objects.bulk_create(batch)
    mark.alarm_id, mark.event_id, mark.refreshed_at = top_alarm, top_event, timezone.now()
    mark.save(update_fields=["alarm_id", "event_id", "refreshed_at"])
    return len(days)


def alarm_groups(user: User | None, filters: StatFilters) -> list[AlarmGroup]:
    """The alarms of the period for the user and filters, grouped by day, level, status and device type: from
    the roll-up for the days it holds unchanged, from the alarms for the others."""
    raw = alarm_rows(user, filters)
    changed = changed_days(RollupMark.objects.filter(name=ALARMS).first())
    groups: list[AlarmGroup] = []
    if changed is not None:
        period = {d for d in changed if filters.date_from <= d <= filters.date_to}
        raw = _on_days(raw, period)
        rolled = in_area(AlarmDay.objects.filter(day__gte=filters.date_from, day__lte=filters.date_to), user, filters)
        if filters.industry:
            rolled = rolled.filter(Q(org__industry=filters.industry) | Q(installation_org__industry=filters.industry))
        sums = (
            rolled.exclude(day__in=period)
            .order_by()
            .values("day", "level", "status", "device_type")
            .annotate(n=Sum("count"), acked=Sum("acknowledged"), ack=Sum("ack_seconds"))
        )
        groups += [_as_group(row, row["ack"] or 0.0) for row in sums]
    groups += [_as_group(row, _ack_seconds(row["ack"])) for row in _groups_of_alarms(raw, "level", "status")]
    return groups

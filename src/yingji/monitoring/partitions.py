"""Monthly partitions of the readings table on PostgreSQL (a no-op on SQLite)."""

import logging
from datetime import UTC, datetime

from django.db import DatabaseError, connection

log = logging.getLogger("yingji.monitoring")


def month_start(year: int, month: int) -> datetime:
    """The first instant (UTC) of a month; months past 12 roll into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def partition_name(start: datetime) -> str:
    return f"monitoring_reading_y{start:%Y}m{start:%m}"


def reading_partitions_ensure(*, now: datetime, months_ahead: int = 2) -> list[str]:
    """Create this month's and the next `months_ahead` months' partitions if missing; returns the names
    created. A month whose rows already landed in the default partition is logged and skipped."""
    if connection.vendor != "postgresql":
        return []
    created = []
    for offset in range(months_ahead + 1):
        start = month_start(now.year, now.month + offset)
        end = month_start(start.year, start.month + 1)
        name = partition_name(start)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            try:
                cursor.execute(
                    f"CREATE TABLE {name} PARTITION OF monitoring_reading FOR VALUES FROM (%s) TO (%s)", [start, end]
                )
            except DatabaseError as exc:
                log.warning("cannot create partition %s: %s", name, exc)
                continue
        created.append(name)
    return created

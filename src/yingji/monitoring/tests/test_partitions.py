"""Readings partitioned by month on PostgreSQL; a plain table on SQLite."""

from datetime import UTC, datetime

from django.db import connection

from yingji.monitoring.models import Reading
from yingji.monitoring.partitions import month_start, reading_partitions_ensure


def test_month_start_rolls_over_the_year():
    assert month_start(2026, 13) == datetime(2027, 1, 1, tzinfo=UTC)
    assert month_start(2026, 0) == datetime(2025, 12, 1, tzinfo=UTC)


def test_next_months_partitions_are_created_once(plant):
    created = reading_partitions_ensure(now=datetime(2031, 12, 15, tzinfo=UTC))
    again = reading_partitions_ensure(now=datetime(2031, 12, 15, tzinfo=UTC))
    if connection.vendor == "postgresql":
        assert created == ["monitoring_reading_y2031m12", "monitoring_reading_y2032m01", "monitoring_reading_y2032m02"]
        Reading.objects.create(device=plant.gas, metric="ch4_lel", ts=datetime(2032, 1, 3, tzinfo=UTC), value=1.0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableoid::regclass::text FROM monitoring_reading")
            assert cursor.fetchone()[0] == "monitoring_reading_y2032m01"
    else:
        assert created == [] and Reading.objects.count() == 0
    assert again == []

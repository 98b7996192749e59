"""No two booked slots of one facility overlap, held by PostgreSQL itself: an exclusion constraint over the
facility and the booking's time range (btree_gist gives the integer column its `=` in a GiST index).
SQLite has no such constraint; there the booking service's serialised check is the guard."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE training_booking ADD CONSTRAINT training_booking_no_overlap
    EXCLUDE USING gist (facility_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'booked');
"""
DROP = "ALTER TABLE training_booking DROP CONSTRAINT IF EXISTS training_booking_no_overlap;"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

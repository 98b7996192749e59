"""Seed the incident-type taxonomy (yingji.incidents.taxonomy)."""

from django.db import migrations

from yingji.incidents.taxonomy import seed_types


def seed(apps, schema_editor):
    seed_types(apps.get_model("incidents", "IncidentType"))


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

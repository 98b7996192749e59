from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import check as django_check
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yingji.core.mqtt import broker_reachable


class Command(django_check.Command):
    help = "Check the configuration (Django's system checks), the database and, when configured, the MQTT broker."

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        problems = []
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            self.stdout.write(f"database: {connection.vendor} {connection.settings_dict['NAME']} ok")
            if pending:
                problems.append(f"database: {len(pending)} migrations not applied (run `yingji migrate`)")
        except Exception as exc:  # any driver error means the database is unusable
            problems.append(f"database: cannot connect: {exc}")
        if settings.MQTT_URL:
            error = broker_reachable(settings.MQTT_URL)
            if error:
                problems.append(f"broker: {error}")
            else:
                self.stdout.write(f"broker: {settings.MQTT_URL} ok")
        else:
            self.stdout.write("broker: not configured (YINGJI_MQTT_URL unset), MQTT ingest off")
        if problems:
            raise CommandError("\n".join(problems), returncode=1)

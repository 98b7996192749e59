"""`python -m django analytics_rollup [--rebuild]` (settings yingji.settings): fold changed alarms into the daily
roll-up now, or rebuild it whole (after a restore or a bulk import that bypassed the services). The worker does
the former every minute and backfills on its first run."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from yingji.analytics.rollup import refresh


class Command(BaseCommand):
    help = "Bring the daily alarm roll-up of the statistics up to date (--rebuild: rebuild it from every alarm)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="rebuild the roll-up from every alarm")

    def handle(self, *args: Any, **options: Any) -> None:
        days = refresh(rebuild=options["rebuild"])
        self.stdout.write(f"alarm roll-up: {days} days written")

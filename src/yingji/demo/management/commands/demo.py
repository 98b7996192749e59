"""`yingji demo [--seed N]`: load the illustrative demo district; YINGJI_DEMO_PASSWORD sets every new
user's password, otherwise each gets a generated one, printed once."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.errors import ValidationFailed
from yingji.demo.services import DEFAULT_SEED, demo_load_all


class Command(BaseCommand):
    help = "Load the demo district 黄石港区 (illustrative data); running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="seed of the generated data; only decides units not loaded yet",
        )

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        # An empty variable means "not set": generate passwords rather than refuse an empty one.
        password = os.environ.get("YINGJI_DEMO_PASSWORD") or None
        try:
            summary = demo_load_all(seed=seed, password=password, out=self.stdout.write)
        except ValidationFailed as exc:
            raise CommandError(f"演示数据未载入 / demo data not loaded: {exc.detail}", returncode=2) from None
        kinds = ", ".join(f"{kind} {n}" for kind, n in summary.created.items())
        self.stdout.write(
            f"演示区数据：新建组织 {summary.units} 个、用户 {len(summary.users)} 个 / demo district: created "
            f"{summary.units} org units{f' ({kinds})' if kinds else ''} and {len(summary.users)} users"
            + "".join(f", {kind} {n}" for kind, n in summary.added.items())
        )

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from yingji.core.backup import backup_database
from yingji.core.errors import YingjiError
from yingji.core.management.commands._base import command_error


class Command(BaseCommand):
    help = "Write a consistent backup of the running database to PATH (a file or a directory)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help=f"default: {settings.BACKUP_DIR}")

    def handle(self, *args: Any, path: Path | None, **options: Any) -> None:
        if path is None:
            settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
            path = settings.BACKUP_DIR
        try:
            written = backup_database(path.expanduser())
        except YingjiError as exc:
            raise command_error(exc) from None
        self.stdout.write(f"backup written: {written}")

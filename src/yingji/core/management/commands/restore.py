from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.backup import backup_database, restore_database
from yingji.core.errors import YingjiError
from yingji.core.management.commands._base import command_error
from yingji.core.processes import running_processes


class Command(BaseCommand):
    help = "Replace the database with the backup at PATH; the current state is backed up first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--no-safety-backup", action="store_true", help="skip the backup of the current state")

    def handle(self, *args: Any, path: Path, no_safety_backup: bool, **options: Any) -> None:
        running = running_processes()
        if running:
            names = ", ".join(str(process) for process in running)
            raise CommandError(
                f"the platform is running ({names}): stop it first (Ctrl+C on `yingji run`, or stop the web, worker "
                "and ingest services), then restore; restoring under running processes would lose their writes",
                returncode=2,
            )
        try:
            if not path.is_file():
                raise FileNotFoundError
        except (FileNotFoundError, OSError):
            raise command_error(YingjiError(f"{path}: no such backup file")) from None
        try:
            if not no_safety_backup:
                settings.BACKUP_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
                safety = backup_database(settings.BACKUP_DIR)
                self.stdout.write(f"current state saved to {safety}")
            restore_database(path)
        except YingjiError as exc:
            raise command_error(exc) from None
        self.stdout.write(f"restored from {path}")

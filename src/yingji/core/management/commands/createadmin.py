import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.errors import YingjiError
from yingji.core.management.commands._base import command_error
from yingji.core.models import OrgKind, OrgUnit, User
from yingji.core.roles import Role
from yingji.core.services import user_create


class Command(BaseCommand):
    help = "Create a system administrator. The password comes from --password-file, YINGJI_ADMIN_PASSWORD, or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password-file", type=Path)

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                return password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                message = f"--password-file: cannot read {password_file}: {exc.strerror}"
                raise CommandError(message, returncode=2) from None
        if os.environ.get("YINGJI_ADMIN_PASSWORD"):
            return os.environ["YINGJI_ADMIN_PASSWORD"]
        if not sys.stdin.isatty():
            raise CommandError("no password: use --password-file or YINGJI_ADMIN_PASSWORD", returncode=2)
        first, second = getpass.getpass("密码 Password: "), getpass.getpass("再次输入 Again: ")
        if first != second:
            raise CommandError("the two passwords differ", returncode=2)
        return first

    def handle(self, *args: Any, username: str, password_file: Path | None, **options: Any) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists", returncode=2)
        password = self._password(password_file)
        org = OrgUnit.objects.filter(kind=OrgKind.BUREAU).first() or OrgUnit.objects.filter(parent=None).first()
        try:
            user_create(by=None, username=username, password=password, org=org, roles=[Role.ADMIN], is_superuser=True)
        except YingjiError as exc:
            raise command_error(exc) from None
        self.stdout.write(f"administrator {username} created")

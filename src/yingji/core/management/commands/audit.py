from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yingji.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit chain tools. `audit verify` exits 0 when the chain is intact, 1 naming the first bad entry."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, title="actions")
        sub.add_parser("verify", help="check every link of the chain")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                f"audit chain BROKEN after checking {report.entries} entries: first bad entry "
                f"#{report.first_bad_seq}: {report.problem}",
                returncode=1,
            )
        self.stdout.write(f"audit chain intact: {report.entries} entries")

from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from yingji.core.management.commands._args import host_arg, port_arg, workers_arg
from yingji.core.processes import hold_pid_file


class Command(BaseCommand):
    help = (
        "Start the web process (ASGI: pages, API, live updates); with --workers N, N uvicorn worker processes "
        "share the port (live updates between them go through PostgreSQL or Redis)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", type=host_arg, default=settings.HOST)
        parser.add_argument("--port", type=port_arg, default=settings.PORT)
        parser.add_argument(
            "--workers", type=workers_arg, default=settings.WEB_WORKERS, help="web processes (YINGJI_WEB_WORKERS)"
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        hold_pid_file("web")
        uvicorn.run("yingji.asgi:application", host=host, port=port, workers=workers, lifespan="off", log_level="info")

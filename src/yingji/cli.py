"""The `yingji` command: a thin entry point over the platform's management commands."""

import os
import sys

from django.core.management import execute_from_command_line

COMMANDS = {
    "run": "set up (migrate, demo data when empty) and start web, worker, Modbus poller (and ingest) together",
    "serve": "start the web process [--host H] [--port P]",
    "worker": "start the background worker [--once]",
    "migrate": "apply database migrations",
    "demo": "load the Huangshigang demo district [--seed N]",
    "createadmin": "create a system administrator --username U [--password-file F]",
    "audit": "audit chain tools: `audit verify`",
    "backup": "write a consistent backup to PATH",
    "restore": "replace the database with the backup at PATH",
    "check": "check configuration, database and broker",
    "ingest": "start the MQTT ingest process (needs YINGJI_MQTT_URL)",
    "modbus": "start the Modbus TCP poller for devices with a Modbus endpoint [--once]",
    "simulate": "publish simulated sensor readings for the demo devices [--rate N] [--scenario S]",
    "roads": "road network tools: `roads import FILE.osm.pbf`",
    "forest": "forest fire tools: `forest import-areas FILE --org UNIT` (zipped shapefile or GeoJSON)",
}
# Developer tools, passed through but not advertised.
EXTRA = {
    "shell",
    "dbshell",
    "makemigrations",
    "showmigrations",
    "collectstatic",
    "changepassword",
    "makemessages",
    "compilemessages",
}


def usage() -> str:
    lines = ["usage: yingji COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<12} {text}" for name, text in COMMANDS.items()]
    lines += ["", "`yingji COMMAND --help` describes a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        sys.exit(0 if args else 2)
    if args[0] not in COMMANDS and args[0] not in EXTRA:
        print(f"yingji: unknown command {args[0]!r}\n\n{usage()}", file=sys.stderr)
        sys.exit(2)
    from django.core.exceptions import ImproperlyConfigured

    try:
        execute_from_command_line(["yingji", *args])
    except ImproperlyConfigured as exc:
        print(f"yingji: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

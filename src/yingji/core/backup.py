"""Consistent backups of the running database: SQLite's online backup API, or pg_dump on PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from yingji.core.errors import ValidationFailed


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command: list[str], env: dict[str, str], stdin: bytes | None = None) -> bytes:
    if shutil.which(command[0]) is None:
        raise ValidationFailed(f"{command[0]} is not installed", {"path": [f"{command[0]} not found on PATH"]})
    result = subprocess.run(command, env=env, input=stdin, capture_output=True, check=False)
    if result.returncode != 0:
        raise ValidationFailed(f"{command[0]} failed: {result.stderr.decode(errors='replace').strip()[:500]}")
    return result.stdout


def default_backup_name() -> str:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    return f"yingji-{datetime.now():%Y%m%d-%H%M%S}.{suffix}"


def backup_database(path: Path) -> Path:
    """Write a consistent copy of the live database to `path` (a file, or a directory to put one in), readable by
    the platform's user only (0600)."""
    if path.is_dir():
        path = path / default_backup_name()
    if path.exists():
        raise ValidationFailed(f"{path} already exists", {"path": [_("already exists; choose a new file")]})
    if not path.parent.is_dir():
        raise ValidationFailed(f"directory {path.parent} does not exist", {"path": [_("directory does not exist")]})
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(partial)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif connection.vendor == "postgresql":
            env, args = _pg_env_and_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(partial), *args], env)
        else:
            raise ValidationFailed(f"backup of {connection.vendor} is not supported")
        # A backup holds everything (password hashes included): for the platform's user only.
        partial.chmod(0o600)
        # Only a finished backup gets the final name: a crash never leaves a half file that looks whole.
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _check_sqlite_backup(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            ok = source.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationFailed(
            f"{path} is not a SQLite backup: {exc}", {"path": [_("not a SQLite database")]}
        ) from None
    if "django_migrations" not in tables or "core_orgunit" not in tables:
        raise ValidationFailed(f"{path} is not a Yingji backup", {"path": [_("not a Yingji database")]})
    if ok != "ok":
        raise ValidationFailed(f"{path} is damaged: {ok}", {"path": [_("damaged database file")]})


def restore_database(path: Path) -> None:
    """Replace the live database with the backup at `path`, made by `backup_database`."""
    if not path.is_file():
        raise ValidationFailed(f"{path} does not exist", {"path": [_("no such file")]})
    if connection.vendor == "sqlite":
        _check_sqlite_backup(path)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        try:
            script = _run(["pg_restore", "--no-owner", "--file", "-", str(path)], env)
        except ValidationFailed:
            raise ValidationFailed(
                f"{path} is not a PostgreSQL backup", {"path": [_("not a pg_dump archive")]}
            ) from None
        connection.close()
        # One transaction replaces the whole schema: a failed restore leaves the database as it was.
        # (pg_restore --clean cannot drop the constraints of partitioned tables, such as the telemetry.)
        reset = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
        _run(["psql", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", *args], env, stdin=reset + script)
    else:
        raise ValidationFailed(f"restore of {connection.vendor} is not supported")

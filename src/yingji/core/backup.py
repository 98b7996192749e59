"""Consistent backups of the running database: SQLite's online backup API, or pg_dump on PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

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


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise ValidationFailed(f"{command[0]} is not installed", {"path": [f"{command[0]} not found on PATH"]})
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ValidationFailed(f"{command[0]} failed: {result.stderr.strip()[:500]}")


def default_backup_name() -> str:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    return f"yingji-{datetime.now():%Y%m%d-%H%M%S}.{suffix}"


def backup_database(path: Path) -> Path:
    """Write a consistent copy of the live database to `path` (a file, or a directory to put one in)."""
    if path.is_dir():
        path = path / default_backup_name()
    if path.exists():
        raise ValidationFailed(f"{path} already exists", {"path": ["already exists; choose a new file"]})
    if not path.parent.is_dir():
        raise ValidationFailed(f"directory {path.parent} does not exist", {"path": ["directory does not exist"]})
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
        raise ValidationFailed(f"{path} is not a SQLite backup: {exc}", {"path": ["not a SQLite database"]}) from None
    if "django_migrations" not in tables or "core_orgunit" not in tables:
        raise ValidationFailed(f"{path} is not a Yingji backup", {"path": ["not a Yingji database"]})
    if ok != "ok":
        raise ValidationFailed(f"{path} is damaged: {ok}", {"path": ["damaged database file"]})


def restore_database(path: Path) -> None:
    """Replace the live database with the backup at `path`, made by `backup_database`."""
    if not path.is_file():
        raise ValidationFailed(f"{path} does not exist", {"path": ["no such file"]})
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
        listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True, check=False)
        if listing.returncode != 0:
            raise ValidationFailed(f"{path} is not a PostgreSQL backup", {"path": ["not a pg_dump archive"]})
        connection.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(path)], env)
    else:
        raise ValidationFailed(f"restore of {connection.vendor} is not supported")

"""Consistent backups of the platform's data: the running database (SQLite's online backup API, or pg_dump on
PostgreSQL) and the uploads directory (the photos of hidden dangers, patrol findings and public reports), in one tar
archive:

    database.sqlite3 | database.pgdump   the database copy
    uploads/…                            MEDIA_ROOT as it was (content-addressed photos: files never change)

A restore puts both back. A plain database file (a backup made before uploads were included) still restores the
database alone and leaves the uploads as they are.
"""

import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
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


DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
UPLOADS = "uploads"


def default_backup_name() -> str:
    return f"yingji-{datetime.now():%Y%m%d-%H%M%S}.tar"


def _dump_database(target: Path) -> None:
    """A consistent copy of the live database in `target`."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        raise ValidationFailed(f"backup of {connection.vendor} is not supported")


def _without_partials(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    # A photo being written is a hidden ".part" file beside its final name; it is not data yet.
    return None if info.name.endswith(".part") else info


def backup_database(path: Path) -> Path:
    """Write a consistent backup of the live database and the uploads directory to `path` (a file, or a directory
    to put one in), readable by the platform's user only (0600)."""
    if path.is_dir():
        path = path / default_backup_name()
    if path.exists():
        raise ValidationFailed(f"{path} already exists", {"path": [_("already exists; choose a new file")]})
    if not path.parent.is_dir():
        raise ValidationFailed(f"directory {path.parent} does not exist", {"path": [_("directory does not exist")]})
    partial = path.with_name(path.name + ".partial")
    dump = path.with_name(path.name + ".database.partial")
    try:
        _dump_database(dump)
        uploads = Path(settings.MEDIA_ROOT)
        # The database is copied first: a photo uploaded meanwhile is in the archive without its row, never the
        # other way round (a row naming a photo the backup lacks).
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DATABASE_MEMBERS[connection.vendor])
            if uploads.is_dir():
                archive.add(uploads, arcname=UPLOADS, filter=_without_partials)
            else:
                archive.addfile(_empty_dir(UPLOADS))
        # A backup holds everything (password hashes included): for the platform's user only.
        partial.chmod(0o600)
        # Only a finished backup gets the final name: a crash never leaves a half file that looks whole.
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
        dump.unlink(missing_ok=True)
    return path


def _empty_dir(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o700
    return info


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


def _restore_database_file(path: Path) -> None:
    """Replace the live database with the database copy at `path`."""
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


def _unpack(path: Path, into: Path) -> Path:
    """Unpack a backup archive into the empty directory `into`; returns the database copy's path. Members that
    would land outside it, links and device files are refused (tarfile's "data" filter)."""
    member = DATABASE_MEMBERS.get(connection.vendor)
    if member is None:
        raise ValidationFailed(f"restore of {connection.vendor} is not supported")
    try:
        with tarfile.open(path, "r:") as archive:
            names = set(archive.getnames())
            if member not in names:
                other = next((n for n in DATABASE_MEMBERS.values() if n in names), None)
                detail = f"holds {other}, not {member}" if other else "holds no database"
                raise ValidationFailed(f"{path} {detail}", {"path": [_("not a Yingji backup for this database")]})
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise ValidationFailed(f"{path} cannot be unpacked: {exc}", {"path": [_("damaged backup archive")]}) from None
    return into / member


def _replace_uploads(unpacked: Path) -> None:
    """Put the unpacked uploads in place of the live ones (a rename on the same file system)."""
    live = Path(settings.MEDIA_ROOT)
    unpacked.mkdir(mode=0o700, exist_ok=True)
    live.parent.mkdir(parents=True, exist_ok=True)
    old = live.with_name(f".{live.name}.old-{secrets.token_hex(4)}")
    if live.exists():
        live.rename(old)
    unpacked.rename(live)
    shutil.rmtree(old, ignore_errors=True)


def restore_database(path: Path) -> None:
    """Replace the live database and uploads with the backup at `path`, made by `backup_database` (a plain database
    file from before uploads were included restores the database alone)."""
    if not path.is_file():
        raise ValidationFailed(f"{path} does not exist", {"path": [_("no such file")]})
    if not tarfile.is_tarfile(path):
        _restore_database_file(path)
        return
    # Unpacked beside the uploads directory, so that putting them in place is a rename.
    live = Path(settings.MEDIA_ROOT)
    live.parent.mkdir(parents=True, exist_ok=True)
    work = live.with_name(f".restore-{secrets.token_hex(4)}")
    work.mkdir(mode=0o700)
    try:
        database = _unpack(path, work)
        _restore_database_file(database)
        _replace_uploads(work / UPLOADS)
    finally:
        shutil.rmtree(work, ignore_errors=True)

"""Backups hold the uploaded photos with the database, and a restore brings both back as they were."""

import io
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yingji.core.backup import _dump_database
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.photos import PhotoStore
from yingji.core.services import org_create

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x02" * 64
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x03" * 64


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "data" / "uploads"
    settings.BACKUP_DIR = tmp_path / "safety"
    return settings.MEDIA_ROOT


def test_backup_then_restore_brings_back_the_photos_of_every_app(tmp_path, uploads):
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    kept = {
        "risk": PhotoStore("risk").keep(PNG),
        "forest": PhotoStore("forest").keep(JPEG),
        "portal": PhotoStore("portal/leads").keep(WEBP),
    }
    target = tmp_path / "yingji.tar"
    call_command("backup", str(target))
    assert target.stat().st_mode & 0o777 == 0o600
    with tarfile.open(target) as archive:
        names = set(archive.getnames())
    assert f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}" in names
    assert {f"uploads/{photo.path}" for photo in kept.values()} <= names

    # After the backup: a photo lost, another added, the database changed.
    (uploads / kept["risk"].path).unlink()
    later = PhotoStore("risk").keep(PNG + b"later")
    OrgUnit.objects.filter(code="B420202").update(name="被改的名字")

    call_command("restore", str(target))
    for photo, data in zip(kept.values(), (PNG, JPEG, WEBP), strict=True):
        assert (uploads / photo.path).read_bytes() == data
    assert not (uploads / later.path).exists()
    assert OrgUnit.objects.get(code="B420202").name == "备份区"
    # The state before the restore, photos included, was kept as a safety copy.
    (safety,) = (tmp_path / "safety").iterdir()
    with tarfile.open(safety) as archive:
        assert f"uploads/{later.path}" in archive.getnames()


def test_backup_without_any_upload_restores_an_empty_uploads_directory(tmp_path, uploads):
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    target = tmp_path / "empty.tar"
    call_command("backup", str(target))
    stray = PhotoStore("portal/leads").keep(PNG)
    call_command("restore", str(target), "--no-safety-backup")
    assert uploads.is_dir() and not (uploads / stray.path).exists()


def test_photo_being_written_is_left_out(tmp_path, uploads):
    PhotoStore("risk").keep(PNG)
    (uploads / "risk" / ".half.png.1234.part").write_bytes(b"half")
    target = tmp_path / "yingji.tar"
    call_command("backup", str(target))
    with tarfile.open(target) as archive:
        assert not [n for n in archive.getnames() if n.endswith(".part")]


def test_archive_reaching_outside_the_uploads_is_refused(tmp_path, uploads):
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    good = tmp_path / "good.tar"
    call_command("backup", str(good))
    evil = tmp_path / "evil.tar"
    with tarfile.open(good) as source, tarfile.open(evil, "w") as archive:
        for member in source.getmembers():
            archive.addfile(member, source.extractfile(member) if member.isfile() else None)
        escape = tarfile.TarInfo("../../escaped.txt")
        escape.size = 4
        archive.addfile(escape, io.BytesIO(b"evil"))
    OrgUnit.objects.filter(code="B420202").update(name="现在的名字")
    with pytest.raises(CommandError) as err:
        call_command("restore", str(evil), "--no-safety-backup")
    assert err.value.returncode == 2
    assert not (tmp_path / "escaped.txt").exists() and not (uploads.parent.parent / "escaped.txt").exists()
    assert OrgUnit.objects.get(code="B420202").name == "现在的名字"


def test_plain_database_backup_from_before_still_restores_and_keeps_the_uploads(tmp_path, uploads):
    # Backups made before uploads were included are a bare database copy (SQLite file or pg_dump archive).
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    old = tmp_path / "old.backup"
    _dump_database(old)
    photo = PhotoStore("risk").keep(PNG)
    OrgUnit.objects.filter(code="B420202").update(name="被改的名字")
    call_command("restore", str(old), "--no-safety-backup")
    assert OrgUnit.objects.get(code="B420202").name == "备份区"
    assert (uploads / photo.path).read_bytes() == PNG

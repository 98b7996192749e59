"""Backup and restore round trip on whichever database the suite runs on (SQLite or PostgreSQL)."""

import sqlite3

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yingji.core.audit import audit_verify
from yingji.core.models import OrgKind, OrgUnit
from yingji.core.services import org_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_back_the_saved_state(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "safety"
    district = org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    org_create(by=None, code="B-A", name="备份街道", kind=OrgKind.STREET, parent=district)
    target = tmp_path / "yingji.backup"
    call_command("backup", str(target))
    assert target.is_file() and not (tmp_path / "yingji.backup.partial").exists()

    org_create(by=None, code="B-B", name="备份后新建的街道", kind=OrgKind.STREET, parent=district)
    OrgUnit.objects.filter(code="B-A").update(name="被改的名字")

    call_command("restore", str(target))
    assert set(OrgUnit.objects.values_list("name", flat=True)) == {"备份区", "备份街道"}
    assert audit_verify().ok
    # The state before the restore was kept as a safety copy.
    assert len(list(settings.BACKUP_DIR.iterdir())) == 1


def test_backup_refuses_to_overwrite(tmp_path):
    existing = tmp_path / "taken"
    existing.write_text("keep me")
    with pytest.raises(CommandError) as err:
        call_command("backup", str(existing))
    assert err.value.returncode == 2 and "exists" in str(err.value)
    assert existing.read_text() == "keep me"


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "safety"
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(CommandError) as err:
        call_command("restore", str(junk), "--no-safety-backup")
    assert err.value.returncode == 2
    assert OrgUnit.objects.filter(code="B420202").exists()


def test_restore_of_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("restore", str(tmp_path / "nope"))
    assert err.value.returncode == 2


def test_restore_rejects_a_database_that_is_not_yingji(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "safety"
    org_create(by=None, code="B420202", name="备份区", kind=OrgKind.DISTRICT)
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(CommandError) as err:
        call_command("restore", str(foreign), "--no-safety-backup")
    assert err.value.returncode == 2
    assert OrgUnit.objects.filter(code="B420202").exists()


def test_backups_are_readable_by_the_platform_user_only(tmp_path):
    # Issue 10: the database and backups were world-readable (0644).
    target = tmp_path / "private.backup"
    call_command("backup", str(target))
    assert target.stat().st_mode & 0o777 == 0o600

"""The audit chain detects entries altered, deleted or reordered directly in the database."""

import hashlib
import hmac
import importlib
import subprocess
import sys
from datetime import UTC

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yingji.core.audit import audit_append, audit_verify, canonical_json
from yingji.core.models import AuditEntry, AuditHead


@pytest.fixture
def chain(db):
    for n in range(1, 6):
        audit_append(actor=None, action="test.event", summary=f"事件 {n}", payload={"n": n, "note": "测试"})
    return list(AuditEntry.objects.order_by("seq"))


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(chain):
    report = audit_verify()
    assert report.ok and report.entries == 5
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]


def test_services_append_entries(cast):
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"core.org.create", "core.user.create"} <= actions
    assert audit_verify().ok


def test_altered_summary_is_detected(chain):
    sql("UPDATE core_auditentry SET summary = %s WHERE seq = %s", ["改过的", 3])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 3 and report.problem == "第 3 条记录已被篡改"


def test_altered_payload_is_detected(chain):
    AuditEntry.objects.filter(seq=2).update(payload={"n": 99, "note": "测试"})
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 2


def test_rehashed_entry_still_breaks_the_next_link(chain):
    from yingji.core.audit import entry_hash

    entry = chain[2]
    forged = entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor_name="",
        action=entry.action,
        object_type="",
        object_id="",
        summary="伪造",
        payload=entry.payload,
        prev_hash=entry.prev_hash,
    )
    AuditEntry.objects.filter(seq=3).update(summary="伪造", hash=forged)
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 4


def test_deleted_entry_is_detected(chain):
    sql("DELETE FROM core_auditentry WHERE seq = %s", [2])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 2 and report.problem == "第 2 条记录缺失"


def test_deleted_last_entry_is_detected(chain):
    sql("DELETE FROM core_auditentry WHERE seq = %s", [5])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 5


def test_swapped_entries_are_detected(chain):
    # Swap the positions of entries 2 and 4 by exchanging their sequence numbers.
    sql("UPDATE core_auditentry SET seq = %s WHERE seq = %s", [1000, 2])
    sql("UPDATE core_auditentry SET seq = %s WHERE seq = %s", [2, 4])
    sql("UPDATE core_auditentry SET seq = %s WHERE seq = %s", [4, 1000])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 2


def test_swapped_contents_are_detected(chain):
    second, fourth = chain[1], chain[3]
    for target, source in ((second, fourth), (fourth, second)):
        AuditEntry.objects.filter(pk=target.pk).update(summary=source.summary, payload=source.payload)
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 2


def test_cli_verify_exits_0_when_intact_and_1_naming_the_entry(chain, capsys):
    call_command("audit", "verify")
    assert "5 entries" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=4).update(summary="x")
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert err.value.returncode == 1 and "#4" in str(err.value)


def test_cli_without_action_exits_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "yingji.cli", "audit"],
        capture_output=True,
        text=True,
        env={"YINGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2 and "action" in result.stderr


def test_api_verify_is_for_admins_only(chain, cast, api, bearer):
    assert api.get("/api/v1/audit/verify", headers=bearer(cast.duty)).status_code == 403
    admin = bearer(cast.admin)
    body = api.get("/api/v1/audit/verify", headers=admin).json()
    assert body["ok"] is True and body["entries"] == AuditEntry.objects.count()
    AuditHead.objects.update(seq=1)
    assert api.get("/api/v1/audit/verify", headers=admin).json()["ok"] is False


def test_admin_audit_log_is_read_only(chain, cast, client):
    client.force_login(cast.admin)
    page = client.get("/admin/core/auditentry/")
    assert page.status_code == 200 and "事件 5" in page.content.decode()
    assert client.get(f"/admin/core/auditentry/{chain[0].pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditentry/add/").status_code == 403


def _reseal(hash_fn) -> None:
    """What someone with write access to the database but not the key would do: recompute every link."""
    prev = "0" * 64
    for entry in AuditEntry.objects.order_by("seq"):
        fields = {
            "seq": entry.seq,
            "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": entry.actor_name,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "summary": entry.summary,
            "payload": entry.payload,
            "prev_hash": prev,
        }
        digest = hash_fn(canonical_json(fields).encode("utf-8"))
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    AuditHead.objects.update(hash=prev)


def test_chain_recomputed_with_plain_sha256_fails_verification(chain):
    # Issue 10: the chain could be recomputed by anyone with database access (no key).
    AuditEntry.objects.filter(seq=3).update(summary="伪造")
    _reseal(lambda data: hashlib.sha256(data).hexdigest())
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 1


def test_chain_recomputed_with_another_key_fails_and_with_the_key_passes(chain, settings):
    _reseal(lambda data: hmac.new(b"guessed key", data, hashlib.sha256).hexdigest())
    assert not audit_verify().ok
    _reseal(lambda data: hmac.new(settings.AUDIT_KEY.encode(), data, hashlib.sha256).hexdigest())
    assert audit_verify().ok


def _legacy_chain(n: int) -> None:
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    for i in range(1, n + 1):
        audit_append(actor=None, action="test.event", summary=f"旧事件 {i}", payload={"n": i})
    _reseal(lambda data: hashlib.sha256(data).hexdigest())


def test_migration_reseals_an_intact_legacy_chain_with_the_key(db):
    from django.apps import apps

    rekey = importlib.import_module("yingji.core.migrations.0005_security").rekey_audit_chain
    _legacy_chain(4)
    assert not audit_verify().ok  # plain SHA-256 no longer verifies
    rekey(apps, None)
    report = audit_verify()
    assert report.ok and report.entries == 4


def test_migration_keeps_a_broken_legacy_chain_broken_where_it_was(db):
    from django.apps import apps

    rekey = importlib.import_module("yingji.core.migrations.0005_security").rekey_audit_chain
    _legacy_chain(4)
    AuditEntry.objects.filter(seq=3).update(summary="改过的")
    rekey(apps, None)
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 3


def test_audit_key_is_generated_once_outside_the_database_and_private(tmp_path):
    import os

    data = tmp_path / "data"
    env = {"YINGJI_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    script = "import django; django.setup(); from django.conf import settings; print(settings.AUDIT_KEY)"
    env["DJANGO_SETTINGS_MODULE"] = "yingji.settings"
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert first.stdout == again.stdout and len(first.stdout.strip()) >= 40
    assert (data / "audit_key").read_text().strip() == first.stdout.strip()
    assert (data / "audit_key").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o700
    given = subprocess.run(
        [sys.executable, "-c", script], env={**env, "YINGJI_AUDIT_KEY": "from-env"}, capture_output=True, text=True
    )
    assert given.stdout.strip() == "from-env"

"""The audit chain detects entries altered, deleted or reordered directly in the database."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yingji.core.audit import audit_append, audit_verify
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
    assert {"org.create", "user.create"} <= actions
    assert audit_verify().ok


def test_altered_summary_is_detected(chain):
    sql("UPDATE core_auditentry SET summary = %s WHERE seq = %s", ["改过的", 3])
    report = audit_verify()
    assert not report.ok and report.first_bad_seq == 3 and "altered" in report.problem


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
    assert not report.ok and report.first_bad_seq == 2 and "missing" in report.problem


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
